/**
 * The simulator island's one door into the engine: boot a preset, run it, apply
 * an action, and read a Frame of everything the panels draw. Every figure here
 * is an engine read-out or formatter output; this module converts pages to MiB
 * for the charts and words the summary, nothing more.
 */
import { Machine, HOSTS, nextGlobalVictim, type Action, type CounterSnapshot, type TimedAction } from '../engine';
import { PAGES_PER_MIB } from '../engine/model';
import { formatFree, freeEraLabel, type FreeEra } from '../engine/format/free';
import { formatVmstatRow, vmstatHeader } from '../engine/format/vmstat';
import { formatPsi } from '../engine/format/psi';
import { formatDockerPs } from '../engine/format/docker';
import { dmesgLine, oomKillRecords } from '../engine/format/dmesg';
import type { KernelEra } from '../engine/format/types';
import type { CgroupRow, ContainerRow, CpuSplit, IoSample, LruSizes, MemorySample, ProcRow, RespondersOn, SimEvent, Watermarks } from './frame';
import type { PresetBasics, SimulationOptions } from './sim-shared';

export { LAB_PROFILE, RAM_CHOICES, SWAP_CHOICES, LIMIT_CHOICES, labsMax } from './ui-data';
import { LAB_PROFILE } from './ui-data';

const mib = (pages: number) => Math.round((pages / PAGES_PER_MIB) * 10) / 10;
const wholeMib = (pages: number) => Math.floor(pages / PAGES_PER_MIB);

/** A booted machine and the counters its rates are taken against. */
export class Booted {
  readonly m: Machine;
  readonly freeEra: FreeEra;
  readonly kernelEra: KernelEra;
  #vmstatFrom: CounterSnapshot;
  #sampleFrom: CounterSnapshot;
  #sampleTo: CounterSnapshot;
  #lruAtVmstat: LruSizes;
  #lruMoved: LruSizes = { activeFile: 0, inactiveFile: 0, activeAnon: 0, inactiveAnon: 0 };
  #dmesg: { kills: number; first: number; groups: { n: number; lines: string[] }[]; lines: string[] } = { kills: -1, first: 0, groups: [], lines: [] };

  constructor(m: Machine, freeEra: FreeEra, kernelEra: KernelEra) {
    this.m = m;
    this.freeEra = freeEra;
    this.kernelEra = kernelEra;
    this.#vmstatFrom = m.counters();
    this.#sampleFrom = this.#vmstatFrom;
    this.#sampleTo = this.#vmstatFrom;
    this.#lruAtVmstat = lruMiB(m);
  }

  get t(): number {
    return this.m.t;
  }

  /** Marks a chart sample: the io and CPU figures cover the time since the previous one. */
  markSample(): void {
    this.#sampleFrom = this.#sampleTo;
    this.#sampleTo = this.m.counters();
  }

  get sampleRates() {
    return this.m.rates(this.#sampleFrom);
  }

  /** The vmstat row for the interval that just ended, formatted; starts the next interval. */
  vmstatRow(): string {
    const row = this.m.vmstat(this.#vmstatFrom);
    this.#vmstatFrom = this.m.counters();
    const lru = lruMiB(this.m);
    this.#lruMoved = {
      activeFile: round1(lru.activeFile - this.#lruAtVmstat.activeFile),
      inactiveFile: round1(lru.inactiveFile - this.#lruAtVmstat.inactiveFile),
      activeAnon: round1(lru.activeAnon - this.#lruAtVmstat.activeAnon),
      inactiveAnon: round1(lru.inactiveAnon - this.#lruAtVmstat.inactiveAnon),
    };
    this.#lruAtVmstat = lru;
    return formatVmstatRow(row);
  }

  get lruMoved(): LruSizes {
    return this.#lruMoved;
  }

  /** The kernel log's OOM lines; each kill is formatted once, when it happens. */
  get dmesgLines(): string[] {
    this.catchUpDmesg();
    const h = this.m.halted();
    if (!h) return this.#dmesg.lines;
    // The kernel's last words when nothing could be killed (out_of_memory(), then panic()).
    const last = this.kernelEra === 'modern' ? ['Out of memory and no killable processes...'] : [];
    return [...this.#dmesg.lines, ...[...last, `Kernel panic - not syncing: ${h.reason}`].map((text) => dmesgLine(h.t, text))];
  }

  /**
   * Formats the kill reports not yet formatted, for at most `budgetMs` (a long
   * replay catches up in slices); true when the log is up to date. Only the
   * newest kills can be on screen, so a long gap formats those, not every report;
   * a kill whose report has left the kernel's log ring leaves the panel too, as
   * it leaves `dmesg`.
   */
  catchUpDmesg(budgetMs = Infinity): boolean {
    const total = this.m.oomKillCount();
    const first = Math.max(total - this.m.oomKills().length, total - DMESG_KILLS);
    const d = this.#dmesg;
    if (d.kills === total && d.first === first) return true;
    const valid = d.kills >= 0 && d.kills <= total;
    const groups = valid ? d.groups.filter((g) => g.n >= first) : [];
    const from = valid ? Math.max(first, d.kills) : first;
    const started = performance.now();
    let done = from;
    const reports = this.m.oomKillsSince(from);
    while (done < total) {
      const lines: string[] = [];
      for (const r of oomKillRecords(reports[done - from]!, this.kernelEra)) {
        if (DMESG_SHOWN.test(r.text)) lines.push(dmesgLine(r.t, r.text));
      }
      groups.push({ n: done, lines });
      done++;
      if (performance.now() - started > budgetMs) break;
    }
    let lines = groups.flatMap((g) => g.lines);
    if (lines.length > DMESG_KEPT) lines = lines.slice(-DMESG_KEPT);
    this.#dmesg = { kills: done, first, groups, lines };
    return done === total;
  }
}

/**
 * Kernel log lines kept (the panel shows the last 200; the rest bounds memory), and the kills
 * formatted when catching up: each kill prints at least two of the lines shown,
 * so the newest DMESG_KILLS kills always fill the panel's 200.
 */
const DMESG_KEPT = 2000;
const DMESG_KILLS = 100;

/** The kernel log lines the panel shows (the task dump is left out). */
const DMESG_SHOWN = /Out of memory|oom-kill|Killed process|oom_reaper|invoked oom-killer/;

const round1 = (x: number) => Math.round(x * 10) / 10;

function lruMiB(m: Machine): LruSizes {
  const l = m.lru();
  return { activeFile: mib(l.activeFile), inactiveFile: mib(l.inactiveFile), activeAnon: mib(l.activeAnon), inactiveAnon: mib(l.inactiveAnon) };
}

/** A preset's machine with its script queued, not yet run. */
function prepare(options: SimulationOptions, ui: PresetBasics) {
  const sc = ui.scenario;
  const m = new Machine({
    kernel: sc.kernelEra,
    ...sc.machine,
    ...(options.ramMiB !== undefined && { ramMiB: options.ramMiB }),
    ...(options.swapMiB !== undefined && { swapMiB: options.swapMiB }),
    ...(options.swappiness !== undefined && { swappiness: options.swappiness }),
    ...(options.seed !== undefined && { seed: options.seed }),
  });
  const timeline: TimedAction[] = [...sc.timeline].sort((a, b) => a.t - b.t);
  m.schedule(ui.scripted ? timeline : timeline.filter((a) => a.t <= ui.start));
  return { m, ui, sc };
}

function finish(m: Machine, sc: { freeEra: FreeEra; kernelEra: KernelEra }): Booted {
  const booted = new Booted(m, sc.freeEra, sc.kernelEra);
  booted.vmstatRow();
  booted.markSample();
  return booted;
}

/**
 * Boot a preset's machine and run its scenario towards the preset's start, so the
 * reader begins where the chapter does. `lead` stops that many seconds early, so
 * the caller can run the last stretch itself and record it as history. Past the
 * start, a replay keeps its scripted actions; otherwise the reader drives.
 */
export function bootMachine(options: SimulationOptions, basics: PresetBasics, lead = 0): Booted {
  const { m, ui, sc } = prepare(options, basics);
  m.runUntil(Math.max(0, ui.start - lead));
  return finish(m, sc);
}

/** The same as bootMachine, in slices of about `sliceMs` of work, yielding between them. */
export async function bootMachineSliced(
  options: SimulationOptions,
  basics: PresetBasics,
  lead = 0,
  sliceMs = 25,
  abandoned: () => boolean = () => false,
): Promise<Booted> {
  const { m, ui, sc } = prepare(options, basics);
  const until = Math.max(0, ui.start - lead);
  while (m.t < until - 1e-9) {
    const started = performance.now();
    while (m.t < until - 1e-9 && performance.now() - started < sliceMs) m.runUntil(Math.min(until, m.t + 0.5));
    if (m.t < until - 1e-9) await new Promise((resolve) => setTimeout(resolve, 0));
    if (abandoned()) break;
  }
  return finish(m, sc);
}

/** Run the machine for `seconds`, applying the preset's own scripted actions as they fall due. */
export function runFor(b: Booted, seconds: number): void {
  b.m.step(seconds);
}

export function act(b: Booted, action: Action): void {
  b.m.act(action);
}

export interface Frame {
  t: number;
  uptime: string;
  totalMiB: number;
  swapTotalMiB: number;
  swappiness: number;
  memory: MemorySample;
  watermarks: Watermarks;
  ioSample: IoSample;
  cpu: CpuSplit;
  diskReadLimit: number;
  lru: LruSizes;
  lruMoved: LruSizes;
  lsSeconds: number;
  free: string;
  /** Which procps the free panel imitates, in words. */
  freeEraNote: string;
  psi: string;
  vmstatHeader: string[];
  vmstatSinceBoot: string;
  dmesgLines: string[];
  dockerPs: string;
  procs: ProcRow[];
  containers: ContainerRow[];
  labNames: string[];
  appName: string;
  appRunning: boolean;
  events: SimEvent[];
  eventCount: number;
  summary: string;
  /** The panic line when the kernel halted the machine (no killable process), else null. */
  halted: string | null;
  /** Running containers' memory cgroups. */
  cgroups: CgroupRow[];
  responders: RespondersOn;
  /** Running totals since boot, for comparisons of two machines (see src/state/compare.ts). */
  totals: Totals;
}

/** Counts since boot: KiB read from disk (bi) and swapped in and out, PSI memory `full` time, OOM kills. */
export interface Totals {
  readKiB: number;
  swapInKiB: number;
  swapOutKiB: number;
  stallFullUs: number;
  kills: number;
}

function uptime(t: number): string {
  const s = Math.floor(t);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `up ${h}:${pad(m)}:${pad(sec)}.${Math.floor((t - s) * 10)}`;
}

/** Memory by kind right now, MiB (a chart sample). */
export function memorySample(b: Booted): MemorySample {
  const m = b.m;
  const bk = m.buckets();
  const kernelPages = bk.kernel + bk.slabUnreclaimable + bk.kernelStack + bk.pageTables;
  const cachePages = bk.buffers + bk.fileActive + bk.fileInactive + bk.fileInflight + bk.slabReclaimable;
  return {
    t: m.t,
    kernel: mib(kernelPages),
    anon: mib(bk.anonActive + bk.anonInactive),
    shmem: mib(bk.shmem),
    cache: mib(cachePages),
    free: mib(bk.free),
    swap: mib(m.state.swapUsed),
  };
}

/** Disk and swap traffic over the last sample interval, KiB/s (a chart sample). */
export function ioSample(b: Booted): IoSample {
  const r = b.sampleRates;
  return { t: b.m.t, bi: Math.round(r.bi), bo: Math.round(r.bo), si: Math.round(r.si), so: Math.round(r.so) };
}

/** The lab containers that are running or will be restarted (the slider's count), oldest first. */
export function runningLabs(b: Booted): string[] {
  return b.m.state.containers.filter((c) => c.profile === LAB_PROFILE && !c.manualStop && c.state !== 'exited').map((c) => c.name);
}

export function frameOf(b: Booted): Frame {
  const m = b.m;
  const st = m.state;
  const r = b.sampleRates;
  const memory = memorySample(b);
  const victim = nextGlobalVictim(st)?.pid;
  const byPid = new Map(st.procs.filter((p) => p.alive).map((p) => [p.pid, p]));
  const containerName = new Map(st.containers.map((c) => [c.id, c.name]));
  const procs: ProcRow[] = m.ps().map((row) => {
    const p = byPid.get(row.pid);
    return {
      pid: row.pid,
      comm: row.comm,
      container: !p || p.cid === 0 || p.spec.hostSide ? 'host' : (containerName.get(p.cid) ?? '?'),
      rssMiB: Math.round(row.rssKb / 1024),
      state: row.stat,
      oomScore: row.oomScore,
      adj: p?.adj ?? 0,
      nextVictim: row.pid === victim,
    };
  });
  const containers: ContainerRow[] = st.containers.map((c) => ({
    name: c.name,
    status: c.state,
    memLimitMiB: wholeMib(c.memLimit),
    exitCode: c.state === 'running' ? 0 : c.exitCode,
    oomKilled: c.oomKilled,
    restarts: c.restartCount,
  }));
  const labNames = runningLabs(b);
  const appName = Object.values(HOSTS).flatMap((h) => Object.keys(h.apps))[0] ?? '';
  const appServices = HOSTS[st.config.host]?.apps[appName]?.services ?? [];
  const appRunning = st.procs.some((p) => p.alive && p.cid === 0 && appServices.some((s) => s.name === p.spec.name && s.command === p.spec.command));
  const events = m.events().slice(-50).map((e) => ({ t: e.t, text: e.text, kind: e.kind }));
  const free = m.freeKiB(b.freeEra);
  const cpu: CpuSplit = { us: Math.round(r.us), sy: Math.round(r.sy), id: Math.round(r.id), wa: Math.round(r.wa), st: Math.round(r.st) };
  const kills = st.counters.oomKills;
  const readLimit = st.config.disk.readMiBps * 1024;
  const diskBusy = Math.min(100, Math.round((100 * r.bi) / readLimit));
  const summary =
    `At ${Math.round(m.t)} seconds: ${Math.trunc(free.used / 1024)} MiB used, ${Math.trunc(free.available / 1024)} MiB available of ${Math.trunc(free.total / 1024)}; ` +
    (st.swapTotal > 0 ? `swap ${Math.round(mib(st.swapUsed))} of ${Math.round(mib(st.swapTotal))} MiB used; ` : 'no swap; ') +
    `disk reads at ${diskBusy}% of the disk's limit; CPU waiting on I/O ${cpu.wa}%; ` +
    `${kills === 0 ? 'no OOM kills yet' : `${kills} OOM kill${kills === 1 ? '' : 's'} so far`}.` +
    (st.halted ? ` The kernel panicked at ${Math.round(st.halted.t)} seconds and the machine has stopped.` : '');
  const wm = m.watermarks();
  return {
    t: m.t,
    uptime: uptime(m.t),
    totalMiB: wholeMib(m.totalPages()),
    swapTotalMiB: wholeMib(st.swapTotal),
    swappiness: st.swappiness,
    memory,
    watermarks: { min: mib(wm.min + wm.lowmemReserve), low: mib(wm.low + wm.lowmemReserve), high: mib(wm.high + wm.lowmemReserve) },
    ioSample: ioSample(b),
    cpu,
    diskReadLimit: readLimit,
    lru: lruMiB(m),
    lruMoved: b.lruMoved,
    lsSeconds: m.lsSeconds(),
    free: formatFree(free, { unit: 'm', era: b.freeEra }),
    freeEraNote: freeEraLabel(b.freeEra),
    psi: formatPsi(m.psi()),
    vmstatHeader: vmstatHeader(),
    vmstatSinceBoot: formatVmstatRow(m.vmstatSinceBoot()),
    dmesgLines: b.dmesgLines,
    dockerPs: formatDockerPs(m.docker(), m.t, { all: true }),
    procs,
    containers,
    labNames,
    appName,
    appRunning,
    events,
    eventCount: m.eventCount(),
    summary,
    halted: st.halted ? `Kernel panic - not syncing: ${st.halted.reason}` : null,
    cgroups: cgroupRows(m),
    responders: { earlyoom: !!st.responders.earlyoom, oomd: !!st.responders.oomd, kubelet: !!st.responders.kubelet },
    totals: { readKiB: st.counters.pgpgin, swapInKiB: st.counters.pswpin * 4, swapOutKiB: st.counters.pswpout * 4, stallFullUs: st.psi.fullTotal, kills },
  };
}

/** memory.current, .max, .high, .swap.current, .events and .pressure of each running container, MiB. */
function cgroupRows(m: Machine): CgroupRow[] {
  const whole = (bytes: number | null) => (bytes === null ? 0 : Math.round(bytes / 2 ** 20));
  return m
    .cgroups(false)
    .filter((c) => c.state !== 'exited')
    .map((c) => ({
      name: c.name,
      currentMiB: whole(c.current),
      maxMiB: whole(c.max),
      highMiB: whole(c.high),
      swapMiB: whole(c.swapCurrent),
      max: c.events.max,
      high: c.events.high,
      oomKill: c.events.oom_kill,
      pressure: Math.round(c.pressure.some.avg10),
    }));
}
