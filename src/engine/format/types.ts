/**
 * Plain-data inputs of the text formatters. The engine builds these from its
 * state; the formatters turn them into text exactly as the real tools print it.
 * Every memory quantity here is in KiB unless its name says otherwise.
 */

/** The fields of /proc/meminfo that the model produces, in kB as the kernel prints them. */
export interface Meminfo {
  MemTotal: number;
  MemFree: number;
  MemAvailable: number;
  Buffers: number;
  Cached: number;
  SwapCached: number;
  Active: number;
  Inactive: number;
  ActiveAnon: number;
  InactiveAnon: number;
  ActiveFile: number;
  InactiveFile: number;
  Unevictable: number;
  Mlocked: number;
  SwapTotal: number;
  SwapFree: number;
  Dirty: number;
  Writeback: number;
  AnonPages: number;
  Mapped: number;
  Shmem: number;
  KReclaimable: number;
  Slab: number;
  SReclaimable: number;
  SUnreclaim: number;
  KernelStack: number;
  PageTables: number;
  CommitLimit: number;
  Committed_AS: number;
}

/** One `vmstat` row: the 17 columns in procps order. Memory in KiB, bi/bo in 1 KiB blocks/s. */
export interface VmstatRow {
  r: number;
  b: number;
  swpd: number;
  free: number;
  buff: number;
  cache: number;
  si: number;
  so: number;
  bi: number;
  bo: number;
  in: number;
  cs: number;
  us: number;
  sy: number;
  id: number;
  wa: number;
  st: number;
}

export const VMSTAT_KEYS = [
  'r', 'b', 'swpd', 'free', 'buff', 'cache', 'si', 'so', 'bi', 'bo',
  'in', 'cs', 'us', 'sy', 'id', 'wa', 'st',
] as const satisfies readonly (keyof VmstatRow)[];

/** One half of /proc/pressure/memory. avg values are percentages, total is microseconds. */
export interface PsiLine {
  avg10: number;
  avg60: number;
  avg300: number;
  total: number;
}

export interface Psi {
  some: PsiLine;
  full: PsiLine;
}

// ---------------------------------------------------------------------------
// dmesg: the OOM killer's report (mm/oom_kill.c). Appended by the formatters.
// ---------------------------------------------------------------------------

/** Which kernel generation's wording to print. */
export type KernelEra =
  /** 5.x / 6.x: "Out of memory: Killed process … UID:… pgtables:… oom_score_adj:…". */
  | 'modern'
  /** 4.x (the incident): "Out of memory: Kill process PID (comm) score N or sacrifice child". */
  | 'classic';

/** One row of the task dump (dump_task). Memory values are in 4 KiB pages, as the kernel prints them. */
export interface OomTask {
  pid: number;
  uid: number;
  tgid: number;
  /** mm->total_vm, pages. */
  totalVmPages: number;
  /** get_mm_rss(): anon + file + shmem resident pages. */
  rssPages: number;
  /** mm_pgtables_bytes(), bytes (a multiple of 4096). */
  pgtablesBytes: number;
  /** MM_SWAPENTS, pages. */
  swapents: number;
  oomScoreAdj: number;
  /** Full command name; the formatter truncates it to 15 characters. */
  comm: string;
}

/** The victim as __oom_kill_process reports it. Memory in KiB. */
export interface OomVictim {
  pid: number;
  comm: string;
  uid: number;
  totalVmKb: number;
  anonRssKb: number;
  fileRssKb: number;
  shmemRssKb: number;
  pgtablesKb: number;
  oomScoreAdj: number;
  /** The classic era's "score N": oom_badness() × 1000 / totalpages (0–1000). */
  score: number;
}

/** The page counts of the `Mem-Info:` block (show_mem / show_free_areas), in 4 KiB pages. */
export interface OomMemInfo {
  activeAnon: number;
  inactiveAnon: number;
  isolatedAnon: number;
  activeFile: number;
  inactiveFile: number;
  isolatedFile: number;
  unevictable: number;
  dirty: number;
  writeback: number;
  slabReclaimable: number;
  slabUnreclaimable: number;
  mapped: number;
  shmem: number;
  pagetables: number;
  free: number;
  /** Swap pages free / total (for "Free swap  = …kB", "Total swap = …kB"). */
  freeSwapPages: number;
  totalSwapPages: number;
  /** Total RAM pages ("N pages RAM"). */
  totalRamPages: number;
  /** Reserved pages ("N pages reserved"). */
  reservedPages: number;
}

/** Everything one OOM kill prints. Timestamps are seconds since boot (the dmesg clock). */
export interface OomKill {
  /** Time of the "invoked oom-killer" line. */
  t: number;
  /** The task whose allocation failed (current). */
  invoker: { comm: string; pid: number; oomScoreAdj: number };
  /** gfp mask value; default 0x100cca (GFP_HIGHUSER_MOVABLE on 5.x/6.x). */
  gfpMask?: number;
  order?: number;
  /** Memory-cgroup OOM (inside a container with a limit) instead of a global one. */
  memcg?: {
    /** cgroup path of the limited group, e.g. "/system.slice/docker-<id>.scope". */
    path: string;
    /** Limit and usage in KiB, and the failcnt, for the "memory: usage …kB, limit …kB, failcnt N" line. */
    usageKb: number;
    limitKb: number;
    failcnt: number;
    swapUsageKb?: number;
    swapLimitKb?: number;
  };
  /** cgroup path of the invoking task, whose last component is printed as "cpuset="; default: the victim's memcg for a memcg OOM, "/" otherwise. */
  invokerCgroupPath?: string;
  /** cgroup path of the victim's memory cgroup ("task_memcg="); default the memcg path, or "/". */
  victimMemcgPath?: string;
  memInfo?: OomMemInfo;
  tasks: OomTask[];
  victim: OomVictim;
  /** Time of the kill line; default t. */
  killT?: number;
  /** oom_reaper's report; omitted if the reaper did not run (classic kernels before 4.6 never print it). */
  reaped?: { t: number; anonRssKb: number; fileRssKb: number; shmemRssKb: number };
  /**
   * 4.x: the task select_bad_process() chose, when a child of it was sacrificed instead
   * (the "Kill process … or sacrifice child" line names it; "Killed process" the victim).
   */
  chosen?: { pid: number; comm: string; score: number };
  /** memory.oom.group: the cgroup whose other tasks were killed with the victim. */
  group?: { path: string; victims: OomVictim[] };
}

// ---------------------------------------------------------------------------
// ps and docker ps
// ---------------------------------------------------------------------------

/** One row of the ps-like table. */
export interface PsRow {
  pid: number;
  user: string;
  /** Resident set, KiB. */
  rssKb: number;
  /** Process state letter(s) as ps STAT shows them: R, S, D, Z, plus modifiers (s, l, +, <, N). */
  stat: string;
  /** comm (the formatter truncates it to 15 characters). */
  comm: string;
  /** /proc/PID/oom_score (0–2000 on modern kernels). */
  oomScore: number;
}

export type DockerState =
  | { kind: 'created' }
  | { kind: 'running'; startedAt: number }
  | { kind: 'restarting'; exitCode: number; finishedAt: number }
  | { kind: 'exited'; exitCode: number; finishedAt: number }
  | { kind: 'paused'; startedAt: number };

/** One container for `docker ps`. Times are seconds on the simulation clock. */
export interface DockerContainer {
  /** Full 64-hex id (or any id); `docker ps` shows the first 12 characters. */
  id: string;
  image: string;
  /** Full command; docker ps quotes it and truncates it to 20 characters with "…". */
  command: string;
  createdAt: number;
  state: DockerState;
  ports?: string;
  name: string;
  /** Set when the last exit was an OOM kill (State.OOMKilled). */
  oomKilled?: boolean;
  restartCount?: number;
  pid?: number;
}
