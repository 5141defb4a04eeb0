/**
 * What a simulator's controls offer, as plain constants, and the shape of the
 * facts about its preset that the page hands the island (src/state/ui-context.ts
 * works them out at build time). Nothing here imports the engine: the page's
 * script does not carry it; the machine runs in the worker (src/state/sim-worker.ts).
 */
import type { LinkContext } from './link';
import type { UiPreset } from './presets';
import type { ScenarioData } from './sim-shared';

export const LAB_PROFILE = 'dhbox-lab';

export const RAM_CHOICES = [512, 990, 2048, 4096, 8192];
export const SWAP_CHOICES = [256, 512, 1024, 2048];
export const LIMIT_CHOICES = [0, 128, 256, 512];

/** The slider's top: enough labs to overload the box comfortably (a lab holds about 200 MiB). */
export function labsMax(totalMiB: number): number {
  return Math.min(64, Math.max(4, Math.ceil(totalMiB / 200) + 2));
}

/** A replay's length, named marks and scripted moments, for the scrubber. */
export interface Timeline {
  duration: number;
  marks: { name: string; t: number }[];
  actions: number[];
}

/** What an island needs to know about its preset and the engine's names, worked out when the page is built. */
export interface UiContext {
  /** The preset itself: title, start, speed, panels and controls. */
  ui: UiPreset;
  /** The names a link may use (presets, container profiles, host apps). */
  link: LinkContext;
  /** Container profiles other than the lab, for "add a container". */
  profiles: { name: string; label: string }[];
  /** The scenario's timeline (a replay's scrubber). */
  timeline: Timeline;
  /** The scenario's machine and script, which the worker boots. */
  scenario: ScenarioData;
}
