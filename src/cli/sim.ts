/**
 * The memory engine from a terminal.
 *
 *   npm run sim -- [--scenario NAME] [--do LIST] [--link VALUE] [--until S]
 *                  [--format text|json] [--swap MIB] [--ram MIB] [--swappiness N] [--seed N]
 */
import { SCENARIOS, SCENARIO_NAMES } from '../engine/scenarios/index';
import { runScenario } from '../engine/run';
import { cgroupPath } from '../engine/memcg';
import { Machine } from '../engine/index';
import type { ScenarioRun } from '../engine/run';
import type { Scenario } from '../engine/scenarios/types';
import { LIMITS } from '../state/link';
import { UsageError, boxScenario } from './box';
import { formatFreeMiB } from '../engine/format/free';
import { formatVmstatRow, vmstatHeader } from '../engine/format/vmstat';
import { grepDmesg, formatDmesg } from '../engine/format/dmesg';

const HELP = `Usage: npm run sim -- [--scenario NAME] [--do LIST] [--link VALUE] [options]

Runs the Out of Memory engine and prints what the machine's tools would have
printed: a terminal transcript (free -m at each mark, vmstat 5 rows, dmesg) or
one JSON object. Any simulator state can be run: a named scenario, a freshly
booted box driven by --do, or a whole simulator link.

Options:
  --scenario NAME     scenario to run; one of:
${SCENARIO_NAMES.map((n) => `                        ${n.padEnd(16)} ${SCENARIOS[n]!.title}`).join('\n')}
  --do LIST           comma-separated actions in the link syntax, SECONDS@action, added
                      to the scenario's timeline; without --scenario the run starts
                      from the incident's host freshly booted with nothing started, e.g.
                        30@app:dhbox-web,60@start:dhbox-lab:restart=unless-stopped,400@read:2000
                      memory cgroup knobs on start: and update:NAME (MiB): limit= (memory.max,
                      docker -m), high=, low= (docker --memory-reservation), min=, swap=
                      (memory.swap.max, or max; unset: as much again as limit), group=1
                      (memory.oom.group), adj= (docker --oom-score-adj), request= (a pod's);
                      responders: earlyoom:on[:m=PCT:s=PCT], oomd:on[:limit=PCT:duration=S:swap=PCT],
                      kubelet:on[:hard=MIB], and …:off
  --link VALUE        a simulator link's value ('v1;preset=thrashing;swap=1024;t=600;do=…'):
                      the same machine, actions and moment a link opens
  --until SECONDS     run to this time (default: the scenario's end, the link's t, or
                      two minutes after the last action)
  --format text|json  output format (default: text)
                        text: a transcript like the incident write-up
                        json: {"scenario","machine","marks","samples","dmesg","kills",
                              "cgroups","halted"}; one
                              sample every 5 simulated seconds (t = seconds since boot)
                              with free, vmstat, psi and the cumulative /proc/vmstat
                              counters; each OOM kill with its victim and memory;
                              each container's memory cgroup at the end (memory.current,
                              .max, .high, .events, .stat, .pressure); the panic, if any
  --swap MIB          swap size in MiB (${LIMITS.swapMiB.min}–${LIMITS.swapMiB.max}; default: the scenario's; 0 = none)
  --ram MIB           RAM in MiB (${LIMITS.ramMiB.min}–${LIMITS.ramMiB.max}; default: the scenario's)
  --swappiness N      vm.swappiness, ${LIMITS.swappiness.min}–${LIMITS.swappiness.max} (default: the scenario's, usually 60)
  --seed N            random seed, an integer ${LIMITS.seed.min}–${LIMITS.seed.max} (default: the scenario's)
  --help              show this help

Exit status: 0 on success, 2 on a bad flag, value or name.`;

interface Args {
  scenario?: string;
  format: 'text' | 'json';
  swap?: number;
  ram?: number;
  seed?: number;
  swappiness?: number;
  until?: number;
  do?: string;
  link?: string;
  help: boolean;
}

function parseNumber(flag: string, raw: string | undefined, opts: { min: number; max: number; integer?: boolean }): number {
  if (raw === undefined || raw === '' || raw.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  if (!/^-?\d+(\.\d+)?$/.test(raw)) throw new UsageError(`${flag} must be a number, got "${raw}"`);
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new UsageError(`${flag} must be a number, got "${raw}"`);
  if (opts.integer && !Number.isInteger(v)) throw new UsageError(`${flag} must be an integer, got "${raw}"`);
  if (v < opts.min || v > opts.max) throw new UsageError(`${flag} must be between ${opts.min} and ${opts.max}, got ${raw}`);
  return v;
}

function parseText(flag: string, raw: string | undefined): string {
  if (raw === undefined || raw === '' || raw.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return raw;
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
        a.swap = parseNumber('--swap', value(), LIMITS.swapMiB);
        break;
      case '--ram':
        a.ram = parseNumber('--ram', value(), LIMITS.ramMiB);
        break;
      case '--seed':
        a.seed = parseNumber('--seed', value(), { ...LIMITS.seed, integer: true });
        break;
      case '--swappiness':
        a.swappiness = parseNumber('--swappiness', value(), { ...LIMITS.swappiness, integer: true });
        break;
      case '--until':
        a.until = parseNumber('--until', value(), { min: 5, max: LIMITS.t.max });
        break;
      case '--do':
        a.do = parseText('--do', value());
        break;
      case '--link':
        a.link = parseText('--link', value());
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

/** The cumulative /proc/vmstat counters of a sample, under their kernel names. */
function vmstatCounters(c: ScenarioRun['samples'][number]['counters']) {
  return {
    pgmajfault: c.pgmajfault,
    pswpin: c.pswpin,
    pswpout: c.pswpout,
    pgscan_kswapd: c.pgscanKswapd,
    pgscan_direct: c.pgscanDirect,
    pgsteal_kswapd: c.pgstealKswapd,
    pgsteal_direct: c.pgstealDirect,
    workingset_refault_anon: c.workingsetRefaultAnon,
    workingset_refault_file: c.workingsetRefaultFile,
    workingset_activate_anon: c.workingsetActivateAnon,
    workingset_activate_file: c.workingsetActivateFile,
    allocstall: c.allocstall,
    oom_kill: c.oomKills,
  };
}

/** The OOM kills whose reports the kernel log still holds (klog.ts): who, where, how big, and the page cache the kernel still had. */
function killsOf(run: ScenarioRun) {
  // The kernel log holds the most recent reports only (klog.ts); each names its memcg by path.
  const byPath = new Map<string, string>(run.final.containers.map((c) => [cgroupPath(run.final, c), c.name]));
  return run.final.ooms.map((k) => {
    return {
      t: k.t,
      pid: k.victim.pid,
      comm: k.victim.comm,
      memcg: k.memcg ? (byPath.get(k.memcg.path) ?? null) : null,
      rss_kib: k.victim.anonRssKb + k.victim.fileRssKb + k.victim.shmemRssKb,
      oom_score_adj: k.victim.oomScoreAdj,
      meminfo: k.memInfo ? { active_file: k.memInfo.activeFile, inactive_file: k.memInfo.inactiveFile, mapped: k.memInfo.mapped } : null,
    };
  });
}

function jsonOutput(run: ScenarioRun): string {
  return JSON.stringify(
    {
      scenario: run.scenario,
      machine: run.machine,
      marks: run.marks,
      samples: run.samples.map((x) => ({
        t: x.t,
        free: x.free,
        vmstat: x.vmstat,
        psi: { some_avg10: x.psi.some.avg10, full_avg10: x.psi.full.avg10, some_total: x.psi.some.total, full_total: x.psi.full.total },
        vmstat_counters: vmstatCounters(x.counters),
      })),
      dmesg: run.dmesg,
      kills: killsOf(run),
      cgroups: new Machine({ state: run.final }).cgroups().map((c) => ({
        name: c.name,
        path: c.path,
        state: c.state,
        qos: c.qos,
        evicted: c.evicted,
        oom_killed: c.oomKilled,
        'memory.current': c.current,
        'memory.max': c.max ?? 'max',
        'memory.high': c.high ?? 'max',
        'memory.low': c.low,
        'memory.min': c.min,
        'memory.swap.current': c.swapCurrent,
        'memory.swap.max': c.swapMax ?? 'max',
        'memory.events': c.events,
        'memory.stat': c.stat,
        'memory.pressure': c.pressure,
      })),
      halted: run.final.halted,
    },
    null,
    2,
  );
}

function main(argv: readonly string[]): number {
  let args: Args;
  let sc: Scenario;
  try {
    args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    sc = boxScenario(args);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`sim: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const run = runScenario(sc);
  process.stdout.write(args.format === 'json' ? jsonOutput(run) + '\n' : textTranscript(sc, run));
  return 0;
}

// A reader who pipes into `head` closes the pipe early: stop quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = main(process.argv.slice(2));
