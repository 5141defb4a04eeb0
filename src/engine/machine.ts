import type {
  Action,
  Container,
  MemoryKnobs,
  ContainerProfile,
  Counters,
  FileObj,
  FileSpec,
  MachineConfig,
  MachineState,
  Proc,
  ServiceSpec,
} from './model';
import { PAGES_PER_MIB, TICK } from './model';
import { inactiveAdd, inactiveRemove } from './lru';
import { CONTAINERS, HOSTS } from './profiles';
import { nextRandom, seedState } from './rng';
import { ageScanRate, reclaim, reclaimablePages, zoneReclaimable } from './reclaim';
import { IO_COST, completeReads, diskPagesPerTick, procByPid, serveWrites } from './disk';
import { badness, buildOomReport, selectVictim, totalPagesFor, unkillable, victimEntry } from './oom';
import { emptyPsi, psiAccount, psiTick } from './psi';
import { progress, touch } from './faults';
import {
  applyKnobs,
  cgOf,
  cgroupPath,
  containerById,
  emptyMemcgCounters,
  emptyMemcgEvents,
  highPenalty,
  kubeletOomScoreAdj,
  memcgSwap,
  memcgUsage,
} from './memcg';
import { respond, setResponders } from './responders';

export { containerById, memcgUsage };
import { emptyKlog, logEvent, logOom, trimLogs } from './klog';
import { containerWithId, fileByKey } from './lookup';
import { validateAction, validateConfig } from './validate';

/**
 * The machine: state construction, the allocator, containers, one simulation
 * tick, and actions. All functions mutate a plain-JSON MachineState.
 *
 * Imitates mm/page_alloc.c (watermarks, lowmem_reserve, the slow path with kswapd,
 * direct reclaim and should_reclaim_retry()), mm/memcontrol.c try_charge_memcg(),
 * mm/oom_kill.c out_of_memory() (the arithmetic is in oom.ts), and Docker's
 * restart manager. Faults and start-up work are in faults.ts, reclaim in reclaim.ts,
 * the disk in disk.ts, PSI in psi.ts.
 */

export const mib = (x: number) => Math.round(x * PAGES_PER_MIB);
const DIRECT_RECLAIM_COST = 1.5e-4; // CPU seconds per direct-reclaim entry
const MAX_RETRIES = 16; // MAX_RECLAIM_RETRIES (mm/internal.h)

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

export function watermarks(totalPages: number, minFreeKbytes: number, wsf: number) {
  const lowmemKb = totalPages * 4;
  const minKb = minFreeKbytes > 0 ? minFreeKbytes : Math.min(262144, Math.max(128, Math.floor(Math.sqrt(lowmemKb * 16))));
  const min = Math.floor(minKb / 4);
  const tmp = Math.max(Math.floor(min / 4), Math.floor((totalPages * wsf) / 10000));
  return { min, low: min + tmp, high: min + 2 * tmp, minFreeKbytes: minKb };
}

/** lowmem_reserve: pages of the DMA/DMA32 zones that ordinary allocations may not take. */
export function lowmemReserve(totalPages: number): number {
  const dma = 3977;
  if (totalPages <= dma * 2) return 0;
  let r = Math.min(dma, Math.floor((totalPages - dma) / 256));
  const fourG = 4 * 1024 * 256;
  if (totalPages > fourG) r += Math.min(fourG - dma, Math.floor((totalPages - fourG) / 256));
  return r;
}

export function emptyCounters(): Counters {
  return {
    pgpgin: 0, pgpgout: 0, pswpin: 0, pswpout: 0, pgfault: 0, pgmajfault: 0, intr: 0, ctxt: 0,
    user: 0, system: 0, idle: 0, iowait: 0, steal: 0, pgscan: 0, pgsteal: 0,
    pgscanKswapd: 0, pgscanDirect: 0, pgstealKswapd: 0, pgstealDirect: 0,
    workingsetRefault: 0, workingsetActivate: 0, workingsetRefaultAnon: 0, workingsetRefaultFile: 0,
    workingsetActivateAnon: 0, workingsetActivateFile: 0, allocstall: 0, kswapdWakes: 0, oomKills: 0,
  };
}

function newFile(m: MachineState, key: string, spec: FileSpec, cg: number): FileObj {
  const f: FileObj = {
    id: m.files.length, key, name: spec.name, kind: spec.kind, scope: spec.scope, cg, size: Math.max(1, mib(spec.mib)),
    active: 0, inactive: 0, inflight: 0, dirty: 0, refA: 0, hotA: 0, hotI: 0, shadow: 0, shadows: [], ibatches: [], lastRef: 0, rotA: 0, hotSet: 0, hotRes: 0, mmapMiss: 0, seen: 0, queuedWb: 0,
  };
  m.files.push(f);
  return f;
}

export function findFile(m: MachineState, key: string): FileObj | undefined {
  return fileByKey(m.files, key);
}

export function createState(config: MachineConfig): MachineState {
  validateConfig(config);
  const ramMiB = config.ramMiB;
  if (!(ramMiB >= 64)) throw new Error(`RAM must be at least 64 MiB (got ${ramMiB})`);
  const totalPages = mib(ramMiB);
  const wsf = config.watermarkScaleFactor ?? 10;
  const wm = watermarks(totalPages, config.minFreeKbytes ?? 0, wsf);
  const hostName = config.host ?? 'ubuntu-docker';
  const host = HOSTS[hostName];
  if (!host) throw new Error(`unknown host profile ${hostName}`);
  const seed = config.seed ?? 1;
  const m: MachineState = {
    version: 1,
    config: {
      ramMiB,
      swapMiB: config.swapMiB ?? 0,
      swappiness: config.swappiness ?? 60,
      cpus: config.cpus ?? 1,
      seed,
      host: hostName,
      disk: { readMiBps: 62.1, writeMiBps: 62.1, iops: 3000, latencyMs: 1, ...config.disk },
      minFreeKbytes: wm.minFreeKbytes,
      watermarkScaleFactor: wsf,
      kernel: config.kernel ?? 'modern',
      responders: config.responders ?? {},
    },
    t: 0,
    ticks: 0,
    rng: seedState(seed),
    totalPages,
    wmark: { min: wm.min, low: wm.low, high: wm.high },
    lowmemReserve: lowmemReserve(totalPages),
    free: totalPages,
    kernel: 0,
    slabUnrecl: 0,
    slabRecl: 0,
    slabFloor: 0,
    shmemHost: 0,
    swapTotal: mib(config.swapMiB ?? 0),
    swapUsed: 0,
    swappiness: config.swappiness ?? 60,
    files: [],
    procs: [],
    containers: [],
    nextPid: 1,
    nextCid: 1,
    io: [],
    diskFree: 0,
    readWait: 0,
    ioCarry: 0,
    nonresidentAge: 0,
    anonCost: 0,
    fileCost: 0,
    refaultsSeen: 0,
    anonScanRate: 0,
    anonScanTick: 0,
    refsSpentTick: -1,
    scanTick: 0,
    wbQueue: [],
    wbUrgent: false,
    tickSys: 0,
    tickWakeups: 0,
    tickIos: 0,
    kswapdAwake: false,
    lastKswapdEvent: -1e9,
    noProgress: 0,
    counters: emptyCounters(),
    psi: emptyPsi(),
    events: [],
    ooms: [],
    halted: null,
    responders: { earlyoom: null, oomd: null, kubelet: null },
    klog: emptyKlog(),
    last: { r: 0, b: 0, user: 0, system: 0, idle: 1, iowait: 0, steal: 0 },
    thrashing: false,
    lastThrashEvent: -1e9,
  };
  // Scale boot-time memory to small machines: the kernel and host take what they take,
  // the boot page cache shrinks to fit.
  const scale = Math.min(1, ramMiB / 990);
  const take = (n: number) => {
    const x = Math.max(0, Math.min(n, m.free - m.lowmemReserve - wm.high * 2));
    m.free -= x;
    return x;
  };
  m.kernel = take(mib(host.kernelMiB));
  m.slabUnrecl = take(mib(host.slabUnreclaimableMiB * Math.max(0.5, scale)));
  m.shmemHost = take(mib(host.shmemMiB));
  // Host processes (already running at boot).
  for (let i = 0; i < host.services.length; i++) {
    const spec = host.services[i]!;
    const p = spawn(m, spec, 0, i, 0);
    p.phase = 'run';
    p.progress = 1;
    p.startedAt = 0;
    const n = take(mib(spec.anonMiB));
    p.anonA = Math.floor(n * 0.4);
    p.anonI = n - p.anonA;
    p.pgt = take(pgtFor(p));
    p.kstack = take((spec.threads ?? 1) * 4);
  }
  // Files and the boot page cache.
  for (const fs of host.files) newFile(m, fs.key, fs, 0);
  m.slabRecl = take(mib(host.slabReclaimableMiB * scale));
  m.slabFloor = Math.floor(m.slabRecl * 0.35);
  for (const fs of host.files) {
    const f = findFile(m, fs.key)!;
    const want = Math.min(f.size, mib((fs.bootResidentMiB ?? 0) * (fs.key === 'host/boot' || fs.key === 'host/blockdev' ? scale : 1)));
    const n = take(want);
    f.active = Math.floor(n * (fs.bootActive ?? 0.5));
    inactiveAdd(f, n - f.active, 0);
    f.seen = n;
    m.counters.pgpgin += n * 4;
  }
  // Resolve the host processes' hot files now that the files exist.
  for (const p of m.procs) resolveHot(m, p, 0, '');
  // Boot CPU history (for the since-boot vmstat line).
  m.counters.user = 6;
  m.counters.system = 3;
  m.counters.iowait = 3;
  m.counters.intr = 0;
  m.counters.ctxt = 0;
  m.nextPid = 1100;
  logEvent(m, { t: 0, kind: 'boot', text: `booted: ${ramMiB} MiB RAM, ${config.swapMiB ?? 0} MiB swap, ${m.config.cpus} CPU` });
  if (config.responders) setResponders(m, config.responders);
  return m;
}

export function pgtFor(p: Proc): number {
  return 3 + Math.floor((p.anonA + p.anonI + p.swap) / 256) + Math.floor(((p.spec.vmMiB ?? 16) * 256) / 32768);
}

/**
 * fork() + exec(): a new task. It inherits its parent's oom_score_adj (signal->oom_score_adj
 * is copied at fork), unless the program sets its own (as systemd-journald and dockerd do).
 */
function spawn(m: MachineState, spec: ServiceSpec, cid: number, svc: number, startAt: number, parent: Proc | null = null, inheritAdj = 0): Proc {
  const pid = m.nextPid;
  m.nextPid += 1 + Math.floor(nextRandom(m) * 3);
  const comm = Array.from(spec.name).slice(0, 15).join('');
  const p: Proc = {
    pid, comm, command: spec.command ?? spec.name, cid, svc,
    uid: spec.uid ?? 0, user: spec.user ?? (spec.uid ? `u${spec.uid}` : 'root'),
    adj: spec.oomScoreAdj ?? (parent ? parent.adj : inheritAdj), alive: true, state: 'S', phase: 'wait', startAt, startedAt: startAt, progress: 0,
    anonA: 0, anonI: 0, swap: 0, pgt: 0, kstack: 0, anonRef: 0, swapHot: 0, swapCache: 0,
    wait: 0, waitUntil: 0, lastRun: startAt, heapT: 0, ioStallT: 0, memStallT: 0, memWait: false,
    wakeAcc: nextRandom(m), resume: false, spec, hotIds: [], hotPages: [], cpuTime: 0, majflt: 0, minflt: 0, restarts: 0,
    ppid: parent ? parent.pid : 0, throttleUntil: 0, charged: 0,
  };
  m.procs.push(p);
  return p;
}

export function fileKeyFor(m: MachineState, key: string, cid: number, cname: string): string {
  if (key.startsWith('ctr/')) return `${cname}:${key}`;
  if (key.startsWith('img/')) {
    const c = containerById(m, cid);
    return `${c ? c.image : 'img'}:${key}`;
  }
  return key;
}

function resolveHot(m: MachineState, p: Proc, cid: number, cname: string): void {
  p.hotIds = [];
  p.hotPages = [];
  for (const t of p.spec.hot) {
    const f = findFile(m, fileKeyFor(m, t.file, cid, cname));
    if (!f) continue;
    const h = Math.min(f.size, mib(t.mib));
    p.hotIds.push(f.id);
    p.hotPages.push(h);
    if (h > f.hotSet) {
      // Of the pages already cached, the new hot pages are as many as chance gives.
      f.hotRes = Math.min(h, f.hotRes + Math.round(((h - f.hotSet) * (f.active + f.inactive + f.inflight)) / f.size));
      f.hotSet = h;
    }
  }
}

// ---------------------------------------------------------------------------
// Allocation, OOM
// ---------------------------------------------------------------------------

function wakeKswapd(m: MachineState): void {
  if (m.kswapdAwake) return;
  m.kswapdAwake = true;
  m.counters.kswapdWakes++;
  if (m.t - m.lastKswapdEvent >= 30) {
    m.lastKswapdEvent = m.t;
    logEvent(m, { t: m.t, kind: 'kswapd', text: `kswapd0 woke up: free memory fell below the low watermark (${Math.round(((m.wmark.low + m.lowmemReserve) * 4) / 1024)} MiB)` });
  }
}

/**
 * Allocate n pages for process p (null = the kernel), charged to memcg `cg`
 * (a container id, or 0). Runs memcg reclaim/OOM, the watermark checks, kswapd,
 * direct reclaim and finally the OOM killer. Returns false if p was killed or the
 * allocation failed.
 *
 * The slow path follows __alloc_pages_slowpath(): a direct reclaim round; any
 * progress resets the no-progress count; without progress, should_reclaim_retry()
 * retries while fewer than MAX_RECLAIM_RETRIES rounds have failed and free plus
 * reclaimable pages (less a sixteenth for every failed round) would still clear the
 * min watermark; then out_of_memory().
 */
export function alloc(m: MachineState, n: number, p: Proc | null, cg: number, noretry = false): boolean {
  if (p && !p.alive) return false;
  if (n <= 0) return true;
  if (m.halted) return false;
  if (p && cg > 0) p.charged += n;
  const c = cg > 0 ? containerById(m, cg) : undefined;
  if (c && c.memLimit > 0 && !chargeMemcg(m, c, n, p, noretry)) return false;
  let kills = 0;
  let noProgress = 0;
  let rounds = 0;
  for (;;) {
    const usable = m.free - m.lowmemReserve;
    if (usable - n >= m.wmark.min) {
      m.free -= n;
      if (usable - n < m.wmark.low) wakeKswapd(m);
      return true;
    }
    wakeKswapd(m);
    // Direct reclaim: the allocating task reclaims itself and stalls meanwhile.
    m.counters.allocstall++;
    m.tickSys += DIRECT_RECLAIM_COST;
    if (p) p.memStallT += DIRECT_RECLAIM_COST * 4;
    const freed = reclaim(m, n + 32, -1);
    // Rounds that free something reset the count (bounded here: a task does not
    // reclaim for ever within one step of the model).
    if (freed > 0 && ++rounds < 64) {
      noProgress = 0;
      continue;
    }
    noProgress++;
    m.noProgress++;
    // __GFP_NORETRY (readahead): give up after one fruitless round, never the OOM killer.
    if (noretry) return false;
    if (shouldReclaimRetry(m, n, noProgress)) continue;

    const killed = oomKill(m, p, null);
    if (p && !p.alive) return false;
    if (!killed || ++kills > 8) {
      // Nothing left to kill (or the machine panicked): the allocation fails.
      return false;
    }
    noProgress = 0;
  }
}

/**
 * try_charge_memcg() (mm/memcontrol.c) for a cgroup with memory.max: count a `max`
 * event, reclaim inside the cgroup (try_to_free_mem_cgroup_pages()) and retry; while
 * reclaim frees anything the charge is retried ("if (nr_reclaimed ...) goto retry"),
 * otherwise up to MAX_RECLAIM_RETRIES more rounds; then mem_cgroup_oom(). A kill
 * resets the retries. With cgroup v1's oom_kill_disable the task sleeps instead,
 * waiting for memory to be uncharged. Returns false if the charge failed.
 */
function chargeMemcg(m: MachineState, c: Container, n: number, p: Proc | null, noretry: boolean): boolean {
  let usage = memcgUsage(m, c);
  if (usage + n <= c.memLimit) return true;
  c.events.max++;
  let noProgress = 0;
  let rounds = 0;
  let kills = 0;
  while (usage + n > c.memLimit) {
    const freed = reclaim(m, usage + n - c.memLimit + 32, c.id);
    m.tickSys += DIRECT_RECLAIM_COST;
    if (p) p.memStallT += DIRECT_RECLAIM_COST * 4;
    usage = memcgUsage(m, c);
    if (usage + n <= c.memLimit) return true;
    if (noretry) return false;
    if (freed > 0 && ++rounds < 64) continue;
    if (++noProgress <= MAX_RETRIES) continue;
    c.failcnt++;
    c.events.oom++;
    if (c.oomKillDisable) {
      // memory.oom_control: the task waits on the memcg's OOM queue (D) until memory is freed.
      if (p) p.throttleUntil = Math.max(p.throttleUntil, m.t + 1);
      return false;
    }
    if (!oomKill(m, p, c)) return false;
    if ((p && !p.alive) || ++kills > 8) return false;
    noProgress = 0;
    rounds = 0;
    usage = memcgUsage(m, c);
  }
  return true;
}

/** should_reclaim_retry() (mm/page_alloc.c) for one zone, order 0. */
function shouldReclaimRetry(m: MachineState, n: number, noProgress: number): boolean {
  if (noProgress > MAX_RETRIES) return false;
  let available = zoneReclaimable(m, -1) + m.free;
  available -= Math.ceil((noProgress * available) / MAX_RETRIES);
  return available - n - m.lowmemReserve >= m.wmark.min;
}

export function freeAnon(m: MachineState, p: Proc, n: number): void {
  const res = p.anonA + p.anonI;
  const cacheBack = res > 0 ? Math.min(p.swapCache, Math.round((n * p.swapCache) / res)) : 0;
  p.swapCache -= cacheBack;
  m.swapUsed -= cacheBack;
  const fromI = Math.min(p.anonI, n);
  p.anonI -= fromI;
  const fromA = Math.min(p.anonA, n - fromI);
  p.anonA -= fromA;
  m.free += fromI + fromA;
  p.swapCache = Math.min(p.swapCache, p.anonA + p.anonI);
  p.anonRef = Math.min(p.anonRef, p.anonA + p.anonI);
}

export function releaseProc(m: MachineState, p: Proc): void {
  m.free += p.anonA + p.anonI + p.pgt + p.kstack;
  m.swapUsed -= p.swap + p.swapCache;
  p.anonA = p.anonI = p.swap = p.pgt = p.kstack = p.anonRef = p.swapHot = p.swapCache = 0;
  p.alive = false;
  p.state = 'Z';
  p.wait = 0;
}

/**
 * The OOM killer (out_of_memory(), mem_cgroup_out_of_memory()). `c` set: a memcg OOM
 * inside that container only. Returns true if a task was killed.
 *
 * No killable task: the kernel prints the header and "Out of memory and no killable
 * processes..."; for a global OOM it then panics ("System is deadlocked on memory"
 * since 4.19's rework; 4.x panicked with the first message), and the machine halts.
 * A memcg OOM without a victim fails the charge instead.
 *
 * memory.oom.group: if the victim's cgroup has it set, every task in that cgroup is
 * killed with it, except those with oom_score_adj −1000 (mem_cgroup_get_oom_group(),
 * oom_kill_memcg_member()).
 */
export function oomKill(m: MachineState, invoker: Proc | null, c: Container | undefined | null): boolean {
  if (m.halted) return false;
  const memcg = c && c.memLimit > 0 ? c : null;
  const candidates = m.procs.filter((p) => p.alive && (!memcg || (p.cid === memcg.id && !p.spec.hostSide)));
  const tp = totalPagesFor(m, memcg ? memcg.memLimit : 0, memcg ? memcg.swapMax : -1);
  const pick = selectVictim(m, candidates, tp);
  const path = memcg ? cgroupPath(m, memcg) : '';
  if (!pick) {
    logEvent(m, {
      t: m.t,
      kind: memcg ? 'container' : 'panic',
      text: `${memcg ? `memory cgroup of ${memcg.name}: ` : ''}Out of memory and no killable processes...`,
      memcg: !!memcg,
      ...(memcg ? { container: memcg.name } : {}),
    });
    if (!memcg) {
      const reason = m.config.kernel === 'classic' ? 'Out of memory and no killable processes...' : 'System is deadlocked on memory';
      m.halted = { t: m.t, reason };
      logEvent(m, { t: m.t, kind: 'panic', text: `Kernel panic - not syncing: ${reason}` });
    }
    return false;
  }
  const { victim, points, chosen, chosenPoints } = pick;
  const report = buildOomReport(
    m, invoker, candidates, victim, points, tp,
    memcg
      ? { path, usage: memcgUsage(m, memcg), limit: memcg.memLimit, failcnt: memcg.failcnt, swap: memcgSwap(m, memcg), swapMax: memcg.swapMax }
      : null,
  );
  if (chosen !== victim) report.chosen = { pid: chosen.pid, comm: chosen.comm, score: Math.max(0, Math.floor((chosenPoints * 1000) / tp)) };
  const vc = containerById(m, victim.cid);
  if (!memcg && vc && !victim.spec.hostSide) report.victimMemcgPath = cgroupPath(m, vc);
  const group = vc && vc.oomGroup && !victim.spec.hostSide ? vc : null;
  const members = group
    ? m.procs.filter((p) => p !== victim && p.alive && p.cid === group.id && !p.spec.hostSide && !unkillable(p))
    : [];
  if (group) report.group = { path: cgroupPath(m, group), victims: members.map((p) => victimEntry(m, p, badness(m, p, tp) ?? 0, tp)) };
  logOom(m, report);
  m.counters.oomKills += 1 + members.length;
  logEvent(m, {
    t: m.t,
    kind: 'oom',
    pid: victim.pid,
    score: report.victim.score,
    points,
    totalpages: tp,
    reclaimable: reclaimablePages(m, memcg ? memcg.id : -1),
    memcg: !!memcg,
    ...(vc ? { container: vc.name } : {}),
    text: `${memcg ? `memory cgroup of ${memcg.name} out of memory` : 'out of memory'}: killed ${victim.comm} (pid ${victim.pid}${vc ? `, ${vc.name}` : ''}), score ${report.victim.score}, rss ${Math.round((report.victim.anonRssKb + report.victim.fileRssKb) / 1024)} MiB${group ? `, and ${members.length} more: memory.oom.group is set` : ''}`,
  });
  if (group) group.events.oom_group_kill++;
  killProc(m, victim, 'oom', !!memcg);
  for (const p of members) if (p.alive) killProc(m, p, 'oom', !!memcg);
  return true;
}

/** A signal from user space (earlyoom, systemd-oomd): the process exits with `code` (137 SIGKILL, 143 SIGTERM). */
export function signalProc(m: MachineState, p: Proc, code: number): void {
  if (!p.alive) return;
  killProc(m, p, 'signal', false, code);
}

/** The kubelet evicts a pod: its containers are killed and not restarted on this node. */
export function stopForEviction(m: MachineState, c: Container): void {
  if (c.state === 'exited') return;
  c.evicted = true;
  stopContainer(m, c, 137);
}

/** SIGKILL a process and let its supervisor / docker react. */
function killProc(m: MachineState, p: Proc, why: 'oom' | 'signal', memcgOom: boolean, code = 137): void {
  releaseProc(m, p);
  const c = containerById(m, p.cid);
  if (why === 'oom' && c && !p.spec.hostSide) c.events.oom_kill++;
  // Docker's OOMKilled: on cgroup v1 the memcg's OOM notification (its own limit only);
  // on cgroup v2 containerd watches memory.events oom_kill, which any OOM kill raises.
  const oomFlag = why === 'oom' && (memcgOom || m.config.kernel !== 'classic') && !p.spec.hostSide;
  if (!c || c.state !== 'running') return;
  c.pids = c.pids.filter((x) => x !== p.pid);
  if (p.spec.main) {
    containerExit(m, c, code, oomFlag);
    return;
  }
  if (p.spec.supervised) {
    const profile = CONTAINERS[c.profile];
    const delay = profile?.supervisorDelay ?? 1;
    c.supRestarts.push({ svc: p.svc, at: m.t + delay });
  }
  if (oomFlag) c.oomKilled = true;
}

// ---------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------

function hex(m: MachineState, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(nextRandom(m) * 16).toString(16);
  return s;
}

function startContainerProcesses(m: MachineState, c: Container, profile: ContainerProfile): void {
  // Files: image layers are shared by every container of the image; the rest is the container's own.
  // Image layers are charged to the container that reads them first (see memcg.ts).
  for (const fs of profile.files) {
    const key = fileKeyFor(m, fs.key, c.id, c.name);
    if (!findFile(m, key)) newFile(m, key, fs, c.id);
  }
  // Kernel memory for its cgroups, namespaces and network, and the slab its layers
  // bring, are charged to its cgroup too (cgroup v2 accounts kernel memory).
  const kern = mib(profile.kernelMiB);
  if (alloc(m, kern, null, c.id)) {
    c.kernel = kern;
    m.slabUnrecl += kern;
  }
  const slab = mib(profile.slabMiB);
  if (alloc(m, slab, null, c.id)) {
    c.slab = slab;
    m.slabRecl += slab;
    m.slabFloor += Math.floor(slab * 0.35);
  }
  const sh = mib(profile.shmemMiB);
  if (alloc(m, sh, null, c.id)) c.shmem = sh;
  c.pids = [];
  // The container's init starts with the container's oom_score_adj (docker
  // --oom-score-adj, or the kubelet's for the pod's QoS class); every process
  // it starts inherits it. Shims run on the host with their own.
  const adj = c.qos && m.responders.kubelet ? kubeletOomScoreAdj(m, c) : c.adj;
  const started: Proc[] = [];
  for (let i = 0; i < profile.services.length; i++) {
    const spec = profile.services[i]!;
    const parent = spec.hostSide ? null : parentFor(m, c, spec, i, started);
    const p = spawn(m, spec, c.id, i, m.t + (spec.delay ?? 0), parent, spec.hostSide ? 0 : adj);
    resolveHot(m, p, c.id, c.name);
    c.pids.push(p.pid);
    started.push(p);
  }
}

/**
 * The live process that forks a container's service (index `svc`): an earlier service
 * with the name its spec gives as parent, else the container's init.
 */
function parentFor(m: MachineState, c: Container, spec: ServiceSpec, svc: number, extra: readonly Proc[] = []): Proc | null {
  if (spec.main) return null;
  const want = spec.parent;
  const pick = (p: Proc) =>
    p.alive && p.cid === c.id && !p.spec.hostSide && (want ? p.spec.name === want && p.svc < svc : p.spec.main === true);
  for (const p of extra) if (pick(p)) return p;
  for (const p of m.procs) if (pick(p)) return p;
  return null;
}

export function startContainer(
  m: MachineState,
  profileName: string,
  name: string | undefined,
  restart: Container['restart'],
  knobs: MemoryKnobs = {},
): Container {
  const profile = CONTAINERS[profileName];
  if (!profile) throw new Error(`unknown container profile ${profileName}`);
  const id = m.nextCid++;
  const c: Container = {
    id,
    name: name ?? `${profileName}-${id}`,
    hexId: hex(m, 64),
    profile: profileName,
    image: profile.image,
    command: profile.command,
    ports: profile.ports ?? '',
    restart,
    memLimit: 0,
    memHigh: 0,
    memLow: 0,
    memMin: 0,
    swapMax: -1,
    oomGroup: false,
    oomKillDisable: false,
    adj: 0,
    request: 0,
    qos: null,
    evicted: false,
    knobs: {},
    events: emptyMemcgEvents(),
    stat: emptyMemcgCounters(),
    psi: emptyPsi(),
    oomdOverSince: -1,
    state: 'running',
    createdAt: m.t,
    startedAt: m.t,
    finishedAt: 0,
    exitCode: 0,
    oomKilled: false,
    restartCount: 0,
    backoffMs: 0,
    restartAt: 0,
    manualStop: false,
    shmem: 0,
    kernel: 0,
    slab: 0,
    failcnt: 0,
    pids: [],
    supRestarts: [],
  };
  const warning = applyKnobs(m, c, knobs, false);
  m.containers.push(c);
  if (warning) logEvent(m, { t: m.t, kind: 'container', container: c.name, text: warning });
  startContainerProcesses(m, c, profile);
  logEvent(m, { t: m.t, kind: 'container', container: c.name, text: `docker run: container ${c.name} (${profile.image}) started${knobText(c)}` });
  return c;
}

/** The limits a container runs with, for the event log. */
function knobText(c: Container): string {
  const parts: string[] = [];
  const mb = (pages: number) => `${Math.round(pages / 256)} MiB`;
  if (c.memLimit) parts.push(`memory.max ${mb(c.memLimit)}`);
  if (c.memHigh) parts.push(`memory.high ${mb(c.memHigh)}`);
  if (c.memLow) parts.push(`memory.low ${mb(c.memLow)}`);
  if (c.memMin) parts.push(`memory.min ${mb(c.memMin)}`);
  if (c.memLimit && c.swapMax >= 0) parts.push(`memory.swap.max ${mb(c.swapMax)}`);
  if (c.oomGroup) parts.push('memory.oom.group 1');
  if (c.adj) parts.push(`oom_score_adj ${c.adj}`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

/** The container's init died (or was killed): every process in it goes, docker's restart policy decides. */
function containerExit(m: MachineState, c: Container, code: number, oomKilled: boolean): void {
  for (const p of m.procs) if (p.alive && p.cid === c.id) releaseProc(m, p);
  m.free += c.shmem + c.kernel;
  m.slabUnrecl -= c.kernel;
  const slabBack = Math.min(c.slab, Math.max(0, m.slabRecl - m.slabFloor));
  m.slabRecl -= slabBack;
  m.free += slabBack;
  m.slabFloor = Math.max(0, m.slabFloor - Math.floor(c.slab * 0.35));
  c.shmem = c.kernel = c.slab = 0;
  c.pids = [];
  c.supRestarts = [];
  c.exitCode = code;
  c.finishedAt = m.t;
  c.oomKilled = c.oomKilled || oomKilled;
  const ran = m.t - c.startedAt;
  const policy = c.restart;
  const wants =
    !c.manualStop && (policy === 'always' || policy === 'unless-stopped' || (policy === 'on-failure' && code !== 0));
  if (!wants) {
    c.state = 'exited';
    logEvent(m, { t: m.t, kind: 'exit', container: c.name, text: `container ${c.name} exited (${code})${c.oomKilled ? ', OOMKilled' : ''}` });
    return;
  }
  // Docker's restart manager: 100 ms, doubling, capped at 60 s; reset after 10 s of uptime.
  c.backoffMs = ran >= 10 || c.backoffMs === 0 ? 100 : Math.min(60000, c.backoffMs * 2);
  c.state = 'restarting';
  c.restartAt = m.t + c.backoffMs / 1000;
  logEvent(m, { t: m.t, kind: 'exit', container: c.name, text: `container ${c.name} exited (${code})${c.oomKilled ? ', OOMKilled' : ''}; docker restarts it in ${c.backoffMs} ms` });
}

function stopContainer(m: MachineState, c: Container, code: number): void {
  if (c.state === 'exited') return;
  c.manualStop = true;
  if (c.state === 'restarting') {
    c.state = 'exited';
    c.finishedAt = m.t;
    c.exitCode = code;
    return;
  }
  containerExit(m, c, code, false);
}

// ---------------------------------------------------------------------------
// Processes (page faults, reads and start-up work are in faults.ts)
// ---------------------------------------------------------------------------

function supervisorRestarts(m: MachineState): void {
  for (const c of m.containers) {
    if (c.state === 'restarting' && m.t >= c.restartAt - 1e-9) {
      const profile = CONTAINERS[c.profile];
      if (!profile) continue;
      c.state = 'running';
      c.restartCount++;
      c.startedAt = m.t;
      c.oomKilled = false;
      startContainerProcesses(m, c, profile);
      logEvent(m, { t: m.t, kind: 'restart', container: c.name, text: `docker restarted container ${c.name} (restart #${c.restartCount}, after ${c.backoffMs} ms)` });
      continue;
    }
    if (c.state !== 'running' || c.supRestarts.length === 0) continue;
    const main = c.pids.length > 0;
    if (!main) continue;
    const due = c.supRestarts.filter((r) => m.t >= r.at - 1e-9);
    if (due.length === 0) continue;
    c.supRestarts = c.supRestarts.filter((r) => m.t < r.at - 1e-9);
    const profile = CONTAINERS[c.profile];
    if (!profile) continue;
    for (const r of due) {
      const spec = profile.services[r.svc];
      if (!spec) continue;
      // Forked by the supervisor: it inherits the supervisor's oom_score_adj, not the killed task's.
      const parent = parentFor(m, c, { ...spec, parent: undefined }, r.svc);
      const p = spawn(m, spec, c.id, r.svc, m.t, parent, c.adj);
      p.phase = 'start';
      resolveHot(m, p, c.id, c.name);
      c.pids.push(p.pid);
      logEvent(m, { t: m.t, kind: 'restart', pid: p.pid, container: c.name, text: `supervisord in ${c.name} restarted ${spec.name} (pid ${p.pid})` });
    }
  }
}

// ---------------------------------------------------------------------------
// The tick
// ---------------------------------------------------------------------------

const runnable: Proc[] = [];
const wants: number[] = [];

export function tick(m: MachineState): void {
  m.ticks++;
  m.t = Math.round(m.ticks) / 10;
  // A panicked kernel runs nothing more; the clock is all that moves.
  if (m.halted) return;
  const t0 = m.t - TICK;
  const t1 = m.t;
  m.tickSys = 0;
  m.tickWakeups = 0;
  m.tickIos = 0;
  for (const f of m.files) {
    f.hotA = 0;
    f.hotI = 0;
  }
  for (const p of m.procs) {
    p.ioStallT = 0;
    p.memStallT = 0;
    p.charged = 0;
  }
  supervisorRestarts(m);

  // The disk: writeback takes up to 30% of the tick's disk time while it is urgent
  // (5% otherwise) ahead of the reads; reads that complete during this tick land now.
  const cap = diskPagesPerTick(m);
  let wbPending = 0;
  for (const e of m.wbQueue) wbPending += e.pages;
  const wbBudget = wbPending > 0 ? Math.min(wbPending, cap.write * (m.wbUrgent ? 0.3 : 0.05) + m.ioCarry) : 0;
  const [written, writeIos] = serveWrites(m, wbBudget, t0);
  m.ioCarry = Math.max(0, Math.min(1, wbBudget - written));
  const pgpginBefore = m.counters.pgpgin;
  completeReads(m, t1);

  // kswapd.
  if (m.kswapdAwake) {
    const usable = m.free - m.lowmemReserve;
    if (usable < m.wmark.high) {
      const want = m.wmark.high - usable + 32;
      reclaim(m, want, -1, true);
    }
    if (m.free - m.lowmemReserve >= m.wmark.high) m.kswapdAwake = false;
  }

  // Processes.
  runnable.length = 0;
  wants.length = 0;
  let wantTotal = 0;
  const procs = m.procs;
  const n = procs.length;
  const start = n > 0 ? m.ticks % n : 0;
  for (let j = 0; j < n; j++) {
    const p = procs[(start + j) % n]!;
    if (!p.alive) continue;
    if (p.phase === 'wait') {
      if (m.t + 1e-9 < p.startAt) continue;
      p.phase = 'start';
      p.startedAt = m.t;
      p.kstack = 0;
      const ks = (p.spec.threads ?? 1) * 4;
      if (alloc(m, ks, p, p.spec.hostSide ? 0 : p.cid)) p.kstack = ks;
      if (!p.alive) continue;
      p.pgt = 0;
      const pg = pgtFor(p);
      if (alloc(m, pg, p, p.spec.hostSide ? 0 : p.cid)) p.pgt = pg;
      if (!p.alive) continue;
    }
    // Asleep in mem_cgroup_handle_over_high() (memory.high's penalty) for the whole tick:
    // a memory stall (psi_memstall_enter()), in D state but not waiting for IO.
    if (p.throttleUntil >= t1 - 1e-9) {
      p.state = 'D';
      p.memStallT += TICK;
      continue;
    }
    // Blocked on a read that is still in flight at the end of this tick.
    if (p.wait > 0) {
      p.state = 'D';
      p.ioStallT += TICK;
      if (p.memWait) p.memStallT += TICK;
      continue;
    }
    // Its read completed during this tick: it was blocked until then.
    let from = t0;
    if (p.waitUntil > t0) {
      from = Math.min(t1, p.waitUntil);
      p.ioStallT += from - t0;
      if (p.memWait) p.memStallT += from - t0;
    }
    if (p.throttleUntil > from) {
      p.memStallT += p.throttleUntil - from;
      from = p.throttleUntil;
    }
    p.memWait = false;
    let want: number;
    if (p.phase === 'start') {
      want = (p.spec.startShare ?? 1) * TICK;
    } else {
      if (!p.resume) {
        p.wakeAcc += p.spec.wakeHz * TICK;
        if (p.wakeAcc < 1) {
          p.state = 'S';
          continue;
        }
        p.wakeAcc = Math.min(p.wakeAcc - 1, 1);
      }
      want = Math.min(p.spec.cpuPerWake, TICK);
    }
    m.tickWakeups++;
    const frac = touch(m, p, from);
    if (!p.alive) continue;
    // A steady task that blocked is still in the middle of its wake-up.
    p.resume = p.wait > 0 && p.phase === 'run';
    want *= Math.min(1, frac);
    if (p.wait > 0) {
      p.state = 'D';
      if (want <= 0) continue;
    }
    runnable.push(p);
    wants.push(want);
    wantTotal += want;
  }

  // CPU: share what the kernel left among the runnable tasks.
  const cpuCap = m.config.cpus * TICK;
  const avail = Math.max(cpuCap * 0.1, cpuCap - m.tickSys);
  const share = wantTotal > avail ? avail / wantTotal : 1;
  let user = 0;
  let r = 0;
  userByCg.clear();
  ranThisTick.clear();
  for (let i = 0; i < runnable.length; i++) {
    const p = runnable[i]!;
    if (!p.alive) continue;
    const got = wants[i]! * share;
    const starting = p.phase === 'start';
    // A task that waits for its start-up reads is off the CPU for what it did not use.
    const used = got * progress(m, p, got);
    user += used;
    p.cpuTime += used;
    if (used > 0) ranThisTick.add(p);
    if (p.cid > 0 && !p.spec.hostSide) userByCg.set(p.cid, (userByCg.get(p.cid) ?? 0) + used);
    if (p.wait === 0) p.state = starting || share < 1 ? 'R' : 'S';
    else p.state = 'D';
    // A starting task that got on with its work stays runnable (vmstat r).
    if (starting && p.wait === 0 && used >= got / 2) r++;
  }
  r += Math.round(Math.max(0, user - r * TICK * share) / TICK);
  // More demand than CPU: every task that used its share is queued for the CPU.
  if (share < 1 && user >= avail * 0.95) r = Math.max(r, runnable.length);

  // memory.high: tasks that charged pages over it pay on their way back to user space.
  for (const p of procs) if (p.alive && p.charged > 0 && p.cid > 0) overHigh(m, p);

  // Stalls: vmstat's b counts tasks in D now; iowait is idle time while any task
  // waits for IO; PSI memory stalls as psi_group_change() defines them.
  let nD = 0;
  let noIo = 1;
  let noMem = 1;
  let minMem = 1;
  let nonIdle = 0;
  for (const p of procs) {
    if (!p.alive) continue;
    if (p.wait > 0) nD += dCount(p);
    const io = Math.min(1, p.ioStallT / TICK);
    const mem = Math.min(1, p.memStallT / TICK);
    noIo *= 1 - io;
    noMem *= 1 - mem;
    if (p.state === 'R' || p.state === 'D' || io > 0 || mem > 0 || p.memStallT > 0 || ranThisTick.has(p)) {
      nonIdle++;
      minMem = Math.min(minMem, mem);
    }
  }
  const ioFrac = 1 - noIo;
  const memSome = 1 - noMem;
  cgroupPressure(m);
  // Processes that exited (one-shot) or were killed this tick leave the table.
  if (m.ticks % 50 === 0) compactProcs(m);

  // Time accounting.
  const sys = Math.min(cpuCap - user, m.tickSys);
  let idle = Math.max(0, cpuCap - user - sys);
  const busyFrac = (user + sys) / cpuCap;
  const readPages = (m.counters.pgpgin - pgpginBefore) / 4;
  const waiting = ioFrac > 0 || m.io.length > 0;
  const steal = waiting || busyFrac > 0.3 ? Math.min(idle, cpuCap * 0.011) : 0;
  idle -= steal;
  const iowait = idle * Math.min(1, ioFrac);
  idle -= iowait;
  const cnt = m.counters;
  m.tickIos += writeIos;
  m.tickSys += m.tickIos * IO_COST;
  cnt.user += user;
  cnt.system += sys;
  cnt.idle += idle;
  cnt.iowait += iowait;
  cnt.steal += steal;
  cnt.intr += 36 * TICK * m.config.cpus + m.tickIos * 1.55 + m.tickWakeups * 0.35;
  cnt.ctxt += 60 * TICK * m.config.cpus + m.tickIos * 3.4 + m.tickWakeups * 2 + nD * 0.6;
  // Everything else on the box forks now and then (cron, shells, docker exec): pids move on.
  if (m.ticks % 10 === 0) m.nextPid += Math.floor(nextRandom(m) * 12);
  m.last = { r, b: nD, user, system: sys, idle, iowait, steal };

  // full: stalled tasks and no productive task on a CPU (the non-idle tasks all stall at once).
  psiTick(m, memSome, fullShare(memSome, minMem, nonIdle, user, cpuCap));
  ageScanRate(m);
  // With no reads in flight, what a new read would wait relaxes to the disk's latency.
  if (m.io.length === 0) m.readWait = m.readWait * 0.9 + (m.config.disk.latencyMs / 1000) * 0.1;

  respond(m);

  if (m.t - m.lastThrashEvent > 60) {
    let memStalled = 0;
    for (const p of procs) if (p.alive && p.memStallT > TICK / 2) memStalled++;
    const thrash = readPages >= cap.read * 0.8 && memStalled >= 3;
    if (thrash && !m.thrashing) {
      logEvent(m, { t: m.t, kind: 'thrash', text: `thrashing: the disk is saturated re-reading evicted pages; ${nD} tasks wait in D state` });
      m.lastThrashEvent = m.t;
    }
    m.thrashing = thrash;
  }
  trimLogs(m);
}

/**
 * mem_cgroup_handle_over_high() (mm/memcontrol.c): a task that charged pages while its
 * cgroup was over memory.high reclaims from the cgroup (reclaim_high()) and, while
 * reclaim makes progress, tries again; once it stops helping (MAX_RECLAIM_RETRIES
 * fruitless rounds) the task sleeps for the penalty calculate_high_delay() gives.
 */
function overHigh(m: MachineState, p: Proc): void {
  const c = containerById(m, p.cid);
  if (!c || c.memHigh <= 0 || p.spec.hostSide) return;
  let usage = memcgUsage(m, c);
  if (usage <= c.memHigh) return;
  c.events.high++;
  let retries = MAX_RETRIES;
  let want = p.charged;
  for (let round = 0; round < 64; round++) {
    const freed = reclaim(m, Math.max(32, want), c.id);
    m.tickSys += DIRECT_RECLAIM_COST;
    p.memStallT += DIRECT_RECLAIM_COST * 4;
    usage = memcgUsage(m, c);
    const penalty = highPenalty(usage, c.memHigh, p.charged);
    if (penalty === 0) return;
    if (freed > 0 || retries-- > 0) {
      want = 32; // SWAP_CLUSTER_MAX on the retries
      continue;
    }
    p.throttleUntil = Math.max(p.throttleUntil, m.t + penalty);
    return;
  }
}

const cgNoMem: number[] = [];
const cgMinMem: number[] = [];
const cgBusy: number[] = [];
/** CPU time each container's tasks used productively this tick (scratch, by container id). */
const userByCg = new Map<number, number>();
/** Tasks that ran on the CPU this tick: non-idle for PSI even if they sleep at its end. */
const ranThisTick = new Set<Proc>();

/**
 * A cgroup's FULL share of a tick, by the rule test_state() in kernel/sched/psi.c applies
 * to every psi_group (PSI_MEM_FULL: tasks[NR_MEMSTALL] && tasks[NR_RUNNING] == tasks[NR_MEMSTALL_RUNNING]):
 * its tasks stall on memory and none of them runs productively on the CPU. Tasks that
 * only wait for IO do not prevent it; the system's full in `tick` uses the same rule.
 */
function fullShare(some: number, minMem: number, busy: number, user: number, cpuCap: number): number {
  if (busy === 0) return 0;
  const productive = Math.min(1, user / cpuCap);
  return Math.min(some, Math.max(minMem, some * (1 - productive)));
}

/**
 * Each container's memory.pressure, from the stalls of its own tasks (its psi_group),
 * and, with systemd-oomd on, that of the slice holding them all: the tasks of every
 * container together, as the parent cgroup's psi_group counts its descendants' tasks.
 */
function cgroupPressure(m: MachineState): void {
  const cpuCap = m.config.cpus * TICK;
  let sliceNoMem = 1;
  let sliceMinMem = 1;
  let sliceBusy = 0;
  const n = m.containers.length;
  cgNoMem.length = n;
  cgMinMem.length = n;
  cgBusy.length = n;
  for (let i = 0; i < n; i++) {
    cgNoMem[i] = 1;
    cgMinMem[i] = 1;
    cgBusy[i] = 0;
  }
  for (const p of m.procs) {
    if (!p.alive || p.cid <= 0 || p.spec.hostSide) continue;
    const i = m.containers[p.cid - 1]?.id === p.cid ? p.cid - 1 : m.containers.findIndex((c) => c.id === p.cid);
    if (i < 0) continue;
    const mem = Math.min(1, p.memStallT / TICK);
    cgNoMem[i]! *= 1 - mem;
    sliceNoMem *= 1 - mem;
    if (p.state === 'R' || p.state === 'D' || mem > 0 || p.ioStallT > 0 || ranThisTick.has(p)) {
      cgBusy[i]!++;
      cgMinMem[i] = Math.min(cgMinMem[i]!, mem);
      sliceBusy++;
      sliceMinMem = Math.min(sliceMinMem, mem);
    }
  }
  let sliceUser = 0;
  for (let i = 0; i < n; i++) {
    const c = m.containers[i]!;
    const user = userByCg.get(c.id) ?? 0;
    sliceUser += user;
    if (c.state === 'exited' && c.psi.winSome === 0 && c.psi.some[2] < 0.005) continue;
    const some = 1 - cgNoMem[i]!;
    psiAccount(c.psi, m.t, some, fullShare(some, cgMinMem[i]!, cgBusy[i]!, user, cpuCap));
  }
  const oomd = m.responders.oomd;
  if (oomd) {
    const some = 1 - sliceNoMem;
    psiAccount(oomd.psi, m.t, some, fullShare(some, sliceMinMem, sliceBusy, sliceUser, cpuCap));
  }
}

/** Blocked threads of a blocked process (vmstat b counts tasks, i.e. threads). */
function dCount(p: Proc): number {
  return p.spec.threads !== undefined && p.spec.threads > 8 ? 2 : 1;
}

function compactProcs(m: MachineState): void {
  let dead = 0;
  for (const p of m.procs) if (!p.alive) dead++;
  if (dead > 0) m.procs = m.procs.filter((p) => p.alive);
}

// ---------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------

export function applyAction(m: MachineState, a: Action): void {
  validateAction(m, a);
  switch (a.type) {
    case 'startContainer': {
      const { type: _t, profile, name, restart, ...knobs } = a;
      startContainer(m, profile, name, restart ?? 'no', knobs);
      return;
    }
    case 'updateContainer': {
      const c = m.containers.find((x) => x.name === a.name && x.state !== 'exited');
      if (!c) return;
      const { type: _t, name: _n, ...knobs } = a;
      const warning = applyKnobs(m, c, knobs, true);
      logEvent(m, { t: m.t, kind: 'action', container: c.name, text: `docker update ${c.name}${knobText(c) || ': no limits'}` });
      if (warning) logEvent(m, { t: m.t, kind: 'container', container: c.name, text: warning });
      // A lower memory.max reclaims (and may OOM) at once, as writing memory.max does.
      if (c.memLimit > 0 && c.state === 'running') {
        const over = memcgUsage(m, c) - c.memLimit;
        if (over > 0) chargeMemcg(m, c, 0, null, false);
      }
      return;
    }
    case 'setResponders':
      setResponders(m, a.responders);
      return;
    case 'stopContainer':
    case 'killContainer': {
      const c = m.containers.find((x) => x.name === a.name && x.state !== 'exited');
      if (!c) return;
      logEvent(m, { t: m.t, kind: 'action', container: c.name, text: `${a.type === 'stopContainer' ? 'docker stop' : 'docker kill'} ${c.name}` });
      stopContainer(m, c, a.type === 'stopContainer' ? 0 : 137);
      return;
    }
    case 'killAll': {
      const live = m.containers.filter((c) => c.state !== 'exited');
      logEvent(m, { t: m.t, kind: 'action', text: `docker kill $(docker ps -q): ${live.length} container${live.length === 1 ? '' : 's'}` });
      for (const c of live) stopContainer(m, c, 137);
      return;
    }
    case 'startApp': {
      const host = HOSTS[m.config.host];
      const app = host?.apps[a.app];
      if (!app) throw new Error(`unknown app ${a.app}`);
      for (const fs of app.files) if (!findFile(m, fs.key)) newFile(m, fs.key, fs, 0);
      for (let i = 0; i < app.services.length; i++) {
        const spec = app.services[i]!;
        const p = spawn(m, spec, 0, i, m.t + (spec.delay ?? 0));
        resolveHot(m, p, 0, '');
      }
      logEvent(m, { t: m.t, kind: 'start', text: `started ${a.app} (${app.services.length} processes)` });
      return;
    }
    case 'startHostProcess': {
      const p = spawn(m, a.service, 0, -1, m.t + (a.service.delay ?? 0));
      resolveHot(m, p, 0, '');
      logEvent(m, { t: m.t, kind: 'start', pid: p.pid, text: `started ${p.comm} (pid ${p.pid})` });
      return;
    }
    case 'setSwap': {
      const pages = mib(Math.max(0, a.mib));
      if (pages < m.swapUsed) {
        // swapoff (try_to_unuse()): everything comes back in; swap-cache pages just lose their slot.
        for (const p of m.procs) {
          if (!p.alive) continue;
          m.swapUsed -= p.swapCache;
          p.swapCache = 0;
          if (p.swap === 0) continue;
          const x = p.swap;
          if (!alloc(m, x, p, p.spec.hostSide ? 0 : p.cid)) continue;
          p.swap = 0;
          p.swapHot = 0;
          m.swapUsed -= x;
          p.anonI += x;
          m.counters.pswpin += x;
          m.counters.pgpgin += x * 4;
        }
      }
      m.swapTotal = Math.max(pages, m.swapUsed);
      m.config.swapMiB = Math.round(m.swapTotal / PAGES_PER_MIB);
      logEvent(m, { t: m.t, kind: 'swap', text: pages > 0 ? `swapon: ${a.mib} MiB of swap` : 'swapoff: swap disabled' });
      return;
    }
    case 'setSwappiness':
      m.swappiness = Math.max(0, Math.min(200, Math.round(a.value)));
      m.config.swappiness = m.swappiness;
      return;
    case 'setOomScoreAdj': {
      const v = Math.max(-1000, Math.min(1000, Math.round(a.value)));
      for (const p of m.procs) if (p.alive && (a.pid === p.pid || (a.comm !== undefined && p.comm === a.comm))) p.adj = v;
      return;
    }
    case 'dropCaches': {
      const what = a.what ?? 3;
      if (what & 1) {
        let freed = 0;
        for (const f of m.files) {
          const keepA = f.kind === 'exec' ? Math.min(f.active, f.refA) : f.hotA;
          const dropA = f.active - keepA;
          const dropI = Math.max(0, f.inactive - f.dirty - f.hotI);
          f.active -= dropA;
          inactiveRemove(f, dropI);
          f.refA = Math.min(f.refA, f.active);
          f.hotRes = Math.min(f.hotRes, f.active + f.inactive + f.inflight);
          freed += dropA + dropI;
        }
        m.free += freed;
      }
      if (what & 2) {
        const x = Math.max(0, m.slabRecl - m.slabFloor);
        m.slabRecl -= x;
        m.free += x;
      }
      logEvent(m, { t: m.t, kind: 'action', text: `echo ${what} > /proc/sys/vm/drop_caches` });
      return;
    }
    case 'readFile': {
      const name = a.name ?? `/data/file-${m.files.length}`;
      const key = `read:${name}`;
      if (!findFile(m, key)) newFile(m, key, { key, name, mib: a.mib, kind: 'data', scope: 'host' }, 0);
      const spec: ServiceSpec = {
        name: 'cat', command: `cat ${name}`, anonMiB: 0.3, startCpu: Math.max(0.01, a.mib / 2000), oneShot: true,
        startReads: [{ file: key, mib: a.mib, sequential: true }], hot: [{ file: 'host/libc', mib: 0.1 }], wakeHz: 0, cpuPerWake: 0,
      };
      const p = spawn(m, spec, 0, -1, m.t);
      resolveHot(m, p, 0, '');
      logEvent(m, { t: m.t, kind: 'start', pid: p.pid, text: `cat ${name} (${a.mib} MiB) > /dev/null` });
      return;
    }
  }
}

export { procByPid };
