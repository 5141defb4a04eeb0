/**
 * Chapter 6, Swap. The comparisons (Figures 6.1, 6.3 and 6.4) boot each side exactly as
 * `<Compare>` does (src/state/compare.ts sideOptions) and apply the reader's
 * actions to both at the same second: the lab slider starts dhbox-labs with
 * restart=unless-stopped at the figure's start. The seed facts read the
 * incident's run with and without a swap file, as the chapter's EngineOutput
 * blocks print it.
 */
import type { FactFn } from '../facts';
import type { Action } from '../../engine';
import type { VmstatRow } from '../../engine/format/types';
import type { Booted } from '../../state/engine-port';
import { bootPreset } from '../../state/ui-context';
import { comparePreset, sideOptions, type Side } from '../../state/compare';
import { scenarioRun, markTime, stateAt } from '../engine-output';
import { meminfo } from '../../engine/readouts';
import { getScenario } from '../../engine';
import { median, grouped } from './helpers';

const LAB: Action = { type: 'startContainer', profile: 'dhbox-lab', restart: 'unless-stopped' };
const PAGE_KIB = 4;

/** What one side of a comparison did after the reader's labs started, second by second. */
export interface SideRun {
  b: Booted;
  wa: number[];
  so: number[];
  si: number[];
  ls: number[];
  swapMiB: number[];
  /** MiB read from disk (bi, swap-ins included), swapped out, swapped in, since the start. */
  readMiB: number;
  swapOutMiB: number;
  swapInMiB: number;
  /** Seconds of PSI memory `full` since the start. */
  stallFull: number;
  /** OOM kills since the start, and their times (seconds after the start). */
  kills: number[];
  swapAtStartMiB: number;
}

/**
 * A comparison's side, as the figure runs it: from the preset's start, the lab
 * slider moved up by `addLabs` at once, then `seconds` of simulated time.
 */
export function runSide(compare: string, side: Side, addLabs: number, seconds: number): SideRun {
  return runFrom(bootPreset(sideOptions(comparePreset(compare), side)), addLabs, seconds);
}

const cache = new Map<string, SideRun>();
function side(compare: string, s: Side, addLabs: number, seconds: number): SideRun {
  const key = `${compare}/${s}/${addLabs}/${seconds}`;
  let r = cache.get(key);
  if (!r) {
    r = runSide(compare, s, addLabs, seconds);
    cache.set(key, r);
  }
  return r;
}

/** Figure 6.1: the fourth lab added to both sides, a minute watched. */
const F1 = () => ({ off: side('swap-off-on', 'a', 1, 60), on: side('swap-off-on', 'b', 1, 60) });
/** The swappiness table and Figure 6.3: the `swap` preset booted at each swappiness, the fourth lab added, two minutes watched. */
function atSwappiness(value: number): SideRun {
  const key = `swappiness/${value}`;
  let r = cache.get(key);
  if (!r) {
    r = runFrom(bootPreset({ preset: 'swap', swappiness: value }), 1, 120);
    cache.set(key, r);
  }
  return r;
}
/** Figure 6.4: the slider moved from three labs to six on both sides, five minutes watched. */
const F3 = () => ({ small: side('swap-256-1024', 'a', 3, 300), large: side('swap-256-1024', 'b', 3, 300) });

/** From a booted machine: `addLabs` labs started at once, then `seconds` watched, second by second. */
function runFrom(b: Booted, addLabs: number, seconds: number): SideRun {
  const c0 = b.m.counters();
  const stall0 = b.m.state.psi.fullTotal;
  const t0 = b.t;
  // Kill times are gathered second by second: the kernel log keeps only the newest reports.
  const kills: number[] = [];
  const swapAtStartMiB = b.m.state.swapUsed / 256;
  for (let i = 0; i < addLabs; i++) b.m.act(LAB);
  const wa: number[] = [];
  const so: number[] = [];
  const si: number[] = [];
  const ls: number[] = [];
  const swapMiB: number[] = [];
  for (let s = 0; s < seconds; s++) {
    const n = b.m.oomKillCount();
    b.m.step(1);
    for (const k of b.m.oomKillsSince(n)) kills.push(k.t - t0);
    b.markSample();
    const rates = b.sampleRates;
    wa.push(Math.round(rates.wa));
    so.push(Math.round(rates.so));
    si.push(Math.round(rates.si));
    ls.push(b.m.lsSeconds());
    swapMiB.push(b.m.state.swapUsed / 256);
  }
  const c1 = b.m.counters();
  return {
    b,
    wa,
    so,
    si,
    ls,
    swapMiB,
    readMiB: (c1.pgpgin - c0.pgpgin) / 1024,
    swapOutMiB: ((c1.pswpout - c0.pswpout) * PAGE_KIB) / 1024,
    swapInMiB: ((c1.pswpin - c0.pswpin) * PAGE_KIB) / 1024,
    stallFull: (b.m.state.psi.fullTotal - stall0) / 1e6,
    kills,
    swapAtStartMiB,
  };
}

/** The first second from which wa stays below `limit` to the end of the run. */
function quietFrom(wa: readonly number[], limit: number, until = wa.length): number {
  let last = -1;
  for (let i = 0; i < until; i++) if (wa[i]! >= limit) last = i;
  return last + 2; // wa[i] covers second i+1
}

const fourthLab = () => {
  const labs = getScenario('seed')!.timeline.filter((a) => a.action.type === 'startContainer').sort((a, b) => a.t - b.t);
  return labs[3]!.t;
};

/** vmstat rows of a seed run from `from` to `to` seconds after the fourth lab. */
function seedRows(scenario: 'seed' | 'seed-swap', from: number, to: number): VmstatRow[] {
  const t4 = fourthLab();
  return scenarioRun(scenario)
    .samples.filter((s) => s.t > t4 + from + 1e-9 && s.t <= t4 + to + 1e-9)
    .map((s) => s.vmstat);
}

const killsUntil = (scenario: 'seed' | 'seed-swap', mark: string) => scenarioRun(scenario).final.ooms.filter((k) => k.killT !== undefined && k.killT <= markTime(scenario, mark)).length;
const freeAt = (scenario: 'seed' | 'seed-swap', mark: string) => {
  const row = scenarioRun(scenario).marks[mark]?.free;
  if (!row) throw new Error(`no free -m at ${scenario}/${mark}`);
  return row;
};
const ms = (s: number) => (s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(1)} s`);
const whole = (x: number) => grouped(Math.round(x));

export const facts: Record<string, FactFn> = {
  // The incident, replayed with a 1 GiB swap file (seed-swap) against the record (seed).
  'swap.seed-kills': () => killsUntil('seed', 'killed-all'),
  'swap.seed-swap-kills': () => killsUntil('seed-swap', 'killed-all'),
  /** Median bi and wa from 10 s to 45 s after the fourth lab (the chapter's container-4 window). */
  'swap.seed-bi': () => grouped(median(seedRows('seed', 10, 45).map((r) => r.bi))),
  'swap.seed-swap-bi': () => grouped(median(seedRows('seed-swap', 10, 45).map((r) => r.bi))),
  'swap.seed-swap-wa': () => median(seedRows('seed-swap', 10, 45).map((r) => r.wa)),
  /** The first vmstat row after the fourth lab, with swap: so and wa. */
  'swap.seed-swap-first-so': () => grouped(seedRows('seed-swap', 0, 5)[0]!.so),
  'swap.seed-swap-first-wa': () => seedRows('seed-swap', 0, 5)[0]!.wa,
  'swap.seed-swap-used-mib': () => freeAt('seed-swap', 'container-4').swap_used,
  'swap.seed-swap-used-three-labs-mib': () => freeAt('seed-swap', 'container-3').swap_used,
  'swap.seed-swap-available-mib': () => freeAt('seed-swap', 'container-4').available,
  'swap.seed-available-mib': () => freeAt('seed', 'container-4').available,
  'swap.seed-swap-cached-kib': () => meminfo(stateAt('seed-swap', 'container-4')).SwapCached,
  /** After docker kill, with swap: swap still in use while most RAM is free. */
  'swap.killed-all-swap-used-mib': () => freeAt('seed-swap', 'killed-all').swap_used,
  'swap.killed-all-free-mib': () => freeAt('seed-swap', 'killed-all').free,

  // Figure 6.1: no swap against 1 GiB, the fourth lab added at the start, one minute.
  'swap.f1-read-off-mib': () => whole(F1().off.readMiB),
  'swap.f1-read-on-mib': () => whole(F1().on.readMiB),
  'swap.f1-swapout-on-mib': () => whole(F1().on.swapOutMiB),
  'swap.f1-swapin-on-mib': () => whole(F1().on.swapInMiB),
  'swap.f1-kills-off': () => F1().off.kills.length,
  'swap.f1-kills-on': () => F1().on.kills.length,
  /** Watched for three minutes: when the swapless side's first kill comes, and how many follow; the swap side's kills. */
  'swap.f1-first-kill-off-s': () => {
    const k = side('swap-off-on', 'a', 1, 180).kills[0];
    if (k === undefined) throw new Error('no kill in three minutes without swap');
    return Math.round(k);
  },
  'swap.f1-kills-off-3min': () => side('swap-off-on', 'a', 1, 180).kills.length,
  'swap.f1-kills-on-3min': () => side('swap-off-on', 'b', 1, 180).kills.length,
  'swap.f1-stall-off-s': () => Math.round(F1().off.stallFull),
  'swap.f1-stall-on-s': () => Math.round(F1().on.stallFull),
  /** wa from 15 s on (after the new lab's start-up): median on each side. */
  'swap.f1-wa-off': () => median(F1().off.wa.slice(15)),
  'swap.f1-wa-on': () => median(F1().on.wa.slice(15)),
  /** Seconds after the lab's start from which the swap side's wa stays under 40 (for the rest of its first minute, bar later bursts). */
  'swap.f1-on-quiet-s': () => quietFrom(F1().on.wa, 40, 30),
  'swap.f1-on-wa-peak': () => Math.max(...F1().on.wa.slice(0, 30)),
  'swap.f1-ls-off': () => ms(median(F1().off.ls.slice(15))),
  'swap.f1-ls-on': () => ms(median(F1().on.ls.slice(15))),
  'swap.f1-swap-start-mib': () => Math.round(F1().on.swapAtStartMiB),
  'swap.f1-swap-end-mib': () => Math.round(F1().on.swapMiB.at(-1)!),

  // Swappiness: the `swap` preset booted at each value, the fourth lab added, two minutes (the table; Figure 6.3 is 0 against 60).
  ...Object.fromEntries(
    [0, 10, 60, 100, 150, 200].flatMap((v) => [
      [`swap.sw${v}-swap-mib`, () => Math.round(atSwappiness(v).swapMiB.at(-1)!)],
      [`swap.sw${v}-read-mib`, () => whole(atSwappiness(v).readMiB)],
      [`swap.sw${v}-kills`, () => atSwappiness(v).kills.length],
      [`swap.sw${v}-cache-mib`, () => atSwappiness(v).b.m.free('modern').buff_cache],
      [`swap.sw${v}-stall-s`, () => Math.round(atSwappiness(v).stallFull)],
    ]),
  ),
  'swap.sw0-swap-start-mib': () => Math.round(atSwappiness(0).swapAtStartMiB),

  // Figure 6.4: 256 MiB of swap against 1 GiB, the slider moved from three labs to six, five minutes.
  'swap.f3-small-full-s': () => {
    const i = F3().small.swapMiB.findIndex((m) => m >= 255.5);
    if (i < 0) throw new Error('the small swap never filled');
    return i + 1;
  },
  /** The same six labs on the box with no swap at all: when its first kill comes. */
  'swap.f3-none-first-kill-s': () => {
    const k = runFrom(bootPreset({ preset: 'thrashing' }), 3, 60).kills[0];
    if (k === undefined) throw new Error('no kill without swap');
    return Math.round(k);
  },
  'swap.f3-small-kills': () => F3().small.kills.length,
  'swap.f3-small-first-kill-s': () => {
    const k = F3().small.kills[0];
    if (k === undefined) throw new Error('no kill with the small swap');
    return Math.round(k);
  },
  'swap.f3-large-kills': () => F3().large.kills.length,
  'swap.f3-large-swap-mib': () => Math.round(F3().large.swapMiB.at(-1)!),
  'swap.f3-small-wa': () => median(F3().small.wa.slice(120)),
  'swap.f3-large-wa': () => median(F3().large.wa.slice(120)),
  'swap.f3-small-read-mib': () => whole(F3().small.readMiB),
  'swap.f3-large-read-mib': () => whole(F3().large.readMiB),
  'swap.f3-small-si-max': () => grouped(Math.max(...F3().small.si)),
  'swap.f3-large-si-max': () => grouped(Math.max(...F3().large.si)),
};
