/**
 * A paste, read and diagnosed, as plain data for display: each block as a
 * table whose headings (or first column) carry their explanation, the
 * findings, the unread lines. The page renders it as HTML; renderText and
 * renderMarkdown render the same thing for a terminal and for a forum post.
 */
import { badness } from './badness';
import { diagnose, type Diagnosis, type Finding } from './diagnose';
import { fieldDocs, type FieldDoc } from './fields';
import { unitName } from './tables';
import type { Block, Capture, ParsedBlock } from './types';

export interface Cell {
  text: string;
  /** An explanation for this cell's label. */
  doc?: FieldDoc;
  /** Numbers are right-aligned. */
  numeric?: boolean;
}

export interface TableView {
  caption: string;
  head: Cell[];
  rows: Cell[][];
}

export interface BlockView {
  index: number;
  kind: Block['kind'];
  title: string;
  command?: string;
  from: number;
  to: number;
  /** The units, said plainly. */
  units: string;
  tables: TableView[];
  notes: string[];
}

export interface Explanation {
  capture: Capture;
  diagnosis: Diagnosis;
  blocks: BlockView[];
}

const TITLES: Record<Block['kind'], string> = {
  sysctl: 'Kernel settings (sysctl)',
  free: 'free',
  vmstat: 'vmstat',
  meminfo: '/proc/meminfo',
  psi: 'Pressure stall information',
  'proc-vmstat': '/proc/vmstat',
  'memory.stat': 'memory.stat (a memory cgroup)',
  'memory.events': 'memory.events (a memory cgroup)',
  'docker-stats': 'docker stats',
  'docker-ps': 'docker ps',
  ps: 'ps',
  dmesg: 'Kernel log',
};

const MAX_ROWS = 300;

const num = (text: string | number): Cell => ({ text: String(text), numeric: true });
const term = (label: string, docs: Record<string, FieldDoc>, key = label): Cell => {
  const doc = docs[key];
  return doc ? { text: label, doc } : { text: label };
};

/** One block laid out for display. */
export function blockView(pb: ParsedBlock, index: number): BlockView {
  const b = pb.block;
  const docs = fieldDocs(b.kind);
  const v: BlockView = { index, kind: b.kind, title: TITLES[b.kind], from: pb.from, to: pb.to, units: '', tables: [], notes: [...pb.notes] };
  if (pb.command) v.command = pb.command;
  switch (b.kind) {
    case 'free': {
      v.title = `free (${b.era === 'modern' ? 'procps-ng 4 layout' : b.era === 'classic' ? 'procps-ng 3.3 layout' : b.era === 'old' ? 'pre-2014 layout' : 'layout not known'})`;
      v.units = `Memory in ${unitName(b.unit)}${b.unitFrom === 'guess' ? ' (guessed from the size)' : b.unitFrom === 'command' ? ' (from the command line)' : ''}.`;
      const rows = [b.mem && ['Mem:', b.mem], b.buffersCache && ['-/+ buffers/cache:', b.buffersCache], b.swap && ['Swap:', b.swap], b.total && ['Total:', b.total]].filter(Boolean) as [string, { cells: string[] }][];
      v.tables.push({
        caption: 'free',
        head: [{ text: '' }, ...b.columns.map((c) => term(c, docs))],
        rows: rows.map(([label, r]) => [term(label, docs), ...r.cells.map(num)]),
      });
      break;
    }
    case 'vmstat':
      v.title = `vmstat${b.wide ? ' -w' : ''}${b.active ? ' -a' : ''}`;
      v.units = `Memory columns in ${b.memUnit}${b.memUnit !== 'KiB' ? ' (vmstat -S)' : ''}; bi and bo in 1 KiB blocks per second; si and so in KiB per second; us, sy, id, wa, st in percent of CPU time${b.interval ? `; one row every ${b.interval} s` : ''}.${b.firstIsSinceBoot ? ' If vmstat started at the header, the first row is the average since boot, not a measurement of now.' : ''}`;
      v.tables.push({
        caption: 'vmstat',
        head: b.columns.map((c) => term(c, docs)),
        rows: b.rows.slice(0, MAX_ROWS).map((r) => b.columns.map((c) => num(r[c] ?? ''))),
      });
      if (b.rows.length > MAX_ROWS) v.notes.push(`Showing the first ${MAX_ROWS} of ${b.rows.length} rows; all were read.`);
      break;
    case 'meminfo':
      v.units = 'Values in KiB (the kernel writes "kB"), except the HugePages_ counts.';
      v.tables.push({ caption: '/proc/meminfo', head: [{ text: 'Field' }, { text: 'Value' }], rows: b.order.map((k) => [term(k, docs), num(b.fields[k]!)]) });
      break;
    case 'psi':
      v.title = `Pressure stall information: ${b.resource === 'unknown' ? 'resource not named' : b.resource}`;
      v.units = 'avg10, avg60 and avg300 in percent of wall time; total in microseconds since boot.';
      v.tables.push({
        caption: 'pressure',
        head: [{ text: '' }, term('avg10', docs), term('avg60', docs), term('avg300', docs), term('total', docs)],
        rows: (['some', 'full'] as const).filter((k) => b[k]).map((k) => [term(k, docs), num(b[k]!.avg10.toFixed(2)), num(b[k]!.avg60.toFixed(2)), num(b[k]!.avg300.toFixed(2)), num(b[k]!.total)]),
      });
      break;
    case 'proc-vmstat': {
      v.units = 'Counters since boot (pages or events); nr_ values are pages (4 KiB) now.';
      const known = Object.keys(b.counters).filter((k) => docs[k] || k.startsWith('allocstall'));
      v.tables.push({ caption: '/proc/vmstat', head: [{ text: 'Counter' }, { text: 'Value' }], rows: known.map((k) => [term(k, docs), num(b.counters[k]!)]) });
      const others = Object.keys(b.counters).length - known.length;
      if (others > 0) v.notes.push(`${others} other counters were read; the table shows the ones that tell reclaim, refaults, swap and OOM apart.`);
      break;
    }
    case 'memory.stat':
    case 'memory.events':
      v.units = b.kind === 'memory.stat' ? 'Bytes (memory) and counts (events).' : 'Counts since the cgroup was created.';
      v.tables.push({ caption: b.kind, head: [{ text: 'Field' }, { text: 'Value' }], rows: Object.entries(b.values).map(([k, n]) => [term(k, docs), num(n)]) });
      break;
    case 'docker-stats':
      v.units = 'Memory in binary units (MiB = 1024 KiB); network and block I/O in decimal units (MB = 1000 kB).';
      v.tables.push({ caption: 'docker stats', head: b.columns.map((c) => term(c, docs)), rows: b.rows.map((r) => r.cells.map((c) => ({ text: c }))) });
      break;
    case 'docker-ps':
      v.units = 'Times are Docker\'s rounded durations.';
      v.tables.push({
        caption: 'docker ps',
        head: ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'].map((c) => ({ text: c })),
        rows: b.rows.map((r) => [r.id, r.image, r.command, r.created, r.status, r.ports, r.names].map((c) => ({ text: c }))),
      });
      break;
    case 'ps':
      v.units = 'RSS in KiB.';
      v.tables.push({ caption: 'ps', head: b.columns.map((c) => term(c, docs)), rows: b.rows.slice(0, MAX_ROWS).map((r) => b.columns.map((c) => ({ text: r.values[c] ?? '' }))) });
      break;
    case 'sysctl':
      v.units = 'Settings as the kernel holds them now.';
      v.tables.push({ caption: 'sysctl', head: [{ text: 'Setting' }, { text: 'Value' }], rows: Object.entries(b.values).map(([k, n]) => [term(k, docs), num(n)]) });
      break;
    case 'dmesg': {
      v.units = 'The task table counts memory in 4 KiB pages (pgtables_bytes in bytes); the kill line in kB.';
      if (b.kills.length) {
        v.tables.push({
          caption: 'Kills',
          head: [{ text: 'When' }, term('pid', docs), term('name', docs, 'name'), term('score', docs), term('anon-rss', docs), { text: 'Kind' }],
          rows: b.kills.map((k) => [
            { text: k.t !== undefined ? `${k.t} s` : (k.stamp ?? '') },
            num(k.pid),
            { text: k.comm },
            num(k.score ?? ''),
            num(k.anonRssKb !== undefined ? `${k.anonRssKb} kB` : ''),
            { text: k.memcg ? 'memory cgroup' : 'global' },
          ]),
        });
      }
      b.reports.forEach((r, n) => {
        const facts: Cell[][] = [];
        const row = (label: string, key: string, value: string) => facts.push([term(label, docs, key), { text: value }]);
        if (r.invoker) {
          row('invoked oom-killer', 'invoked oom-killer', `${r.invoker.comm} (its oom_score_adj ${r.invoker.oomScoreAdj})`);
          row('gfp_mask', 'gfp_mask', r.invoker.gfp);
          row('order', 'order', String(r.invoker.order));
        }
        if (r.kernel) facts.push([{ text: 'kernel' }, { text: r.kernel }]);
        row('constraint', 'oom-kill:constraint', r.constraint === 'memcg' ? `memory cgroup${r.memcgPath ? ` ${r.memcgPath}` : ''}` : r.constraint === 'global' ? 'global (the whole machine)' : 'not said');
        if (r.memcgLimitKb !== undefined) facts.push([{ text: 'cgroup usage / limit' }, { text: `${r.memcgUsageKb} kB / ${r.memcgLimitKb} kB, failcnt ${r.memcgFailcnt}` }]);
        const victim = r.killed ?? r.chosen;
        if (r.chosen) row('chosen (classic "Kill process")', 'score', `${r.chosen.comm} (PID ${r.chosen.pid}), score ${r.chosen.score}`);
        if (r.killed) {
          facts.push([{ text: 'killed' }, { text: `${r.killed.comm} (PID ${r.killed.pid})` }]);
          if (r.killed.anonRssKb !== undefined) row('anon-rss', 'anon-rss', `${r.killed.anonRssKb} kB`);
          if (r.killed.fileRssKb !== undefined) row('file-rss', 'file-rss', `${r.killed.fileRssKb} kB`);
          if (r.killed.shmemRssKb !== undefined) row('shmem-rss', 'shmem-rss', `${r.killed.shmemRssKb} kB`);
        } else if (!victim && r.summary) row('chosen (oom-kill summary)', 'oom-kill:constraint', `${r.summary.task} (PID ${r.summary.pid})`);
        if (r.reaped) row('oom_reaper', 'oom_reaper', `left anon-rss ${r.reaped.anonRssKb} kB`);
        if (facts.length > 1 || r.invoker) v.tables.push({ caption: `Report ${n + 1}: what the kernel wrote`, head: [{ text: 'Part' }, { text: 'Value' }], rows: facts });
        if (!r.tasks.length) return;
        const bad = badness(r);
        // Only classic kernels print a score; a modern report is ranked by points alone.
        const scored = bad.totalPages !== undefined && r.chosen?.form === 'classic';
        v.tables.push({
          caption: `Report ${n + 1}: the kernel's choice, redone from the task table${bad.totalPages ? ` (totalpages ${bad.totalPages})` : ''}`,
          head: [{ text: 'Rank' }, term('pid', docs), term('name', docs), term('rss', docs), term('swapents', docs), term('page tables', docs), term('oom_score_adj', docs), term('points', docs), ...(scored ? [term('score', docs)] : [])],
          rows: [
            ...bad.ranking.slice(0, MAX_ROWS).map((x, i) => [
              num(i + 1),
              num(x.task.pid),
              { text: x.task.name },
              num(x.task.rss),
              num(x.task.swapents),
              num(x.task.pgtablesPages),
              num(x.task.oomScoreAdj),
              num(x.points),
              ...(scored ? [num(x.score ?? '')] : []),
            ]),
            ...bad.exempt.map((t) => [{ text: 'exempt' }, num(t.pid), { text: t.name }, num(t.rss), num(t.swapents), num(t.pgtablesPages), num(t.oomScoreAdj), { text: '—' }, ...(scored ? [{ text: '—' }] : [])]),
          ],
        });
      });
      break;
    }
  }
  return v;
}

/** Read, diagnose and lay out a parsed paste (blocks laid out lazily by callers that show only some: see blockView). */
export function explain(capture: Capture): Explanation {
  return { capture, diagnosis: diagnose(capture), blocks: capture.blocks.map(blockView) };
}

/** Sentences on what oom_score_adj did in a report. */
export function adjSentences(f: Finding): string[] {
  const bad = f.badness;
  if (!bad) return [];
  const out: string[] = [];
  const first = bad.ranking[0];
  if (bad.exempt.length) {
    const biggest = [...bad.exempt].sort((a, b) => b.rss + b.swapents + b.pgtablesPages - (a.rss + a.swapents + a.pgtablesPages))[0]!;
    const would = first && biggest.rss + biggest.swapents + biggest.pgtablesPages > first.memoryPoints;
    out.push(
      `oom_score_adj −1000 took ${bad.exempt.length} process${bad.exempt.length === 1 ? '' : 'es'} out of the running (${bad.exempt.map((t) => t.name).join(', ')})${would ? `; ${biggest.name} was larger than the victim and would otherwise have been chosen` : ''}.`,
    );
  }
  if (bad.withoutAdj && first) {
    out.push(`Without oom_score_adj the kernel would have killed ${bad.withoutAdj.task.name} (PID ${bad.withoutAdj.task.pid}); the adjustments moved the choice to ${first.task.name}.`);
  } else if (first && bad.ranking.some((x) => x.task.oomScoreAdj !== 0)) {
    const values = [...new Set(bad.ranking.map((x) => x.task.oomScoreAdj))];
    out.push(
      values.length === 1
        ? `Every candidate carries oom_score_adj ${values[0]}, which shifts them all by the same amount: it did not change who was chosen.`
        : `oom_score_adj values ${values.join(', ')} shifted the points, but the largest process was chosen anyway.`,
    );
  } else if (first) out.push('No candidate had an oom_score_adj other than 0 (or −1000): memory alone decided.');
  return out;
}

/** One finding as lines of text. */
function findingLines(f: Finding, capture: Capture): string[] {
  const pb = capture.blocks[f.block];
  const where = pb ? ` (lines ${pb.from}–${pb.to})` : '';
  const out = [`${f.title}${where}: ${f.detail}`, ...f.evidence.map((e) => `  - ${e}`)];
  const bad = f.badness;
  if (bad) {
    const [a, b] = bad.ranking;
    const scored = f.evidence.some((e) => / score \d/.test(e));
    if (a) out.push(`  - first: ${a.task.name} (PID ${a.task.pid}), ${a.points} points${scored && a.score !== undefined ? `, score ${a.score}` : ''}${bad.agrees === false ? ' — the kernel chose differently; the table may be partial' : ''}`);
    if (bad.tiedAtTop) out.push(`  - ${bad.tiedAtTop.length} processes tie on the printed figures; the counts the kernel compared a moment earlier decided`);
    if (b) out.push(`  - runner-up: ${b.task.name} (PID ${b.task.pid}), ${b.points} points${scored && b.score !== undefined ? `, score ${b.score}` : ''}`);
    out.push(`  - totalpages: ${bad.totalPages ?? 'unknown'} (${bad.totalPagesFrom})`);
    for (const s of [...adjSentences(f), ...bad.notes]) out.push(`  - ${s}`);
  }
  return out;
}

/** The explanation as plain text (the CLI's output). */
export function renderText(e: Explanation): string {
  const out: string[] = [];
  if (e.capture.problem) return e.capture.problem;
  const v = e.diagnosis.verdict;
  out.push(v ? `Diagnosis: ${v.title}` : 'Diagnosis: nothing in the paste to diagnose');
  out.push('');
  for (const f of e.diagnosis.findings) out.push(...findingLines(f, e.capture), '');
  for (const bv of e.blocks) {
    out.push(`== ${bv.title}${bv.command ? ` ($ ${bv.command})` : ''}, lines ${bv.from}–${bv.to}`);
    if (bv.units) out.push(bv.units);
    const seen = new Set<string>();
    for (const t of bv.tables) {
        for (const c of [...t.head, ...t.rows.map((r) => r[0]!)]) {
          if (!c?.doc || seen.has(c.text)) continue;
          seen.add(c.text);
          out.push(`  ${c.text}: ${c.doc.meaning}${c.doc.unit ? ` [${c.doc.unit}]` : ''}`);
        }
    }
    for (const n of bv.notes) out.push(`  note: ${n}`);
    out.push('');
  }
  if (e.capture.unread.length) {
    out.push(`Lines not read (${e.capture.unread.length}):`);
    for (const u of e.capture.unread) out.push(`  ${u.line}: ${u.reason} — ${u.text.trim().slice(0, 80)}`);
  } else out.push('Every line was read.');
  return out.join('\n');
}

/** The explanation as Markdown, for a forum answer. */
export function renderMarkdown(e: Explanation, origin = ''): string {
  if (e.capture.problem) return e.capture.problem;
  const out: string[] = [];
  const v = e.diagnosis.verdict;
  out.push(`**Diagnosis: ${v ? v.title : 'nothing to diagnose'}**`, '');
  for (const f of e.diagnosis.findings) {
    const [head, ...rest] = findingLines(f, e.capture);
    out.push(`- **${head!.split(':')[0]}**:${head!.slice(head!.indexOf(':') + 1)}`);
    for (const r of rest) out.push(`  ${r.replace(/^ {2}- /, '- ')}`);
  }
  out.push('');
  for (const bv of e.blocks) {
    out.push(`**${bv.title}** (lines ${bv.from}–${bv.to}). ${bv.units}`, '');
    for (const t of bv.tables) {
      if (t.caption !== bv.title && bv.tables.length > 1) out.push(`_${t.caption}_`, '');
      const head = t.head.map((c) => c.text || ' ');
      out.push(`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`);
      for (const r of t.rows.slice(0, 20)) out.push(`| ${r.map((c) => c.text.replace(/\|/g, '\\|')).join(' | ')} |`);
      if (t.rows.length > 20) out.push('', `(${t.rows.length - 20} more rows)`);
      const terms = [...t.head, ...t.rows.map((r) => r[0]!)].filter((c) => c?.doc);
      const seen = new Set<string>();
      out.push('');
      for (const c of terms) {
        if (seen.has(c.text)) continue;
        seen.add(c.text);
        out.push(`- \`${c.text}\`: ${c.doc!.meaning}${c.doc!.unit ? ` (${c.doc!.unit})` : ''}${c.doc!.href ? ` [more](${origin}${c.doc!.href})` : ''}`);
      }
      out.push('');
    }
  }
  if (e.capture.unread.length) out.push(`_${e.capture.unread.length} line(s) were not read._`);
  out.push('', `_Explained with Out of Memory's [/explain/](${origin}/explain/); nothing was sent anywhere._`);
  return out.join('\n');
}
