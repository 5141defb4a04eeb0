/**
 * Small helpers for computing chapter facts: boot a simulator preset exactly as
 * the reader's simulator boots it, act, run, and read what free/vmstat would show.
 */
import type { Booted } from '../../state/engine-port';
import { bootPreset } from '../../state/ui-context';
import type { Action } from '../../engine';
import type { FreeMiB } from '../../engine';

export type { Booted };

/** A preset's machine at the moment the reader takes over. */
export function boot(preset: string): Booted {
  return bootPreset({ preset });
}

export function run(b: Booted, seconds: number): void {
  b.m.step(seconds);
}

export function act(b: Booted, action: Action): void {
  b.m.act(action);
}

/** `free -m` as the preset prints it (MiB, truncated). */
export function free(b: Booted): FreeMiB {
  return b.m.free(b.freeEra);
}

/** Median of numbers (the lower middle for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

/** Thousands separator, as the prose prints large counts ("63,400"). */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
