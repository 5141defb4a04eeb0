import type { DockerContainer, Meminfo, PsRow, VmstatRow } from './format/types';
import type { FreeEra } from './format/free';
import { freeFigures, type FreeRowMiB } from './format/free';
import type { Counters, MachineState } from './model';
import { PAGE_KIB } from './model';
import { fileRss, mappedPages, oomScore } from './oom';
import { queueDelay, serviceTime } from './disk';
import { emptyCounters } from './machine';

/** Everything counted, in pages: the conservation invariant's buckets. */
export interface PageBuckets {
  free: number;
  kernel: number;
  slabUnreclaimable: number;
  slabReclaimable: number;
  kernelStack: number;
  pageTables: number;
  buffers: number;
  fileActive: number;
  fileInactive: number;
  fileInflight: number;
  anonActive: number;
  anonInactive: number;
  shmem: number;
  /** Swap slots in use (not RAM; reported for completeness). */
  swapped: number;
}

export function buckets(m: MachineState): PageBuckets {
  let kstack = 0;
  let pgt = 0;
  let aa = 0;
  let ia = 0;
  let swapped = 0;
  for (const p of m.procs) {
    kstack += p.kstack;
    pgt += p.pgt;
    aa += p.anonA;
    ia += p.anonI;
    swapped += p.swap;
  }
  let buffers = 0;
  let fa = 0;
  let fi = 0;
  let inflight = 0;
  for (const f of m.files) {
    if (f.kind === 'meta') buffers += f.active + f.inactive + f.inflight;
    else {
      fa += f.active;
      fi += f.inactive;
      inflight += f.inflight;
    }
  }
  let shmem = m.shmemHost;
  for (const c of m.containers) shmem += c.shmem;
  return {
    free: m.free,
    kernel: m.kernel,
    slabUnreclaimable: m.slabUnrecl,
    slabReclaimable: m.slabRecl,
    kernelStack: kstack,
    pageTables: pgt,
    buffers,
    fileActive: fa,
    fileInactive: fi,
    fileInflight: inflight,
    anonActive: aa,
    anonInactive: ia,
    shmem,
    swapped,
  };
}

/** Sum of every RAM bucket; equals m.totalPages when the books balance. */
export function accountedPages(b: PageBuckets): number {
  return (
    b.free + b.kernel + b.slabUnreclaimable + b.slabReclaimable + b.kernelStack + b.pageTables + b.buffers +
    b.fileActive + b.fileInactive + b.fileInflight + b.anonActive + b.anonInactive + b.shmem
  );
}

export function lruSizes(m: MachineState) {
  let af = 0;
  let inf = 0;
  let aa = 0;
  let ia = 0;
  for (const f of m.files) {
    af += f.active;
    inf += f.inactive + f.inflight;
  }
  for (const p of m.procs) {
    aa += p.anonA;
    ia += p.anonI;
  }
  let shmem = m.shmemHost;
  for (const c of m.containers) shmem += c.shmem;
  return { activeFile: af, inactiveFile: inf, activeAnon: aa + shmem, inactiveAnon: ia };
}

/** MemAvailable as si_mem_available() computes it. */
export function memAvailablePages(m: MachineState): number {
  const lru = lruSizes(m);
  const totalreserve = m.wmark.high + m.lowmemReserve;
  const low = m.wmark.low;
  let avail = m.free - totalreserve;
  const pagecache = lru.activeFile + lru.inactiveFile;
  avail += pagecache - Math.min(Math.floor(pagecache / 2), low);
  avail += m.slabRecl - Math.min(Math.floor(m.slabRecl / 2), low);
  return Math.max(0, avail);
}

export function meminfo(m: MachineState): Meminfo {
  const b = buckets(m);
  const lru = lruSizes(m);
  let dirty = 0;
  for (const f of m.files) {
    dirty += f.dirty;
  }
  const mapped = mappedPages(m);
  let swapCached = 0;
  let committed = 0;
  for (const p of m.procs) {
    if (!p.alive) continue;
    swapCached += p.swapCache;
    committed += Math.round((p.spec.vmMiB ?? 16) * 256 * 0.25) + p.anonA + p.anonI + p.swap;
  }
  const kb = (x: number) => x * PAGE_KIB;
  const cachedPages = b.fileActive + b.fileInactive + b.fileInflight + b.shmem;
  return {
    MemTotal: kb(m.totalPages),
    MemFree: kb(m.free),
    MemAvailable: kb(memAvailablePages(m)),
    Buffers: kb(b.buffers),
    Cached: kb(cachedPages),
    SwapCached: kb(swapCached),
    Active: kb(lru.activeAnon + lru.activeFile),
    Inactive: kb(lru.inactiveAnon + lru.inactiveFile),
    ActiveAnon: kb(lru.activeAnon),
    InactiveAnon: kb(lru.inactiveAnon),
    ActiveFile: kb(lru.activeFile),
    InactiveFile: kb(lru.inactiveFile),
    Unevictable: 0,
    Mlocked: 0,
    SwapTotal: kb(m.swapTotal),
    SwapFree: kb(m.swapTotal - m.swapUsed),
    Dirty: kb(dirty),
    Writeback: 0,
    AnonPages: kb(b.anonActive + b.anonInactive),
    Mapped: kb(Math.min(mapped, cachedPages)),
    Shmem: kb(b.shmem),
    KReclaimable: kb(b.slabReclaimable),
    Slab: kb(b.slabReclaimable + b.slabUnreclaimable),
    SReclaimable: kb(b.slabReclaimable),
    SUnreclaim: kb(b.slabUnreclaimable),
    KernelStack: kb(b.kernelStack),
    PageTables: kb(b.pageTables),
    CommitLimit: kb(Math.floor(m.totalPages / 2) + m.swapTotal),
    Committed_AS: kb(committed + b.shmem),
  };
}

/** `free -m` figures in MiB for the JSON output: a transcript row with the swap line filled in. */
export type FreeMiB = Required<FreeRowMiB>;

export function freeMiB(m: MachineState, era: FreeEra): FreeMiB {
  const f = freeFigures(meminfo(m), era);
  const t = (kb: number) => Math.trunc(kb / 1024);
  return {
    total: t(f.total),
    used: t(f.used),
    free: t(f.free),
    shared: t(f.shared),
    buff_cache: t(f.buffers + f.cache),
    available: t(f.available),
    swap_total: t(f.swapTotal),
    swap_used: t(f.swapUsed),
    swap_free: t(f.swapFree),
  };
}

/** A copy of the cumulative counters plus the clock: the basis of interval rates. */
export interface CounterSnapshot extends Counters {
  t: number;
}

export function snapshotCounters(m: MachineState): CounterSnapshot {
  return { ...m.counters, t: m.t };
}

/** Per-second rates over an interval. */
export interface Rates {
  seconds: number;
  /** KiB/s read from / written to disk (vmstat bi/bo). */
  bi: number;
  bo: number;
  /** KiB/s swapped in/out (vmstat si/so). */
  si: number;
  so: number;
  faults: number;
  majorFaults: number;
  in: number;
  cs: number;
  /** CPU split, percent. */
  us: number;
  sy: number;
  id: number;
  wa: number;
  st: number;
  /** Pages scanned / reclaimed per second, refaults per second. */
  scanned: number;
  reclaimed: number;
  refaults: number;
}

export function rates(a: CounterSnapshot, b: CounterSnapshot): Rates {
  const dt = Math.max(1e-9, b.t - a.t);
  const d = (k: keyof Counters) => b[k] - a[k];
  const cpu = d('user') + d('system') + d('idle') + d('iowait') + d('steal');
  const pct = (x: number) => (cpu > 0 ? (100 * x) / cpu : 0);
  return {
    seconds: dt,
    bi: d('pgpgin') / dt,
    bo: d('pgpgout') / dt,
    si: (d('pswpin') * PAGE_KIB) / dt,
    so: (d('pswpout') * PAGE_KIB) / dt,
    faults: d('pgfault') / dt,
    majorFaults: d('pgmajfault') / dt,
    in: d('intr') / dt,
    cs: d('ctxt') / dt,
    us: pct(d('user')),
    sy: pct(d('system')),
    id: pct(d('idle')),
    wa: pct(d('iowait')),
    st: pct(d('steal')),
    scanned: d('pgscan') / dt,
    reclaimed: d('pgsteal') / dt,
    refaults: d('workingsetRefault') / dt,
  };
}

/** One `vmstat` row for the interval a→now (memory columns are the current values). */
export function vmstatRow(m: MachineState, a: CounterSnapshot, b: CounterSnapshot = snapshotCounters(m)): VmstatRow {
  const mi = meminfo(m);
  const r = rates(a, b);
  const cpu = vmstatCpu(a, b);
  return {
    r: m.last.r,
    b: m.last.b,
    swpd: mi.SwapTotal - mi.SwapFree,
    free: mi.MemFree,
    buff: mi.Buffers,
    cache: mi.Cached + mi.SReclaimable,
    si: Math.round(r.si),
    so: Math.round(r.so),
    bi: Math.round(r.bi),
    bo: Math.round(r.bo),
    in: Math.round(r.in),
    cs: Math.round(r.cs),
    ...cpu,
  };
}

/** procps rounds each CPU share from tick deltas: (100 × x + total/2) / total. */
function vmstatCpu(a: Counters, b: Counters) {
  const j = (k: keyof Counters) => Math.round(b[k] * 100) - Math.round(a[k] * 100);
  const us = j('user');
  const sy = j('system');
  const id = j('idle');
  const wa = j('iowait');
  const st = j('steal');
  const total = Math.max(1, us + sy + id + wa + st);
  const half = total / 2;
  const p = (x: number) => Math.floor((100 * Math.max(0, x) + half) / total);
  return { us: p(us), sy: p(sy), id: p(id), wa: p(wa), st: p(st) };
}

/** The first `vmstat` line: averages since boot. */
export function vmstatSinceBoot(m: MachineState): VmstatRow {
  const zero: CounterSnapshot = { ...emptyCounters(), t: 0 };
  return vmstatRow(m, zero);
}

export function watermarksPages(m: MachineState) {
  return { ...m.wmark, lowmemReserve: m.lowmemReserve };
}

const STATE_SUFFIX: Record<string, string> = { R: 'R', S: 'S', D: 'D', Z: 'Z' };

export function psRows(m: MachineState): PsRow[] {
  return m.procs
    .filter((p) => p.alive && p.phase !== 'wait')
    .map((p) => ({
      pid: p.pid,
      user: p.user,
      rssKb: (p.anonA + p.anonI + fileRss(m, p)) * PAGE_KIB,
      stat: (STATE_SUFFIX[p.state] ?? 'S') + (p.spec.main && p.cid === 0 ? 's' : (p.spec.threads ?? 1) > 1 ? 'l' : ''),
      comm: p.comm,
      oomScore: oomScore(m, p),
    }));
}

/**
 * The PORTS cells: one host port can be published by one container only (Docker
 * refuses a second with "port is already allocated"), so containers created from
 * a profile that publishes host port P get P, P + 1, … in the order they were created.
 */
function publishedPorts(m: MachineState): Map<number, string> {
  const seen = new Map<string, number>();
  const out = new Map<number, string>();
  for (const c of [...m.containers].sort((a, b) => a.id - b.id)) {
    const spec = /^(\d+\.\d+\.\d+\.\d+):(\d+)->(.+)$/.exec(c.ports);
    if (!spec) {
      out.set(c.id, c.ports);
      continue;
    }
    const earlier = seen.get(c.ports) ?? 0;
    seen.set(c.ports, earlier + 1);
    out.set(c.id, `${spec[1]}:${Number(spec[2]) + earlier}->${spec[3]}`);
  }
  return out;
}

export function dockerContainers(m: MachineState): DockerContainer[] {
  const ports = publishedPorts(m);
  return m.containers.map((c) => ({
    id: c.hexId,
    image: c.image,
    command: c.command,
    createdAt: c.createdAt,
    state:
      c.state === 'running'
        ? { kind: 'running' as const, startedAt: c.startedAt }
        : c.state === 'restarting'
          ? { kind: 'restarting' as const, exitCode: c.exitCode, finishedAt: c.finishedAt }
          : { kind: 'exited' as const, exitCode: c.exitCode, finishedAt: c.finishedAt },
    ports: c.state === 'running' ? ports.get(c.id)! : '',
    name: c.name,
    oomKilled: c.oomKilled,
    restartCount: c.restartCount,
    // The container's init as the host sees it (State.Pid), while it runs.
    ...(c.state === 'running' && { pid: m.procs.find((p) => p.alive && p.cid === c.id && p.spec.main && !p.spec.hostSide)?.pid ?? 0 }),
  }));
}

/**
 * How long `ls` in the interactive shell would take right now, seconds: the
 * shell, ls and libc pages it must have, each missing one a major fault that waits
 * behind the disk queue; plus CPU time shared with the runnable tasks.
 */
export function lsLatency(m: MachineState): number {
  let missing = 0;
  for (const f of m.files) {
    if (f.key !== 'host/libc') continue;
    // bash fork+exec, ls, libc: ~1.2 MiB of code. The part the shell's daemons run all
    // the time is as resident as their hot pages; ls itself and the rest come from the
    // cold part of the cache, which reclaim empties first.
    const need = Math.min(f.size, 300);
    const hot = Math.min(need, f.hotSet);
    const resident = f.active + f.inactive;
    const hotMissing = f.hotSet > 0 ? 1 - Math.min(1, f.hotRes / f.hotSet) : 0;
    const cold = f.size - f.hotSet;
    const coldMissing = cold > 0 ? 1 - Math.min(1, Math.max(0, resident - f.hotRes) / cold) : 0;
    missing += hot * hotMissing + (need - hot) * coldMissing;
  }
  const faults = Math.ceil(missing / 8);
  // Each fault waits as long as reads have lately waited: behind the queue, then served.
  const perFault = Math.max(m.readWait, queueDelay(m) + Math.max(m.config.disk.latencyMs / 1000, serviceTime(m, 8)));
  const cpu = 0.002 * (1 + m.last.r / m.config.cpus);
  const usable = m.free - m.lowmemReserve;
  const reclaimStall = usable < m.wmark.min + 300 ? 0.005 * faults : 0;
  return faults * perFault + cpu + reclaimStall;
}
