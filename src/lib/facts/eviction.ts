/**
 * Facts for chapter 3, "Eviction". Figures 3.1 and 3.2 are the `eviction`
 * preset: the box after the web app, where the reader moves the labs slider.
 * Every figure below replays what a reader does there: start one lab at once,
 * let it settle for two minutes, start the next, and so on. The incident's own
 * run (`seed`) is used only where the prose talks about the engine's replay.
 */
import type { FactFn } from '../facts';
import { act, boot, free, run, type Booted } from './helpers';
import { LAB_PROFILE } from '../../state/engine-port';
import { scenarioRun } from '../engine-output';
import type { Action, FreeMiB } from '../../engine';
import { PAGES_PER_MIB } from '../../engine/model';

/** What the labs slider does for each step up (Controls.svelte, default restart policy). */
const LAB: Action = { type: 'startContainer', profile: LAB_PROFILE, restart: 'unless-stopped' };
/** How long the walk-through lets each lab settle before starting the next. */
const SETTLE = 120;
/** "The minute after the second lab started". */
const MINUTE = 60;

const mib1 = (pages: number) => Math.round((pages / PAGES_PER_MIB) * 10) / 10;
const kib = (pages: number) => pages * 4;

interface Snapshot {
  free: FreeMiB;
  lru: { activeFile: number; inactiveFile: number; activeAnon: number; inactiveAnon: number };
  /** The memory chart's bands, pages (as frameOf in src/state/engine-port.ts draws them). */
  anonBand: number;
  cacheBand: number;
}

function snapshot(b: Booted): Snapshot {
  const bk = b.m.buckets();
  return {
    free: free(b),
    lru: b.m.lru(),
    anonBand: bk.anonActive + bk.anonInactive,
    cacheBand: bk.buffers + bk.fileActive + bk.fileInactive + bk.fileInflight + bk.slabReclaimable,
  };
}

interface Walk {
  wm: { min: number; low: number; high: number; lowmemReserve: number };
  start: Snapshot;
  lab1: { wakes: number; stalls: number; after: Snapshot };
  lab2: { wakes: number; stalls: number; eventLines: number; minute: Snapshot; after: Snapshot };
  lab3: { after: Snapshot };
}

let walked: Walk | undefined;

/** The reader's walk through Figure 3.1 / 3.2: labs one, two and three, two minutes apart. */
function walk(): Walk {
  if (walked) return walked;
  const b = boot('eviction');
  const m = b.m;
  const wm = m.watermarks();
  const start = snapshot(b);

  let c0 = { ...m.state.counters };
  act(b, LAB);
  run(b, SETTLE);
  const lab1 = { wakes: m.state.counters.kswapdWakes - c0.kswapdWakes, stalls: m.state.counters.allocstall - c0.allocstall, after: snapshot(b) };

  c0 = { ...m.state.counters };
  const e0 = m.eventCount();
  act(b, LAB);
  run(b, MINUTE);
  const lab2Minute = {
    wakes: m.state.counters.kswapdWakes - c0.kswapdWakes,
    stalls: m.state.counters.allocstall - c0.allocstall,
    eventLines: m.eventsSince(e0).filter((e) => e.kind === 'kswapd').length,
    minute: snapshot(b),
  };
  run(b, SETTLE - MINUTE);
  const lab2 = { ...lab2Minute, after: snapshot(b) };

  act(b, LAB);
  run(b, SETTLE);
  const lab3 = { after: snapshot(b) };

  walked = { wm, start, lab1, lab2, lab3 };
  return walked;
}

/** Labs running when `available` in the free panel first reads below `mib` (each lab given two minutes). */
function labsUntilAvailableBelow(mib: number): number {
  const b = boot('eviction');
  for (let labs = 1; labs <= 8; labs++) {
    act(b, LAB);
    for (let s = 0; s < SETTLE; s += 5) {
      run(b, 5);
      if (free(b).available < mib) return labs;
    }
  }
  throw new Error(`available never fell below ${mib} MiB with up to 8 labs`);
}

/** The incident replay (`seed`): the vmstat 5 rows around the second lab's start. */
function seedLab2() {
  const r = scenarioRun('seed');
  const started = r.events.find((e) => e.kind === 'container' && e.text.includes('container lab2 '));
  if (!started) throw new Error('seed: no start of lab2 in the events');
  const rows = r.samples.filter((s) => s.t >= started.t - 1e-9);
  const [atStart, next] = rows;
  if (!atStart || !next) throw new Error('seed: no vmstat rows after lab2 started');
  return { atStart: atStart.vmstat, next: next.vmstat };
}

/** Effective thresholds, MiB as the memory chart draws them: watermark plus the lowmem reserve. */
const line = (k: 'min' | 'low' | 'high') => () => {
  const w = walk().wm;
  return mib1(w[k] + w.lowmemReserve).toFixed(1);
};

export const facts: Record<string, FactFn> = {
  // The watermarks themselves, as /proc/zoneinfo would list them (in KiB here).
  'eviction.wmark-min-kib': () => kib(walk().wm.min),
  'eviction.wmark-low-kib': () => kib(walk().wm.low),
  'eviction.wmark-high-kib': () => kib(walk().wm.high),
  'eviction.lowmem-reserve-kib': () => kib(walk().wm.lowmemReserve),
  // Where the chart draws them (free memory in MiB), and the figure the events log quotes for low.
  'eviction.line-min-mib': line('min'),
  'eviction.line-low-mib': line('low'),
  'eviction.line-high-mib': line('high'),
  'eviction.events-low-mib': () => {
    const w = walk().wm;
    return Math.round(kib(w.low + w.lowmemReserve) / 1024);
  },

  // Figure 3.1 at the start and with one lab.
  'eviction.free-at-start-mib': () => walk().start.free.free,
  'eviction.cache-at-start-mib': () => walk().start.free.buff_cache,
  'eviction.kswapd-wakes-lab-1': () => walk().lab1.wakes,
  'eviction.free-after-lab-1-mib': () => walk().lab1.after.free.free,
  'eviction.cache-after-lab-1-mib': () => walk().lab1.after.free.buff_cache,

  // The minute after the second lab starts.
  'eviction.kswapd-wakes-lab-2': () => walk().lab2.wakes,
  'eviction.kswapd-event-lines-lab-2': () => walk().lab2.eventLines,
  'eviction.direct-reclaim-stalls-lab-2': () => walk().lab2.stalls,
  // Two labs, settled.
  'eviction.cache-after-lab-2-mib': () => walk().lab2.after.free.buff_cache,
  'eviction.available-after-lab-2-mib': () => walk().lab2.after.free.available,

  // Figure 3.2: the LRU lists from one lab (settled) to two (settled), MiB.
  'eviction.inactive-file-drop-lab-2-mib': () => Math.round(mib1(walk().lab1.after.lru.inactiveFile - walk().lab2.after.lru.inactiveFile)),
  'eviction.active-file-drop-lab-2-mib': () => {
    // The prose says the active list shrinks with the second lab too.
    const drop = Math.round(mib1(walk().lab1.after.lru.activeFile - walk().lab2.after.lru.activeFile));
    if (drop <= 0) throw new Error(`Active(file) grew by ${-drop} MiB with the second lab`);
    return drop;
  },
  'eviction.active-file-drop-lab-3-mib': () => Math.round(mib1(walk().lab2.after.lru.activeFile - walk().lab3.after.lru.activeFile)),

  // Figure 3.1's bands as the third lab starts (free memory is already at the watermarks).
  'eviction.anon-band-rise-lab-3-mib': () => Math.round(mib1(walk().lab3.after.anonBand - walk().lab2.after.anonBand)),
  'eviction.cache-band-drop-lab-3-mib': () => Math.round(mib1(walk().lab2.after.cacheBand - walk().lab3.after.cacheBand)),

  'eviction.labs-until-available-below-100': () => labsUntilAvailableBelow(100),

  // The engine's replay of the incident: the first vmstat interval after lab2 starts.
  'eviction.seed-cache-drop-first-interval-mib': () => {
    const { atStart, next } = seedLab2();
    return Math.round((atStart.cache - next.cache) / 1024);
  },
};
