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
import { CONTAINERS, HOSTS } from './profiles';
import { nextRandom, seedState, stochasticRound } from './rng';
import { reclaim, reclaimablePages } from './reclaim';
import { IO_COST, MAX_REQ_PAGES, diskPagesPerTick, procByPid, serveReads, serveWrites } from './disk';
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
const MAX_RETRIES = 16; // MAX_RECLAIM_RETRIES

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
    workingsetRefault: 0, workingsetActivate: 0, workingsetRefaultAnon: 0, allocstall: 0, kswapdWakes: 0, oomKills: 0,
  };
}

function newFile(m: MachineState, key: string, spec: FileSpec, cg: number): FileObj {
  const f: FileObj = {
    id: m.files.length, key, name: spec.name, kind: spec.kind, cg, size: Math.max(1, mib(spec.mib)),
    active: 0, inactive: 0, inflight: 0, dirty: 0, refA: 0, hotA: 0, hotI: 0, shadow: 0, queuedWb: 0,
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
      disk: { readMiBps: 62.1, writeMiBps: 62.1, iops: 3000, ...config.disk },
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
    ioCarry: 0,
    wbQueue: [],
    wbUrgent: false,
    tickSys: 0,
    tickDirectStall: 0,
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
    f.inactive = n - f.active;
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
    anonA: 0, anonI: 0, swap: 0, pgt: 0, kstack: 0, anonRef: 0, wait: 0, memWait: false,
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
    p.hotIds.push(f.id);
    p.hotPages.push(Math.min(f.size, mib(t.mib)));
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
 */
export function alloc(m: MachineState, n: number, p: Proc | null, cg: number): boolean {
  if (p && !p.alive) return false;
  if (n <= 0) return true;
  const c = cg > 0 ? containerById(m, cg) : undefined;
  if (c && c.memLimit > 0) {
    let guard = 0;
    while (memcgUsage(m, c) + n > c.memLimit) {
      const over = memcgUsage(m, c) + n - c.memLimit;
      const freed = reclaim(m, over + 32, c.id);
      m.tickSys += DIRECT_RECLAIM_COST;
      if (p) m.tickDirectStall += DIRECT_RECLAIM_COST * 4;
      if (freed > 0) {
        if (++guard > 64) break;
        continue;
      }
      c.failcnt++;
      oomKill(m, p, c);
      if (p && !p.alive) return false;
      if (++guard > 64) return false;
    }
    if (memcgUsage(m, c) + n > c.memLimit) return false;
  }
  let kills = 0;
  let retries = 0;
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
    if (p) m.tickDirectStall += DIRECT_RECLAIM_COST * 4;
    const freed = reclaim(m, n + 32, -1);
    if (freed > 0) {
      retries = 0;
      continue;
    }
    // No progress. The state cannot change between the kernel's retries within
    // this step, so the 16 retries all fail alike: out_of_memory().
    retries = MAX_RETRIES;
    m.noProgress += retries;
    const killed = oomKill(m, p, null);
    if (p && !p.alive) return false;
    if (!killed || ++kills > 8) {
      // Nothing left to kill: the allocation fails (the task would loop in the kernel).
      return false;
    }
  }
}

function freeAnon(m: MachineState, p: Proc, n: number): void {
  const fromI = Math.min(p.anonI, n);
  p.anonI -= fromI;
  const fromA = Math.min(p.anonA, n - fromI);
  p.anonA -= fromA;
  m.free += fromI + fromA;
  p.anonRef = Math.min(p.anonRef, p.anonA + p.anonI);
}

function releaseProc(m: MachineState, p: Proc): void {
  m.free += p.anonA + p.anonI + p.pgt + p.kstack;
  m.swapUsed -= p.swap;
  p.anonA = p.anonI = p.swap = p.pgt = p.kstack = p.anonRef = 0;
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

/** Start a read of n missing pages of f for p: pages are allocated now and land when the disk is done. */
function readIn(m: MachineState, p: Proc, f: FileObj, n: number, memstall: boolean): boolean {
  const room = f.size - f.active - f.inactive - f.inflight;
  const x = Math.min(n, room);
  if (x <= 0) return true;
  if (!alloc(m, x, p, cgOfFile(f))) return p.alive;
  f.inflight += x;
  m.io.push({ pid: p.pid, file: f.id, pages: x, memstall });
  p.wait += x;
  if (memstall) p.memWait = true;
  const faults = Math.ceil(x / MAX_REQ_PAGES);
  p.majflt += faults;
  m.counters.pgmajfault += faults;
  m.counters.pgfault += faults;
  m.tickSys += faults * FAULT_COST;
  return true;
}

/**
 * Touch the hot pages. Resident pages are referenced (inactive ones activated);
 * the missing ones are major faults. A running task can only fault one cluster at
 * a time: it reads up to FAULT_CLUSTER pages and blocks, and runs only for the part
 * of its slice it gets through before that fault. Returns the fraction of the
 * slice it runs (1 = no fault); p.wait > 0 afterwards means it blocks.
 */
const FAULT_CLUSTER = 32;
const RUN_PAGES_PER_FAULT = 5;
const missBuf: number[] = [];
function touch(m: MachineState, p: Proc): number {
  let missingTotal = 0;
  let inflightWait = false;
  missBuf.length = p.hotIds.length;
  for (let k = 0; k < p.hotIds.length; k++) {
    const f = m.files[p.hotIds[k]!]!;
    const h = p.hotPages[k]!;
    const S = f.size;
    const R = f.active + f.inactive;
    if (R > 0) {
      const x = (h * R) / S;
      // Pages found on the inactive list are activated (referenced again).
      const clean = f.inactive - f.dirty - f.hotI;
      const xi = Math.min(Math.max(0, clean), stochasticRound(m, (x * f.inactive) / R));
      if (xi > 0) {
        f.inactive -= xi;
        f.active += xi;
      }
      const xa = x - xi;
      const hot = Math.min(f.active, Math.round(f.hotA + xi + xa * (1 - f.hotA / Math.max(1, f.active))));
      f.hotA = hot;
      if (f.refA < hot) f.refA = hot;
      else f.refA = Math.min(f.active, Math.round(f.refA + (xi + xa) * (1 - f.refA / Math.max(1, f.active))));
      m.counters.pgfault += Math.ceil(x / 64);
    }
    const miss = (h * (S - R - f.inflight)) / S;
    missBuf[k] = miss;
    missingTotal += miss;
    if (f.inflight > 0 && (h * f.inflight) / S >= 1) inflightWait = true;
  }
  let frac = 1;
  if (missingTotal >= 0.5) {
    // Fault one cluster, from the files in proportion to what is missing.
    const cluster = Math.min(FAULT_CLUSTER, stochasticRound(m, missingTotal));
    // It gets as far as the next missing page: about 1/missing of its run.
    frac = Math.min(1, RUN_PAGES_PER_FAULT / missingTotal) * nextRandom(m);
    let left = cluster;
    for (let k = 0; k < p.hotIds.length && left > 0; k++) {
      const mk = missBuf[k]!;
      if (mk <= 0) continue;
      const n = Math.min(left, Math.max(1, stochasticRound(m, (cluster * mk) / missingTotal)));
      const f = m.files[p.hotIds[k]!]!;
      if (!readIn(m, p, f, n, f.shadow > 0)) return 0;
      left -= n;
    }
  } else if (inflightWait) {
    // Someone else is reading what p needs: wait for it too.
    m.io.push({ pid: p.pid, file: -2, pages: 0, memstall: true });
    p.wait += 1;
    p.memWait = true;
    frac = 0.5 * nextRandom(m);
  }
  // Anonymous working set that was swapped out must come back (swap-in, si).
  if (p.swap > 0 && p.wait === 0) {
    const total = p.anonA + p.anonI + p.swap;
    const need = ((p.spec.anonHot ?? 0.3) * total * p.swap) / total;
    const x = Math.min(FAULT_CLUSTER, p.swap, stochasticRound(m, need));
    if (x > 0) {
      if (!alloc(m, x, p, p.spec.hostSide ? 0 : p.cid)) return 0;
      p.swap -= x;
      m.swapUsed -= x;
      p.anonA += x;
      m.counters.pswpin += x;
      m.counters.workingsetRefaultAnon += x;
      m.io.push({ pid: p.pid, file: -1, pages: x, memstall: true });
      p.wait += x;
      p.memWait = true;
      p.majflt += 1;
      m.counters.pgmajfault += 1;
      frac = Math.min(frac, Math.min(1, x / Math.max(1, need)) * nextRandom(m));
    }
  }
  return frac;
}

/** Grow or shrink p's anonymous memory to `target` pages. */
function setAnon(m: MachineState, p: Proc, target: number): boolean {
  const cur = p.anonA + p.anonI + p.swap;
  if (target > cur) {
    const n = target - cur;
    if (!alloc(m, n, p, p.spec.hostSide ? 0 : p.cid)) return false;
    p.anonA += n;
    p.minflt += n;
    m.counters.pgfault += n;
    m.tickSys += n * MINFLT_COST;
    const pg = pgtFor(p) - p.pgt;
    if (pg > 0 && alloc(m, pg, p, p.spec.hostSide ? 0 : p.cid)) p.pgt += pg;
  } else if (target < cur) {
    let n = cur - target;
    const fromSwap = Math.min(p.swap, Math.floor((n * p.swap) / Math.max(1, cur)));
    p.swap -= fromSwap;
    m.swapUsed -= fromSwap;
    n -= fromSwap;
    freeAnon(m, p, n);
  }
  return p.alive;
}

function writeFile(m: MachineState, p: Proc | null, f: FileObj, n: number): void {
  if (n <= 0) return;
  const room = Math.max(0, f.size - f.active - f.inactive - f.inflight);
  const fresh = Math.min(n, room);
  if (fresh > 0) {
    if (!alloc(m, fresh, p, cgOfFile(f))) return;
    f.inactive += fresh;
    f.hotI += fresh;
  }
  const redirty = Math.min(n - fresh, f.inactive - f.dirty - fresh);
  const d = fresh + Math.max(0, redirty);
  f.dirty += d;
  if (d > 0) m.wbQueue.push({ file: f.id, pages: d, t: m.t });
}

function fileFor(m: MachineState, p: Proc, key: string): FileObj | undefined {
  const c = containerById(m, p.cid);
  return findFile(m, fileKeyFor(m, key, p.cid, c ? c.name : ''));
}

/** p got `got` CPU seconds this tick. */
function progress(m: MachineState, p: Proc, got: number): void {
  const s = p.spec;
  if (p.phase === 'start') {
    const d = s.startCpu > 0 ? got / s.startCpu : 1;
    const prev = p.progress;
    p.progress = Math.min(1, prev + d);
    const dp = p.progress - prev;
    const peak = mib(s.peakMiB ?? s.anonMiB);
    // The heap is faulted in as the task starts (heapS), or along with its start-up work.
    const heap = s.heapS ? Math.max(p.progress, Math.min(1, (m.t - p.startedAt) / s.heapS)) : p.progress;
    if (!setAnon(m, p, Math.round(peak * heap))) return;
    for (const r of s.startReads ?? []) {
      const f = fileFor(m, p, r.file);
      if (!f) continue;
      const pages = mib(r.mib) * dp;
      // Start-up reads stream through a file: what is already cached is a hit.
      const miss = stochasticRound(m, (pages * (f.size - f.active - f.inactive - f.inflight)) / f.size);
      if (miss > 0 && !readIn(m, p, f, miss, false)) return;
      const hit = stochasticRound(m, pages) - miss;
      if (hit > 0) {
        const xi = Math.min(hit, Math.max(0, f.inactive - f.dirty - f.hotI));
        f.inactive -= xi;
        f.active += xi;
        f.hotA = Math.min(f.active, f.hotA + xi);
      }
    }
    for (const w of s.startWrites ?? []) {
      const f = fileFor(m, p, w.file);
      if (f) writeFile(m, p, f, stochasticRound(m, mib(w.mib) * dp));
      if (w.sync) m.wbUrgent = true;
      if (!p.alive) return;
    }
    if (p.progress >= 1) {
      p.phase = 'run';
      if (!setAnon(m, p, mib(s.anonMiB))) return;
      if (s.oneShot) {
        releaseProc(m, p);
        m.events.push({ t: m.t, kind: 'exit', pid: p.pid, text: `${p.comm} (pid ${p.pid}) finished` });
      }
    }
    return;
  }
  // Steady state: what a completed wake-up does.
  if (p.wait > 0) return;
  if (s.growMiBps) {
    const cur = p.anonA + p.anonI + p.swap;
    const max = s.maxMiB ? mib(s.maxMiB) : Infinity;
    const add = stochasticRound(m, (mib(s.growMiBps) * got) / Math.max(1e-6, s.cpuPerWake * s.wakeHz));
    if (add > 0 && cur < max) if (!setAnon(m, p, Math.min(max, cur + add))) return;
  }
  if (s.writeKiBps && s.writeFile && s.wakeHz > 0) {
    const f = fileFor(m, p, s.writeFile);
    if (f) writeFile(m, p, f, stochasticRound(m, s.writeKiBps / 4 / s.wakeHz));
  }
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
  m.tickSys = 0;
  m.tickDirectStall = 0;
  m.tickWakeups = 0;
  m.tickIos = 0;
  for (const f of m.files) {
    f.hotA = 0;
    f.hotI = 0;
  }
  supervisorRestarts(m);

  // The disk: one budget; writeback gets up to 30% of it while it is urgent, reads the rest.
  const cap = diskPagesPerTick(m);
  const budget = cap.read + m.ioCarry;
  let wbPending = 0;
  for (const e of m.wbQueue) wbPending += e.pages;
  const wbShare = wbPending > 0 ? Math.min(wbPending, budget * (m.wbUrgent ? 0.3 : 0.05)) : 0;
  const [readPages, readIos] = serveReads(m, budget - wbShare, cap.ios);
  const [written, writeIos] = serveWrites(m, Math.max(0, Math.min(cap.write, budget - readPages)));
  m.ioCarry = Math.max(0, Math.min(1, budget - readPages - written));
  m.tickIos = readIos + writeIos;
  m.tickSys += m.tickIos * IO_COST;

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
  let nD = 0;
  let memStalled = 0;
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
    if (p.wait > 0) {
      p.state = 'D';
      nD += dCount(p);
      if (p.memWait) memStalled++;
      continue;
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
    const frac = touch(m, p);
    if (!p.alive) continue;
    // A steady task that faulted is still in the middle of its wake-up.
    p.resume = p.wait > 0 && p.phase === 'run';
    want *= frac;
    if (p.wait > 0) {
      p.state = 'D';
      nD += dCount(p);
      if (p.memWait) memStalled++;
      if (want <= 0) continue;
    }
    if (p.swap > 0 || (m.swapTotal > 0 && p.phase === 'run')) {
      p.anonRef = Math.round((p.spec.anonHot ?? 0.3) * (p.anonA + p.anonI));
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
    user += got;
    p.cpuTime += got;
    if (p.wait === 0) p.state = p.phase === 'start' || share < 1 ? 'R' : 'S';
    if (p.phase === 'start') r++;
    progress(m, p, got);
  }
  r += Math.round((user - r * TICK * share) / TICK);
  if (share < 1) r = Math.max(r, runnable.length);
  // Processes that exited (one-shot) or were killed this tick leave the table.
  if (m.ticks % 50 === 0) compactProcs(m);

  // Time accounting.
  const sys = Math.min(cpuCap - user, m.tickSys);
  let idle = Math.max(0, cpuCap - user - sys);
  const busyFrac = (user + sys) / cpuCap;
  const waiting = nD > 0 || m.io.length > 0;
  const steal = waiting || busyFrac > 0.3 ? Math.min(idle, cpuCap * 0.011) : 0;
  idle -= steal;
  const iowait = waiting ? idle * Math.min(1, Math.max(nD, 1) / m.config.cpus) : 0;
  idle -= iowait;
  const cnt = m.counters;
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

  psiTick(m, memStalled, nD, runnable.length, user / cpuCap);

  if (m.t - m.lastThrashEvent > 60) {
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
        // swapoff: everything comes back in.
        for (const p of m.procs) {
          if (!p.alive || p.swap === 0) continue;
          const x = p.swap;
          if (!alloc(m, x, p, p.spec.hostSide ? 0 : p.cid)) continue;
          p.swap = 0;
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
          f.inactive -= dropI;
          f.refA = Math.min(f.refA, f.active);
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
        startReads: [{ file: key, mib: a.mib }], hot: [{ file: 'host/libc', mib: 0.1 }], wakeHz: 0, cpuPerWake: 0,
      };
      const p = spawn(m, spec, 0, -1, m.t);
      resolveHot(m, p, 0, '');
      m.events.push({ t: m.t, kind: 'start', pid: p.pid, text: `cat ${name} (${a.mib} MiB) > /dev/null` });
      return;
    }
  }
}

export { procByPid };
