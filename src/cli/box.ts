/**
 * A scenario from a command line's words: a named scenario, a simulator link's
 * state, or a freshly booted incident host, with actions in the link syntax and
 * the machine's knobs on top. No side effects: `sim` and the tests share it.
 */
import { SCENARIO_NAMES, getScenario } from '../engine/scenarios/index';
import type { Scenario } from '../engine/scenarios/types';
import type { TimedAction } from '../engine/model';
import { CONTAINERS, HOSTS } from '../engine/profiles';
import { LIMITS, parseAction, parseLinkValue, type LinkContext } from '../state/link';
import { PRESET_NAMES, uiPreset } from '../state/presets';

/** A value on the command line that cannot be used; its message is shown as is. */
export class UsageError extends Error {}

export interface BoxOptions {
  scenario?: string;
  /** Comma-separated actions, SECONDS@action. */
  do?: string;
  /** A simulator link's value, 'v1;preset=…;…'. */
  link?: string;
  until?: number;
  ram?: number;
  swap?: number;
  swappiness?: number;
  seed?: number;
}

export const LINK_CONTEXT: LinkContext = {
  presets: PRESET_NAMES,
  profiles: Object.keys(CONTAINERS),
  apps: Object.values(HOSTS).flatMap((h) => Object.keys(h.apps)),
};

/** A freshly booted incident host with nothing started: what --do drives without --scenario. */
export const FRESH_HOST: Scenario = {
  name: 'custom',
  title: 'A freshly booted 990 MiB host',
  description: 'The incident host after boot, nothing started; the actions come from --do.',
  topic: 'custom',
  machine: { ramMiB: 990, swapMiB: 0, swappiness: 60, cpus: 1, seed: 1 },
  freeEra: 'modern',
  kernelEra: 'modern',
  duration: 0,
  timeline: [],
  marks: [],
};

export function parseActions(list: string): TimedAction[] {
  const out: TimedAction[] = [];
  for (const token of list.split(',')) {
    if (token.trim() === '') throw new UsageError('--do has an empty action (two commas in a row?)');
    const a = parseAction(token.trim(), LINK_CONTEXT);
    if (typeof a === 'string') throw new UsageError(`--do: ${a}`);
    out.push(a);
  }
  if (out.length > LIMITS.actions) throw new UsageError(`--do takes at most ${LIMITS.actions} actions, got ${out.length}`);
  return out;
}

/** The machine with whichever knobs are given set. */
function withKnobs(machine: Scenario['machine'], k: { ramMiB?: number; swapMiB?: number; swappiness?: number; seed?: number }): Scenario['machine'] {
  return {
    ...machine,
    ...(k.ramMiB !== undefined && { ramMiB: k.ramMiB }),
    ...(k.swapMiB !== undefined && { swapMiB: k.swapMiB }),
    ...(k.swappiness !== undefined && { swappiness: k.swappiness }),
    ...(k.seed !== undefined && { seed: k.seed }),
  };
}

/** The scenario the options describe; throws UsageError for anything unusable. */
export function boxScenario(args: BoxOptions): Scenario {
  let sc: Scenario;
  let until: number | undefined;
  const extra: TimedAction[] = [];
  if (args.link !== undefined) {
    const parsed = parseLinkValue(args.link, LINK_CONTEXT);
    if (parsed.ignored.length > 0 || !parsed.link) throw new UsageError(`--link: ${parsed.ignored[0] ?? 'nothing usable in the link'}`);
    const link = parsed.link;
    const ui = uiPreset(link.preset);
    const base = getScenario(ui.scenario);
    if (!base) throw new UsageError(`--link: preset "${link.preset}" has no scenario`);
    sc = {
      ...base,
      machine: withKnobs(base.machine, link),
      // A replay keeps its script; elsewhere the reader takes over at the preset's start.
      timeline: ui.scripted ? base.timeline : base.timeline.filter((a) => a.t <= ui.start),
    };
    extra.push(...(link.actions ?? []));
    until = link.t ?? ui.start;
  } else if (args.scenario !== undefined) {
    const named = getScenario(args.scenario);
    if (!named) throw new UsageError(`unknown scenario "${args.scenario}"; available: ${SCENARIO_NAMES.join(', ')}`);
    sc = named;
  } else if (args.do !== undefined) {
    sc = FRESH_HOST;
  } else {
    throw new UsageError(`--scenario, --do or --link is required; scenarios: ${SCENARIO_NAMES.join(', ')}`);
  }
  if (args.do !== undefined) extra.push(...parseActions(args.do));
  const timeline = [...sc.timeline, ...extra].sort((a, b) => a.t - b.t);
  const lastAction = timeline.length > 0 ? timeline[timeline.length - 1]!.t : 0;
  let duration = args.until ?? until ?? (sc === FRESH_HOST ? lastAction + 120 : Math.max(sc.duration, extra.length > 0 ? lastAction + 60 : 0));
  duration = Math.max(5, Math.min(LIMITS.t.max, duration));
  return {
    ...sc,
    machine: withKnobs(sc.machine, { ramMiB: args.ram, swapMiB: args.swap, swappiness: args.swappiness, seed: args.seed }),
    timeline,
    duration,
    marks: sc.marks.filter((mk) => mk.t <= duration),
  };
}
