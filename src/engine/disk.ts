import type { MachineState, Proc } from './model';

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
import { PAGE_KIB, TICK } from './model';

/**
 * A block device with finite throughput and IOPS, shared by reads (page faults,
 * read-ahead, swap-ins), ahead of writes (writeback, swap-outs). Requests are
 * served in order; the pages of a read land in the page cache when it completes.
 */

/** Largest request the block layer builds from one fault (read-around), pages. */
export const MAX_REQ_PAGES = 16;
export const IO_COST = 2.5e-5; // CPU seconds per request completion
const DIRTY_EXPIRE = 30; // dirty_expire_centisecs
const WB_INTERVAL = 5; // dirty_writeback_centisecs

export function diskPagesPerTick(m: MachineState): { read: number; write: number; ios: number } {
  const d = m.config.disk;
  return {
    read: (d.readMiBps * 256 * TICK),
    write: (d.writeMiBps * 256 * TICK),
    ios: d.iops * TICK,
  };
}

/** Pages waiting to be read. */
export function readQueuePages(m: MachineState): number {
  let n = 0;
  for (const r of m.io) n += r.pages;
  return n;
}

/** Serve reads for one tick; returns [pages read, requests]. */
export function serveReads(m: MachineState, budgetPages: number, budgetIos: number): [number, number] {
  let pages = 0;
  let ios = 0;
  let i = 0;
  const q = m.io;
  for (; i < q.length; i++) {
    const r = q[i]!;
    if (r.pages > 0) {
      const room = Math.floor(budgetPages - pages);
      if (room <= 0 || ios >= budgetIos) break;
      const take = Math.min(r.pages, room);
      const reqs = Math.ceil(take / MAX_REQ_PAGES);
      ios += reqs;
      pages += take;
      r.pages -= take;
      if (r.file >= 0) {
        const f = m.files[r.file];
        if (f) {
          f.inflight -= take;
          const refault = Math.min(take, f.shadow);
          f.shadow -= refault;
          f.active += refault;
          f.hotA += refault;
          f.refA += refault;
          f.inactive += take - refault;
          f.hotI += take - refault;
          m.counters.workingsetRefault += refault;
          m.counters.workingsetActivate += refault;
        }
      }
      if (r.pid >= 0) {
        const p = procByPid(m, r.pid);
        if (p) p.wait = Math.max(0, p.wait - take);
      }
      if (r.pages > 0) break;
    } else if (r.pid >= 0) {
      // A barrier: the task waited on pages someone else was reading.
      const p = procByPid(m, r.pid);
      if (p && p.wait > 0) p.wait -= 1;
    }
  }
  if (i > 0) m.io = q.slice(i);
  m.counters.pgpgin += pages * PAGE_KIB;
  return [pages, ios];
}

/** Flusher threads and swap-out writes; returns [pages written, requests]. */
export function serveWrites(m: MachineState, budgetPages: number): [number, number] {
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
    let take = Math.min(e.pages, room);
    if (e.file >= 0) {
      const f = m.files[e.file];
      if (f) {
        const x = Math.min(take, f.dirty);
        f.dirty -= x;
        take = Math.max(take, 0);
        pages += x;
      }
    } else {
      pages += take;
    }
    ios += Math.ceil(take / 64);
    e.pages -= take;
    if (e.pages > 0) break;
  }
  if (i > 0) m.wbQueue = q.slice(i);
  if (m.wbQueue.length === 0) m.wbUrgent = false;
  m.counters.pgpgout += pages * PAGE_KIB;
  return [pages, ios];
}
