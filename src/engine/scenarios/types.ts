import type { FreeEra } from '../format/free';
import type { KernelEra } from '../format/types';
import type { MachineConfig, TimedAction } from '../model';

/** A line of the CLI's terminal transcript. */
export type TranscriptItem =
  | { kind: 'free'; mark: string }
  | { kind: 'vmstat'; from: number; to: number; header?: boolean; note?: string; elide?: boolean }
  | { kind: 'comment'; text: string }
  | { kind: 'dmesg'; grep?: string }
  | { kind: 'command'; text: string };

/** A scenario is data: a machine, a timeline of actions, and named marks. */
export interface Scenario {
  name: string;
  title: string;
  description: string;
  /** The chapter topic it illustrates (presets) or "incident". */
  topic: string;
  machine: MachineConfig;
  /** Output era: free's "used" formula and dmesg wording. */
  freeEra: FreeEra;
  kernelEra: KernelEra;
  /** Seconds since boot at which the run stops. */
  duration: number;
  timeline: TimedAction[];
  marks: { name: string; t: number }[];
  transcript?: TranscriptItem[];
}
