/**
 * A true time axis for the live charts: the window is `span` seconds wide and
 * its right edge is where the window ends, not the current time. Until a full
 * window of history exists, it starts at the first sample and fills from the left.
 */
import type { LinearScale } from './scale';

export interface TimeWindow {
  t0: number;
  t1: number;
}

export function timeWindow(samples: readonly { t: number }[], span: number): TimeWindow {
  const first = samples[0]?.t ?? 0;
  const last = samples.at(-1)?.t ?? first;
  const t0 = Math.max(first, last - span);
  return { t0, t1: t0 + span };
}

/** Tick positions about every `every` pixels, at round numbers of seconds. */
export function timeTicks(x: LinearScale, widthPx: number, every = 90): number[] {
  const n = Math.max(2, Math.floor(widthPx / every));
  return x.ticks(n).filter((t) => Number.isInteger(t));
}

/** Seconds as the axis prints them, like the clock and the scrubber: "450 s". */
export function formatSeconds(t: number): string {
  return `${Math.round(t)} s`;
}

/** Event kinds drawn as markers on the time axis, with the words their legend uses. */
export const MARKED_EVENTS: Record<string, string> = {
  action: 'your action',
  container: 'container started',
  start: 'started',
  swap: 'swap changed',
  kswapd: 'kswapd woke',
  thrash: 'thrashing',
  oom: 'OOM kill',
  restart: 'restart',
};
