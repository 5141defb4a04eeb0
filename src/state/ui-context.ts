/**
 * The facts about a preset that its island needs (see UiContext) and its starting
 * state, worked out from the engine when the page is built and handed to the island
 * as properties, so the page's script carries none of it. Also how the chapters'
 * figures and the tests boot a preset by name.
 */
import { CONTAINERS, HOSTS } from '../engine/profiles';
import { getScenario } from '../engine/scenarios/index';
import { uiPreset, PRESET_NAMES } from './presets';
import type { LinkContext } from './link';
import { LAB_PROFILE, type Timeline, type UiContext } from './ui-data';
import { bootMachine, type Booted } from './engine-port';
import { SimCore } from './sim-core';
import { scenarioData, type PresetBasics, type SimSnapshot, type SimulationOptions } from './sim-shared';

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

/** What the worker needs to boot a preset: its scenario's machine and script, its start. */
export function presetBasics(preset: string): PresetBasics {
  const ui = uiPreset(preset);
  const sc = getScenario(ui.scenario);
  if (!sc) throw new Error(`the engine has no scenario "${ui.scenario}" for preset "${preset}"`);
  return { scenario: scenarioData(sc), start: ui.start, scripted: ui.scripted };
}

export function uiContext(preset: string): UiContext {
  const ui = uiPreset(preset);
  return {
    ui,
    link: linkContext,
    profiles: ui.controls.includes('add') ? OTHER_PROFILES : [],
    timeline: ui.controls.includes('timeline') ? presetTimeline(preset) : { duration: 0, marks: [], actions: [] },
    scenario: presetBasics(preset).scenario,
  };
}

/** A preset's machine, booted and run to its start (less `lead` seconds). */
export function bootPreset(options: SimulationOptions, lead = 0): Booted {
  return bootMachine(options, presetBasics(options.preset), lead);
}

/** A figure's starting state, worked out at build time and carried in the page. */
export function startingSnapshot(options: SimulationOptions): SimSnapshot {
  return SimCore.boot(options, presetBasics(options.preset)).snapshot();
}
