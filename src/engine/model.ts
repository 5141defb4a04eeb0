/**
 * Types of the memory engine: profiles (data describing programs and containers),
 * the machine configuration, actions, and the plain-JSON machine state.
 *
 * Every memory quantity in the state is an integer count of 4 KiB pages.
 */

export const PAGE_KIB = 4;
export const PAGES_PER_MIB = 256;
/** Simulated length of one internal step, seconds. */
export const TICK = 0.1;

export type FileKind = 'exec' | 'data' | 'meta';
/**
 * Where a file lives: on the host, in an image layer shared by every container
 * of that image (overlayfs shares their page cache), or in one container's own
 * writable layer / volume.
 */
export type FileScope = 'host' | 'image' | 'container';

export interface FileSpec {
  key: string;
  /** A path-like label for read-outs. */
  name: string;
  mib: number;
  kind: FileKind;
  scope: FileScope;
  /** Resident at boot (host files only), MiB. */
  bootResidentMiB?: number;
  /** Part of the boot-resident pages on the active list (0..1). */
  bootActive?: number;
}

/** Pages of one file a program touches: per run (hot), or once during start-up (reads/writes). */
export interface Touch {
  file: string;
  mib: number;
  /** Written with fsync: the writer waits until its pages are on disk. */
  sync?: boolean;
  /** Read front to back (cat, cp): readahead windows, not a program's many small files. */
  sequential?: boolean;
}

export interface ServiceSpec {
  /** Executable name; the kernel's comm is its first 15 characters. */
  name: string;
  /** Full command line (ps, docker ps). */
  command?: string;
  uid?: number;
  user?: string;
  oomScoreAdj?: number;
  /** Anonymous memory once started, MiB. */
  anonMiB: number;
  /** Peak anonymous memory while starting, MiB (default anonMiB). */
  peakMiB?: number;
  /**
   * Seconds over which its start-up heap (peakMiB) is faulted in, by the clock,
   * whenever it gets the CPU at all (default: the heap grows with its start-up CPU
   * work). An interpreter maps and touches its arenas as it starts; those are minor
   * faults that need no disk, so they do not wait for its code to be paged in.
   */
  heapS?: number;
  /** CPU seconds of start-up work (0 = already running / trivial). */
  startCpu: number;
  /** Fraction of one CPU it wants while starting (default 1). */
  startShare?: number;
  /** Read once while starting, spread over the start-up work. */
  startReads?: Touch[];
  /** Written while starting (dirty page cache, written back later). */
  startWrites?: Touch[];
  /** Code and data touched each time it runs: must be resident to make progress. */
  hot: Touch[];
  /** Wake-ups per second once started. */
  wakeHz: number;
  /** CPU seconds per wake-up. */
  cpuPerWake: number;
  /** Steady writes (logs, databases), KiB/s. */
  writeKiBps?: number;
  writeFile?: string;
  /** Growth after start-up (a leak, a batch job filling memory), MiB/s of CPU-progress time. */
  growMiBps?: number;
  /** Upper bound of that growth, MiB (default: unbounded). */
  maxMiB?: number;
  /** Fraction of its anon memory touched per run (decides what swap can take). */
  anonHot?: number;
  threads?: number;
  /** Virtual size (total_vm), MiB. */
  vmMiB?: number;
  /** Restarted by the supervisor inside its container when killed. */
  supervised?: boolean;
  /** The container's main process (PID 1 in the container). */
  main?: boolean;
  /** Seconds after the container (or action) starts before this service starts. */
  delay?: number;
  /** Runs on the host on behalf of the container (containerd-shim): outside its memcg. */
  hostSide?: boolean;
  /** Exits by itself once its start-up work is done (cat, cp, a one-shot job). */
  oneShot?: boolean;
  /**
   * The service (by name, in the same profile) that forks this one: its parent in the
   * task tree (the 4.x OOM killer sacrifices a child of the chosen task first).
   */
  parent?: string;
}

export interface ContainerProfile {
  name: string;
  description: string;
  image: string;
  command: string;
  ports?: string;
  files: FileSpec[];
  services: ServiceSpec[];
  /** tmpfs (/dev/shm, /run) pages of the container, MiB. */
  shmemMiB: number;
  /** Unreclaimable kernel memory for the container's cgroups, namespaces, network, MiB. */
  kernelMiB: number;
  /** Reclaimable slab (dentries, inodes of its layers), MiB. */
  slabMiB: number;
  /** Seconds the in-container supervisor waits before restarting a killed service. */
  supervisorDelay?: number;
}

/** The host: boot-time processes and files, and optional host apps started later. */
export interface HostProfile {
  name: string;
  files: FileSpec[];
  services: ServiceSpec[];
  /** Kernel memory outside slab/stacks/page tables (vmalloc, per-cpu, …), MiB. */
  kernelMiB: number;
  slabUnreclaimableMiB: number;
  slabReclaimableMiB: number;
  shmemMiB: number;
  /** Block-device buffers resident at boot, MiB. */
  buffersMiB: number;
  /** Uptime at which the boot-time reads happened (for the since-boot vmstat line). */
  apps: Record<string, { files: FileSpec[]; services: ServiceSpec[] }>;
}

export type RestartPolicy = 'no' | 'on-failure' | 'always' | 'unless-stopped';

export interface DiskConfig {
  /** Sequential read limit, MiB/s. */
  readMiBps: number;
  writeMiBps: number;
  iops: number;
  /** Completion latency of a small request on an idle disk, ms. */
  latencyMs: number;
}

/**
 * The memory-cgroup knobs of a container (cgroup v2's memory.* files), in MiB.
 * Docker's flags map onto them as Docker documents: `-m` is memory.max,
 * `--memory-reservation` memory.low, `--memory-swap` (memory plus swap) gives
 * memory.swap.max = memory-swap − memory (unset: as much swap again as memory; −1: max).
 */
export interface MemoryKnobs {
  /** memory.max (docker -m). */
  memLimitMiB?: number;
  /** memory.high (throttling). */
  memHighMiB?: number;
  /** memory.low (best-effort protection; docker --memory-reservation). */
  memLowMiB?: number;
  /** memory.min (hard protection). */
  memMinMiB?: number;
  /** memory.swap.max, MiB; −1 = max. Unset: Docker's default, as much swap again as memory.max (max without one). */
  swapMaxMiB?: number;
  /** memory.oom.group: an OOM kill takes every process of the cgroup. */
  oomGroup?: boolean;
  /** docker --oom-kill-disable (cgroup v1 only; Docker discards it on cgroup v2). */
  oomKillDisable?: boolean;
  /** docker --oom-score-adj: the container's init starts with it and its processes inherit it. */
  oomScoreAdj?: number;
  /** A Kubernetes pod's memory request, MiB (with memLimitMiB: its QoS class). */
  requestMiB?: number;
}

/** earlyoom's options (its README and man page): percentages of MemTotal and SwapTotal. */
export interface EarlyoomConfig {
  /** -m: act when MemAvailable is at or below this percentage (default 10; SIGKILL at half). */
  memPercent?: number;
  /** -s: and SwapFree at or below this percentage (default 10; SIGKILL at half). */
  swapPercent?: number;
  /** --prefer / --avoid: process names (comm) whose score is raised / lowered by 300. */
  prefer?: string[];
  avoid?: string[];
}

/** systemd-oomd (oomd.conf and systemd.resource-control) on the slice holding the containers. */
export interface OomdConfig {
  /** ManagedOOMMemoryPressure=kill with this ManagedOOMMemoryPressureLimit, % (default 60). */
  pressureLimit?: number;
  /** DefaultMemoryPressureDurationSec (default 30 s). */
  pressureDurationS?: number;
  /** ManagedOOMSwap=kill at SwapUsedLimit, % (default 90). */
  swapLimit?: number;
}

/** The kubelet's node-pressure eviction. */
export interface KubeletConfig {
  /** --eviction-hard=memory.available<N Mi (default 100). */
  evictionHardMiB?: number;
}

export interface Responders {
  earlyoom?: EarlyoomConfig | null;
  oomd?: OomdConfig | null;
  kubelet?: KubeletConfig | null;
}

export interface MachineConfig {
  ramMiB: number;
  swapMiB?: number;
  /** 0..200, default 60. */
  swappiness?: number;
  cpus?: number;
  disk?: Partial<DiskConfig>;
  seed?: number;
  /** Host profile name (default "ubuntu-docker"). */
  host?: string;
  /** min_free_kbytes override (default derived from RAM as the kernel does). */
  minFreeKbytes?: number;
  watermarkScaleFactor?: number;
  /**
   * Whose OOM killer: 'modern' (5.9 and later: signed badness, ties to the later task,
   * cgroup v2) or 'classic' (the incident's 4.x: badness × 1000 / totalpages with a
   * minimum of 1, root's 3 % discount, a child sacrificed for its parent, cgroup v1).
   */
  kernel?: 'modern' | 'classic';
  /** User-space OOM responders running on the box. */
  responders?: Responders;
}

export type Action =
  | ({
      type: 'startContainer';
      profile: string;
      name?: string;
      restart?: RestartPolicy;
    } & MemoryKnobs)
  /** `docker update`: change a container's memory knobs while it runs. */
  | ({ type: 'updateContainer'; name: string } & MemoryKnobs)
  /** Start (an object) or stop (null) a user-space responder. */
  | { type: 'setResponders'; responders: Responders }
  | { type: 'stopContainer'; name: string }
  | { type: 'killContainer'; name: string }
  /** `docker kill $(docker ps -q)`. */
  | { type: 'killAll' }
  | { type: 'startApp'; app: string }
  | { type: 'startHostProcess'; service: ServiceSpec }
  | { type: 'setSwap'; mib: number }
  | { type: 'setSwappiness'; value: number }
  | { type: 'setOomScoreAdj'; value: number; pid?: number; comm?: string }
  | { type: 'dropCaches'; what?: 1 | 2 | 3 }
  | { type: 'readFile'; mib: number; name?: string };

export interface TimedAction {
  /** Seconds since boot. */
  t: number;
  action: Action;
}

// ---------------------------------------------------------------------------
// State (plain JSON)
// ---------------------------------------------------------------------------

export interface FileObj {
  id: number;
  key: string;
  name: string;
  kind: FileKind;
  /** Host file, image layer shared by a profile's containers, or one container's own. */
  scope: FileScope;
  /** Memory cgroup charged (container id, 0 = root). */
  cg: number;
  /** Size of the file in pages (resident + in flight ≤ size). */
  size: number;
  active: number;
  inactive: number;
  /** Allocated, being read from disk (locked, not reclaimable). */
  inflight: number;
  /** Dirty pages (a subset of inactive). */
  dirty: number;
  /** Active pages referenced since reclaim last looked at them. */
  refA: number;
  /** When its pages were last referenced or activated (the active list's order: the least recent go first). */
  lastRef: number;
  /** Referenced executable pages the reclaim hand rotated this tick (they stay active through it). */
  rotA: number;
  /** Pages touched during the current tick (cannot be reclaimed this tick). */
  hotA: number;
  hotI: number;
  /** Evicted pages that still have shadow entries (the sum of `shadows`). */
  shadow: number;
  /**
   * Shadow entries in buckets, oldest first: [nonresident age at eviction, pages]
   * (mm/workingset.c packs the eviction clock into each evicted page's slot; the
   * model keeps one bucket per eviction batch and merges the oldest when full).
   */
  shadows: [number, number][];
  /** file_ra_state.mmap_miss: page faults without a cache hit, for the read-around back-off. */
  mmapMiss: number;
  /** Pages of the file some process runs on every wake-up (the widest hot set of its users). */
  hotSet: number;
  /** Resident (or in-flight) pages that belong to that hot set; the rest of the cache is cold. */
  hotRes: number;
  /** The inactive pages in batches [time they joined the list, pages], oldest first (see lru.ts). */
  ibatches: [number, number][];
  /** Pages read at least once (a sequential reader's high-water mark): reads beyond it are first reads. */
  seen: number;
  /** Pages sitting in the writeback queue. */
  queuedWb: number;
}

export type ProcState = 'R' | 'S' | 'D' | 'Z';

export interface Proc {
  pid: number;
  comm: string;
  command: string;
  /** Container id (0 = host). */
  cid: number;
  /** Service index in its container/app profile (-1 for ad-hoc host processes). */
  svc: number;
  uid: number;
  user: string;
  adj: number;
  alive: boolean;
  state: ProcState;
  phase: 'wait' | 'start' | 'run';
  startAt: number;
  startedAt: number;
  progress: number;
  anonA: number;
  anonI: number;
  swap: number;
  pgt: number;
  kstack: number;
  /** Resident anon pages whose accessed bit is set (only hot pages are ever re-touched). */
  anonRef: number;
  /** Swap entries (in `swap`) that belong to its hot set: what a wake-up must swap back in. */
  swapHot: number;
  /** Resident anon pages that still own a swap slot (the swap cache; counted in swapUsed). */
  swapCache: number;
  /** Outstanding IO pages this process waits for. */
  wait: number;
  /** When its outstanding read completes (seconds since boot). */
  waitUntil: number;
  /** When it last ran (touched its hot pages), seconds since boot. */
  lastRun: number;
  /** Seconds it has spent faulting in its start-up heap (ServiceSpec.heapS). */
  heapT: number;
  /** Seconds of the current tick spent blocked on IO, and the part of them that was a memory stall (PSI). */
  ioStallT: number;
  memStallT: number;
  /** True when the current wait is a refault / swap-in (a memory stall for PSI). */
  memWait: boolean;
  wakeAcc: number;
  /** Spec fields, copied so the state is self-contained. */
  spec: ServiceSpec;
  /** Hot touches resolved to file ids. */
  hotIds: number[];
  hotPages: number[];
  cpuTime: number;
  majflt: number;
  minflt: number;
  /** Its last wait just ended: the pages it faulted are there, it runs before touching again. */
  resume: boolean;
  /** Kernel-supplied restart counter for supervisors (backoff). */
  restarts: number;
  /** Parent's pid (0: none in the model). */
  ppid: number;
  /** Sleeping in mem_cgroup_handle_over_high() until then (memory.high's penalty), seconds since boot. */
  throttleUntil: number;
  /** Pages charged since it last returned to user space (this tick): the over-high penalty's nr_pages. */
  charged: number;
}

/** memory.events of a cgroup (cgroup-v2.rst). */
export interface MemcgEvents {
  low: number;
  high: number;
  max: number;
  oom: number;
  oom_kill: number;
  oom_group_kill: number;
}

/** Per-cgroup event counters for memory.stat. */
export interface MemcgCounters {
  pgfault: number;
  pgmajfault: number;
  workingset_refault_anon: number;
  workingset_refault_file: number;
  workingset_activate_anon: number;
  workingset_activate_file: number;
  pgscan: number;
  pgsteal: number;
}

export interface Container {
  id: number;
  name: string;
  hexId: string;
  profile: string;
  image: string;
  command: string;
  ports: string;
  restart: RestartPolicy;
  /** memory.max, pages (0 = max). */
  memLimit: number;
  /** memory.high, pages (0 = max). */
  memHigh: number;
  /** memory.low / memory.min, pages. */
  memLow: number;
  memMin: number;
  /** memory.swap.max, pages (−1 = max). */
  swapMax: number;
  oomGroup: boolean;
  oomKillDisable: boolean;
  /** oom_score_adj its init starts with (docker --oom-score-adj). */
  adj: number;
  /** Kubernetes: memory request, pages (0 = none) and QoS class (null: not a pod). */
  request: number;
  qos: 'Guaranteed' | 'Burstable' | 'BestEffort' | null;
  /** The kubelet evicted it (pod phase Failed, reason Evicted). */
  evicted: boolean;
  /** The knobs as given (for docker inspect and links). */
  knobs: MemoryKnobs;
  events: MemcgEvents;
  stat: MemcgCounters;
  psi: PsiState;
  /** systemd-oomd: when its pressure first went over the limit (−1: not over). */
  oomdOverSince: number;
  state: 'running' | 'restarting' | 'exited';
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  oomKilled: boolean;
  restartCount: number;
  backoffMs: number;
  restartAt: number;
  manualStop: boolean;
  shmem: number;
  kernel: number;
  slab: number;
  failcnt: number;
  pids: number[];
  /** Pending supervisor restarts: service index and time. */
  supRestarts: { svc: number; at: number }[];
}

export interface IoReq {
  pid: number;
  /** File id, or -1 for swap. */
  file: number;
  pages: number;
  /**
   * Of `pages`, those that arrive on the active list: refaults whose shadow entry said
   * they were part of the workingset, and executable pages the faulting task goes on to
   * run (referenced VM_EXEC pages are activated at their first scan, folio_check_references()).
   */
  active: number;
  memstall: boolean;
  /** Completion time on the disk's clock, seconds since boot. */
  doneAt: number;
}

export interface Counters {
  /** KiB read/written from/to block devices (pgpgin/pgpgout). */
  pgpgin: number;
  pgpgout: number;
  pswpin: number;
  pswpout: number;
  pgfault: number;
  pgmajfault: number;
  intr: number;
  ctxt: number;
  /** CPU seconds (summed over CPUs). */
  user: number;
  system: number;
  idle: number;
  iowait: number;
  steal: number;
  pgscan: number;
  pgsteal: number;
  pgscanKswapd: number;
  pgscanDirect: number;
  pgstealKswapd: number;
  pgstealDirect: number;
  /** File and anon refaults together, and their activations (the rates' refaults); split below as /proc/vmstat splits them. */
  workingsetRefault: number;
  workingsetActivate: number;
  workingsetRefaultAnon: number;
  workingsetRefaultFile: number;
  workingsetActivateAnon: number;
  workingsetActivateFile: number;
  allocstall: number;
  kswapdWakes: number;
  oomKills: number;
}

export interface PsiState {
  someTotal: number; // microseconds
  fullTotal: number;
  some: [number, number, number];
  full: [number, number, number];
  winSome: number;
  winFull: number;
  winStart: number;
}

export interface EngineEvent {
  t: number;
  kind:
    | 'boot'
    | 'start'
    | 'exit'
    | 'kswapd'
    | 'oom'
    | 'restart'
    | 'container'
    | 'action'
    | 'swap'
    | 'thrash'
    | 'panic'
    | 'earlyoom'
    | 'oomd'
    | 'kubelet';
  text: string;
  pid?: number;
  container?: string;
  score?: number;
  /** OOM kills: the victim's badness, totalpages, and what reclaim could still take (always 0). */
  points?: number;
  totalpages?: number;
  reclaimable?: number;
  memcg?: boolean;
}

export interface MachineState {
  version: 1;
  config: Required<Omit<MachineConfig, 'disk' | 'minFreeKbytes' | 'watermarkScaleFactor'>> & {
    disk: DiskConfig;
    minFreeKbytes: number;
    watermarkScaleFactor: number;
  };
  t: number;
  ticks: number;
  rng: number;
  totalPages: number;
  wmark: { min: number; low: number; high: number };
  /** Free pages held back for lower zones (lowmem_reserve): counted as free, never allocated. */
  lowmemReserve: number;
  free: number;
  kernel: number;
  slabUnrecl: number;
  slabRecl: number;
  slabFloor: number;
  shmemHost: number;
  swapTotal: number;
  swapUsed: number;
  swappiness: number;
  files: FileObj[];
  procs: Proc[];
  containers: Container[];
  nextPid: number;
  nextCid: number;
  io: IoReq[];
  /** When the disk is next free to start a request (its queue's clock), seconds since boot. */
  diskFree: number;
  /** How long reads have recently waited, submission to completion (a moving average), seconds. */
  readWait: number;
  /** Fractional write budget carried between ticks. */
  ioCarry: number;
  /** lruvec->nonresident_age: evictions and activations so far (the workingset clock). */
  nonresidentAge: number;
  /** lruvec->anon_cost / file_cost: recent reclaim and refault cost per LRU type (lru_note_cost). */
  anonCost: number;
  fileCost: number;
  /** workingset_activate_file at the last reclaim run (a change disables cache_trim_mode). */
  refaultsSeen: number;
  /** Anon pages scanned per second, recently (the reclaim hand's speed), and this tick's scan. */
  anonScanRate: number;
  anonScanTick: number;
  /** The tick in which referenced pages were last rotated (once a tick). */
  refsSpentTick: number;
  /** Pages scanned by the reclaim round in progress (for pgscan_kswapd / pgscan_direct). */
  scanTick: number;
  /** Dirty pages queued for writeback; `pid`: a task waiting in fsync() for this entry. */
  wbQueue: { file: number; pages: number; t: number; pid?: number }[];
  /** Writeback wanted now (reclaim met dirty pages, or dirty above the background threshold). */
  wbUrgent: boolean;
  /** Per-tick scratch: kernel CPU seconds spent so far this tick, and stall bookkeeping. */
  tickSys: number;
  tickWakeups: number;
  tickIos: number;
  kswapdAwake: boolean;
  lastKswapdEvent: number;
  noProgress: number;
  counters: Counters;
  psi: PsiState;
  /** The most recent events (klog.ts bounds it; counts of the rest are in `klog`). */
  events: EngineEvent[];
  /** The OOM reports still in the kernel's log ring (klog.ts), oldest first. */
  ooms: import('./format/types').OomKill[];
  /** Set when the kernel panicked ("System is deadlocked on memory"): the machine stops. */
  halted: { t: number; reason: string } | null;
  /** User-space responders and their own state. */
  responders: {
    earlyoom: (EarlyoomConfig & { nextPoll: number; lastReport: number }) | null;
    oomd:
      | (OomdConfig & {
          nextPoll: number;
          swapSince: number;
          /** No action before then (the pause after a kill). */
          quietUntil: number;
          /** The monitored slice's memory pressure. */
          psi: PsiState;
          /** When avg10 went over the limit (−1: not over). */
          overSince: number;
          /** Each cgroup's pgscan at the last check. */
          lastScan: Record<string, number>;
        })
      | null;
    kubelet: (KubeletConfig & { nextPoll: number }) | null;
  };
  /** Sizes and counts of the two logs (klog.ts). */
  klog: import('./klog').KlogState;
  /** Per-tick gauges of the last tick (vmstat r/b, CPU split). */
  last: {
    r: number;
    b: number;
    user: number;
    system: number;
    idle: number;
    iowait: number;
    steal: number;
  };
  /** Most recent `ls` estimate inputs. */
  thrashing: boolean;
  lastThrashEvent: number;
}
