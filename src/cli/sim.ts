/**
 * The memory engine from a terminal.
 *
 *   npm run sim -- --scenario NAME [--format text|json] [--swap MIB] [--ram MIB] [--seed N]
 */
import { SCENARIOS, SCENARIO_NAMES, getScenario } from '../engine/scenarios/index';
import { runScenario } from '../engine/run';
import type { ScenarioRun } from '../engine/run';
import type { Scenario } from '../engine/scenarios/types';
import { formatFreeMiB } from '../engine/format/free';
import { formatVmstatRow, vmstatHeader } from '../engine/format/vmstat';
import { grepDmesg, formatDmesg } from '../engine/format/dmesg';

const HELP = `Usage: npm run sim -- --scenario NAME [options]

Runs the Out of Memory engine on a named scenario and prints what the machine's
tools would have printed: a terminal transcript (free -m at each mark, vmstat 5
rows, dmesg) or one JSON object.

Options:
  --scenario NAME     scenario to run (required); one of:
${SCENARIO_NAMES.map((n) => `                        ${n.padEnd(16)} ${SCENARIOS[n]!.title}`).join('\n')}
  --format text|json  output format (default: text)
                        text: a transcript like the incident write-up
                        json: {"scenario","machine","marks","samples","dmesg"}; one sample
                              every 5 simulated seconds; t = seconds since boot
  --swap MIB          swap size in MiB (default: the scenario's; 0 = none)
  --ram MIB           RAM in MiB (default: the scenario's; at least 64)
  --seed N            random seed, an integer (default: the scenario's)
  --help              show this help

Exit status: 0 on success, 2 on a bad flag or an unknown scenario.`;

class UsageError extends Error {}

interface Args {
  scenario?: string;
  format: 'text' | 'json';
  swap?: number;
  ram?: number;
  seed?: number;
  help: boolean;
}

function parseNumber(flag: string, raw: string | undefined, opts: { min: number; integer?: boolean }): number {
  if (raw === undefined || raw === '' || raw.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  if (!/^-?\d+(\.\d+)?$/.test(raw)) throw new UsageError(`${flag} must be a number, got "${raw}"`);
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`${flag} must be a number, got "${raw}"`);
  if (opts.integer && !Number.isInteger(v)) throw new UsageError(`${flag} must be an integer, got "${raw}"`);
  if (v < opts.min) throw new UsageError(`${flag} must be at least ${opts.min}, got ${raw}`);
  return v;
}

export function parseArgs(argv: readonly string[]): Args {
  const a: Args = { format: 'text', help: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (arg) {
      case '--help':
      case '-h':
        a.help = true;
        break;
      case '--scenario': {
        const v = value();
        if (v === undefined || v === '' || v.startsWith('--')) throw new UsageError('--scenario needs a name');
        a.scenario = v;
        break;
      }
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, got "${v ?? ''}"`);
        a.format = v;
        break;
      }
      case '--swap':
        a.swap = parseNumber('--swap', value(), { min: 0 });
        break;
      case '--ram':
        a.ram = parseNumber('--ram', value(), { min: 64 });
        break;
      case '--seed':
        a.seed = parseNumber('--seed', value(), { min: 0, integer: true });
        break;
      default:
        throw new UsageError(`unknown option "${arg}" (see --help)`);
    }
  }
  return a;
}

function textTranscript(sc: Scenario, run: ScenarioRun): string {
  const out: string[] = [];
  const sampleAt = new Map(run.samples.map((s) => [s.t, s]));
  for (const item of sc.transcript ?? defaultTranscript(sc)) {
    switch (item.kind) {
      case 'free': {
        const mk = run.marks[item.mark];
        if (!mk) break;
        out.push(`$ free -m    # ${item.mark}, t=${mk.t}s`);
        out.push(formatFreeMiB(mk.free, sc.freeEra));
        out.push('');
        break;
      }
      case 'comment':
        out.push(`# ${item.text}`);
        break;
      case 'command':
        out.push(`$ ${item.text}`);
        break;
      case 'vmstat': {
        if (item.header) {
          out.push('$ vmstat 5');
          const [h1, h2] = vmstatHeader();
          out.push(h1, h2);
          const first = run.sinceBoot[item.from];
          if (first) out.push(formatVmstatRow(first));
        } else if (item.elide) {
          out.push('....');
        }
        for (let t = item.from + 5; t <= item.to; t += 5) {
          const s = sampleAt.get(t);
          if (s) out.push(formatVmstatRow(s.vmstat));
        }
        break;
      }
      case 'dmesg': {
        if (item.grep) {
          out.push(`$ dmesg | grep "${item.grep}"`);
          const g = grepDmesg(run.dmesgRecords, item.grep);
          out.push(g === '' ? '(no lines)' : g);
        } else {
          out.push('$ dmesg');
          out.push(formatDmesg(run.dmesgRecords));
        }
        out.push('');
        break;
      }
    }
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

function defaultTranscript(sc: Scenario) {
  const items: NonNullable<Scenario['transcript']> = [];
  const marks = [...sc.marks].sort((a, b) => a.t - b.t);
  let from = 0;
  let header = true;
  for (const mk of marks) {
    const to = Math.floor(mk.t / 5) * 5;
    const start = Math.max(from, to - 60);
    if (to > start) {
      items.push({ kind: 'vmstat', from: start, to, header, elide: !header && start > from });
      header = false;
    }
    items.push({ kind: 'free', mark: mk.name });
    from = to;
  }
  items.push({ kind: 'dmesg', grep: sc.kernelEra === 'classic' ? 'Out of memory' : 'Killed process' });
  return items;
}

function jsonOutput(run: ScenarioRun): string {
  return JSON.stringify(
    {
      scenario: run.scenario,
      machine: run.machine,
      marks: run.marks,
      samples: run.samples,
      dmesg: run.dmesg,
    },
    null,
    2,
  );
}

function main(argv: readonly string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sim: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (args.scenario === undefined) {
    process.stderr.write(`sim: --scenario is required; available: ${SCENARIO_NAMES.join(', ')}\n`);
    return 2;
  }
  const sc = getScenario(args.scenario);
  if (!sc) {
    process.stderr.write(`sim: unknown scenario "${args.scenario}"; available: ${SCENARIO_NAMES.join(', ')}\n`);
    return 2;
  }
  const run = runScenario(sc, {
    ...(args.ram !== undefined ? { ramMiB: args.ram } : {}),
    ...(args.swap !== undefined ? { swapMiB: args.swap } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
  });
  process.stdout.write(args.format === 'json' ? jsonOutput(run) + '\n' : textTranscript(sc, run));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
