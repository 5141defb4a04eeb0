import type { FileObj, IoReq, MachineState, Proc } from './model';
import { PAGE_KIB, TICK } from './model';
import { inactiveAdd } from './lru';

/**
 * The block device: one request queue with its own clock (block/blk-mq.c, much
 * simplified). A read request occupies the disk for its transfer time at the
 * disk's throughput, or 1/IOPS, whichever is longer, and completes no sooner
 * than the device's latency after it was submitted (about 1 ms on the incident's
 * cloud disk). Requests queue behind each other, so a saturated disk makes every
 * task wait longer; a lone 4 KiB fault waits about a millisecond, not a tick.
 *
 * Writeback (the flusher threads, mm/page-writeback.c) and swap-out writes take a
 * share of each tick's disk time before the reads submitted during the tick.
 */

/** Largest request the block layer builds from one fault (read-around, ra_pages = 128 KiB). */
export const MAX_REQ_PAGES = 32;
export const IO_COST = 2.5e-5; // CPU seconds per request completion
const DIRTY_EXPIRE = 30; // dirty_expire_centisecs
const WB_INTERVAL = 5; // dirty_writeback_centisecs

/** m.procs is kept sorted by pid (pids only grow): binary search. */
export function procByPid(m: MachineState, pid: number): Proc | undefined {
  const a = m.procs;
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = a[mid]!;
    if (p.pid === pid) return p;
    if (p.pid < pid) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

export function diskPagesPerTick(m: MachineState): { read: number; write: number; ios: number } {
  const d = m.config.disk;
  return {
    read: d.readMiBps * 256 * TICK,
    write: d.writeMiBps * 256 * TICK,
    ios: d.iops * TICK,
  };
}

/** Seconds the disk is busy serving one request of `pages` pages. */
export function serviceTime(m: MachineState, pages: number): number {
  const d = m.config.disk;
  return Math.max(pages / (d.readMiBps * 256), 1 / d.iops);
}

/**
 * Queue a read of `pages` pages at time `at`; returns when it completes.
 * The request waits for the disk to be free, is served, and completes no sooner
 * than the device latency after submission.
 */
export function submitRead(m: MachineState, req: IoReq, at: number): IoReq {
  const start = Math.max(at, m.diskFree);
  m.diskFree = start + serviceTime(m, Math.max(1, req.pages));
  req.doneAt = Math.max(at + m.config.disk.latencyMs / 1000, m.diskFree);
  m.readWait = m.readWait * 0.98 + (req.doneAt - at) * 0.02;
  m.io.push(req);
  m.tickIos++;
  return req;
}

/**
 * A task reads `pages` pages in requests of `chunk`, one after the other, from time
 * `at`: how many pages it has by `until`, and when the last of those requests
 * completed. The disk's clock moves on by those requests only; a request that would
 * complete later is left for the caller to submit (and wait for).
 */
export function sequentialReads(
  m: MachineState,
  pages: number,
  chunk: number,
  at: number,
  until: number,
  maxRequests: number,
): { pages: number; doneAt: number; requests: number } {
  const lat = m.config.disk.latencyMs / 1000;
  let done = 0;
  let t = at;
  let clock = m.diskFree;
  let requests = 0;
  while (done < pages && requests < maxRequests) {
    const x = Math.min(chunk, pages - done);
    const free = Math.max(t, clock) + serviceTime(m, x);
    const end = Math.max(t + lat, free);
    if (end > until + 1e-9) break;
    clock = free;
    t = end;
    done += x;
    requests++;
  }
  if (requests > 0) {
    m.diskFree = clock;
    m.tickIos += requests;
  }
  return { pages: done, doneAt: t, requests };
}

/** Seconds until the disk is free to start a new request. */
export function queueDelay(m: MachineState): number {
  return Math.max(0, m.diskFree - m.t);
}

/** A read's pages land in the page cache (file) or were already in the swap cache (swap). */
function land(m: MachineState, r: IoReq): void {
  if (r.file >= 0) {
    const f: FileObj | undefined = m.files[r.file];
    if (f) {
      f.inflight -= r.pages;
      f.active += r.active;
      if (r.active > 0) f.lastRef = m.t;
      f.hotA += r.active;
      f.refA += r.active;
      inactiveAdd(f, r.pages - r.active, m.t);
      f.hotI += r.pages - r.active;
    }
  }
  m.counters.pgpgin += r.pages * PAGE_KIB;
  if (r.pid >= 0) {
    const p = procByPid(m, r.pid);
    if (p) p.wait = Math.max(0, p.wait - (r.file === -2 ? 1 : r.pages));
  }
}

/** Complete every queued read that is done by time t (they complete in submission order). */
export function completeReads(m: MachineState, t: number): void {
  let done = 0;
  for (const r of m.io) {
    if (r.doneAt > t + 1e-9) continue;
    land(m, r);
    done++;
  }
  if (done > 0) m.io = m.io.filter((r) => r.doneAt > t + 1e-9);
}

/** Complete one request now (it finished within the current tick). */
export function completeRead(m: MachineState, r: IoReq): void {
  const q = m.io;
  if (q[q.length - 1] === r) q.pop();
  else {
    const i = q.indexOf(r);
    if (i >= 0) q.splice(i, 1);
  }
  land(m, r);
}

/**
 * Flusher threads and swap-out writes at the start of a tick, within `budgetPages`;
 * the disk's clock moves on by the time they take. Returns [pages written, requests].
 */
export function serveWrites(m: MachineState, budgetPages: number, t0: number): [number, number] {
  if (m.wbQueue.length === 0) return [0, 0];
  const periodic = Math.floor(m.t / WB_INTERVAL) !== Math.floor((m.t - TICK) / WB_INTERVAL);
  let dirtyTotal = 0;
  let fileTotal = 0;
  for (const f of m.files) {
    dirtyTotal += f.dirty;
    fileTotal += f.active + f.inactive;
  }
  // dirty_background_ratio (10%) of dirtyable memory (free + page cache).
  const bgThresh = Math.floor((m.free + fileTotal) * 0.1);
  const urgent = m.wbUrgent || dirtyTotal > bgThresh;
  let pages = 0;
  let ios = 0;
  let i = 0;
  const q = m.wbQueue;
  for (; i < q.length; i++) {
    const e = q[i]!;
    const old = m.t - e.t >= DIRTY_EXPIRE;
    if (!(urgent || e.file < 0 || (periodic && old))) break;
    const room = Math.floor(budgetPages - pages);
    if (room <= 0) break;
    const take = Math.min(e.pages, room);
    if (e.file >= 0) {
      const f = m.files[e.file];
      if (f) {
        const x = Math.min(take, f.dirty);
        f.dirty -= x;
        pages += x;
      }
    } else {
      pages += take;
    }
    ios += Math.ceil(take / 64);
    e.pages -= take;
    if (e.pages > 0) break;
    if (e.pid !== undefined) {
      // The fsync() it waited in returns.
      const p = procByPid(m, e.pid);
      if (p && p.wait > 0) p.wait -= 1;
    }
  }
  if (i > 0) m.wbQueue = q.slice(i);
  if (m.wbQueue.length === 0) m.wbUrgent = false;
  m.counters.pgpgout += pages * PAGE_KIB;
  if (pages > 0) m.diskFree = Math.max(m.diskFree, t0) + pages / (m.config.disk.writeMiBps * 256);
  return [pages, ios];
}
