import type { FreeEra } from './format/free';
import type { KernelEra, Psi, VmstatRow } from './format/types';
import { formatDmesg, oomKillRecords } from './format/dmesg';
import type { DmesgRecord } from './format/dmesg';
import type { EngineEvent, MachineConfig, MachineState, TimedAction } from './model';
import { TICK } from './model';
import { applyAction, createState, tick } from './machine';
import { trimLogs } from './klog';
import { validateTime, validateTimeline } from './validate';
import type { CounterSnapshot, FreeMiB } from './readouts';
import { freeMiB, snapshotCounters, vmstatRow, vmstatSinceBoot } from './readouts';
import { psiReadout } from './psi';
import type { Scenario } from './scenarios/types';

/** Advance to simulated time t (seconds since boot), applying due actions in order. */
export function runUntil(m: MachineState, t: number, timeline: readonly TimedAction[] = [], cursor = { i: 0 }): void {
  const endTick = Math.round(t / TICK);
  for (;;) {
    while (cursor.i < timeline.length && Math.round(timeline[cursor.i]!.t / TICK) <= m.ticks) {
      applyAction(m, timeline[cursor.i]!.action);
      cursor.i++;
      trimLogs(m);
    }
    if (m.ticks >= endTick) break;
    tick(m);
  }
}

/** Build a machine from plain JSON and replay a timeline of timestamped actions up to `until`. */
export function replay(config: MachineConfig, timeline: readonly TimedAction[], until: number): MachineState {
  const m = createState(config);
  validateTimeline(m, timeline);
  validateTime('until', until);
  const sorted = [...timeline].sort((a, b) => a.t - b.t);
  runUntil(m, until, sorted);
  return m;
}

export interface Sample {
  t: number;
  free: FreeMiB;
  vmstat: VmstatRow;
  psi: Psi;
  /** The cumulative counters at t (/proc/vmstat's). */
  counters: CounterSnapshot;
}

export interface ScenarioRun {
  scenario: string;
  machine: {
    ram_mib: number;
    swap_mib: number;
    swappiness: number;
    cpus: number;
    seed: number;
    disk_read_mib_s: number;
    watermarks_kb: { min: number; low: number; high: number };
  };
  marks: Record<string, { t: number; free: FreeMiB }>;
  samples: Sample[];
  dmesg: string[];
  /** Not in the CLI JSON: the structured run for tests and the UI. */
  events: EngineEvent[];
  dmesgRecords: DmesgRecord[];
  /** vmstat's since-boot line at each sample time (what `vmstat 5` prints first). */
  sinceBoot: Record<number, VmstatRow>;
  final: MachineState;
}

export interface RunOptions {
  ramMiB?: number;
  swapMiB?: number;
  seed?: number;
  /** Sample interval, seconds (default 5, like `vmstat 5`). */
  interval?: number;
}

export function scenarioConfig(sc: Scenario, opts: RunOptions = {}): MachineConfig {
  return {
    kernel: sc.kernelEra,
    ...sc.machine,
    ...(opts.ramMiB !== undefined ? { ramMiB: opts.ramMiB } : {}),
    ...(opts.swapMiB !== undefined ? { swapMiB: opts.swapMiB } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  };
}

export function dmesgRecords(m: MachineState, era: KernelEra): DmesgRecord[] {
  const recs: DmesgRecord[] = [];
  for (const k of m.ooms) recs.push(...oomKillRecords(k, era));
  if (m.halted) {
    // out_of_memory() without a victim: the warning (5.x) and the panic.
    if (era === 'modern') recs.push({ t: m.halted.t, text: 'Out of memory and no killable processes...' });
    recs.push({ t: m.halted.t, text: `Kernel panic - not syncing: ${m.halted.reason}` });
  }
  return recs;
}

/** Run a scenario from boot to its end, sampling every `interval` seconds. */
export function runScenario(sc: Scenario, opts: RunOptions = {}): ScenarioRun {
  const config = scenarioConfig(sc, opts);
  const m = createState(config);
  const timeline = [...sc.timeline].sort((a, b) => a.t - b.t);
  const interval = opts.interval ?? 5;
  const era: FreeEra = sc.freeEra;
  const marks: ScenarioRun['marks'] = {};
  const samples: Sample[] = [];
  const sinceBoot: Record<number, VmstatRow> = {};
  const markAt = [...sc.marks].sort((a, b) => a.t - b.t);
  let mi = 0;
  const cursor = { i: 0 };
  let prev: CounterSnapshot = snapshotCounters(m);
  const nSamples = Math.floor(sc.duration / interval);
  for (let k = 1; k <= nSamples; k++) {
    const t = k * interval;
    while (mi < markAt.length && markAt[mi]!.t <= t) {
      const mk = markAt[mi]!;
      runUntil(m, mk.t, timeline, cursor);
      marks[mk.name] = { t: mk.t, free: freeMiB(m, era) };
      mi++;
    }
    runUntil(m, t, timeline, cursor);
    const cur = snapshotCounters(m);
    sinceBoot[t] = vmstatSinceBoot(m);
    samples.push({ t, free: freeMiB(m, era), vmstat: vmstatRow(m, prev, cur), psi: psiReadout(m), counters: cur });
    prev = cur;
  }
  while (mi < markAt.length) {
    const mk = markAt[mi]!;
    runUntil(m, mk.t, timeline, cursor);
    marks[mk.name] = { t: mk.t, free: freeMiB(m, era) };
    mi++;
  }
  const recs = dmesgRecords(m, sc.kernelEra);
  return {
    scenario: sc.name,
    machine: {
      ram_mib: config.ramMiB,
      swap_mib: config.swapMiB ?? 0,
      swappiness: config.swappiness ?? 60,
      cpus: config.cpus ?? 1,
      seed: config.seed ?? 1,
      disk_read_mib_s: m.config.disk.readMiBps,
      watermarks_kb: { min: m.wmark.min * 4, low: m.wmark.low * 4, high: m.wmark.high * 4 },
    },
    marks,
    samples,
    dmesg: recs.length ? formatDmesg(recs).split('\n') : [],
    events: m.events,
    dmesgRecords: recs,
    sinceBoot,
    final: m,
  };
}
