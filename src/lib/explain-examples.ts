/**
 * Example captures for /explain/ and chapter 8, printed at build time by the
 * engine from its replay of the incident, so they change when the model does.
 */
import { commandOutput, scenarioRun, stateAt, type Command } from './engine-output';
import { meminfo, psRows } from '../engine/readouts';
import { formatPs } from '../engine/format/ps';
import { PRESETS } from '../state/presets';
import type { SimBasis } from './explain-link';

export interface ExplainExample {
  id: string;
  label: string;
  command: Command | typeof PS_COMMAND;
  scenario: string;
  at: string;
  /** The capture as a reader would paste it: the command line, then the output. */
  text: string;
}

/** The ps columns the engine prints (src/engine/format/ps.ts), as a procps command line. */
export const PS_COMMAND = 'ps -eo pid,user,rss,%mem,stat,oom,comm --sort=-rss | head -13';

/** What the example's command prints on the scenario's machine at its mark. */
export function exampleOutput(e: Pick<ExplainExample, 'command' | 'scenario' | 'at'>): string {
  if (e.command === PS_COMMAND) {
    const m = stateAt(e.scenario, e.at);
    const rows = [...psRows(m)].sort((a, b) => b.rssKb - a.rssKb).slice(0, 12);
    return formatPs(rows, { memTotalKb: meminfo(m).MemTotal });
  }
  return commandOutput(e.scenario, e.at, e.command, 8);
}

const SPECS: readonly Omit<ExplainExample, 'text'>[] = [
  { id: 'free', label: 'free -m on the calm box', command: 'free -m', scenario: 'seed', at: 'container-2' },
  { id: 'free-thrashing', label: 'free -m while it thrashes', command: 'free -m', scenario: 'seed', at: 'container-4' },
  { id: 'vmstat', label: 'vmstat 5 while it thrashes', command: 'vmstat 5', scenario: 'seed', at: 'container-4' },
  { id: 'pressure', label: '/proc/pressure/memory while it thrashes', command: 'cat /proc/pressure/memory', scenario: 'seed', at: 'container-4' },
  { id: 'meminfo', label: '/proc/meminfo while it thrashes', command: 'cat /proc/meminfo', scenario: 'seed', at: 'container-4' },
  { id: 'ps', label: 'the largest processes while it thrashes', command: PS_COMMAND, scenario: 'seed', at: 'container-4' },
  { id: 'oom-report', label: 'the last OOM report, in full', command: 'dmesg', scenario: 'seed', at: 'killed-all' },
  { id: 'oom-loop', label: 'every kill line', command: 'dmesg | grep "Out of memory"', scenario: 'seed', at: 'killed-all' },
];

let cached: ExplainExample[] | undefined;

export function explainExamples(): ExplainExample[] {
  cached ??= SPECS.map((s) => ({ ...s, text: `$ ${s.command}\n${exampleOutput(s)}` }));
  return cached;
}

export function explainExample(id: string): ExplainExample {
  const e = explainExamples().find((x) => x.id === id);
  if (!e) throw new Error(`no /explain/ example "${id}" (known: ${SPECS.map((s) => s.id).join(', ')})`);
  return e;
}

/** The simulator figures the "Open this in the simulator" link needs. */
export function simBasis(): SimBasis {
  const preset = PRESETS.playground!;
  const run = scenarioRun(preset.scenario);
  const at = (mark: string) => run.marks[mark]!.free;
  const base = run.samples.filter((s) => s.t <= preset.start).at(-1)!.free;
  const labMiB = (at('container-2').used - at('app-started').used) / 2;
  return { start: preset.start, baseUsedMiB: base.total - base.available, labMiB, path: '/playground/', simId: 'playground' };
}
