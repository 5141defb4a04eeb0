/**
 * Messages between the page and its simulation worker (src/state/sim-worker.ts).
 * A group is one figure's machines: one for a simulator, two for a comparison,
 * which the worker keeps on one clock. Every command carries a sequence number;
 * the worker echoes the newest it has handled, so the page can tell a state that
 * answers its last command from one posted before the worker saw it.
 */
import type { Action } from '../engine/model';
import type { SimLink } from './link';
import type { PresetBasics, Published } from './sim-shared';

/** A replay runs this much faster through a quiet stretch (a minute or more from any scripted action). */
export const QUIET_FACTOR = 20;

export type Command =
  /** Work out each side's link (boot, replay its actions to its time); then play if `play`. */
  | { type: 'open'; links: SimLink[]; basics: PresetBasics; play: boolean }
  | { type: 'play'; speed: number }
  | { type: 'pause' }
  | { type: 'speed'; speed: number }
  /** One vmstat interval on every side, paused or not. */
  | { type: 'step' }
  /** A reader's action, applied to every side at the same simulated second. */
  | { type: 'act'; action: Action }
  /**
   * Start or stop lab containers until `target` run (the slider): counted in the worker,
   * where the machine is, by the first side; each start is `start`, each stop the newest lab.
   */
  | { type: 'labs'; target: number; start: Action }
  /** The page has drawn the last state posted while playing: the next may come. */
  | { type: 'drawn' }
  | { type: 'close' };

export type ToWorker = Command & { gid: number; seq: number };

export type FromWorker = { gid: number; seq: number } & (
  | { type: 'state'; sides: Published[]; playing: boolean; quiet: boolean }
  | { type: 'progress'; progress: number }
  | { type: 'error'; message: string }
);
