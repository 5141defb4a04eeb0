/**
 * Facts for chapter 2, "The page cache". Each one replays what the reader does
 * in Figure 2.1 (preset `page-cache`: booted, web app not yet running; controls
 * "Start the web app", "Read a 100 MiB file", "Drop caches").
 */
import type { FactFn } from '../facts';
import type { FreeMiB } from '../../engine';
import { boot, run, act, free, type Booted } from './helpers';

/** Seconds the reader lets pass after each press: the read or the app start is long over. */
const SETTLE = 30;
/** Presses of "Read a 100 MiB file" in the fill-up experiment. */
const PRESSES = 8;

function pressRead(b: Booted): void {
  act(b, { type: 'readFile', mib: 100 });
}

/** The figure with the web app started and settled, as the first "try this" asks. */
function withApp(): Booted {
  const b = boot('page-cache');
  act(b, { type: 'startApp', app: 'dhbox-web' });
  run(b, SETTLE);
  return b;
}

interface OneRead {
  before: FreeMiB;
  after: FreeMiB;
  /** MiB read from disk (bi summed) over the press and its settling time. */
  readMiB: number;
}

let oneRead: OneRead | undefined;
/** Web app running, one press of "Read a 100 MiB file". */
function readOnce(): OneRead {
  if (oneRead) return oneRead;
  const b = withApp();
  const before = free(b);
  const from = b.m.counters();
  pressRead(b);
  run(b, SETTLE);
  const r = b.m.rates(from);
  oneRead = { before, after: free(b), readMiB: (r.bi * r.seconds) / 1024 };
  return oneRead;
}

interface Fill {
  /** free -m after each press (index 0: before the first). */
  rows: FreeMiB[];
  /** MiB read from disk by each press. */
  readMiB: number[];
  /** Distinct files the presses read (from the event log). */
  files: number;
}

let fill: Fill | undefined;
/** Web app running, the button pressed again and again, each read let finish. */
function keepPressing(): Fill {
  if (fill) return fill;
  const b = withApp();
  const rows = [free(b)];
  const readMiB: number[] = [];
  const names = new Set<string>();
  for (let i = 0; i < PRESSES; i++) {
    const from = b.m.counters();
    const seen = b.m.eventCount();
    pressRead(b);
    for (const e of b.m.eventsSince(seen)) {
      const m = /^cat (\S+) \(100 MiB\)/.exec(e.text);
      if (m) names.add(m[1]!);
    }
    run(b, SETTLE);
    const r = b.m.rates(from);
    readMiB.push((r.bi * r.seconds) / 1024);
    rows.push(free(b));
  }
  // The prose says: every press is a new file, read whole from disk; once
  // buff/cache levels off, it and free stay put (kswapd keeps free between its
  // watermarks: a few MiB either way); available never moves.
  if (names.size !== PRESSES) throw new Error(`${PRESSES} presses read ${names.size} distinct files`);
  fill = { rows, readMiB, files: names.size };
  const level = lastGrowingPress(fill);
  for (const r of rows.slice(level)) {
    if (Math.abs(r.buff_cache - rows[level]!.buff_cache) > 3 || Math.abs(r.free - rows[level]!.free) > 3) throw new Error('buff/cache or free moved after levelling off');
  }
  if (rows.some((r) => r.available !== rows[0]!.available)) throw new Error('available moved while files were read');
  return fill;
}

/** The press after which buff/cache stops growing (1-based). */
function lastGrowingPress(f: Fill): number {
  let last = 0;
  for (let i = 1; i < f.rows.length; i++) if (f.rows[i]!.buff_cache > f.rows[i - 1]!.buff_cache + 5) last = i;
  if (last === 0 || last === f.rows.length - 1) throw new Error('buff/cache did not level off within the presses');
  return last;
}

interface Drop {
  before: FreeMiB;
  after: FreeMiB;
}

let dropped: Drop | undefined;
/** The reader's path: web app running, one file read, then "Drop caches". */
function dropAfterRead(): Drop {
  if (dropped) return dropped;
  const b = withApp();
  pressRead(b);
  run(b, SETTLE);
  const before = free(b);
  act(b, { type: 'dropCaches', what: 3 });
  dropped = { before, after: free(b) };
  return dropped;
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

export const facts: Record<string, FactFn> = {
  // One press.
  'page-cache.read-file-cache-rise': () => {
    const r = readOnce();
    return r.after.buff_cache - r.before.buff_cache;
  },
  'page-cache.read-file-free-fall': () => {
    const r = readOnce();
    return r.before.free - r.after.free;
  },
  'page-cache.read-file-available-change': () => {
    const r = readOnce();
    return signed(r.after.available - r.before.available);
  },
  'page-cache.read-file-disk-mib': () => Math.round(readOnce().readMiB),

  // Pressing again and again.
  'page-cache.fill-presses-growing': () => lastGrowingPress(keepPressing()),
  'page-cache.fill-cache-level': () => {
    const f = keepPressing();
    return f.rows[lastGrowingPress(f)]!.buff_cache;
  },
  'page-cache.fill-free-level': () => {
    const f = keepPressing();
    return f.rows[lastGrowingPress(f)]!.free;
  },
  'page-cache.fill-available-last': () => keepPressing().rows.at(-1)!.available,
  'page-cache.fill-read-mib-min': () => Math.round(Math.min(...keepPressing().readMiB)),

  // Drop caches.
  'page-cache.cache-before-drop': () => dropAfterRead().before.buff_cache,
  'page-cache.cache-after-drop': () => dropAfterRead().after.buff_cache,
  'page-cache.free-rise-on-drop': () => {
    const d = dropAfterRead();
    return d.after.free - d.before.free;
  },
  'page-cache.available-change-on-drop': () => {
    const d = dropAfterRead();
    return signed(d.after.available - d.before.available);
  },
};
