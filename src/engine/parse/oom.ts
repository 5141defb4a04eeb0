/**
 * The kernel log around an OOM kill, as dmesg, dmesg -T, journalctl -k or
 * syslog print it: the "invoked oom-killer" line, Mem-Info, a memory cgroup's
 * usage and limit, the task table, the oom-kill summary, the kill line (the
 * classic "Kill process … score N or sacrifice child" and the modern "Killed
 * process … anon-rss:…") and the oom_reaper's report. The inverse of
 * src/engine/format/dmesg.ts, and tolerant of what real logs add: call traces,
 * zone dumps, console text mixed into lines, wrapped and elided lines.
 */
import { stripKernelPrefix } from './lines';
import type { Read } from './tables';
import type { DmesgBlock, KillEvent, OomReport, TaskRow, UnreadLine } from './types';

const INVOKED = /^(.+?) invoked oom-killer: gfp_mask=([0-9a-fx]+)(?:\(([^)]*)\))?,(?: nodemask=[^,]*,)? order=(-?\d+), oom_score_adj=(-?\d+)/;
const CLASSIC_KILL = /^(?:(Memory cgroup out of memory|Out of memory)(?: \(oom_kill_allocating_task\))?: )?Kill process (\d+) \((.*)\) score (\d+) or sacrifice child/;
const KILLED = /^(?:(Memory cgroup out of memory|Out of memory)(?: \(oom_kill_allocating_task\))?: )?Killed process (\d+)(?:, UID (\d+),)? \((.*?)\)(?=(?:,? total-vm|,| UID|$))(.*)$/;
const SUMMARY = /^oom-kill:(.*)$/;
const REAPED = /^oom_reaper: reaped process (\d+) \((.*)\), now anon-rss:(\d+)kB/;
const MEMCG_USAGE = /^memory: usage (\d+)kB, limit (\d+)kB, failcnt (\d+)/;
const MEMCG_STATS = /^Memory cgroup stats for ([^:]*):/;
const TASK_IN = /^Task in (\S+) killed as a result of limit of (\S+)/;
const TASK_HEADER = /^\[\s*pid\s*\]\s+(.*\bname)\s*$/;
const KERNEL = /^CPU: \d+ (?:UID: \d+ )?PID: \d+ Comm: .*? (?:Not tainted|Tainted: [A-Z ]*?)\s+(\d+\.\d+[^\s]*)/;

/** Report boilerplate the explanation does not need: read, not explained. */
const BOILERPLATE: readonly RegExp[] = [
  /^CPU: \d+/,
  /^Hardware name:/,
  /^Call Trace:/,
  /^\s*<\/?(TASK|IRQ)>/,
  /^\s*(\? )?[A-Za-z_.][\w.]*\+0x[0-9a-f]+\/0x[0-9a-f]+/,
  /^\s*(\[c?[0-9a-f]+\] )+/,
  /^\s*\[<[0-9a-f]+>\]/,
  /^\s*([0-9a-f]{8,16} ?)+$/,
  /^\s*[0-9a-f]{4}: ([0-9a-f]{8} ?)+$/,
  /^(RIP|RSP|RAX|RDX|RBP|R10|R13|FS|CS|CR2|Code|Exception stack|Kernel Offset|Stack):?/,
  /^\s*R(AX|BX|CX|DX|SI|DI|BP|SP|IP|8|9|1[0-5]):/,
  /^Mem-Info:/,
  /^Node \d+ /,
  /^(DMA|DMA32|Normal|HighMem|Movable)(: | free:| per-cpu:)/,
  /^\s*CPU\s+\d+: hi:/,
  /^lowmem_reserve\[\]:/,
  /^\d+ total pagecache pages/,
  /^\d+ pages in swap cache/,
  /^Swap cache stats:/,
  /^\d+ pages (HighMem\/MovableOnly|cma reserved|hwpoisoned|shared|non-shared)/,
  /^Tasks state \(memory values in pages\):/,
  /^(memory\+swap|kmem|swap|tcpmem): usage/,
  /^\S+ cpuset=\S* mems_allowed=/,
  /^(active|inactive)_(anon|file):|^\s*(unevictable|slab_reclaimable|mapped|free|isolated_anon|active_file|dirty|kernel_misc_reclaimable|sec_pagetables):/,
  /^\s*\.\.\.\s*$/,
  /^\[\s*\d+\.\d+\]\s*$/,
];

const MEMINFO_TOKEN = /([a-z_]+):(\d+)\b/g;

export function isOomLine(body: string): boolean {
  return (
    INVOKED.test(body) ||
    CLASSIC_KILL.test(body) ||
    KILLED.test(body) ||
    SUMMARY.test(body) ||
    REAPED.test(body) ||
    MEMCG_USAGE.test(body) ||
    TASK_HEADER.test(body) ||
    /^Tasks state \(memory values in pages\):/.test(body) ||
    /^Mem-Info:/.test(body)
  );
}

/** Whether a line opens a kernel-log block: a kernel-log prefix, or an OOM line on its own. */
export function isDmesgStart(line: string): boolean {
  const s = stripKernelPrefix(line);
  return (s.prefixed && s.body.trim().length > 0) || isOomLine(s.body.trim());
}

function parseKill(body: string, line: number, t?: number, stamp?: string): KillEvent | undefined {
  let m = CLASSIC_KILL.exec(body);
  if (m) {
    return {
      ...(t !== undefined && { t }),
      ...(stamp !== undefined && { stamp }),
      pid: Number(m[2]),
      comm: m[3]!,
      memcg: m[1] === 'Memory cgroup out of memory',
      form: 'classic',
      score: Number(m[4]),
      line,
    };
  }
  m = KILLED.exec(body);
  if (!m) return undefined;
  const rest = m[5] ?? '';
  const kb = (key: string) => {
    const k = new RegExp(`${key}:(\\d+)(?:kB)?`).exec(rest);
    return k ? Number(k[1]) : undefined;
  };
  const ev: KillEvent = {
    ...(t !== undefined && { t }),
    ...(stamp !== undefined && { stamp }),
    pid: Number(m[2]),
    comm: m[4]!,
    memcg: m[1] === 'Memory cgroup out of memory',
    form: m[1] ? 'modern' : 'killed-only',
    line,
  };
  const fields: [keyof KillEvent, string][] = [
    ['totalVmKb', 'total-vm'],
    ['anonRssKb', 'anon-rss'],
    ['fileRssKb', 'file-rss'],
    ['shmemRssKb', 'shmem-rss'],
    ['pgtablesKb', 'pgtables'],
  ];
  for (const [key, name] of fields) {
    const v = kb(name);
    if (v !== undefined) (ev as unknown as Record<string, number>)[key] = v;
  }
  const uid = /UID:(\d+)/.exec(rest)?.[1] ?? m[3];
  if (uid !== undefined) ev.uid = Number(uid);
  const adj = /oom_score_adj:(-?\d+)/.exec(rest);
  if (adj) ev.oomScoreAdj = Number(adj[1]);
  return ev;
}

function newReport(): OomReport {
  return { constraint: 'unknown', memInfo: {}, tasks: [] };
}

/** Task-table columns (after "[ pid ]"), modern by default. */
const DEFAULT_COLUMNS = ['uid', 'tgid', 'total_vm', 'rss', 'pgtables_bytes', 'swapents', 'oom_score_adj', 'name'];

function parseTaskRow(text: string, columns: readonly string[], line: number): { row: TaskRow; offset: number } | undefined {
  const numbers = columns.length - 1;
  const re = new RegExp(`\\[\\s*(\\d+)\\]((?:\\s+-?\\d+){${numbers}})\\s+(\\S.*?)\\s*$`);
  const m = re.exec(text);
  if (!m) return undefined;
  const vals = m[2]!.trim().split(/\s+/).map(Number);
  const get = (name: string) => {
    const k = columns.indexOf(name);
    return k < 0 ? undefined : vals[k];
  };
  const pgtables =
    get('pgtables_bytes') !== undefined ? Math.ceil(get('pgtables_bytes')! / 4096) : (get('nr_ptes') ?? 0) + (get('nr_pmds') ?? 0);
  return {
    row: {
      pid: Number(m[1]),
      uid: get('uid') ?? 0,
      tgid: get('tgid') ?? Number(m[1]),
      totalVm: get('total_vm') ?? 0,
      rss: get('rss') ?? 0,
      pgtablesPages: pgtables,
      swapents: get('swapents') ?? 0,
      oomScoreAdj: get('oom_score_adj') ?? 0,
      name: m[3]!,
      line,
    },
    offset: m.index,
  };
}

/**
 * Read a kernel-log block from `start`: consecutive lines that carry a kernel
 * log prefix or belong to an OOM report (blank lines inside are skipped).
 */
export function readDmesg(lines: readonly string[], start: number): Read<DmesgBlock> | null {
  if (!isDmesgStart(lines[start] ?? '')) return null;
  const block: DmesgBlock = { kind: 'dmesg', reports: [], kills: [] };
  const unread: UnreadLine[] = [];
  const notes: string[] = [];
  let report: OomReport | undefined;
  let columns: string[] = DEFAULT_COLUMNS;
  let inMemcgStats = false;
  let end = start;
  const current = () => {
    if (!report) {
      report = newReport();
      block.reports.push(report);
    }
    return report;
  };
  const close = () => {
    report = undefined;
    columns = DEFAULT_COLUMNS;
    inMemcgStats = false;
  };
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (!raw.trim()) {
      // A blank line ends the block unless the log carries on after it.
      let next = i + 1;
      while (next < lines.length && lines[next]!.trim() === '') next++;
      if (next >= lines.length || !isDmesgStart(lines[next]!)) break;
      continue;
    }
    const s = stripKernelPrefix(raw);
    const body = s.body.trim();
    const noisy =
      !s.prefixed && !isOomLine(body) && !/^\s/.test(s.body) && !BOILERPLATE.some((re) => re.test(body)) && !/^\[\s*\d+\]\s+\d/.test(body);
    // A task row can survive console text printed into the middle of the line.
    if (noisy) {
      const found = report?.taskColumns ? parseTaskRow(raw, columns, lineNo) : undefined;
      if (found && report) {
        report.tasks.push(found.row);
        notes.push(`Line ${lineNo}: text from another program was printed into the log line; the task row after it was read.`);
        end = i;
        continue;
      }
      if (!report && !block.kills.length && !s.prefixed) break;
      // Not a kernel line at all: the block ends unless kernel lines follow soon.
      const nextKernel = lines.slice(i + 1, i + 4).some((l) => l.trim() && isDmesgStart(l));
      if (!nextKernel) break;
      unread.push({ line: lineNo, text: raw, reason: 'text from another program (a console or a shell) mixed into the kernel log' });
      end = i;
      continue;
    }
    end = i;
    let m: RegExpExecArray | null;
    if ((m = INVOKED.exec(body))) {
      close();
      current().invoker = { comm: m[1]!, gfp: m[3] ? `${m[2]}(${m[3]})` : m[2]!, order: Number(m[4]), oomScoreAdj: Number(m[5]), line: lineNo };
      continue;
    }
    const kill = parseKill(body, lineNo, s.t, s.stamp);
    if (kill) {
      if (kill.form === 'classic') {
        const r = report && !report.chosen && !report.killed ? report : (close(), current());
        r.chosen = kill;
        if (kill.memcg) r.constraint = 'memcg';
        else if (r.constraint === 'unknown') r.constraint = 'global';
        block.kills.push(kill);
      } else if (kill.form === 'killed-only' && report?.chosen && !report.killed) {
        report.killed = kill;
        // The classic pair names one kill twice; a sacrificed child replaces the chosen parent.
        const last = block.kills.at(-1);
        if (last === report.chosen && last.pid !== kill.pid) block.kills[block.kills.length - 1] = { ...kill, memcg: last.memcg, form: 'classic', ...(last.score !== undefined && { score: last.score }) };
      } else {
        const r = report && !report.killed ? report : (close(), current());
        r.killed = kill;
        if (kill.memcg) r.constraint = 'memcg';
        else if (kill.form === 'modern' && r.constraint === 'unknown') r.constraint = 'global';
        block.kills.push(kill);
      }
      continue;
    }
    if ((m = SUMMARY.exec(body))) {
      const kv = m[1]!;
      const get = (k: string) => new RegExp(`(?:^|,)${k}=([^,]*)`).exec(kv)?.[1];
      const r = report && !report.killed ? report : (close(), current());
      const constraint = get('constraint') ?? '';
      r.summary = { constraint, task: get('task') ?? '', pid: Number(get('pid') ?? 0), line: lineNo };
      const om = get('oom_memcg');
      const tm = get('task_memcg');
      if (om !== undefined) r.summary.oomMemcg = om;
      if (tm !== undefined) r.summary.taskMemcg = tm;
      r.constraint = constraint === 'CONSTRAINT_MEMCG' ? 'memcg' : constraint === 'CONSTRAINT_NONE' ? 'global' : r.constraint;
      if (om && !r.memcgPath) r.memcgPath = om;
      continue;
    }
    if ((m = REAPED.exec(body))) {
      const target = [...block.reports].reverse().find((r) => r.killed?.pid === Number(m![1]) || r.chosen?.pid === Number(m![1]));
      (target ?? current()).reaped = { pid: Number(m[1]), comm: m[2]!, anonRssKb: Number(m[3]), line: lineNo };
      continue;
    }
    if ((m = MEMCG_USAGE.exec(body))) {
      const r = current();
      r.constraint = 'memcg';
      r.memcgUsageKb = Number(m[1]);
      r.memcgLimitKb = Number(m[2]);
      r.memcgFailcnt = Number(m[3]);
      continue;
    }
    if ((m = MEMCG_STATS.exec(body))) {
      const r = current();
      r.memcgPath ??= m[1]!;
      inMemcgStats = !/cache:\d+KB/.test(body);
      continue;
    }
    if ((m = TASK_IN.exec(body))) {
      const r = current();
      r.constraint = 'memcg';
      r.memcgPath = m[2]!;
      continue;
    }
    if ((m = TASK_HEADER.exec(body))) {
      const r = current();
      columns = m[1]!.trim().split(/\s+/);
      r.taskColumns = ['pid', ...columns];
      inMemcgStats = false;
      continue;
    }
    if (report?.taskColumns || /^\[\s*\d+\]\s+\d/.test(body)) {
      const found = parseTaskRow(body, columns, lineNo);
      if (found) {
        const r = current();
        r.tasks.push(found.row);
        if (found.offset > 0) notes.push(`Line ${lineNo}: text before the task row was ignored.`);
        continue;
      }
    }
    if (/^Mem-Info:/.test(body)) {
      current();
      continue;
    }
    if ((m = /^(\d+) pages RAM/.exec(body))) {
      current().ramPages = Number(m[1]);
      continue;
    }
    if ((m = /^(\d+) pages reserved/.exec(body))) {
      current().reservedPages = Number(m[1]);
      continue;
    }
    if ((m = /^(Free|Total) swap\s+=\s+(\d+)kB/.exec(body))) {
      if (m[1] === 'Free') current().swapFreeKb = Number(m[2]);
      else current().swapTotalKb = Number(m[2]);
      continue;
    }
    if ((m = KERNEL.exec(body))) {
      current().kernel = m[1]!;
      continue;
    }
    if (report && /^[a-z_]+:\d+(?: [a-z_]+:\d+)*$/.test(body)) {
      for (const t of body.matchAll(MEMINFO_TOKEN)) report.memInfo[t[1]!] = Number(t[2]);
      continue;
    }
    if (inMemcgStats && /^[a-z_]+ \d+$/.test(body)) continue;
    if (BOILERPLATE.some((re) => re.test(body) || re.test(s.body))) continue;
    unread.push({
      line: lineNo,
      text: raw,
      reason: report ? 'a kernel message inside the report that this page does not read' : 'a kernel message that is not part of an OOM report',
    });
  }
  if (end < start) return null;
  return { block, end: end + 1, unread, notes };
}
