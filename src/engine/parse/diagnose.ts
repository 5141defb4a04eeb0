/**
 * What a paste says about the machine: one finding per block (healthy, memory
 * pressure with reclaim working, thrashing, swap thrashing, an OOM kill, an OOM
 * loop, a memory-cgroup limit, a leak), each quoting the figures it rests on,
 * and a verdict: the most serious finding. Thresholds are the guide's rules of
 * thumb, not the kernel's; every finding says which figures it used.
 */
import { badness, type Badness } from './badness';
import type { Capture, DmesgBlock, FreeBlock, KillEvent, MemoryEventsBlock, MeminfoBlock, ParsedBlock, ProcVmstatBlock, PsiBlock, VmstatBlock, DockerStatsBlock } from './types';

export type FindingKind = 'oom-loop' | 'thrashing' | 'swap-thrashing' | 'oom-kill' | 'memcg-limit' | 'leak' | 'pressure' | 'healthy' | 'info';

/** Most serious first. */
export const SEVERITY: readonly FindingKind[] = ['oom-loop', 'thrashing', 'swap-thrashing', 'oom-kill', 'memcg-limit', 'leak', 'pressure', 'healthy', 'info'];

export const FINDING_TITLES: Record<FindingKind, string> = {
  'oom-loop': 'An OOM loop',
  thrashing: 'Thrashing',
  'swap-thrashing': 'Swap thrashing',
  'oom-kill': 'An OOM kill',
  'memcg-limit': 'A memory-cgroup limit',
  leak: 'Memory use climbing (a leak?)',
  pressure: 'Memory pressure, reclaim working',
  healthy: 'Healthy: the cache is doing its job',
  info: 'For the record',
};

export interface Finding {
  kind: FindingKind;
  /** Index of the block in capture.blocks. */
  block: number;
  title: string;
  /** What it means, in a sentence or two. */
  detail: string;
  /** The figures it rests on, quoted from the paste. */
  evidence: string[];
  /** For OOM reports: the arithmetic. */
  badness?: Badness;
}

export interface MachineEstimate {
  ramMiB?: number;
  swapMiB?: number;
  usedMiB?: number;
  swappiness?: number;
  /** Where each figure came from. */
  from: string[];
}

export interface Diagnosis {
  findings: Finding[];
  verdict?: Finding;
  machine: MachineEstimate;
}

const mib = (kib: number) => Math.round(kib / 1024);
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
};

function freeFinding(b: FreeBlock, block: number): Finding {
  const f = b.figures;
  const available = f.available ?? f.free + (f.buffCache ?? 0);
  const ratio = f.total ? available / f.total : 1;
  const evidence = [`total ${mib(f.total)} MiB`, `available ${mib(available)} MiB (${pct(available, f.total)} % of total)`];
  if (f.buffCache !== undefined) evidence.push(`buff/cache ${mib(f.buffCache)} MiB`);
  evidence.push(`free ${mib(f.free)} MiB`);
  if (f.swapTotal) evidence.push(`swap used ${mib(f.swapUsed ?? 0)} of ${mib(f.swapTotal)} MiB`);
  else evidence.push('no swap');
  if (ratio < 0.1) {
    return {
      kind: 'pressure',
      block,
      title: FINDING_TITLES.pressure,
      detail: `Only ${pct(available, f.total)} % of memory is available: the kernel is taking memory back from the cache to keep up, and a little more demand will start reading code back from disk or call the OOM killer.`,
      evidence,
    };
  }
  const lowFree = f.free < f.total * 0.2;
  return {
    kind: 'healthy',
    block,
    title: FINDING_TITLES.healthy,
    detail: lowFree
      ? `free is small, but that is not a shortage: ${mib(available)} MiB is available, most of it cache the kernel can drop the moment a program needs the room.`
      : `${pct(available, f.total)} % of memory is available; nothing here is short of memory.`,
    evidence,
  };
}

function vmstatFinding(b: VmstatBlock, block: number): Finding {
  const rows = b.firstIsSinceBoot && b.rows.length > 1 ? b.rows.slice(1) : b.rows;
  const col = (name: string) => rows.map((r) => r[name] ?? 0);
  const bi = col('bi');
  const wa = col('wa');
  const id = col('id');
  const si = col('si');
  const so = col('so');
  const bcount = col('b');
  const cache = b.active ? col('inact') : col('cache');
  const swpd = col('swpd');
  const skip = b.firstIsSinceBoot && b.rows.length > 1 ? ' (The first row after the header is left out: when vmstat starts, it is the average since boot.)' : '';
  const n = rows.length;
  const thrash = rows.filter((r) => (r.bi ?? 0) >= 2000 && (r.wa ?? 0) >= 40 && (r.id ?? 100) <= 10 && (r.si ?? 0) + (r.so ?? 0) < (r.bi ?? 0) / 10).length;
  const swapThrash = rows.filter((r) => (r.si ?? 0) + (r.so ?? 0) >= 500 && ((r.wa ?? 0) >= 20 || (r.id ?? 100) <= 10)).length;
  const range = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? `${Math.min(...xs)}` : `${Math.min(...xs)}–${Math.max(...xs)}`);
  if (n >= 2 && swapThrash >= Math.max(2, n / 2)) {
    return {
      kind: 'swap-thrashing',
      block,
      title: FINDING_TITLES['swap-thrashing'],
      detail: `Pages go out to swap (so) and come straight back in (si) while the CPU waits on the disk: the programs' working set no longer fits in RAM, and swap is only moving the shortage around.${skip}`,
      evidence: [`si ${range(si)} and so ${range(so)} KiB/s`, `swpd up to ${Math.max(...swpd)} KiB`, `wa ${range(wa)} %`, `id ${range(id)} %`, `b (tasks waiting on the disk) up to ${Math.max(...bcount)}`],
    };
  }
  if (thrash >= Math.max(2, Math.ceil(n / 2))) {
    const hot = rows.filter((r) => (r.bi ?? 0) >= 2000 && (r.wa ?? 0) >= 40);
    const hbi = hot.map((r) => r.bi ?? 0);
    return {
      kind: 'thrashing',
      block,
      title: FINDING_TITLES.thrashing,
      detail: `The disk is reading as fast as it can (bi pinned near ${median(hbi)} blocks/s) while the CPUs sit waiting for it (wa around ${median(hot.map((r) => r.wa ?? 0))} %, id 0) and ${Math.max(...swpd) === 0 ? 'no swap is in use' : 'swap barely moves'}: programs' code is being evicted from a small page cache and read back again and again. This is the incident's signature.${skip}`,
      evidence: [
        `bi ${range(hbi)} blocks/s in ${thrash} of ${n} rows`,
        `wa ${range(hot.map((r) => r.wa ?? 0))} %`,
        `id ${range(hot.map((r) => r.id ?? 0))} %`,
        `${b.active ? 'inact' : 'cache'} ${range(cache)} KiB`,
        `si ${range(si)}, so ${range(so)}, swpd ${range(swpd)}`,
        `b (tasks waiting on the disk) up to ${Math.max(...bcount)}`,
      ],
    };
  }
  // Steady climb of swap use with writes going out: something keeps growing.
  if (n >= 5 && swpd.every((v, k) => k === 0 || v >= swpd[k - 1]!) && swpd[n - 1]! > swpd[0]! * 1.1 && swpd[n - 1]! - swpd[0]! > 10240) {
    return {
      kind: 'leak',
      block,
      title: FINDING_TITLES.leak,
      detail: 'Swap use rises in every row and never falls back: something keeps allocating memory it does not give back. It may be a leak, or simply more work arriving; watch the largest processes (ps, sorted by RSS).',
      evidence: [`swpd from ${swpd[0]} to ${swpd[n - 1]} KiB over ${n} rows`, `so ${range(so)} KiB/s`],
    };
  }
  const last = rows.slice(-3);
  const calm = last.every((r) => (r.id ?? 0) >= 80 && (r.wa ?? 0) < 10);
  const busy = rows.filter((r) => (r.wa ?? 0) >= 20 || (r.bi ?? 0) >= 1000 || (r.b ?? 0) > 2);
  if (busy.length && !calm) {
    return {
      kind: 'pressure',
      block,
      title: FINDING_TITLES.pressure,
      detail: `The disk is busy and the CPU waits on it in some rows, but not all the time: reclaim is taking memory back from the cache and the box is still making progress.${skip}`,
      evidence: [`bi ${range(bi)} blocks/s`, `wa ${range(wa)} %`, `id ${range(id)} %`, `${b.active ? 'inact' : 'cache'} ${range(cache)} KiB`, `b up to ${Math.max(...bcount)}`],
    };
  }
  return {
    kind: 'healthy',
    block,
    title: FINDING_TITLES.healthy,
    detail: busy.length
      ? `A burst of disk reads and waiting (something starting), then quiet again: the box has room.${skip}`
      : `The CPUs are mostly idle, the disk mostly quiet and nothing waits on it: no memory trouble in these rows.${skip}`,
    evidence: [`id ${range(id)} %`, `wa ${range(wa)} %`, `bi ${range(bi)} blocks/s`, `si ${range(si)}, so ${range(so)}`],
  };
}

function meminfoFinding(b: MeminfoBlock, block: number): Finding {
  const m = b.fields;
  const total = m.MemTotal ?? 0;
  const avail = m.MemAvailable ?? (m.MemFree ?? 0) + (m.Cached ?? 0) + (m.Buffers ?? 0);
  const evidence = [`MemTotal ${total} kB`, `MemAvailable ${avail} kB (${pct(avail, total)} %)`, `Cached ${m.Cached ?? 0} kB`, `AnonPages ${m.AnonPages ?? 0} kB`];
  if (m.SwapTotal) evidence.push(`SwapFree ${m.SwapFree ?? 0} of ${m.SwapTotal} kB`);
  if (m.Committed_AS !== undefined && m.CommitLimit !== undefined) evidence.push(`Committed_AS ${m.Committed_AS} kB against CommitLimit ${m.CommitLimit} kB`);
  const ratio = total ? avail / total : 1;
  if (ratio < 0.1) {
    return { kind: 'pressure', block, title: FINDING_TITLES.pressure, detail: `MemAvailable is ${pct(avail, total)} % of MemTotal: little is left that the kernel could free without swapping or killing.`, evidence };
  }
  return { kind: 'healthy', block, title: FINDING_TITLES.healthy, detail: `MemAvailable is ${pct(avail, total)} % of MemTotal${(m.Cached ?? 0) > total * 0.3 ? ', much of the rest is page cache the kernel can drop' : ''}.`, evidence };
}

function psiFinding(b: PsiBlock, block: number): Finding {
  const some = b.some;
  const full = b.full;
  const res = b.resource === 'unknown' ? 'memory (assumed)' : b.resource;
  const evidence = [
    ...(some ? [`some avg10=${some.avg10} avg60=${some.avg60} avg300=${some.avg300}`] : []),
    ...(full ? [`full avg10=${full.avg10} avg60=${full.avg60} avg300=${full.avg300}`] : []),
  ];
  if (b.resource !== 'memory' && b.resource !== 'unknown') {
    return { kind: 'info', block, title: `Pressure on ${b.resource}`, detail: `In the last 10 s, some task waited on ${b.resource} ${some?.avg10 ?? 0} % of the time${full ? `, and every task at once ${full.avg10} %` : ''}. Not memory itself, but io pressure often follows memory pressure when code is read back from disk.`, evidence };
  }
  if ((full?.avg10 ?? 0) >= 20 || (some?.avg10 ?? 0) >= 50) {
    return { kind: 'thrashing', block, title: FINDING_TITLES.thrashing, detail: `For ${full?.avg10 ?? some?.avg10} % of the last 10 s every runnable task was stalled waiting for memory (${res}): the box is spending its time getting pages back rather than working.`, evidence };
  }
  if ((some?.avg10 ?? 0) >= 5 || (some?.avg60 ?? 0) >= 5) {
    return { kind: 'pressure', block, title: FINDING_TITLES.pressure, detail: `Some task was stalled on memory ${some?.avg10} % of the last 10 s: reclaim is costing time, but work goes on.`, evidence };
  }
  return { kind: 'healthy', block, title: FINDING_TITLES.healthy, detail: `Tasks have hardly waited for memory (${res}): some avg10 is ${some?.avg10 ?? 0} %.`, evidence };
}

function procVmstatFinding(b: ProcVmstatBlock, block: number): Finding {
  const c = b.counters;
  const allocstall = Object.entries(c).filter(([k]) => k.startsWith('allocstall')).reduce((s, [, v]) => s + v, 0);
  const evidence = [
    `pgmajfault ${c.pgmajfault ?? 0}`,
    `workingset_refault_file ${c.workingset_refault_file ?? 0}`,
    `pswpin ${c.pswpin ?? 0}, pswpout ${c.pswpout ?? 0}`,
    `allocstall (all zones) ${allocstall}`,
    `oom_kill ${c.oom_kill ?? 0}`,
  ];
  if ((c.oom_kill ?? 0) > 0) {
    return { kind: 'oom-kill', block, title: FINDING_TITLES['oom-kill'], detail: `The OOM killer has killed ${c.oom_kill} process${c.oom_kill === 1 ? '' : 'es'} since boot. These counters add up since boot, so take two readings a minute apart to see what is happening now; dmesg has the reports.`, evidence };
  }
  return {
    kind: 'info',
    block,
    title: FINDING_TITLES.info,
    detail: `Counters since boot: no OOM kill. ${allocstall ? `Programs had to reclaim memory themselves ${allocstall} times (direct reclaim). ` : 'No program has had to reclaim memory itself. '}Take two readings a minute apart and compare: a fast-growing workingset_refault_file means cache is evicted and read back (thrashing), fast-growing pswpin/pswpout means swapping.`,
    evidence,
  };
}

function eventsFinding(b: MemoryEventsBlock, block: number): Finding {
  const v = b.values;
  const evidence = Object.entries(v).map(([k, n]) => `${k} ${n}`);
  if ((v.oom_kill ?? 0) > 0 || (v.oom ?? 0) > 0) {
    return { kind: 'memcg-limit', block, title: FINDING_TITLES['memcg-limit'], detail: `This cgroup reached its memory.max and the OOM killer ran inside it ${v.oom ?? 0} time(s), killing ${v.oom_kill ?? 0} process(es). The rest of the machine was not involved: raise the limit or shrink what runs inside.`, evidence };
  }
  if ((v.max ?? 0) > 0 || (v.high ?? 0) > 0) {
    return { kind: 'pressure', block, title: FINDING_TITLES.pressure, detail: `The cgroup has run into its limits (max ${v.max ?? 0} times, high ${v.high ?? 0}) and reclaimed inside them, without an OOM kill so far.`, evidence };
  }
  return { kind: 'healthy', block, title: FINDING_TITLES.healthy, detail: 'This cgroup has never reached its limits.', evidence };
}

function dockerStatsFinding(b: DockerStatsBlock, block: number): Finding {
  const near = b.rows.filter((r) => r.limitKib > 0 && r.usageKib / r.limitKib >= 0.9);
  const evidence = b.rows.map((r) => `${r.name}: ${mib(r.usageKib)} of ${mib(r.limitKib)} MiB`);
  if (near.length) {
    return { kind: 'memcg-limit', block, title: FINDING_TITLES['memcg-limit'], detail: `${near.map((r) => r.name).join(', ')} ${near.length === 1 ? 'is' : 'are'} at 90 % or more of the memory limit shown: if that is the container's own limit, the next allocation it cannot reclaim for ends in a kill inside the container. (Docker's usage leaves out inactive page cache, and with no -m the limit shown is the whole machine.)`, evidence };
  }
  return { kind: 'info', block, title: 'Containers', detail: 'No container is near the memory limit docker shows for it.', evidence };
}

function killsFinding(b: DmesgBlock, block: number): Finding[] {
  const out: Finding[] = [];
  const byComm = new Map<string, KillEvent[]>();
  for (const k of b.kills) byComm.set(k.comm, [...(byComm.get(k.comm) ?? []), k]);
  for (const [comm, kills] of byComm) {
    const pids = new Set(kills.map((k) => k.pid));
    if (kills.length >= 3 && pids.size >= 3) {
      const ts = kills.map((k) => k.t).filter((t): t is number => t !== undefined);
      const span = ts.length >= 2 ? Math.round(Math.max(...ts) - Math.min(...ts)) : undefined;
      out.push({
        kind: 'oom-loop',
        block,
        title: FINDING_TITLES['oom-loop'],
        detail: `The OOM killer killed ${comm} ${kills.length} times${span !== undefined ? ` in ${span} s` : ''}, each time with a new PID: something (a supervisor, a restart policy, a service manager) starts it again, it grows back, and memory runs out again. Killing it buys seconds; only less demand or more memory ends the loop.`,
        evidence: [`PIDs ${[...pids].join(', ')}`, ...(span !== undefined ? [`from ${Math.min(...ts)} s to ${Math.max(...ts)} s after boot`] : []), ...(kills.some((k) => k.score !== undefined) ? [`scores ${kills.map((k) => k.score).join(', ')}`] : [])],
      });
    }
  }
  const looped = (k: KillEvent) => [...byComm.entries()].some(([c, ks]) => c === k.comm && ks.length >= 3 && new Set(ks.map((x) => x.pid)).size >= 3);
  const bare: KillEvent[] = [];
  b.reports.forEach((r) => {
    const victim = r.killed ?? r.chosen;
    if (!r.tasks.length && !r.invoker && !r.memcgLimitKb) {
      if (victim && !looped(victim)) bare.push(victim);
      return;
    }
    const bad = r.tasks.length ? badness(r) : undefined;
    const evidence: string[] = [];
    if (!victim && r.summary) evidence.push(`chose ${r.summary.task} (PID ${r.summary.pid}), as the oom-kill summary says (the kill line is not in the paste)`);
    if (victim) evidence.push(`killed ${victim.comm} (PID ${victim.pid})${victim.score !== undefined ? `, score ${victim.score}` : ''}${victim.anonRssKb !== undefined ? `, anon-rss ${victim.anonRssKb} kB` : ''}`);
    if (r.chosen && r.killed && r.chosen.pid !== r.killed.pid) evidence.push(`the kernel chose ${r.chosen.comm} (PID ${r.chosen.pid}) and killed its child ${r.killed.comm} (PID ${r.killed.pid}) instead ("or sacrifice child")`);
    if (r.invoker) evidence.push(`invoked by ${r.invoker.comm}, order ${r.invoker.order}, gfp_mask=${r.invoker.gfp}`);
    if (r.memcgLimitKb !== undefined) evidence.push(`cgroup usage ${r.memcgUsageKb} kB of limit ${r.memcgLimitKb} kB, failcnt ${r.memcgFailcnt}`);
    const memcg = r.constraint === 'memcg';
    out.push({
      kind: memcg ? 'memcg-limit' : 'oom-kill',
      block,
      title: memcg ? FINDING_TITLES['memcg-limit'] : FINDING_TITLES['oom-kill'],
      detail: memcg
        ? `A memory cgroup${r.memcgPath ? ` (${r.memcgPath})` : ''} hit its limit; the OOM killer chose among that cgroup's processes only, and the rest of the machine was not short of memory.`
        : `The whole machine ran out: reclaim could not free enough, and the kernel killed the process with the highest badness among all of them.`,
      evidence,
      ...(bad && { badness: bad }),
    });
  });
  if (bare.length) {
    const memcg = bare.every((k) => k.memcg);
    out.push({
      kind: memcg ? 'memcg-limit' : 'oom-kill',
      block,
      title: memcg ? FINDING_TITLES['memcg-limit'] : FINDING_TITLES['oom-kill'],
      detail: `${bare.length === 1 ? 'One kill line' : `${bare.length} kill lines`} without the rest of the report${memcg ? ', inside a memory cgroup' : ''}. Paste the lines from "invoked oom-killer" to the kill line to see who else was a candidate.`,
      evidence: bare.map((k) => `${k.comm} (PID ${k.pid})${k.score !== undefined ? `, score ${k.score}` : ''}${k.anonRssKb !== undefined ? `, anon-rss ${k.anonRssKb} kB` : ''}`),
    });
  }
  return out;
}

/** The findings for one block (index i of capture.blocks). */
export function diagnoseBlock(pb: ParsedBlock, i: number): Finding[] {
  const b = pb.block;
  switch (b.kind) {
    case 'free':
      return [freeFinding(b, i)];
    case 'vmstat':
      return [vmstatFinding(b, i)];
    case 'meminfo':
      return [meminfoFinding(b, i)];
    case 'psi':
      return [psiFinding(b, i)];
    case 'proc-vmstat':
      return [procVmstatFinding(b, i)];
    case 'memory.events':
      return [eventsFinding(b, i)];
    case 'docker-stats':
      return [dockerStatsFinding(b, i)];
    case 'dmesg':
      return killsFinding(b, i);
    case 'memory.stat': {
      const v = b.values;
      const anon = b.version === 2 ? (v.anon ?? 0) : (v.total_rss ?? v.rss ?? 0);
      const file = b.version === 2 ? (v.file ?? 0) : (v.total_cache ?? v.cache ?? 0);
      return [{ kind: 'info', block: i, title: 'Inside the cgroup', detail: `The cgroup holds ${mib(anon / 1024)} MiB of anonymous memory (only swap or a kill can take it back) and ${mib(file / 1024)} MiB of page cache (reclaimable).`, evidence: [`anon ${anon} bytes`, `file ${file} bytes`] }];
    }
    case 'ps': {
      const rssKey = b.columns.includes('RSS') ? 'RSS' : 'RSZ';
      const oomKey = b.columns.find((c) => c === 'OOM' || c === 'OOM_SCORE');
      const name = (r: (typeof b.rows)[number]) => `${r.values.COMMAND ?? r.values.COMM ?? r.values.CMD ?? r.values.ARGS ?? '?'} (PID ${r.values.PID})`;
      const by = (key: string) => [...b.rows].sort((x, y) => Number(y.values[key] ?? 0) - Number(x.values[key] ?? 0))[0]!;
      const biggest = by(rssKey);
      const evidence = [`largest: ${name(biggest)}, RSS ${biggest.values[rssKey]} KiB`];
      if (oomKey) {
        const next = by(oomKey);
        evidence.push(`highest oom_score: ${name(next)}, ${next.values[oomKey]}`);
      }
      return [{ kind: 'info', block: i, title: 'Who would be killed next', detail: oomKey ? 'If the OOM killer ran now, it would pick the process with the highest oom_score (the OOM column). Only the rows pasted are compared.' : 'Without an oom_score column, the largest resident set is the likeliest victim unless oom_score_adj says otherwise; add oom (and oomadj) to the ps columns to see the kernel\'s own ranking.', evidence }];
    }
    case 'docker-ps':
    case 'sysctl':
      return [];
  }
}

/** The most serious of some findings. */
export function verdictOf(findings: readonly Finding[]): Finding | undefined {
  return [...findings].sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind))[0];
}

/** Diagnose every block; the verdict is the most serious finding. */
export function diagnose(capture: Capture): Diagnosis {
  const findings = capture.blocks.flatMap((pb, i) => diagnoseBlock(pb, i));
  const verdict = verdictOf(findings);
  return { findings, ...(verdict && { verdict }), machine: estimateMachine(capture) };
}

/** The box's RAM, swap and memory in use, from whichever block says. */
export function estimateMachine(capture: Capture): MachineEstimate {
  const est: MachineEstimate = { from: [] };
  for (const { block: b } of capture.blocks) {
    if (b.kind === 'sysctl' && b.values['vm.swappiness'] !== undefined) {
      est.swappiness = b.values['vm.swappiness'];
      est.from.push('vm.swappiness');
    } else if (b.kind === 'meminfo' && b.fields.MemTotal) {
      est.ramMiB ??= mib(b.fields.MemTotal);
      est.swapMiB ??= mib(b.fields.SwapTotal ?? 0);
      if (est.usedMiB === undefined && b.fields.MemAvailable !== undefined) est.usedMiB = mib(b.fields.MemTotal - b.fields.MemAvailable);
      est.from.push('/proc/meminfo');
    } else if (b.kind === 'free') {
      est.ramMiB ??= mib(b.figures.total);
      if (b.figures.swapTotal !== undefined) est.swapMiB ??= mib(b.figures.swapTotal);
      const avail = b.figures.available;
      if (avail !== undefined) est.usedMiB = mib(b.figures.total - avail);
      else if (b.figures.used !== undefined) est.usedMiB = mib(b.figures.used);
      est.from.push('free');
    } else if (b.kind === 'dmesg') {
      for (const r of b.reports) {
        if (r.ramPages !== undefined && est.ramMiB === undefined) {
          est.ramMiB = Math.round(((r.ramPages - (r.reservedPages ?? 0)) * 4) / 1024);
          est.from.push('the OOM report');
        }
        if (r.swapTotalKb !== undefined) est.swapMiB ??= mib(r.swapTotalKb);
      }
    }
  }
  return est;
}
