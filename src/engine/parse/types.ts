/**
 * What the parsers read out of a paste: blocks of known formats, and every line
 * they could not read with the reason. Memory figures are KiB unless a name says
 * otherwise; counts from the kernel's OOM report stay in 4 KiB pages as printed.
 */

/** Why a line was not read, in words for the reader. */
export interface UnreadLine {
  /** 1-based line number in the paste. */
  line: number;
  text: string;
  reason: string;
}

export type FreeUnit = 'b' | 'k' | 'm' | 'g' | 'h';

export interface FreeRow {
  label: string;
  /** Printed cells, as printed. */
  cells: string[];
  /** The same cells in KiB (approximate for -h and for -m/-g, which truncate). */
  kib: number[];
}

export interface FreeBlock {
  kind: 'free';
  /** procps-ng 4 (used = total − available), 3.3.x (used = total − free − buff/cache), or the pre-2014 layout with -/+ buffers/cache. */
  era: 'modern' | 'classic' | 'old' | 'unknown';
  unit: FreeUnit;
  /** How the unit was known: a flag on the command line, suffixes on the numbers, or a guess from the size. */
  unitFrom: 'command' | 'suffix' | 'guess';
  wide: boolean;
  columns: string[];
  mem?: FreeRow;
  /** The old layout's "-/+ buffers/cache:" row. */
  buffersCache?: FreeRow;
  swap?: FreeRow;
  total?: FreeRow;
  /** Convenience figures in KiB. */
  figures: {
    total: number;
    used?: number;
    free: number;
    shared?: number;
    buffCache?: number;
    available?: number;
    swapTotal?: number;
    swapUsed?: number;
    swapFree?: number;
  };
}

export interface VmstatBlock {
  kind: 'vmstat';
  wide: boolean;
  /** `-a`: inact/active instead of buff/cache. */
  active: boolean;
  columns: string[];
  rows: Record<string, number>[];
  /** Headers repeated inside the block. */
  headers: number;
  /** Seconds between rows, when the command line said. */
  interval?: number;
  /** Unit of the memory columns: KiB unless the command line said -S. */
  memUnit: 'KiB' | 'kB' | 'MB' | 'MiB';
  /** The first row followed straight after a header: vmstat's since-boot average. */
  firstIsSinceBoot: boolean;
  /** Line number of each row, for quoting. */
  rowLines: number[];
}

export interface MeminfoBlock {
  kind: 'meminfo';
  fields: Record<string, number>;
  order: string[];
}

export type PsiResource = 'memory' | 'cpu' | 'io' | 'unknown';

export interface PsiLineValues {
  avg10: number;
  avg60: number;
  avg300: number;
  total: number;
}

export interface PsiBlock {
  kind: 'psi';
  resource: PsiResource;
  some?: PsiLineValues;
  full?: PsiLineValues;
}

export interface ProcVmstatBlock {
  kind: 'proc-vmstat';
  counters: Record<string, number>;
}

export interface MemoryStatBlock {
  kind: 'memory.stat';
  /** cgroup v2 (anon, file, …) or v1 (rss, cache, total_…). */
  version: 1 | 2;
  values: Record<string, number>;
}

export interface MemoryEventsBlock {
  kind: 'memory.events';
  values: Record<string, number>;
}

export interface DockerStatsRow {
  id: string;
  name: string;
  cpuPercent?: number;
  usageKib: number;
  limitKib: number;
  memPercent?: number;
  pids?: number;
  cells: string[];
}

export interface DockerStatsBlock {
  kind: 'docker-stats';
  columns: string[];
  rows: DockerStatsRow[];
}

export interface DockerPsRow {
  id: string;
  image: string;
  command: string;
  created: string;
  status: string;
  ports: string;
  names: string;
}

export interface DockerPsBlock {
  kind: 'docker-ps';
  rows: DockerPsRow[];
}

export interface PsRowParsed {
  values: Record<string, string>;
}

export interface PsBlock {
  kind: 'ps';
  columns: string[];
  rows: PsRowParsed[];
}

/** One row of the OOM report's task table. */
export interface TaskRow {
  pid: number;
  uid: number;
  tgid: number;
  totalVm: number;
  rss: number;
  /** Page-table size in pages: pgtables_bytes / 4096, or nr_ptes (+ nr_pmds) on older kernels. */
  pgtablesPages: number;
  swapents: number;
  oomScoreAdj: number;
  name: string;
  line: number;
}

export interface KillEvent {
  /** Seconds since boot, when the line had a dmesg timestamp. */
  t?: number;
  /** Wall-clock stamp as printed (journalctl, dmesg -T), when there was one. */
  stamp?: string;
  pid: number;
  comm: string;
  memcg: boolean;
  /** The classic line: "Kill process PID (comm) score N or sacrifice child". */
  form: 'classic' | 'modern' | 'killed-only';
  score?: number;
  anonRssKb?: number;
  fileRssKb?: number;
  shmemRssKb?: number;
  totalVmKb?: number;
  pgtablesKb?: number;
  oomScoreAdj?: number;
  uid?: number;
  line: number;
}

export interface OomReport {
  invoker?: { comm: string; gfp: string; order: number; oomScoreAdj: number; line: number };
  kernel?: string;
  constraint: 'global' | 'memcg' | 'unknown';
  memcgPath?: string;
  memcgUsageKb?: number;
  memcgLimitKb?: number;
  memcgFailcnt?: number;
  memInfo: Record<string, number>;
  ramPages?: number;
  reservedPages?: number;
  swapTotalKb?: number;
  swapFreeKb?: number;
  /** Column names of the task table as printed. */
  taskColumns?: string[];
  tasks: TaskRow[];
  /** The "oom-kill:constraint=…" summary. */
  summary?: { constraint: string; task: string; pid: number; oomMemcg?: string; taskMemcg?: string; line: number };
  /** Classic kernels: the process chosen ("Kill process …"), which may differ from the one killed (a child). */
  chosen?: KillEvent;
  killed?: KillEvent;
  reaped?: { pid: number; comm: string; anonRssKb: number; line: number };
}

export interface DmesgBlock {
  kind: 'dmesg';
  reports: OomReport[];
  /** Every kill, in order (both kill lines of a classic report count once). */
  kills: KillEvent[];
}

/** `sysctl vm.swappiness` (and other vm. settings), or `cat /proc/sys/vm/<name>`. */
export interface SysctlBlock {
  kind: 'sysctl';
  values: Record<string, number>;
}

export type Block =
  | SysctlBlock
  | FreeBlock
  | VmstatBlock
  | MeminfoBlock
  | PsiBlock
  | ProcVmstatBlock
  | MemoryStatBlock
  | MemoryEventsBlock
  | DockerStatsBlock
  | DockerPsBlock
  | PsBlock
  | DmesgBlock;

export type BlockKind = Block['kind'];

export interface ParsedBlock<B extends Block = Block> {
  block: B;
  /** 1-based first and last line of the block in the paste. */
  from: number;
  to: number;
  /** The command line that introduced it ("$ free -m"), if any. */
  command?: string;
  /** Notes on how it was read (a unit guessed, noise removed from a line). */
  notes: string[];
}

export interface Capture {
  blocks: ParsedBlock[];
  unread: UnreadLine[];
  /** Lines that were read as context (commands, headings), not data. */
  context: number[];
  lineCount: number;
  /** A message about the paste as a whole (binary, too large, empty), if any. */
  problem?: string;
}
