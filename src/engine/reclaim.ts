import type { FileObj, MachineState, Proc } from './model';

/**
 * Page reclaim (mm/vmscan.c, much simplified, on aggregated per-file counts).
 *
 * - Inactive lists are scanned first; only clean, unreferenced pages are freed.
 *   Pages touched during the current tick, pages being read (locked) and dirty
 *   pages (which need writeback first) are skipped.
 * - When the inactive list runs short, active pages are deactivated. Referenced
 *   executable pages get a second chance (they stay active, their reference is
 *   consumed); other active pages are deactivated whether referenced or not.
 * - Freed file pages leave shadow entries: a refault of them is activated
 *   (mm/workingset.c).
 * - Anonymous pages are only scanned with swap; the anon/file balance follows
 *   swappiness (anon weight = swappiness, file weight = 200 − swappiness).
 *
 * `cg` restricts the scan to one memory cgroup (a container id); -1 is global.
 * Returns the number of pages freed.
 */
export const SCAN_COST = 2.5e-7; // CPU seconds per page scanned
export const FREE_COST = 4e-7; // CPU seconds per page freed

function inScope(f: FileObj, cg: number): boolean {
  return cg < 0 || f.cg === cg;
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
const obuf: number[] = [];
const fbuf: FileObj[] = [];

/** Ratio of active to inactive file pages the kernel tolerates (inactive_list_is_low). */
export function inactiveRatio(m: MachineState): number {
  const gb = Math.floor((m.totalPages * 4) / (1024 * 1024));
  return gb >= 1 ? Math.max(1, Math.floor(Math.sqrt(10 * gb))) : 1;
}

function shrinkFile(m: MachineState, target: number, cg: number): number {
  let freed = 0;
  let scanned = 0;
  fbuf.length = 0;
  for (const f of m.files) if (inScope(f, cg) && f.active + f.inactive > 0) fbuf.push(f);
  const n = fbuf.length;
  if (n === 0) return 0;
  const ratio = inactiveRatio(m);
  for (let pass = 0; pass < 4 && freed < target; pass++) {
    // 1. Scan the inactive lists: free clean, unreferenced pages.
    let sumC = 0;
    wbuf.length = n;
    obuf.length = n;
    let dirtySeen = 0;
    for (let i = 0; i < n; i++) {
      const f = fbuf[i]!;
      const c = Math.max(0, f.inactive - f.hotI - f.dirty);
      wbuf[i] = c;
      sumC += c;
      dirtySeen += f.dirty;
    }
    if (dirtySeen > 0) m.wbUrgent = true;
    const need = target - freed;
    if (sumC > 0) {
      const take = Math.min(need, sumC);
      spread(wbuf, sumC, take, obuf);
      for (let i = 0; i < n; i++) {
        const x = obuf[i]!;
        if (x <= 0) continue;
        const f = fbuf[i]!;
        f.inactive -= x;
        f.shadow = Math.min(f.size, f.shadow + x);
      }
      freed += take;
      scanned += take;
    }
    if (freed >= target) break;
    // 2. Deactivate active pages (second chance for referenced executable pages).
    let sumA = 0;
    let sumI = 0;
    let sumM = 0;
    for (let i = 0; i < n; i++) {
      const f = fbuf[i]!;
      const protect = Math.min(f.active, f.hotA + (f.kind === 'exec' ? f.refA : 0));
      const mv = f.active - protect;
      wbuf[i] = mv;
      sumM += mv;
      sumA += f.active;
      sumI += f.inactive;
    }
    const want = Math.max(2 * (target - freed), sumI * ratio < sumA ? Math.floor((sumA - sumI * ratio) / (ratio + 1)) : 0);
    const d = Math.min(sumM, want);
    const frac = sumM > 0 ? Math.min(1, d / sumM) : 1;
    if (d > 0) spread(wbuf, sumM, d, obuf);
    for (let i = 0; i < n; i++) {
      const f = fbuf[i]!;
      const x = d > 0 ? obuf[i]! : 0;
      if (x > 0) {
        f.active -= x;
        f.inactive += x;
      }
      // Scanning the active list consumes references (page_referenced test-and-clear).
      const spent = Math.round((f.refA - f.hotA) * (sumM > 0 ? frac : 1));
      f.refA = Math.max(f.hotA, f.refA - Math.max(0, spent));
      if (f.refA > f.active) f.refA = f.active;
    }
    scanned += d + Math.round(sumA * 0.1);
    if (d === 0 && sumC === 0) {
      // Nothing left to deactivate and nothing clean on the inactive lists:
      // consume every remaining reference once, then stop.
      let any = false;
      for (let i = 0; i < n; i++) {
        const f = fbuf[i]!;
        if (f.refA > f.hotA) {
          f.refA = f.hotA;
          any = true;
        }
      }
      if (!any) break;
    }
  }
  if (freed < target) {
    // Last resort (priority 0): references no longer protect anything; only pages
    // just read in (still locked/being mapped), pages under IO and dirty pages stay.
    let sumC = 0;
    for (let i = 0; i < n; i++) {
      const f = fbuf[i]!;
      const c = f.active + Math.max(0, f.inactive - f.hotI - f.dirty);
      wbuf[i] = c;
      sumC += c;
    }
    if (sumC > 0) {
      const take = Math.min(target - freed, sumC);
      spread(wbuf, sumC, take, obuf);
      for (let i = 0; i < n; i++) {
        const x = obuf[i]!;
        if (x <= 0) continue;
        const f = fbuf[i]!;
        const fromI = Math.min(x, Math.max(0, f.inactive - f.hotI - f.dirty));
        f.inactive -= fromI;
        f.active -= x - fromI;
        if (f.hotA > f.active) f.hotA = f.active;
        if (f.refA > f.active) f.refA = f.active;
        f.shadow = Math.min(f.size, f.shadow + x);
      }
      freed += take;
      scanned += take * 4;
    }
  }
  m.counters.pgscan += scanned;
  m.tickSys += scanned * SCAN_COST + freed * FREE_COST;
  return freed;
}

function shrinkAnon(m: MachineState, target: number, cg: number): number {
  const swapFree = m.swapTotal - m.swapUsed;
  if (swapFree <= 0 || target <= 0) return 0;
  const procs: Proc[] = [];
  let sum = 0;
  const w: number[] = [];
  for (const p of m.procs) {
    if (!p.alive || (cg >= 0 && (p.cid !== cg || p.spec.hostSide))) continue;
    const c = Math.max(0, p.anonA + p.anonI - p.anonRef);
    if (c <= 0) continue;
    procs.push(p);
    w.push(c);
    sum += c;
  }
  let freed = 0;
  if (sum > 0) {
    const take = Math.min(target, sum, swapFree);
    const out: number[] = [];
    spread(w, sum, take, out);
    for (let i = 0; i < procs.length; i++) {
      const x = out[i]!;
      if (x <= 0) continue;
      const p = procs[i]!;
      const fromI = Math.min(p.anonI, x);
      p.anonI -= fromI;
      p.anonA -= x - fromI;
      p.swap += x;
      freed += x;
    }
    m.swapUsed += freed;
    m.counters.pswpout += freed;
    m.wbQueue.push({ file: -1, pages: freed, t: m.t });
    m.wbUrgent = true;
  }
  // Scanning ages the referenced anon pages of everything that did not run this tick.
  for (const p of m.procs) {
    if (!p.alive || (cg >= 0 && p.cid !== cg)) continue;
    if (p.anonRef > 0 && p.state !== 'R') p.anonRef = Math.floor(p.anonRef / 2);
  }
  m.counters.pgscan += freed;
  m.tickSys += freed * (SCAN_COST + FREE_COST) * 2;
  return freed;
}

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

/**
 * Reclaim up to `target` pages; returns pages freed (added to m.free). `kswapd`
 * says who reclaims, for the pgscan/pgsteal _kswapd and _direct counters.
 */
export function reclaim(m: MachineState, target: number, cg: number, kswapd = false): number {
  if (target <= 0) return 0;
  let freed = 0;
  const scannedBefore = m.counters.pgscan;
  const lru = fileLru(m, cg);
  const fileTotal = lru.active + lru.inactive;
  // Reclaimable slab (dentries, inodes) is shrunk alongside the page cache.
  if (cg < 0) {
    const avail = m.slabRecl - m.slabFloor;
    if (avail > 0) {
      const share = Math.ceil((target * m.slabRecl) / (fileTotal + m.slabRecl + 1));
      const take = Math.min(avail, Math.max(1, share));
      m.slabRecl -= take;
      freed += take;
    }
  }
  // Anon/file balance.
  let anonTarget = 0;
  const swapFree = m.swapTotal - m.swapUsed;
  if (swapFree > 0 && m.swappiness > 0) {
    let anonTotal = 0;
    for (const p of m.procs) if (p.alive && (cg < 0 || p.cid === cg)) anonTotal += p.anonA + p.anonI;
    const sw = m.swappiness;
    const aw = sw * anonTotal;
    const fw = (200 - sw) * fileTotal;
    anonTarget = aw + fw > 0 ? Math.round(((target - freed) * aw) / (aw + fw)) : 0;
    // Too little page cache left: the kernel scans anon only (SCAN_ANON).
    if (cg < 0 && fileTotal + (m.free - m.lowmemReserve) < m.wmark.high) anonTarget = target - freed;
  }
  const fileTarget = target - freed - anonTarget;
  if (fileTarget > 0) freed += shrinkFile(m, fileTarget, cg);
  if (freed < target) freed += shrinkAnon(m, target - freed, cg);
  if (freed < target && fileTarget < target) freed += shrinkFile(m, target - freed, cg);
  m.free += freed;
  const c = m.counters;
  c.pgsteal += freed;
  if (kswapd) {
    c.pgstealKswapd += freed;
    c.pgscanKswapd += c.pgscan - scannedBefore;
  } else {
    c.pgstealDirect += freed;
    c.pgscanDirect += c.pgscan - scannedBefore;
  }
  return freed;
}

/**
 * Pages reclaim could still take right now if asked, at its most desperate:
 * every file page except those just read in, under IO or dirty; reclaimable slab
 * above its floor; anon pages not recently used, if swap has room. The OOM killer
 * only runs when this is zero.
 */
export function reclaimablePages(m: MachineState, cg: number): number {
  let n = 0;
  for (const f of m.files) {
    if (!inScope(f, cg)) continue;
    n += f.active + Math.max(0, f.inactive - f.hotI - f.dirty);
  }
  if (cg < 0) n += Math.max(0, m.slabRecl - m.slabFloor);
  const swapFree = m.swapTotal - m.swapUsed;
  if (swapFree > 0) {
    let a = 0;
    for (const p of m.procs) if (p.alive && (cg < 0 || (p.cid === cg && !p.spec.hostSide))) a += Math.max(0, p.anonA + p.anonI - p.anonRef);
    n += Math.min(a, swapFree);
  }
  return n;
}
