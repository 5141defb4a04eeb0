import type {
  Action,
  Container,
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
import { buildOomReport, selectVictim, totalPagesFor } from './oom';
import { psiTick } from './psi';
import { progress, touch } from './faults';
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
    id: m.files.length, key, name: spec.name, kind: spec.kind, cg, size: Math.max(1, mib(spec.mib)),
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
    psi: { someTotal: 0, fullTotal: 0, some: [0, 0, 0], full: [0, 0, 0], winSome: 0, winFull: 0, winStart: 0 },
    events: [],
    ooms: [],
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
  return m;
}

export function pgtFor(p: Proc): number {
  return 3 + Math.floor((p.anonA + p.anonI + p.swap) / 256) + Math.floor(((p.spec.vmMiB ?? 16) * 256) / 32768);
}

function spawn(m: MachineState, spec: ServiceSpec, cid: number, svc: number, startAt: number): Proc {
  const pid = m.nextPid;
  m.nextPid += 1 + Math.floor(nextRandom(m) * 3);
  const comm = Array.from(spec.name).slice(0, 15).join('');
  const p: Proc = {
    pid, comm, command: spec.command ?? spec.name, cid, svc,
    uid: spec.uid ?? 0, user: spec.user ?? (spec.uid ? `u${spec.uid}` : 'root'),
    adj: spec.oomScoreAdj ?? 0, alive: true, state: 'S', phase: 'wait', startAt, startedAt: startAt, progress: 0,
    anonA: 0, anonI: 0, swap: 0, pgt: 0, kstack: 0, anonRef: 0, swapHot: 0, swapCache: 0,
    wait: 0, waitUntil: 0, lastRun: startAt, heapT: 0, ioStallT: 0, memStallT: 0, memWait: false,
    wakeAcc: nextRandom(m), resume: false, spec, hotIds: [], hotPages: [], cpuTime: 0, majflt: 0, minflt: 0, restarts: 0,
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

export function containerById(m: MachineState, id: number): Container | undefined {
  return containerWithId(m.containers, id);
}

/** Pages charged to a container's memory cgroup. */
export function memcgUsage(m: MachineState, c: Container): number {
  let n = c.shmem;
  for (const p of m.procs) if (p.alive && p.cid === c.id && !p.spec.hostSide) n += p.anonA + p.anonI + p.pgt;
  for (const f of m.files) if (f.cg === c.id) n += f.active + f.inactive + f.inflight;
  return n;
}

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
  const c = cg > 0 ? containerById(m, cg) : undefined;
  if (c && c.memLimit > 0) {
    // try_charge_memcg(): reclaim inside the cgroup, retrying MAX_RECLAIM_RETRIES
    // times without progress before mem_cgroup_oom().
    let guard = 0;
    let noProgress = 0;
    while (memcgUsage(m, c) + n > c.memLimit) {
      const over = memcgUsage(m, c) + n - c.memLimit;
      const freed = reclaim(m, over + 32, c.id);
      m.tickSys += DIRECT_RECLAIM_COST;
      if (p) p.memStallT += DIRECT_RECLAIM_COST * 4;
      if (++guard > 256) return false;
      if (freed > 0) {
        noProgress = 0;
        continue;
      }
      if (++noProgress <= MAX_RETRIES) continue;
      c.failcnt++;
      noProgress = 0;
      if (!oomKill(m, p, c)) return false;
      if (p && !p.alive) return false;
    }
  }
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
      // Nothing left to kill: the allocation fails (the task would loop in the kernel).
      return false;
    }
    noProgress = 0;
  }
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

/** The OOM killer. `c` set: memcg OOM inside that container only. Returns true if a task was killed. */
export function oomKill(m: MachineState, invoker: Proc | null, c: Container | undefined | null): boolean {
  const memcg = c && c.memLimit > 0 ? c : null;
  const candidates = m.procs.filter((p) => p.alive && (!memcg || (p.cid === memcg.id && !p.spec.hostSide)));
  const tp = totalPagesFor(m, memcg ? memcg.memLimit : 0);
  const pick = selectVictim(m, candidates, tp);
  if (!pick) return false;
  const { victim, points } = pick;
  const path = memcg ? `/docker/${memcg.hexId}` : '';
  const report = buildOomReport(
    m, invoker, candidates, victim, points, tp,
    memcg ? { path, usage: memcgUsage(m, memcg), limit: memcg.memLimit, failcnt: memcg.failcnt } : null,
  );
  if (!memcg) {
    const vc = containerById(m, victim.cid);
    if (vc) report.victimMemcgPath = `/docker/${vc.hexId}`;
  }
  logOom(m, report);
  m.counters.oomKills++;
  const cont = containerById(m, victim.cid);
  logEvent(m, {
    t: m.t,
    kind: 'oom',
    pid: victim.pid,
    score: report.victim.score,
    points,
    totalpages: tp,
    reclaimable: reclaimablePages(m, memcg ? memcg.id : -1),
    memcg: !!memcg,
    ...(cont ? { container: cont.name } : {}),
    text: `${memcg ? `memory cgroup of ${memcg.name} out of memory` : 'out of memory'}: killed ${victim.comm} (pid ${victim.pid}${cont ? `, ${cont.name}` : ''}), score ${report.victim.score}, rss ${Math.round((report.victim.anonRssKb + report.victim.fileRssKb) / 1024)} MiB`,
  });
  killProc(m, victim, 'oom', !!memcg);
  return true;
}

/** SIGKILL a process and let its supervisor / docker react. */
function killProc(m: MachineState, p: Proc, why: 'oom' | 'signal', memcgOom: boolean): void {
  releaseProc(m, p);
  const c = containerById(m, p.cid);
  if (!c || c.state !== 'running') return;
  c.pids = c.pids.filter((x) => x !== p.pid);
  if (p.spec.main) {
    containerExit(m, c, 137, why === 'oom' && memcgOom);
    return;
  }
  if (p.spec.supervised) {
    const profile = CONTAINERS[c.profile];
    const delay = profile?.supervisorDelay ?? 1;
    c.supRestarts.push({ svc: p.svc, at: m.t + delay });
  }
  if (memcgOom) c.oomKilled = true;
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
  for (const fs of profile.files) {
    const key = fileKeyFor(m, fs.key, c.id, c.name);
    if (!findFile(m, key)) newFile(m, key, fs, fs.scope === 'container' ? c.id : 0);
  }
  const kern = mib(profile.kernelMiB);
  if (alloc(m, kern, null, 0)) {
    c.kernel = kern;
    m.slabUnrecl += kern;
  }
  const slab = mib(profile.slabMiB);
  if (alloc(m, slab, null, 0)) {
    c.slab = slab;
    m.slabRecl += slab;
    m.slabFloor += Math.floor(slab * 0.35);
  }
  const sh = mib(profile.shmemMiB);
  if (alloc(m, sh, null, c.id)) c.shmem = sh;
  c.pids = [];
  for (let i = 0; i < profile.services.length; i++) {
    const spec = profile.services[i]!;
    const p = spawn(m, spec, c.id, i, m.t + (spec.delay ?? 0));
    resolveHot(m, p, c.id, c.name);
    c.pids.push(p.pid);
  }
}

export function startContainer(
  m: MachineState,
  profileName: string,
  name: string | undefined,
  restart: Container['restart'],
  memLimitMiB: number,
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
    memLimit: memLimitMiB > 0 ? mib(memLimitMiB) : 0,
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
  m.containers.push(c);
  startContainerProcesses(m, c, profile);
  logEvent(m, { t: m.t, kind: 'container', container: c.name, text: `docker run: container ${c.name} (${profile.image}) started${c.memLimit ? `, memory limit ${memLimitMiB} MiB` : ''}` });
  return c;
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
      const p = spawn(m, spec, c.id, r.svc, m.t);
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
  for (let i = 0; i < runnable.length; i++) {
    const p = runnable[i]!;
    if (!p.alive) continue;
    const got = wants[i]! * share;
    const starting = p.phase === 'start';
    // A task that waits for its start-up reads is off the CPU for what it did not use.
    const used = got * progress(m, p, got);
    user += used;
    p.cpuTime += used;
    if (p.wait === 0) p.state = starting || share < 1 ? 'R' : 'S';
    else p.state = 'D';
    // A starting task that got on with its work stays runnable (vmstat r).
    if (starting && p.wait === 0 && used >= got / 2) r++;
  }
  r += Math.round(Math.max(0, user - r * TICK * share) / TICK);
  // More demand than CPU: every task that used its share is queued for the CPU.
  if (share < 1 && user >= avail * 0.95) r = Math.max(r, runnable.length);

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
    if (p.state === 'R' || p.state === 'D' || io > 0 || mem > 0 || p.memStallT > 0) {
      nonIdle++;
      minMem = Math.min(minMem, mem);
    }
  }
  const ioFrac = 1 - noIo;
  const memSome = 1 - noMem;
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
  const productive = Math.min(1, user / cpuCap);
  const memFull = nonIdle > 0 ? Math.min(memSome, Math.max(minMem, memSome * (1 - productive))) : 0;
  psiTick(m, memSome, memFull);
  ageScanRate(m);
  // With no reads in flight, what a new read would wait relaxes to the disk's latency.
  if (m.io.length === 0) m.readWait = m.readWait * 0.9 + (m.config.disk.latencyMs / 1000) * 0.1;

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
    case 'startContainer':
      startContainer(m, a.profile, a.name, a.restart ?? 'no', a.memLimitMiB ?? 0);
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
