/**
 * The memory engine's public API.
 *
 *   const m = new Machine({ ramMiB: 990, swapMiB: 0, seed: 1 });
 *   m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'lab1' });
 *   m.step(5);                       // simulated seconds
 *   m.free('modern'); m.vmstat(prev); m.psi(); m.ps(); m.events(); m.lsSeconds();
 *
 * The state is plain JSON (`m.toJSON()` / `Machine.fromJSON`); `replay(config,
 * timeline, t)` rebuilds the same state from a config and timestamped actions,
 * deterministically (same seed + same actions ⇒ same state).
 */
import type { FreeEra } from './format/free';
import { freeFigures } from './format/free';
import type { DockerContainer, KernelEra, Meminfo, OomKill, Psi, PsRow, VmstatRow } from './format/types';
import type { DmesgRecord } from './format/dmesg';
import type { Action, EngineEvent, MachineConfig, MachineState, TimedAction } from './model';
import { TICK } from './model';
import { applyAction, createState, tick } from './machine';
import { psiReadout } from './psi';
import type { CounterSnapshot, FreeMiB, PageBuckets, Rates } from './readouts';
import {
  accountedPages,
  buckets,
  dockerContainers,
  freeMiB,
  lruSizes,
  lsLatency,
  meminfo,
  psRows,
  rates,
  snapshotCounters,
  vmstatRow,
  vmstatSinceBoot,
  watermarksPages,
} from './readouts';
import { dmesgRecords, replay as replayState, runUntil } from './run';
import { oomScore } from './oom';
import { psiOf } from './psi';
import { cgroupPath, memcgStat, memcgTotals } from './memcg';
import type { MemcgEvents } from './model';

/** One container's memory cgroup as its interface files show it (bytes; null = "max"). */
export interface CgroupView {
  name: string;
  /** cgroup path: cgroup v2's systemd scope, or cgroup v1's /docker/<id> on classic kernels. */
  path: string;
  state: 'running' | 'restarting' | 'exited';
  exitCode: number;
  oomKilled: boolean;
  /** Kubernetes: QoS class, and whether the kubelet evicted it. */
  qos: 'Guaranteed' | 'Burstable' | 'BestEffort' | null;
  evicted: boolean;
  current: number;
  max: number | null;
  high: number | null;
  low: number;
  min: number;
  swapCurrent: number;
  swapMax: number | null;
  oomGroup: boolean;
  events: MemcgEvents;
  stat: Record<string, number>;
  pressure: Psi;
}
import { MAX_SECONDS, num, validateTime, validateTimeline } from './validate';
import { eventCount, eventCountsByKind, eventsSince, oomReportCount, oomReportsSince, trimLogs } from './klog';

export class Machine {
  state: MachineState;
  private timeline: TimedAction[] = [];
  private cursor = { i: 0 };

  constructor(config: MachineConfig | { state: MachineState }) {
    this.state = 'state' in config ? config.state : createState(config);
  }

  /** A deep copy of the whole state (plain JSON). */
  toJSON(): MachineState {
    return JSON.parse(JSON.stringify(this.state)) as MachineState;
  }

  static fromJSON(state: MachineState): Machine {
    return new Machine({ state: JSON.parse(JSON.stringify(state)) as MachineState });
  }

  clone(): Machine {
    const c = Machine.fromJSON(this.state);
    c.timeline = this.timeline.slice();
    c.cursor = { i: this.cursor.i };
    return c;
  }

  /** Seconds since boot. */
  get t(): number {
    return this.state.t;
  }

  /** Apply an action now. */
  act(action: Action): void {
    applyAction(this.state, action);
    trimLogs(this.state);
  }

  /** Queue actions at future times (seconds since boot); they fire during step(). */
  schedule(actions: readonly TimedAction[]): void {
    validateTimeline(this.state, actions);
    this.timeline = [...this.timeline.slice(this.cursor.i), ...actions].sort((a, b) => a.t - b.t);
    this.cursor = { i: 0 };
  }

  /** Advance the simulated clock by `seconds` (whole 100 ms ticks). */
  step(seconds: number): void {
    num('seconds', seconds, { min: 0, max: MAX_SECONDS });
    runUntil(this.state, this.state.t + seconds, this.timeline, this.cursor);
  }

  /** Advance to an absolute time (seconds since boot). */
  runUntil(t: number): void {
    validateTime('t', t);
    runUntil(this.state, t, this.timeline, this.cursor);
  }

  /** One internal tick (100 ms). */
  tick(): void {
    tick(this.state);
  }

  // ---- read-outs -----------------------------------------------------------
  meminfo(): Meminfo {
    return meminfo(this.state);
  }
  /** `free` figures in KiB (feed to formatFree). */
  freeKiB(era: FreeEra = 'modern') {
    return freeFigures(meminfo(this.state), era);
  }
  /** `free -m` figures in MiB. */
  free(era: FreeEra = 'modern'): FreeMiB {
    return freeMiB(this.state, era);
  }
  counters(): CounterSnapshot {
    return snapshotCounters(this.state);
  }
  /** A vmstat row for the interval since `since` (a counters() snapshot). */
  vmstat(since: CounterSnapshot): VmstatRow {
    return vmstatRow(this.state, since);
  }
  vmstatSinceBoot(): VmstatRow {
    return vmstatSinceBoot(this.state);
  }
  rates(since: CounterSnapshot): Rates {
    return rates(since, snapshotCounters(this.state));
  }
  psi(): Psi {
    return psiReadout(this.state);
  }
  ps(): PsRow[] {
    return psRows(this.state);
  }
  /** Every live process with its numbers (pages) for custom panels. */
  processes() {
    const m = this.state;
    return m.procs
      .filter((p) => p.alive)
      .map((p) => ({
        pid: p.pid,
        comm: p.comm,
        container: m.containers.find((c) => c.id === p.cid)?.name ?? null,
        state: p.state,
        anonPages: p.anonA + p.anonI,
        swapPages: p.swap,
        pgtablesPages: p.pgt,
        oomScoreAdj: p.adj,
        oomScore: oomScore(m, p),
      }));
  }
  docker(): DockerContainer[] {
    return dockerContainers(this.state);
  }
  /** Every container's memory cgroup: memory.current, .max, .events, .stat (unless `stat` is false), .pressure … */
  cgroups(stat = true): CgroupView[] {
    const m = this.state;
    const b = (pages: number) => pages * 4096;
    const totals = memcgTotals(m);
    return m.containers.map((c) => ({
      name: c.name,
      path: cgroupPath(m, c),
      state: c.state,
      exitCode: c.exitCode,
      oomKilled: c.oomKilled,
      qos: c.qos,
      evicted: c.evicted,
      current: c.state === 'exited' ? 0 : b(totals.get(c.id)!.usage),
      max: c.memLimit > 0 ? b(c.memLimit) : null,
      high: c.memHigh > 0 ? b(c.memHigh) : null,
      low: b(c.memLow),
      min: b(c.memMin),
      swapCurrent: b(totals.get(c.id)!.swap),
      swapMax: c.swapMax < 0 ? null : b(c.swapMax),
      oomGroup: c.oomGroup,
      events: { ...c.events },
      stat: stat ? memcgStat(m, c) : {},
      pressure: psiOf(c.psi),
    }));
  }
  /** The kernel panicked (no killable process): when and why; null while it runs. */
  halted(): { t: number; reason: string } | null {
    return this.state.halted;
  }
  /** The OOM reports still in the kernel log (the most recent kills; klog.ts), oldest first. */
  oomKills(): OomKill[] {
    return this.state.ooms;
  }
  /** OOM reports logged since boot, including those that have left the log. */
  oomKillCount(): number {
    return oomReportCount(this.state);
  }
  /** The reports of kill number n (0 = the first since boot) and later that the log still holds. */
  oomKillsSince(n: number): OomKill[] {
    return oomReportsSince(this.state, n);
  }
  dmesg(era: KernelEra = 'modern'): DmesgRecord[] {
    return dmesgRecords(this.state, era);
  }
  /** The most recent events (at most EVENTS_KEPT; klog.ts), oldest first. */
  events(): EngineEvent[] {
    return this.state.events;
  }
  /** Events logged since boot, including those that have left the log. */
  eventCount(): number {
    return eventCount(this.state);
  }
  /** The events numbered n (0 = boot) and later that the log still holds. */
  eventsSince(n: number): EngineEvent[] {
    return eventsSince(this.state, n);
  }
  /** Events of each kind since boot. */
  eventCounts() {
    return eventCountsByKind(this.state);
  }
  watermarks() {
    return watermarksPages(this.state);
  }
  lru() {
    return lruSizes(this.state);
  }
  buckets(): PageBuckets {
    return buckets(this.state);
  }
  /** Pages accounted for; equals totalPages() always (conservation). */
  accountedPages(): number {
    return accountedPages(buckets(this.state));
  }
  totalPages(): number {
    return this.state.totalPages;
  }
  /** How long `ls` would take right now, seconds. */
  lsSeconds(): number {
    return lsLatency(this.state);
  }
}

/** Rebuild a machine from a config and a timeline of actions, at time `until`. */
export function replay(config: MachineConfig, timeline: readonly TimedAction[], until: number): Machine {
  return new Machine({ state: replayState(config, timeline, until) });
}

export const TICK_SECONDS = TICK;
export type { Action, TimedAction, MachineConfig, MachineState, EngineEvent, RestartPolicy, ContainerProfile, ServiceSpec, MemoryKnobs, Responders } from './model';
export type { FreeMiB, Rates, CounterSnapshot, PageBuckets } from './readouts';
export { runScenario, scenarioConfig } from './run';
export type { ScenarioRun, Sample, RunOptions } from './run';
export { SCENARIOS, SCENARIO_NAMES, getScenario } from './scenarios/index';
export type { Scenario, TranscriptItem } from './scenarios/index';
export { CONTAINERS, CONTAINER_PROFILE_NAMES, HOSTS } from './profiles';
export { LOG_BUF_LEN, EVENTS_KEPT } from './klog';
export { validateAction, validateConfig, validateTimeline } from './validate';
export { badness, classicScore, oomScore, nextGlobalVictim } from './oom';
