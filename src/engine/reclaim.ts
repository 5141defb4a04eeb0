import type { FileObj, MachineState, Proc } from './model';
import { TICK } from './model';
import { inactiveAdd, inactiveTakeOldest } from './lru';
import { cgOf, cgStat, containerById, protectedCgroups, swapRoom } from './memcg';

/**
 * Page reclaim (mm/vmscan.c, on aggregated per-file and per-process counts).
 *
 * - get_scan_count(): which LRU type is scanned. No swap space: file only.
 *   Plenty of inactive page cache and no recent file refaults (cache_trim_mode):
 *   file only. Almost no file pages left (file_is_tiny): anon only. Otherwise
 *   both, each list in proportion to its size × its weight, anon weight =
 *   swappiness × (total cost + 1) / (anon cost + 1), file weight = (200 −
 *   swappiness) × (total cost + 1) / (file cost + 1), where the costs are the
 *   recent pageouts, rotations and refaults of each type (lru_note_cost()).
 * - shrink_inactive_list(): clean, unreferenced inactive pages are freed; file
 *   pages leave a shadow entry (workingset_eviction()), anon pages go to swap
 *   (or are dropped from the swap cache, which costs no write).
 * - shrink_active_list(): active pages move to the inactive list when it is low
 *   (inactive_is_low()); referenced executable file pages are rotated back to the
 *   active list instead, at every priority (folio_check_references(), "VM_EXEC").
 *   Pages touched during the current tick (just faulted in, just used) stay.
 * - Anon pages are aged as a CLOCK: a process's hot pages stay referenced as long
 *   as it runs again before the reclaim hand comes round (the inactive anon list
 *   divided by the recent anon scan rate); cold pages are never referenced again.
 *
 * `cg` restricts the scan to one memory cgroup (a container id); -1 is global.
 * Returns the number of pages freed (added to m.free).
 */
export const SCAN_COST = 2.5e-7; // CPU seconds per page scanned
export const FREE_COST = 4e-7; // CPU seconds per page freed
/** Ticks the reclaim hand takes at least to come round the active list again. */
const HAND_TICKS = 2;
/** SWAP_CLUSTER_MAX: lru_note_cost() weighs each page of IO this many times a rotation. */
const IO_WEIGHT = 32;
/** Shadow-entry buckets kept per file (older ones merge). */
const SHADOW_BUCKETS = 8;

/**
 * Cgroups global reclaim passes over this round (memory.min, and memory.low until
 * nothing else can be reclaimed): mem_cgroup_calculate_protection() in shrink_node_memcgs().
 */
let skip: readonly number[] = [];

function inScope(f: FileObj, cg: number): boolean {
  return cg < 0 ? skip.length === 0 || !skip.includes(f.cg) : f.cg === cg;
}

function procInScope(p: Proc, cg: number): boolean {
  if (!p.alive) return false;
  if (cg < 0) return skip.length === 0 || p.spec.hostSide === true || !skip.includes(p.cid);
  return p.cid === cg && !p.spec.hostSide;
}

/** Spread `total` integer pages over weights, proportionally, never above each weight. */
function spread(weights: number[], sumW: number, total: number, out: number[]): void {
  const n = weights.length;
  let given = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    const x = sumW > 0 ? Math.floor((total * w) / sumW) : 0;
    out[i] = Math.min(x, w);
    given += out[i]!;
  }
  let rest = total - given;
  for (let i = 0; i < n && rest > 0; i++) {
    const room = weights[i]! - out[i]!;
    if (room > 0) {
      const add = Math.min(room, rest);
      out[i] = out[i]! + add;
      rest -= add;
    }
  }
}

const wbuf: number[] = [];
const order: [number, number][] = [];
const obuf: number[] = [];
const fbuf: FileObj[] = [];
const roomBuf = new Map<number, number>();
const pbuf: Proc[] = [];
const hbuf: number[] = [];
const cbuf: boolean[] = [];

/** Ratio of active to inactive pages the kernel tolerates (inactive_is_low(): sqrt(10 × GB)). */
export function inactiveRatio(m: MachineState): number {
  const gb = Math.floor((m.totalPages * 4) / (1024 * 1024));
  return gb >= 1 ? Math.max(1, Math.floor(Math.sqrt(10 * gb))) : 1;
}

/**
 * x inactive pages of f are evicted: hot pages are on the active list while they
 * fit there, so only those that spilled onto the inactive list can go.
 */
export function evictHot(f: FileObj, x: number): void {
  const hotInactive = Math.max(0, f.hotRes - f.active - f.inflight);
  if (hotInactive <= 0 || f.inactive <= 0) return;
  f.hotRes -= Math.min(hotInactive, Math.round((x * hotInactive) / f.inactive));
}

// ---------------------------------------------------------------------------
// Workingset shadow entries (mm/workingset.c)
// ---------------------------------------------------------------------------

/** workingset_eviction(): n evicted pages of f leave shadow entries stamped with the clock. */
export function addShadows(m: MachineState, f: FileObj, n: number): void {
  if (n <= 0) return;
  m.nonresidentAge += n;
  const room = f.size - f.active - f.inactive - f.inflight - f.shadow;
  // A file's shadow entries never outnumber its non-resident pages.
  n = Math.min(n, Math.max(0, room + n));
  if (n <= 0) return;
  const last = f.shadows[f.shadows.length - 1];
  if (last && last[0] === m.nonresidentAge - n) last[1] += n;
  else f.shadows.push([m.nonresidentAge, n]);
  if (f.shadows.length > SHADOW_BUCKETS) {
    const [a, b] = f.shadows.splice(0, 2) as [[number, number], [number, number]];
    f.shadows.unshift([a[0], a[1] + b[1]]);
  }
  f.shadow += n;
}

/** Drop shadow entries (their pages came back, or the file shrank), oldest first. */
function takeShadows(f: FileObj, n: number, out: { refault: number; recent: number }, age: number, ws: number): void {
  let left = Math.min(n, f.shadow);
  out.refault = left;
  out.recent = 0;
  // Pages come back in proportion to where their shadows sit.
  const total = f.shadow;
  for (let i = 0; i < f.shadows.length && left > 0; i++) {
    const b = f.shadows[i]!;
    const x = i === f.shadows.length - 1 ? Math.min(left, b[1]) : Math.min(b[1], Math.round((n * b[1]) / total), left);
    if (x <= 0) continue;
    // workingset_test_recent(): refault distance = clock now − clock at eviction.
    if (age - b[0] <= ws) out.recent += x;
    b[1] -= x;
    left -= x;
  }
  out.refault -= left;
  f.shadow -= out.refault;
  f.shadows = f.shadows.filter((b) => b[1] > 0);
}

/** The workingset size refault distances are measured against, once a tick per cgroup. */
const wsCache = new WeakMap<MachineState, { tick: number; byCg: Map<number, number> }>();
function workingsetSize(m: MachineState, cg: number): number {
  let c = wsCache.get(m);
  if (!c || c.tick !== m.ticks) {
    c = { tick: m.ticks, byCg: new Map() };
    wsCache.set(m, c);
  }
  const hit = c.byCg.get(cg);
  if (hit !== undefined) return hit;
  let ws = 0;
  for (const g of m.files) if (cg === 0 || (g.cg === cg && g.scope === 'container')) ws += g.active;
  if (m.swapTotal - m.swapUsed > 0) for (const p of m.procs) if (p.alive && (cg === 0 || p.cid === cg)) ws += p.anonA + p.anonI;
  c.byCg.set(cg, ws);
  return ws;
}

/**
 * workingset_refault() for `n` pages of f about to be read back: how many had
 * shadow entries (refaults) and how many of those refault within the workingset
 * (activated on arrival). The distance is compared with the active file list,
 * plus the anon lists when there is swap to reclaim them into.
 */
export function judgeRefaults(m: MachineState, f: FileObj, n: number): { refault: number; recent: number } {
  const out = { refault: 0, recent: 0 };
  if (f.shadow <= 0 || n <= 0) return out;
  // The model keeps one eviction clock (nonresident_age) for the whole machine. A
  // container's own files (its volume, its writable layer) are judged against the
  // workingset of its own files; files shared with other tasks (host files, image
  // layers, whichever cgroup they are charged to) against the machine's.
  takeShadows(f, n, out, m.nonresidentAge, f.scope === 'container' ? workingsetSize(m, f.cg) : workingsetSize(m, 0));
  const c = m.counters;
  c.workingsetRefaultFile += out.refault;
  c.workingsetRefault += out.refault;
  c.workingsetActivateFile += out.recent;
  c.workingsetActivate += out.recent;
  cgStat(m, f.cg, 'workingset_refault_file', out.refault);
  cgStat(m, f.cg, 'workingset_activate_file', out.recent);
  m.nonresidentAge += out.recent;
  // lru_note_cost_refault(): each refault is one page of IO against the file LRU.
  m.fileCost += out.refault * IO_WEIGHT;
  return out;
}

// ---------------------------------------------------------------------------
// Anon hot sets
// ---------------------------------------------------------------------------

/** Pages of p's anon memory it touches every time it runs. */
export function hotSize(p: Proc): number {
  return Math.round((p.spec.anonHot ?? 0.3) * (p.anonA + p.anonI + p.swap));
}

/** Hot pages that are resident. */
export function hotResident(p: Proc): number {
  return Math.max(0, Math.min(p.anonA + p.anonI, hotSize(p) - p.swapHot));
}

/** How long a deactivated anon page takes to reach the inactive list's tail, seconds. */
function anonClockPeriod(m: MachineState, inactive: number): number {
  return m.anonScanRate > 0 ? inactive / m.anonScanRate : Infinity;
}

/** p's resident anon pages that are referenced as the reclaim hand passes. */
function anonReferenced(m: MachineState, p: Proc, period: number): number {
  return m.t - p.lastRun <= period ? hotResident(p) : 0;
}

// ---------------------------------------------------------------------------
// File LRU
// ---------------------------------------------------------------------------

function shrinkFile(m: MachineState, target: number, cg: number, age: boolean): number {
  let freed = 0;
  let scanned = 0;
  let rotated = 0;
  fbuf.length = 0;
  for (const f of m.files) if (inScope(f, cg) && f.active + f.inactive > 0) fbuf.push(f);
  const n = fbuf.length;
  if (n === 0) return 0;
  const ratio = inactiveRatio(m);
  const refaulting = m.counters.workingsetActivateFile !== m.refaultsSeen;
  wbuf.length = n;
  obuf.length = n;
  // The reclaim hand passes each page at most once a tick (the model's unit of
  // time): a referenced executable page rotated at this tick's first scan stays
  // active through the tick's later rounds; its reference is then spent.
  let refsConsumed = m.ticks - m.refsSpentTick < HAND_TICKS;
  for (let pass = 0; pass < 3 && (freed < target || (age && pass === 0)); pass++) {
    // 1. shrink_inactive_list(): free clean, unreferenced inactive pages from the
    //    tail of the list, the oldest first (pages just read or touched, and dirty
    //    pages waiting for writeback, are passed over).
    let sumC = 0;
    let dirtySeen = 0;
    for (let i = 0; i < n; i++) {
      const f = fbuf[i]!;
      const c = Math.max(0, f.inactive - f.hotI - f.dirty);
      wbuf[i] = c;
      sumC += c;
      dirtySeen += f.dirty;
    }
    if (dirtySeen > 0) m.wbUrgent = true;
    let need = Math.max(0, target - freed);
    if (sumC > 0 && need > 0) {
      order.length = 0;
      for (let i = 0; i < n; i++) if (wbuf[i]! > 0) for (const bt of fbuf[i]!.ibatches) order.push([bt[0], i]);
      order.sort((x, y) => x[0] - y[0]);
      for (let j = 0; j < order.length && need > 0; j++) {
        const i = order[j]![1];
        const f = fbuf[i]!;
        const bt = f.ibatches[0];
        if (!bt) continue;
        const x = Math.min(bt[1], wbuf[i]!, need);
        if (x <= 0) continue;
        evictHot(f, x);
        inactiveTakeOldest(f, x);
        addShadows(m, f, x);
        if (f.cg > 0) {
          cgStat(m, f.cg, 'pgscan', x);
          cgStat(m, f.cg, 'pgsteal', x);
        }
        wbuf[i] = wbuf[i]! - x;
        need -= x;
        freed += x;
        scanned += x;
      }
    }
    if (freed >= target && !age) break;
    // 2. shrink_active_list(): deactivate, rotating referenced executable pages.
    let sumM = 0;
    let sumA = 0;
    let sumI = 0;
    for (let i = 0; i < n; i++) {
      const f = fbuf[i]!;
      const keep = f.hotA + (f.kind === 'exec' ? Math.max(0, f.refA - f.hotA) + f.rotA : 0);
      const mv = Math.max(0, f.active - Math.min(f.active, keep));
      wbuf[i] = mv;
      sumM += mv;
      sumA += f.active;
      sumI += f.inactive;
    }
    const low = sumI * ratio < sumA ? Math.floor((sumA - sumI * ratio) / (ratio + 1)) : 0;
    // The active list is scanned only when the inactive list is low, or pages refault
    // (may_deactivate, prepare_scan_count()); and harder when nothing inactive is left.
    const short = Math.max(0, target - freed);
    const want = Math.max(low, refaulting ? short : 0, need > 0 && sumC <= need ? 2 * short : 0);
    const d = Math.min(sumM, want);
    if (d > 0) {
      // From the tail of the active list: files whose pages were referenced least recently first.
      order.length = 0;
      for (let i = 0; i < n; i++) if (wbuf[i]! > 0) order.push([fbuf[i]!.lastRef, i]);
      order.sort((x, y) => x[0] - y[0]);
      for (let i = 0; i < n; i++) obuf[i] = 0;
      let left = d;
      for (let j = 0; j < order.length && left > 0; j++) {
        const i = order[j]![1];
        const x = Math.min(wbuf[i]!, left);
        obuf[i] = x;
        left -= x;
      }
    }
    let consumed = 0;
    for (let i = 0; i < n; i++) {
      const f = fbuf[i]!;
      const x = d > 0 ? obuf[i]! : 0;
      if (x > 0) {
        f.active -= x;
        inactiveAdd(f, x, m.t);
        if (f.refA > f.active) f.refA = f.active;
      }
      // page_referenced() clears the accessed bits of the pages it rotates.
      if (!refsConsumed && want > 0) {
        // What the hand rotated last time it came round is scanned again now.
        f.rotA = Math.max(0, Math.min(f.active, f.refA - f.hotA));
        consumed += f.rotA;
        f.refA = f.hotA;
      }
    }
    if (want > 0 && !refsConsumed) {
      refsConsumed = true;
      m.refsSpentTick = m.ticks;
    }
    rotated += consumed;
    scanned += d + consumed;
    if (d === 0 && sumC === 0) break;
  }
  m.counters.pgscan += scanned;
  m.scanTick += scanned;
  m.fileCost += rotated;
  m.tickSys += scanned * SCAN_COST + freed * FREE_COST;
  return freed;
}

// ---------------------------------------------------------------------------
// Anon LRU
// ---------------------------------------------------------------------------

/**
 * Unreferenced pages on p's inactive anon list that shrink_folio_list() could reclaim
 * (references spread evenly over the lists). When p's cgroup has no swap left
 * (memory.swap.max reached), only those already in the swap cache qualify: they
 * keep the slot they have and need no new one (folio_alloc_swap() would fail).
 */
function anonTakeable(p: Proc, ref: number, cacheOnly: boolean): number {
  const res = p.anonA + p.anonI;
  if (res === 0) return 0;
  const u = Math.floor((p.anonI * (res - Math.min(res, ref))) / res);
  return cacheOnly ? Math.min(p.swapCache, Math.floor((u * p.swapCache) / res)) : u;
}

function shrinkAnon(m: MachineState, target: number, cg: number): number {
  const swapFree = m.swapTotal - m.swapUsed;
  pbuf.length = 0;
  wbuf.length = 0;
  hbuf.length = 0;
  cbuf.length = 0;
  let inactiveTotal = 0;
  let activeTotal = 0;
  roomBuf.clear();
  for (const p of m.procs) {
    if (!procInScope(p, cg) || p.anonA + p.anonI === 0) continue;
    // memory.swap.max: a cgroup with no swap left keeps its anon (can_reclaim_anon_pages()).
    const pc = cgOf(p);
    if (pc > 0 && !roomBuf.has(pc)) roomBuf.set(pc, swapRoom(m, pc));
    const cacheOnly = pc > 0 && roomBuf.get(pc)! <= 0;
    if (cacheOnly && p.swapCache === 0) continue;
    pbuf.push(p);
    cbuf.push(cacheOnly);
    inactiveTotal += p.anonI;
    activeTotal += p.anonA;
  }
  if (pbuf.length === 0) return 0;
  const period = anonClockPeriod(m, inactiveTotal);
  let sumU = 0;
  for (let i = 0; i < pbuf.length; i++) {
    const p = pbuf[i]!;
    const ref = anonReferenced(m, p, period);
    p.anonRef = ref;
    const u = anonTakeable(p, ref, cbuf[i]!);
    wbuf.push(u);
    hbuf.push(ref);
    sumU += u;
  }
  let freed = 0;
  let written = 0;
  let rotated = 0;
  let scanned = 0;
  // Swap-cached pages can be dropped without a slot; the rest need free slots.
  let cached = 0;
  for (const p of pbuf) cached += p.swapCache;
  const take = Math.max(0, Math.min(target, sumU, swapFree + cached));
  if (take > 0) {
    const out: number[] = [];
    spread(wbuf, sumU, take, out);
    for (let i = 0; i < pbuf.length; i++) {
      const x = out[i]!;
      if (x <= 0) continue;
      const p = pbuf[i]!;
      const res = p.anonA + p.anonI;
      const ref = hbuf[i]!;
      const unrefHot = Math.max(0, hotResident(p) - ref);
      const xHot = Math.min(x, Math.round((x * unrefHot) / Math.max(1, res - ref)));
      // Out of swap room, only swap-cached pages were offered: all of x is swap cache.
      const xc = cbuf[i]! ? Math.min(p.swapCache, x) : Math.min(p.swapCache, Math.round((x * p.swapCache) / res));
      const pc = cgOf(p);
      const room = pc > 0 ? roomBuf.get(pc)! : Infinity;
      const fresh = Math.min(x - xc, m.swapTotal - m.swapUsed, room);
      if (pc > 0 && room !== Infinity) roomBuf.set(pc, room - fresh);
      const got = xc + fresh;
      p.anonI -= got;
      p.swap += got;
      p.swapHot += Math.min(xHot, got);
      p.swapCache -= xc;
      m.swapUsed += fresh;
      written += fresh;
      freed += got;
      // Referenced pages met on the way are activated (folio_check_references()).
      const r = Math.min(p.anonI, Math.round((got * ref) / Math.max(1, res - ref)));
      p.anonI -= r;
      p.anonA += r;
      rotated += r;
      scanned += got + r;
      cgStat(m, pc, 'pgscan', got + r);
      cgStat(m, pc, 'pgsteal', got);
    }
    if (written > 0) {
      m.counters.pswpout += written;
      m.wbQueue.push({ file: -1, pages: written, t: m.t });
      m.wbUrgent = true;
    }
    m.nonresidentAge += freed + rotated;
  }
  // shrink_active_list() for anon: keep the inactive list from running low.
  const ratio = inactiveRatio(m);
  const inactiveNow = inactiveTotal - freed;
  const low = inactiveNow * ratio < activeTotal ? Math.floor((activeTotal - inactiveNow * ratio) / (ratio + 1)) : 0;
  const d = Math.min(activeTotal, Math.max(low, freed));
  if (d > 0) {
    for (let i = 0; i < pbuf.length; i++) wbuf[i] = pbuf[i]!.anonA;
    const out: number[] = [];
    spread(wbuf, activeTotal, d, out);
    for (let i = 0; i < pbuf.length; i++) {
      const x = out[i]!;
      if (x <= 0) continue;
      pbuf[i]!.anonA -= x;
      pbuf[i]!.anonI += x;
    }
    scanned += d;
  }
  m.anonScanTick += scanned;
  m.anonCost += written * IO_WEIGHT + rotated;
  m.counters.pgscan += scanned;
  m.scanTick += scanned;
  m.tickSys += scanned * SCAN_COST + freed * FREE_COST * 2;
  return freed;
}

// ---------------------------------------------------------------------------
// The scan balance and one reclaim round
// ---------------------------------------------------------------------------

/** Total file pages (active + inactive) in scope. */
export function fileLru(m: MachineState, cg: number): { active: number; inactive: number } {
  let a = 0;
  let i = 0;
  for (const f of m.files) {
    if (!inScope(f, cg)) continue;
    a += f.active;
    i += f.inactive;
  }
  return { active: a, inactive: i };
}

function anonLru(m: MachineState, cg: number): number {
  let n = 0;
  for (const p of m.procs) if (procInScope(p, cg)) n += p.anonA + p.anonI;
  return n;
}

export type ScanBalance = 'file' | 'anon' | 'fract';

function swapCachedIn(m: MachineState, cg: number): number {
  let n = 0;
  for (const p of m.procs) if (procInScope(p, cg)) n += p.swapCache;
  return n;
}

/**
 * Free swap slots plus the swap-cache pages in scope (which reclaim can drop without
 * a write): more than none, anon can be reclaimed at all (get_scan_count()'s
 * "no swap space" test). Swap-cache pages hold slots counted in swapUsed, so with no
 * slot in use there are none, and the walk over every task is skipped.
 */
function anonSwappable(m: MachineState, cg: number): boolean {
  const freeSwap = m.swapTotal - m.swapUsed;
  if (freeSwap > 0) return true;
  if (m.swapUsed <= 0) return false;
  return freeSwap + swapCachedIn(m, cg) > 0;
}

/**
 * get_scan_count(): the balance and the share of the work that goes to anon.
 * Exported for tests and the simulator's explanations.
 */
export function scanBalance(m: MachineState, cg: number, target: number): { balance: ScanBalance; anonShare: number } {
  if (!anonSwappable(m, cg)) return { balance: 'file', anonShare: 0 };
  // A cgroup out of swap (memory.swap.max) reclaims file pages only.
  if (cg > 0 && swapRoom(m, cg) <= 0 && swapCachedIn(m, cg) <= 0) return { balance: 'file', anonShare: 0 };
  const lru = fileLru(m, cg);
  const file = lru.active + lru.inactive;
  const anon = anonLru(m, cg);
  if (anon === 0) return { balance: 'file', anonShare: 0 };
  // file_is_tiny: the page cache and free memory together are below the high watermark.
  if (cg < 0 && file + (m.free - m.lowmemReserve) <= m.wmark.high) return { balance: 'anon', anonShare: 1 };
  // cache_trim_mode: enough inactive file and no file refaults since the last run.
  const ratio = inactiveRatio(m);
  const inactiveLow = lru.inactive * ratio < lru.active;
  const refaulting = m.counters.workingsetActivateFile !== m.refaultsSeen;
  if (!inactiveLow && !refaulting && lru.inactive >= target) return { balance: 'file', anonShare: 0 };
  const sw = m.swappiness;
  const total = m.anonCost + m.fileCost;
  const anonCost = total + m.anonCost;
  const fileCost = total + m.fileCost;
  const sum = anonCost + fileCost;
  const ap = (sw * (sum + 1)) / (anonCost + 1);
  const fp = ((200 - sw) * (sum + 1)) / (fileCost + 1);
  const a = anon * ap;
  const f = file * fp;
  return { balance: 'fract', anonShare: a + f > 0 ? a / (a + f) : 0 };
}

/** lru_note_cost(): halve both costs once they outgrow a quarter of the LRU. */
function decayCosts(m: MachineState): void {
  let lru = 0;
  for (const f of m.files) lru += f.active + f.inactive;
  for (const p of m.procs) lru += p.anonA + p.anonI;
  while (m.anonCost + m.fileCost > lru / 4 && m.anonCost + m.fileCost > 1) {
    m.anonCost /= 2;
    m.fileCost /= 2;
  }
}

/**
 * One reclaim round for up to `target` pages (shrink_node() at falling priority);
 * returns pages freed. `kswapd` picks the counters (pgscan_kswapd or _direct).
 */
export function reclaim(m: MachineState, target: number, cg: number, kswapd = false): number {
  if (target <= 0) return 0;
  const prot = cg < 0 ? protectedCgroups(m) : null;
  if (!prot) return reclaimRound(m, target, cg, kswapd);
  // First pass over unprotected memory only; if that frees nothing, memory.low
  // gives way (a `low` event for each such cgroup), memory.min never does.
  skip = [...prot.hard, ...prot.soft];
  let freed = reclaimRound(m, target, cg, kswapd);
  if (freed === 0 && prot.soft.length > 0) {
    skip = prot.hard;
    for (const id of prot.soft) {
      const c = containerById(m, id);
      if (c) c.events.low++;
    }
    freed = reclaimRound(m, target, cg, kswapd);
  }
  skip = [];
  return freed;
}

function reclaimRound(m: MachineState, target: number, cg: number, kswapd: boolean): number {
  let freed = 0;
  m.scanTick = 0;
  // Reclaimable slab (dentries, inodes) is shrunk alongside the page cache.
  if (cg < 0) {
    const lru = fileLru(m, cg);
    const avail = m.slabRecl - m.slabFloor;
    if (avail > 0) {
      const share = Math.ceil((target * m.slabRecl) / (lru.active + lru.inactive + m.slabRecl + 1));
      const take = Math.min(avail, Math.max(1, share));
      m.slabRecl -= take;
      freed += take;
    }
  }
  const { balance, anonShare } = scanBalance(m, cg, target - freed);
  let anonTarget = balance === 'anon' ? target - freed : Math.round((target - freed) * anonShare);
  if (balance === 'file') anonTarget = 0;
  const fileTarget = target - freed - anonTarget;
  // The file lists keep ageing whatever the balance (inactive_is_low()).
  freed += shrinkFile(m, fileTarget, cg, true);
  if (anonTarget > 0) freed += shrinkAnon(m, anonTarget, cg);
  // Short of the target: file again, then anon at the last priority when swappiness allows (SCAN_EQUAL).
  if (freed < target && anonTarget > 0) freed += shrinkFile(m, target - freed, cg, false);
  // At the last priority with swappiness above 0, both lists are scanned alike, cache_trim_mode or not.
  if (freed < target && m.swappiness > 0 && anonTarget < target && anonSwappable(m, cg)) freed += shrinkAnon(m, target - freed, cg);
  m.refaultsSeen = m.counters.workingsetActivateFile;
  decayCosts(m);
  m.free += freed;
  const c = m.counters;
  c.pgsteal += freed;
  if (kswapd) {
    c.pgstealKswapd += freed;
    c.pgscanKswapd += m.scanTick;
  } else {
    c.pgstealDirect += freed;
    c.pgscanDirect += m.scanTick;
  }
  return freed;
}

/**
 * zone_reclaimable_pages(): the file LRU, plus the anon LRU when there is swap
 * to put it in. should_reclaim_retry() weighs these against the min watermark.
 */
export function zoneReclaimable(m: MachineState, cg: number): number {
  const lru = fileLru(m, cg);
  let n = lru.active + lru.inactive;
  if (m.swapTotal - m.swapUsed > 0) n += anonLru(m, cg);
  return n;
}

/**
 * Pages reclaim could still take right now at its most desperate: file pages
 * not just touched, under IO or dirty; reclaimable slab above its floor; anon
 * pages not recently used, if swap has room. Reported with each OOM kill.
 */
export function reclaimablePages(m: MachineState, cg: number): number {
  let n = 0;
  for (const f of m.files) {
    if (!inScope(f, cg)) continue;
    const keep = f.hotA + (f.kind === 'exec' ? Math.max(0, f.refA - f.hotA) + f.rotA : 0);
    n += Math.max(0, f.active - keep) + Math.max(0, f.inactive - f.hotI - f.dirty);
  }
  if (cg < 0) n += Math.max(0, m.slabRecl - m.slabFloor);
  // Anon only where get_scan_count() would scan it: swap space, and swappiness > 0
  // unless the page cache is tiny.
  const swapFree = m.swapTotal - m.swapUsed;
  if (swapFree > 0 && (m.swappiness > 0 || scanBalance(m, cg, 1).balance === 'anon')) {
    // What shrink_inactive_list() could swap now: unreferenced pages on the inactive
    // list, as shrinkAnon() counts them; a cgroup's fresh slots capped by memory.swap.max.
    const perCg = new Map<number, { take: number; cached: number; room: number }>();
    let cachedAll = 0;
    for (const p of m.procs) {
      if (!procInScope(p, cg) || p.anonA + p.anonI === 0) continue;
      const pc = cgOf(p);
      let e = perCg.get(pc);
      if (!e) perCg.set(pc, (e = { take: 0, cached: 0, room: pc > 0 ? swapRoom(m, pc) : Infinity }));
      e.take += anonTakeable(p, p.anonRef, e.room <= 0);
      e.cached += p.swapCache;
      cachedAll += p.swapCache;
    }
    let a = 0;
    for (const e of perCg.values()) a += Math.min(e.take, e.cached + Math.max(0, e.room));
    n += Math.min(a, swapFree + cachedAll);
  }
  return n;
}

/** Once a tick: the anon scan rate behind the CLOCK period (an average over about 2 s). */
export function ageScanRate(m: MachineState): void {
  const rate = m.anonScanTick / TICK;
  m.anonScanRate = m.anonScanRate * 0.95 + rate * 0.05;
  m.anonScanTick = 0;
}
