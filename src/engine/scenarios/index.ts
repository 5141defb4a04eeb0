import type { Scenario } from './types';
import { seed, seedSwap } from './seed';
import { PRESETS } from './presets';

export type { Scenario, TranscriptItem } from './types';

/** Every named scenario: the incident, its swap variant, and the chapter presets. */
export const SCENARIOS: Record<string, Scenario> = {
  seed,
  'seed-swap': seedSwap,
  ...PRESETS,
};

export const SCENARIO_NAMES: string[] = /* @__PURE__ */ Object.keys(SCENARIOS);

export function getScenario(name: string): Scenario | undefined {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, name) ? SCENARIOS[name] : undefined;
}
