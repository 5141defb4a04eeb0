/**
 * What the simulator island draws at one moment: every figure comes from the
 * engine's read-outs and formatters; this module only gathers them (and turns
 * page counts into MiB for the charts). No DOM, so a unit test can build a frame.
 */

/** Memory by kind, MiB, at simulated second t. */
export interface MemorySample {
  t: number;
  kernel: number;
  anon: number;
  shmem: number;
  cache: number;
  free: number;
  swap: number;
}

/** min/low/high watermarks, MiB. */
export interface Watermarks {
  min: number;
  low: number;
  high: number;
}

/** Block and swap traffic over the last interval, KiB/s (vmstat's bi/bo/si/so). */
export interface IoSample {
  t: number;
  bi: number;
  bo: number;
  si: number;
  so: number;
}

/** CPU split in percent, as vmstat prints it. */
export interface CpuSplit {
  us: number;
  sy: number;
  id: number;
  wa: number;
  st: number;
}

/** LRU list sizes, MiB. */
export interface LruSizes {
  activeFile: number;
  inactiveFile: number;
  activeAnon: number;
  inactiveAnon: number;
}

export interface ProcRow {
  pid: number;
  comm: string;
  container: string;
  rssMiB: number;
  state: string;
  oomScore: number;
  adj: number;
  /** The process the OOM killer would choose now. */
  nextVictim: boolean;
}

export interface ContainerRow {
  name: string;
  status: string;
  memLimitMiB: number;
  exitCode: number;
  oomKilled: boolean;
  restarts: number;
}

export interface SimEvent {
  t: number;
  text: string;
  kind: string;
}

/** One container's memory cgroup: its interface files, in MiB (0 = "max"). */
export interface CgroupRow {
  name: string;
  currentMiB: number;
  maxMiB: number;
  highMiB: number;
  swapMiB: number;
  /** memory.events: times at memory.max / over memory.high, OOM kills inside it. */
  max: number;
  high: number;
  oomKill: number;
  /** memory.pressure some avg10, percent. */
  pressure: number;
}

/** Which user-space responders run. */
export interface RespondersOn {
  earlyoom: boolean;
  oomd: boolean;
  kubelet: boolean;
}
