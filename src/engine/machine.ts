import type {
  Action,
  IoReq,
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
import { nextRandom, seedState, stochasticRound } from './rng';
import { ageScanRate, hotResident, judgeRefaults, reclaim, reclaimablePages, zoneReclaimable } from './reclaim';
import { IO_COST, MAX_REQ_PAGES, completeRead, completeReads, diskPagesPerTick, procByPid, sequentialReads, serveWrites, submitRead } from './disk';
import { buildOomReport, selectVictim, totalPagesFor } from './oom';
import { psiTick } from './psi';

/**
 * The machine: state construction, one simulation tick, and actions.
 * All functions mutate a plain-JSON MachineState.
 */

const mib = (x: number) => Math.round(x * PAGES_PER_MIB);
const DIRECT_RECLAIM_COST = 1.5e-4; // CPU seconds per direct-reclaim entry
const FAULT_COST = 2e-5; // CPU seconds per major fault
const MINFLT_COST = 4e-7;
const MAX_RETRIES = 16; // MAX_RECLAIM_RETRIES (mm/internal.h)
/** Swap readahead: 2^page_cluster pages (page-cluster = 3). */
const SWAP_CLUSTER = 8;
/** MMAP_LOTSAMISS (mm/filemap.c): read-around stops after this many misses without hits. */
const MMAP_LOTSAMISS = 100;

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
  for (const f of m.files) if (f.key === key) return f;
  return undefined;
}

export function createState(config: MachineConfig): MachineState {
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
  m.events.push({ t: 0, kind: 'boot', text: `booted: ${ramMiB} MiB RAM, ${config.swapMiB ?? 0} MiB swap, ${m.config.cpus} CPU` });
  return m;
}

function pgtFor(p: Proc): number {
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

function fileKeyFor(m: MachineState, key: string, cid: number, cname: string): string {
  if (key.startsWith('ctr/')) return `${cname}:${key}`;
  if (key.startsWith('img/')) {
    const c = m.containers.find((x) => x.id === cid);
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
  for (const c of m.containers) if (c.id === id) return c;
  return undefined;
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
    m.events.push({ t: m.t, kind: 'kswapd', text: `kswapd0 woke up: free memory fell below the low watermark (${Math.round(((m.wmark.low + m.lowmemReserve) * 4) / 1024)} MiB)` });
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

function freeAnon(m: MachineState, p: Proc, n: number): void {
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

function releaseProc(m: MachineState, p: Proc): void {
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
  m.ooms.push(report);
  m.counters.oomKills++;
  const cont = containerById(m, victim.cid);
  m.events.push({
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
  m.events.push({ t: m.t, kind: 'container', container: c.name, text: `docker run: container ${c.name} (${profile.image}) started${c.memLimit ? `, memory limit ${memLimitMiB} MiB` : ''}` });
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
    m.events.push({ t: m.t, kind: 'exit', container: c.name, text: `container ${c.name} exited (${code})${c.oomKilled ? ', OOMKilled' : ''}` });
    return;
  }
  // Docker's restart manager: 100 ms, doubling, capped at 60 s; reset after 10 s of uptime.
  c.backoffMs = ran >= 10 || c.backoffMs === 0 ? 100 : Math.min(60000, c.backoffMs * 2);
  c.state = 'restarting';
  c.restartAt = m.t + c.backoffMs / 1000;
  m.events.push({ t: m.t, kind: 'exit', container: c.name, text: `container ${c.name} exited (${code})${c.oomKilled ? ', OOMKilled' : ''}; docker restarts it in ${c.backoffMs} ms` });
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
// Processes
// ---------------------------------------------------------------------------

function cgOfFile(f: FileObj): number {
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
  if (x > 1 && !alloc(m, x, p, cgOfFile(f), true)) {
    if (!p.alive) return null;
    x = 1;
  }
  if (x === 1 && !alloc(m, 1, p, cgOfFile(f))) return null;
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
    // Cached pages it maps again by fault-around each pay one miss back (filemap_map_pages()).
    if (f.mmapMiss > 0) f.mmapMiss = Math.max(0, f.mmapMiss - Math.ceil(x));
  }
}

function touch(m: MachineState, p: Proc, start: number): number {
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
    if (!alloc(m, fresh, p, cgOfFile(f))) return;
    inactiveAdd(f, fresh, m.t);
    f.hotI += fresh;
  }
  const redirty = Math.min(n - fresh, f.inactive - f.dirty - fresh);
  const d = fresh + Math.max(0, redirty);
  f.dirty += d;
  if (d <= 0) return;
  if (sync && p) {
    m.wbQueue.push({ file: f.id, pages: d, t: m.t, pid: p.pid });
    m.wbUrgent = true;
    p.wait += 1;
  } else {
    m.wbQueue.push({ file: f.id, pages: d, t: m.t });
  }
}

function fileFor(m: MachineState, p: Proc, key: string): FileObj | undefined {
  const c = containerById(m, p.cid);
  return findFile(m, fileKeyFor(m, key, p.cid, c ? c.name : ''));
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

/** p got `got` CPU seconds this tick; returns the share of them it could use. */
function progress(m: MachineState, p: Proc, got: number): number {
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
    if (writePages > 0) {
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
        m.events.push({ t: m.t, kind: 'exit', pid: p.pid, text: `${p.comm} (pid ${p.pid}) finished` });
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
      m.events.push({ t: m.t, kind: 'restart', container: c.name, text: `docker restarted container ${c.name} (restart #${c.restartCount}, after ${c.backoffMs} ms)` });
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
      m.events.push({ t: m.t, kind: 'restart', pid: p.pid, container: c.name, text: `supervisord in ${c.name} restarted ${spec.name} (pid ${p.pid})` });
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
      m.events.push({ t: m.t, kind: 'thrash', text: `thrashing: the disk is saturated re-reading evicted pages; ${nD} tasks wait in D state` });
      m.lastThrashEvent = m.t;
    }
    m.thrashing = thrash;
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
  switch (a.type) {
    case 'startContainer':
      startContainer(m, a.profile, a.name, a.restart ?? 'no', a.memLimitMiB ?? 0);
      return;
    case 'stopContainer':
    case 'killContainer': {
      const c = m.containers.find((x) => x.name === a.name && x.state !== 'exited');
      if (!c) return;
      m.events.push({ t: m.t, kind: 'action', container: c.name, text: `${a.type === 'stopContainer' ? 'docker stop' : 'docker kill'} ${c.name}` });
      stopContainer(m, c, a.type === 'stopContainer' ? 0 : 137);
      return;
    }
    case 'killAll': {
      const live = m.containers.filter((c) => c.state !== 'exited');
      m.events.push({ t: m.t, kind: 'action', text: `docker kill $(docker ps -q): ${live.length} container${live.length === 1 ? '' : 's'}` });
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
      m.events.push({ t: m.t, kind: 'start', text: `started ${a.app} (${app.services.length} processes)` });
      return;
    }
    case 'startHostProcess': {
      const p = spawn(m, a.service, 0, -1, m.t + (a.service.delay ?? 0));
      resolveHot(m, p, 0, '');
      m.events.push({ t: m.t, kind: 'start', pid: p.pid, text: `started ${p.comm} (pid ${p.pid})` });
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
      m.events.push({ t: m.t, kind: 'swap', text: pages > 0 ? `swapon: ${a.mib} MiB of swap` : 'swapoff: swap disabled' });
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
      m.events.push({ t: m.t, kind: 'action', text: `echo ${what} > /proc/sys/vm/drop_caches` });
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
      m.events.push({ t: m.t, kind: 'start', pid: p.pid, text: `cat ${name} (${a.mib} MiB) > /dev/null` });
      return;
    }
  }
}

export { procByPid };
