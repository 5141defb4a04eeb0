/**
 * What the page and the worker both know about a simulator's machine: the shapes
 * of its options and of the state the worker posts, and a few constants. Light
 * on purpose: the page imports it without the engine.
 */
import type { SimLink } from './link';
import type { Frame } from './engine-port';
import type { IoSample, MemorySample, SimEvent } from './frame';
import type { Scenario } from '../engine/scenarios/types';

/**
 * What booting a preset's machine needs of its scenario: the machine and the scripted
 * actions. Worked out when the page is built and carried in the page with the island's
 * other facts, so the worker's script holds no scenario.
 */
export type ScenarioData = Pick<Scenario, 'machine' | 'freeEra' | 'kernelEra' | 'timeline'>;

export function scenarioData(sc: Scenario): ScenarioData {
  return { machine: sc.machine, freeEra: sc.freeEra, kernelEra: sc.kernelEra, timeline: sc.timeline };
}

/** What the engine needs of a preset: its scenario, where the reader takes over, whether the script keeps running. */
export interface PresetBasics {
  scenario: ScenarioData;
  start: number;
  scripted: boolean;
}

/** Seconds of history the charts keep. */
export const HISTORY_SECONDS = 300;
/** vmstat's interval, simulated seconds. */
export const VMSTAT_INTERVAL = 5;
export interface SimulationOptions {
  preset: string;
  ramMiB?: number;
  swapMiB?: number;
  swappiness?: number;
  seed?: number;
}

/** What the panels show at one moment, as plain data: carried in the page, and posted by the worker. */
export interface SimSnapshot {
  frame: Frame;
  memory: MemorySample[];
  io: IoSample[];
  vmstat: string[];
  dmesg: string[];
  events: SimEvent[];
}

/**
 * A machine's state as the worker posts it: the snapshot, with the kernel log and
 * the event list only when they changed since the last post, the link that
 * reproduces it, and whether the reader's actions still fit in a link.
 */
export interface Published extends Omit<SimSnapshot, 'dmesg' | 'events'> {
  dmesg?: string[];
  events?: SimEvent[];
  link: SimLink;
  overflow: boolean;
}

/** The link of a preset's start with these machine knobs. */
export function startLink(o: SimulationOptions): SimLink {
  return {
    preset: o.preset,
    ...(o.ramMiB !== undefined && { ramMiB: o.ramMiB }),
    ...(o.swapMiB !== undefined && { swapMiB: o.swapMiB }),
    ...(o.swappiness !== undefined && { swappiness: o.swappiness }),
    ...(o.seed !== undefined && { seed: o.seed }),
  };
}
