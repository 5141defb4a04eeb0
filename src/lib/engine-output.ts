/**
 * Terminal output for the chapters, produced at build time by running an engine
 * scenario and formatting its state at a named mark. Runs are cached per
 * scenario, so a chapter with several terminals pays for one run.
 */
import { getScenario } from '../engine/scenarios';
import { replay, runScenario, scenarioConfig, type ScenarioRun } from '../engine/run';
import { meminfo, dockerContainers } from '../engine/readouts';
import { formatFreeMiB, freeEraLabel } from '../engine/format/free';
import { formatVmstatRow, vmstatHeader } from '../engine/format/vmstat';
import { formatPsi } from '../engine/format/psi';
import { formatMeminfo } from '../engine/format/meminfo';
import { formatDockerPs } from '../engine/format/docker';
import { formatProcSwaps, formatSwaponShow, swapAreas } from '../engine/format/swaps';
import { formatDmesg, grepDmesg, type DmesgRecord } from '../engine/format/dmesg';
import { formatDockerInspectState } from '../engine/format/docker';
import { formatMemoryEvents } from '../engine/format/cgroup';
import { Machine } from '../engine/index';
import type { MachineState } from '../engine/model';

export const COMMANDS = [
  'free -m',
  'vmstat 5',
  'dmesg | grep "Out of memory"',
  'dmesg',
  'cat /proc/pressure/memory',
  'cat /proc/meminfo',
  'docker ps',
  'swapon --show',
  'cat /proc/swaps',
  'grep Swap /proc/meminfo',
  'docker inspect',
  'cat memory.events',
] as const;

export type Command = (typeof COMMANDS)[number];

/** Commands about one container, which need its name. */
export const CONTAINER_COMMANDS: readonly Command[] = ['docker inspect', 'cat memory.events'];

function containerIn(m: MachineState, name: string | undefined, command: Command) {
  const c = m.containers.find((x) => x.name === name);
  if (!c) throw new Error(`"${command}" needs the name of a container on the machine (got "${name ?? ''}")`);
  return c;
}

/** The command line as the terminal shows it: a container's command names the container or its cgroup. */
export function commandLine(scenario: string, mark: string, command: Command, container?: string): string {
  const m = stateAt(scenario, mark);
  switch (command) {
    case 'docker inspect':
      return `docker inspect --format '{{json .State}}' ${containerIn(m, container, command).name} | python3 -m json.tool`;
    case 'cat memory.events': {
      const c = containerIn(m, container, command);
      const view = new Machine({ state: m }).cgroups().find((x) => x.name === c.name)!;
      return `cat /sys/fs/cgroup${view.path}/memory.events`;
    }
    default:
      return command;
  }
}

const runs = new Map<string, ScenarioRun>();
const states = new Map<string, MachineState>();

function scenarioOf(name: string) {
  const sc = getScenario(name);
  if (!sc) throw new Error(`no engine scenario "${name}"`);
  return sc;
}

export function scenarioRun(name: string): ScenarioRun {
  let run = runs.get(name);
  if (!run) {
    run = runScenario(scenarioOf(name));
    runs.set(name, run);
  }
  return run;
}

/** Seconds since boot of a scenario's mark. */
export function markTime(scenario: string, mark: string): number {
  const found = scenarioOf(scenario).marks.find((m) => m.name === mark);
  if (!found) {
    const names = scenarioOf(scenario).marks.map((m) => m.name).join(', ');
    throw new Error(`scenario "${scenario}" has no mark "${mark}" (marks: ${names})`);
  }
  return found.t;
}

/** The machine exactly at a mark (replayed from boot). */
export function stateAt(scenario: string, mark: string): MachineState {
  const key = `${scenario}@${mark}`;
  let m = states.get(key);
  if (!m) {
    const sc = scenarioOf(scenario);
    m = replay(scenarioConfig(sc), sc.timeline, markTime(scenario, mark));
    states.set(key, m);
  }
  return m;
}

function recordsUntil(run: ScenarioRun, t: number): DmesgRecord[] {
  return run.dmesgRecords.filter((r) => r.t <= t);
}

/** Which procps the scenario's `free` imitates, in words (see freeEraLabel). */
export function freeEraNote(scenario: string): string {
  return freeEraLabel(scenarioOf(scenario).freeEra);
}

/** What `command` prints on the scenario's machine at `mark`. */
export function commandOutput(scenario: string, mark: string, command: Command, rows = 6, container?: string): string {
  const sc = scenarioOf(scenario);
  const run = scenarioRun(scenario);
  const t = markTime(scenario, mark);
  switch (command) {
    case 'free -m': {
      const row = run.marks[mark]?.free;
      if (!row) throw new Error(`scenario "${scenario}" did not record free at "${mark}"`);
      return formatFreeMiB(row, sc.freeEra);
    }
    case 'vmstat 5': {
      const upTo = run.samples.filter((s) => s.t <= t + 1e-9).slice(-rows);
      return [...vmstatHeader(), ...upTo.map((s) => formatVmstatRow(s.vmstat))].join('\n');
    }
    case 'dmesg | grep "Out of memory"':
      return grepDmesg(recordsUntil(run, t), 'Out of memory') || '';
    case 'dmesg': {
      const recs = recordsUntil(run, t);
      const lastInvoked = recs.map((r) => r.text.includes('invoked oom-killer')).lastIndexOf(true);
      return lastInvoked < 0 ? '' : formatDmesg(recs.slice(lastInvoked));
    }
    case 'cat /proc/pressure/memory': {
      const sample = run.samples.filter((s) => s.t <= t + 1e-9).at(-1);
      if (!sample) throw new Error(`no sample before "${mark}"`);
      return formatPsi(sample.psi);
    }
    case 'cat /proc/meminfo':
      return formatMeminfo(meminfo(stateAt(scenario, mark)));
    case 'docker ps': {
      const m = stateAt(scenario, mark);
      return formatDockerPs(dockerContainers(m), m.t);
    }
    case 'swapon --show':
    case 'cat /proc/swaps': {
      const mi = meminfo(stateAt(scenario, mark));
      const areas = swapAreas(mi.SwapTotal, mi.SwapTotal - mi.SwapFree);
      return command === 'swapon --show' ? formatSwaponShow(areas) : formatProcSwaps(areas);
    }
    case 'grep Swap /proc/meminfo':
      return formatMeminfo(meminfo(stateAt(scenario, mark)))
        .split('\n')
        .filter((l) => l.includes('Swap'))
        .join('\n');
    case 'docker inspect': {
      const m = stateAt(scenario, mark);
      const c = containerIn(m, container, command);
      return formatDockerInspectState(dockerContainers(m).find((d) => d.name === c.name)!, { startedAt: c.startedAt });
    }
    case 'cat memory.events': {
      const m = stateAt(scenario, mark);
      const c = containerIn(m, container, command);
      return formatMemoryEvents(c.events);
    }
  }
}
