/**
 * The facts about a preset that its island needs (see UiContext), read from the
 * engine's data when the page is built and handed to the island as a property,
 * so the page's script carries none of that data.
 */
import { CONTAINERS, HOSTS } from '../engine/profiles';
import { getScenario } from '../engine/scenarios/index';
import { uiPreset, PRESET_NAMES } from './presets';
import type { LinkContext } from './link';
import { LAB_PROFILE, type Timeline, type UiContext } from './ui-data';

export const HOST_APPS = Object.values(HOSTS).flatMap((h) => Object.keys(h.apps));

export const linkContext: LinkContext = {
  presets: PRESET_NAMES,
  profiles: Object.keys(CONTAINERS),
  apps: HOST_APPS,
};

export const OTHER_PROFILES = Object.values(CONTAINERS)
  .filter((p) => p.name !== LAB_PROFILE)
  .map((p) => ({ name: p.name, label: `${p.name}: ${p.description}` }));

/** The scripted timeline of a preset's scenario: its length and named marks, for the scrubber. */
export function presetTimeline(preset: string): Timeline {
  const sc = getScenario(uiPreset(preset).scenario);
  if (!sc) return { duration: 0, marks: [], actions: [] };
  return { duration: sc.duration, marks: [...sc.marks].sort((a, b) => a.t - b.t), actions: sc.timeline.map((a) => a.t).sort((a, b) => a - b) };
}

export function uiContext(preset: string): UiContext {
  const ui = uiPreset(preset);
  return {
    ui,
    link: linkContext,
    profiles: ui.controls.includes('add') ? OTHER_PROFILES : [],
    timeline: ui.controls.includes('timeline') ? presetTimeline(preset) : { duration: 0, marks: [], actions: [] },
  };
}
