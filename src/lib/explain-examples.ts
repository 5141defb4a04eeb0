/**
 * Example captures for /explain/ and chapter 8, printed at build time by the
 * engine from its replay of the incident, so they change when the model does.
 */
import { commandOutput, scenarioRun, type Command } from './engine-output';
import { PRESETS } from '../state/presets';
import type { SimBasis } from './explain-link';

export interface ExplainExample {
  id: string;
  label: string;
  command: Command;
  scenario: string;
  at: string;
  /** The capture as a reader would paste it: the command line, then the output. */
  text: string;
}

const SPECS: readonly Omit<ExplainExample, 'text'>[] = [
  { id: 'free', label: 'free -m on the calm box', command: 'free -m', scenario: 'seed', at: 'container-2' },
  { id: 'free-thrashing', label: 'free -m while it thrashes', command: 'free -m', scenario: 'seed', at: 'container-4' },
  { id: 'vmstat', label: 'vmstat 5 while it thrashes', command: 'vmstat 5', scenario: 'seed', at: 'container-4' },
  { id: 'pressure', label: '/proc/pressure/memory while it thrashes', command: 'cat /proc/pressure/memory', scenario: 'seed', at: 'container-4' },
  { id: 'meminfo', label: '/proc/meminfo while it thrashes', command: 'cat /proc/meminfo', scenario: 'seed', at: 'container-4' },
  { id: 'oom-report', label: 'the last OOM report, in full', command: 'dmesg', scenario: 'seed', at: 'killed-all' },
  { id: 'oom-loop', label: 'every kill line', command: 'dmesg | grep "Out of memory"', scenario: 'seed', at: 'killed-all' },
];

let cached: ExplainExample[] | undefined;

export function explainExamples(): ExplainExample[] {
  cached ??= SPECS.map((s) => ({ ...s, text: `$ ${s.command}\n${commandOutput(s.scenario, s.at, s.command, 8)}` }));
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
