/**
 * What running processes do to memory: page faults with read-around, swap-ins,
 * waiting for the disk, start-up reads and writes, heaps that grow and shrink
 * (mm/memory.c do_swap_page(), mm/filemap.c filemap_fault() and
 * do_sync_mmap_readahead(), mm/readahead.c, mm/page-writeback.c
 * balance_dirty_pages()). The tick in machine.ts calls touch() and progress().
 */
import type { FileObj, IoReq, MachineState, Proc } from './model';
import { TICK } from './model';
import { inactiveAdd, inactiveRemove } from './lru';
import { nextRandom, stochasticRound } from './rng';
import { hotResident, judgeRefaults } from './reclaim';
import { logEvent } from './klog';
import { MAX_REQ_PAGES, completeRead, diskPagesPerTick, sequentialReads, submitRead } from './disk';
import { alloc, containerById, fileKeyFor, findFile, freeAnon, mib, pgtFor, releaseProc } from './machine';
import { cgOf, cgStat } from './memcg';

const FAULT_COST = 2e-5; // CPU seconds per major fault
const MINFLT_COST = 4e-7; // CPU seconds per minor fault
/** Swap readahead: 2^page_cluster pages (page-cluster = 3). */
const SWAP_CLUSTER = 8;
/** MMAP_LOTSAMISS (mm/filemap.c): read-around stops after this many misses without hits. */
const MMAP_LOTSAMISS = 100;


/**
 * The memory cgroup a new page-cache page of f is charged to: the file's owner, or,
 * when none of the file is cached any more, the faulting task's (see memcg.ts).
 */
function cgOfFile(f: FileObj, p: Proc | null): number {
  if (p && f.active + f.inactive + f.inflight === 0) f.cg = cgOf(p);
  return f.cg;
}

/**
 * Start a read of n missing pages of f for p at time `at`: the pages are allocated
 * now (locked in the page cache) and land when the disk completes the request.
 * `stream`: a sequential read(2) (readahead; pages never read before are first
 * reads); otherwise a page fault on a mapping (a major fault). Pages whose shadow
 * entries survive are refaults (workingset_refault()); those within the workingset
 * arrive on the active list, and waiting for them is a memory stall (PSI).
 */
function readIn(m: MachineState, p: Proc, f: FileObj, n: number, at: number, stream: boolean, doneAt = -1): IoReq | null {
  const nonres = f.size - f.active - f.inactive - f.inflight;
  let x = Math.min(n, nonres);
  if (x <= 0) return null;
  // Readahead pages are allocated with __GFP_NORETRY (readahead_gfp_mask()): if memory
  // is short the window shrinks to the one page the task needs, which may OOM.
  if (x > 1 && !alloc(m, x, p, cgOfFile(f, p), true)) {
    if (!p.alive) return null;
    x = 1;
  }
  if (x === 1 && !alloc(m, 1, p, cgOfFile(f, p))) return null;
  let again: number;
  if (stream) {
    const fresh = Math.min(x, Math.max(0, f.size - f.seen));
    f.seen += fresh;
    again = x - fresh;
  } else {
    again = Math.min(x, stochasticRound(m, (x * f.shadow) / Math.max(1, nonres)));
    f.seen = Math.min(f.size, f.seen + x - again);
  }
  const { recent } = judgeRefaults(m, f, again);
  // A fault reads the page it needs (hot) and its neighbours, hot as often as the
  // missing part of the file is; a streaming read takes what comes.
  const hotMissing = Math.max(0, f.hotSet - f.hotRes);
  const first = stream || hotMissing === 0 ? 0 : 1;
  const gained = Math.min(hotMissing, first + stochasticRound(m, ((x - first) * Math.max(0, hotMissing - first)) / Math.max(1, nonres - first)));
  f.hotRes += gained;
  if (!stream) {
    // mmap_miss counts this fault; the neighbours it brought that get used are mapped
    // by fault-around later, each paying one back (filemap_map_pages()).
    f.mmapMiss = Math.max(0, Math.min(MMAP_LOTSAMISS * 10, f.mmapMiss + 1 - (gained - first)));
  }
  f.inflight += x;
  const memstall = recent > 0;
  const used = !stream && f.kind === 'exec' ? gained : 0;
  const req: IoReq = { pid: p.pid, file: f.id, pages: x, active: Math.min(x, Math.max(recent, used)), memstall, doneAt };
  // doneAt given: requests already timed on the disk's clock (sequentialReads()).
  const r = doneAt >= 0 ? req : submitRead(m, req, at);
  p.wait += x;
  p.waitUntil = Math.max(p.waitUntil, r.doneAt);
  if (memstall) p.memWait = true;
  if (!stream) {
    p.majflt += 1;
    m.counters.pgmajfault += 1;
    m.counters.pgfault += 1;
    cgStat(m, cgOf(p), 'pgmajfault', 1);
    cgStat(m, cgOf(p), 'pgfault', 1);
    m.tickSys += FAULT_COST;
  }
  return r;
}

/**
 * Swap in up to `n` of p's hot swapped pages at time `at` (do_swap_page() with
 * swap readahead). The pages enter the swap cache and keep their slot unless swap
 * is more than half full (vm_swap_full()); a swap-in is a refault of anon memory.
 */
function swapIn(m: MachineState, p: Proc, n: number, at: number): IoReq | null {
  const x = Math.min(n, p.swapHot, p.swap);
  if (x <= 0) return null;
  if (!alloc(m, x, p, p.spec.hostSide ? 0 : p.cid)) return null;
  p.swap -= x;
  p.swapHot -= x;
  p.anonA += x;
  if (m.swapUsed * 2 > m.swapTotal) m.swapUsed -= x;
  else p.swapCache += x;
  const c = m.counters;
  c.pswpin += x;
  c.workingsetRefaultAnon += x;
  c.workingsetActivateAnon += x;
  c.workingsetRefault += x;
  c.workingsetActivate += x;
  c.pgmajfault += 1;
  c.pgfault += 1;
  p.majflt += 1;
  cgStat(m, cgOf(p), 'pgmajfault', 1);
  cgStat(m, cgOf(p), 'pgfault', 1);
  cgStat(m, cgOf(p), 'workingset_refault_anon', x);
  cgStat(m, cgOf(p), 'workingset_activate_anon', x);
  m.anonCost += x * 32;
  m.nonresidentAge += x;
  m.tickSys += FAULT_COST;
  const r = submitRead(m, { pid: p.pid, file: -1, pages: x, active: 0, memstall: true, doneAt: 0 }, at);
  p.wait += x;
  p.waitUntil = Math.max(p.waitUntil, r.doneAt);
  p.memWait = true;
  return r;
}

/** A request p submitted: done within this tick (p goes on), or p blocks past its end. */
function awaitRead(m: MachineState, p: Proc, r: IoReq, at: number): number | null {
  const t1 = m.t;
  const end = Math.min(r.doneAt, t1);
  p.ioStallT += end - at;
  if (r.memstall) p.memStallT += end - at;
  if (r.doneAt <= t1 + 1e-9) {
    completeRead(m, r);
    return r.doneAt;
  }
  return null;
}

/**
 * Touch the hot pages, starting at time `start` within the tick. Resident pages are
 * referenced (inactive ones activated); a missing page is a major fault that reads
 * around it (ra_pages, 128 KiB, or the page alone once mmap_miss has backed off),
 * and the task waits for the disk: within the tick it goes on to its next fault,
 * past the tick's end it blocks (D). Swapped-out hot anon pages come back the same
 * way. Returns the fraction of the tick's CPU slice it runs.
 */
const FAULTS_PER_TICK = 48;
/** Pages of one start-up read request (small files: imports, shared libraries). */
const START_READ_PAGES = 1;
const RUN_PAGES_PER_FAULT = 5;
/**
 * Share of its hot pages one wake-up of a running service executes: a wake-up runs
 * a few code paths; its hot set is what its wake-ups touch between two passes of
 * the reclaim hand. Starting up touches all of them.
 */
const CODE_TOUCH = 0.3;
const missBuf: number[] = [];
function missingOf(p: Proc, f: FileObj, k: number, share: number): number {
  return f.hotSet > 0 ? p.hotPages[k]! * share * (1 - Math.min(1, f.hotRes / f.hotSet)) : 0;
}
/** The task references the resident hot pages its run went through (`part` of this wake-up's share). */
function reference(m: MachineState, p: Proc, share: number, part: number): void {
  for (let k = 0; k < p.hotIds.length; k++) {
    const f = m.files[p.hotIds[k]!]!;
    const resident = Math.min(f.hotRes, f.active + f.inactive);
    if (resident <= 0 || f.hotSet <= 0) continue;
    const x = (p.hotPages[k]! * share * part * resident) / f.hotSet;
    // Hot pages that spilled onto the inactive list are activated when touched again.
    const hotInactive = Math.max(0, Math.min(f.inactive - f.dirty - f.hotI, f.hotRes - f.active));
    const xi = Math.min(hotInactive, stochasticRound(m, (x * hotInactive) / resident));
    if (xi > 0) {
      inactiveRemove(f, xi);
      f.active += xi;
      m.nonresidentAge += xi;
    }
    const xa = Math.max(0, x - xi);
    if (x >= 1) f.lastRef = m.t;
    const hot = Math.max(0, Math.min(f.active, Math.round(f.hotA + xi + xa * (1 - f.hotA / Math.max(1, f.active)))));
    f.hotA = hot;
    if (f.refA < hot) f.refA = hot;
    else f.refA = Math.min(f.active, Math.round(f.refA + (xi + xa) * (1 - f.refA / Math.max(1, f.active))));
    m.counters.pgfault += Math.ceil(x / 64);
    cgStat(m, cgOf(p), 'pgfault', Math.ceil(x / 64));
    // Cached pages it maps again by fault-around each pay one miss back (filemap_map_pages()).
    if (f.mmapMiss > 0) f.mmapMiss = Math.max(0, f.mmapMiss - Math.ceil(x));
  }
}

export function touch(m: MachineState, p: Proc, start: number): number {
  const t1 = m.t;
  const share = p.phase === 'start' ? 1 : CODE_TOUCH;
  let missingTotal = 0;
  let inflightFile = -1;
  missBuf.length = p.hotIds.length;
  for (let k = 0; k < p.hotIds.length; k++) {
    const f = m.files[p.hotIds[k]!]!;
    const miss = missingOf(p, f, k, share);
    missBuf[k] = miss;
    missingTotal += miss;
    if (f.inflight > 0 && (p.hotPages[k]! * share * f.inflight) / f.size >= 1) inflightFile = f.id;
  }
  const missing0 = missingTotal;
  let tc = start;
  let blocked = false;
  for (let iter = 0; missingTotal >= 0.5 && iter < FAULTS_PER_TICK; iter++) {
    // The next missing page is in one of the files, in proportion to what is missing.
    let pick = nextRandom(m) * missingTotal;
    let k = 0;
    while (k < missBuf.length - 1 && pick >= missBuf[k]!) pick -= missBuf[k++]!;
    const f = m.files[p.hotIds[k]!]!;
    // do_sync_mmap_readahead(): read around the fault unless mmap_miss says it misses.
    // The window skips pages already cached (page_cache_ra_unbounded()): it reads the missing ones.
    const nonres = f.size - f.active - f.inactive - f.inflight;
    const ra = f.mmapMiss > MMAP_LOTSAMISS ? 1 : Math.max(1, stochasticRound(m, (MAX_REQ_PAGES * nonres) / f.size));
    const r = readIn(m, p, f, ra, tc, false);
    if (!p.alive) return 0;
    if (!r) break;
    const done = awaitRead(m, p, r, tc);
    missingTotal -= missBuf[k]!;
    missBuf[k] = missingOf(p, f, k, share);
    missingTotal += missBuf[k]!;
    if (done === null) {
      blocked = true;
      break;
    }
    tc = done;
  }
  if (!blocked && missingTotal < 0.5 && inflightFile >= 0) {
    // Someone else is reading what p needs: wait for it too (folio_wait_locked()).
    let until = -1;
    for (const r of m.io) if (r.file === inflightFile) until = Math.max(until, r.doneAt);
    if (until > tc) {
      const r: IoReq = { pid: p.pid, file: -2, pages: 0, active: 0, memstall: true, doneAt: until };
      m.io.push(r);
      p.wait += 1;
      p.waitUntil = Math.max(p.waitUntil, until);
      p.memWait = true;
      const done = awaitRead(m, p, r, tc);
      if (done === null) blocked = true;
      else tc = done;
    }
  }
  // Anonymous working set that was swapped out must come back (swap-in, si).
  for (let iter = 0; !blocked && p.swapHot > 0 && iter < FAULTS_PER_TICK; iter++) {
    const r = swapIn(m, p, SWAP_CLUSTER, tc);
    if (!p.alive) return 0;
    if (!r) break;
    const done = awaitRead(m, p, r, tc);
    if (done === null) blocked = true;
    else tc = done;
  }
  p.lastRun = m.t;
  p.anonRef = hotResident(p);
  // A task that blocked got only partway through its run: it referenced that part.
  const part = blocked ? Math.min(1, RUN_PAGES_PER_FAULT / Math.max(1, missing0)) * nextRandom(m) : 1;
  reference(m, p, share, part);
  if (blocked) return part * ((t1 - start) / TICK);
  return Math.max(0, (t1 - tc) / TICK);
}

/** Grow or shrink p's anonymous memory to `target` pages. */
function setAnon(m: MachineState, p: Proc, target: number): boolean {
  const cur = p.anonA + p.anonI + p.swap;
  if (target > cur) {
    const n = target - cur;
    if (!alloc(m, n, p, p.spec.hostSide ? 0 : p.cid)) return false;
    // New anonymous pages start on the inactive list (lru_cache_add_inactive_or_unevictable()).
    p.anonI += n;
    p.minflt += n;
    m.counters.pgfault += n;
    cgStat(m, cgOf(p), 'pgfault', n);
    m.tickSys += n * MINFLT_COST;
    const pg = pgtFor(p) - p.pgt;
    if (pg > 0 && alloc(m, pg, p, p.spec.hostSide ? 0 : p.cid)) p.pgt += pg;
  } else if (target < cur) {
    let n = cur - target;
    const fromSwap = Math.min(p.swap, Math.floor((n * p.swap) / Math.max(1, cur)));
    const hot = Math.min(p.swapHot, Math.round((fromSwap * p.swapHot) / Math.max(1, p.swap)));
    p.swap -= fromSwap;
    p.swapHot -= hot;
    m.swapUsed -= fromSwap;
    n -= fromSwap;
    freeAnon(m, p, n);
  }
  return p.alive;
}

/** p writes n pages of f; with `sync`, it waits in fsync() until they are on disk. */
function writeFile(m: MachineState, p: Proc | null, f: FileObj, n: number, sync = false): void {
  if (n <= 0) return;
  const room = Math.max(0, f.size - f.active - f.inactive - f.inflight);
  const fresh = Math.min(n, room);
  if (fresh > 0) {
    if (!alloc(m, fresh, p, cgOfFile(f, p))) return;
    inactiveAdd(f, fresh, m.t);
    f.hotI += fresh;
  }
  const redirty = Math.min(n - fresh, f.inactive - f.dirty - fresh);
  const d = fresh + Math.max(0, redirty);
  f.dirty += d;
  if (d > 0) noteDirtied(m, d);
  if (d <= 0) return;
  if (sync && p) {
    m.wbQueue.push({ file: f.id, pages: d, t: m.t, pid: p.pid });
    m.wbUrgent = true;
    p.wait += 1;
  } else {
    m.wbQueue.push({ file: f.id, pages: d, t: m.t });
  }
}

/**
 * The files a task's start-up reads and writes name, resolved once per task (a
 * task's container, and so its files' keys, never change; a file not there yet
 * is looked up again next time).
 */
const procFiles = new WeakMap<Proc, Map<string, FileObj>>();
function fileFor(m: MachineState, p: Proc, key: string): FileObj | undefined {
  let known = procFiles.get(p);
  const hit = known?.get(key);
  if (hit && m.files[hit.id] === hit) return hit;
  const c = containerById(m, p.cid);
  const f = findFile(m, fileKeyFor(m, key, p.cid, c ? c.name : ''));
  if (f) {
    if (!known) procFiles.set(p, (known = new Map()));
    known.set(key, f);
  }
  return f;
}

/**
 * Pages a task may still dirty before balance_dirty_pages() makes it wait: the
 * vm.dirty_ratio (20 %) share of dirtyable memory (free pages and the page cache,
 * global_dirtyable_memory()) less what is dirty already.
 */
const DIRTY_RATIO = 0.2;
function dirtyRoom(m: MachineState): number {
  let dirty = 0;
  let cache = 0;
  for (const f of m.files) {
    dirty += f.dirty;
    cache += f.active + f.inactive;
  }
  return Math.max(0, Math.floor((m.free - m.lowmemReserve - m.wmark.high + cache) * DIRTY_RATIO) - dirty);
}

/**
 * A floor under dirtyRoom() without walking every file: the page cache counted as
 * nothing, and the dirty pages as those at the tick's first look plus every page
 * dirtied since (only writeFile() dirties pages; writeback only lowers the count).
 * When a writer's pages fit under it, they fit under dirtyRoom() too, and the walk
 * is skipped; the result is the same.
 */
const dirtySeen = new WeakMap<MachineState, { tick: number; dirty: number }>();
function dirtyRoomAtLeast(m: MachineState): number {
  let seen = dirtySeen.get(m);
  if (!seen || seen.tick !== m.ticks) {
    let dirty = 0;
    for (const f of m.files) dirty += f.dirty;
    seen = { tick: m.ticks, dirty };
    dirtySeen.set(m, seen);
  }
  return Math.max(0, Math.floor((m.free - m.lowmemReserve - m.wmark.high) * DIRTY_RATIO) - seen.dirty);
}

function noteDirtied(m: MachineState, pages: number): void {
  const seen = dirtySeen.get(m);
  if (seen) seen.dirty += pages;
}

/** p got `got` CPU seconds this tick; returns the share of them it could use. */
export function progress(m: MachineState, p: Proc, got: number): number {
  const s = p.spec;
  if (p.phase === 'start') {
    let d = s.startCpu > 0 ? got / s.startCpu : 1;
    const dCpu = d;
    // A reader streams no faster than the disk: readahead keeps a window in flight,
    // and the reader waits for it (page_cache_sync_readahead()).
    let readPages = 0;
    for (const r of s.startReads ?? []) readPages += mib(r.mib);
    const streamCap = diskPagesPerTick(m).read * 0.8;
    if (readPages * d > streamCap) d = streamCap / readPages;
    // A writer is held in balance_dirty_pages() while dirty pages are over the limit.
    let writePages = 0;
    for (const w of s.startWrites ?? []) writePages += mib(w.mib);
    if (writePages > 0 && writePages * d > dirtyRoomAtLeast(m)) {
      const room = dirtyRoom(m);
      if (writePages * d > room) {
        d = room / writePages;
        // It sleeps in io_schedule_timeout(): blocked on IO for the rest of the tick.
        p.ioStallT += TICK / 2;
      }
    }
    const prev = p.progress;
    let dp = Math.min(1, prev + d) - prev;
    // Its start-up reads come first, and the work that needs them waits for them. A
    // program starting up reads many small files (imports, libraries): requests of a
    // few pages, one after the other, each waiting for the disk.
    let done = 1;
    let at = m.t - TICK;
    for (const r of s.startReads ?? []) {
      const f = fileFor(m, p, r.file);
      if (!f) continue;
      const pages = stochasticRound(m, mib(r.mib) * dp);
      // What is already cached is a hit; a front-to-back reader's first pass misses throughout.
      const firstPass = r.sequential ? Math.min(pages, Math.max(0, f.size - f.seen)) : 0;
      let miss = firstPass + stochasticRound(m, ((pages - firstPass) * (f.size - f.active - f.inactive - f.inflight)) / f.size);
      const want = miss;
      const chunk = r.sequential ? MAX_REQ_PAGES : START_READ_PAGES;
      if (miss > 0 && done === 1) {
        // The requests that complete within the tick, timed together on the disk's clock;
        // then, if the tick has not run out of requests, the one that completes after it.
        const plan = sequentialReads(m, miss, chunk, at, m.t, FAULTS_PER_TICK);
        if (plan.pages > 0) {
          const req = readIn(m, p, f, plan.pages, at, true, plan.doneAt);
          if (!p.alive) return 0;
          if (req) {
            awaitRead(m, p, req, at);
            miss -= req.pages;
            at = plan.doneAt;
          }
        }
        if (miss > 0 && plan.requests < FAULTS_PER_TICK) {
          const req = readIn(m, p, f, Math.min(miss, chunk), at, true);
          if (!p.alive) return 0;
          if (req) {
            miss -= req.pages;
            awaitRead(m, p, req, at);
          }
        }
        if (miss > 0) done = (want - miss) / Math.max(1, want);
      }
      const hit = pages - want;
      if (hit > 0) {
        const xi = Math.min(hit, Math.max(0, f.inactive - f.dirty - f.hotI));
        inactiveRemove(f, xi);
        f.active += xi;
        f.hotA = Math.min(f.active, f.hotA + xi);
      }
    }
    if (done < 1) dp *= Math.max(0, done);
    // The CPU it used is the work it got through (the disk or writeback held back the rest).
    const used = dCpu > 0 ? Math.min(1, dp / dCpu) : 1;
    // heapS: the heap is faulted in over that many seconds of running (minor faults need
    // no disk), however far the work that needs its code has got.
    if (s.heapS) p.heapT += TICK;
    p.progress = prev + dp;
    const peak = mib(s.peakMiB ?? s.anonMiB);
    // The heap is faulted in as the task starts (heapS), or along with its start-up work.
    const heap = s.heapS ? Math.max(p.progress, Math.min(1, p.heapT / s.heapS)) : p.progress;
    const heapPages = Math.round(peak * heap);
    if (heapPages > p.anonA + p.anonI + p.swap && !setAnon(m, p, heapPages)) return used;
    for (const w of s.startWrites ?? []) {
      const f = fileFor(m, p, w.file);
      if (f) writeFile(m, p, f, stochasticRound(m, mib(w.mib) * dp), w.sync);
      if (!p.alive) return used;
    }
    if (p.progress >= 1) {
      p.phase = 'run';
      if (!setAnon(m, p, mib(s.anonMiB))) return used;
      if (s.oneShot) {
        releaseProc(m, p);
        logEvent(m, { t: m.t, kind: 'exit', pid: p.pid, text: `${p.comm} (pid ${p.pid}) finished` });
      }
    }
    return used;
  }
  // Steady state: what a completed wake-up does.
  if (p.wait > 0) return 1;
  if (s.growMiBps) {
    const cur = p.anonA + p.anonI + p.swap;
    const max = s.maxMiB ? mib(s.maxMiB) : Infinity;
    const add = stochasticRound(m, (mib(s.growMiBps) * got) / Math.max(1e-6, s.cpuPerWake * s.wakeHz));
    if (add > 0 && cur < max) if (!setAnon(m, p, Math.min(max, cur + add))) return 1;
  }
  if (s.writeKiBps && s.writeFile && s.wakeHz > 0) {
    const f = fileFor(m, p, s.writeFile);
    if (f) writeFile(m, p, f, stochasticRound(m, s.writeKiBps / 4 / s.wakeHz));
  }
  return 1;
}
