import type { PsRow } from './types';
import { truncateComm } from './dmesg';

/**
 * A `ps -eo pid,user,rss,%mem,stat,oom,comm` table as procps-ng ps prints it.
 *
 * Widths (ps/output.c format_array): PID right-aligned, 7 wide when pid_max is
 * 4194304 (5 on old systems with pid_max 32768); USER left, 8 wide, longer names
 * cut to 7 characters plus "+"; RSS right, 5; %MEM right, 4, "%2u.%u" of
 * rss × 1000 / MemTotal truncated and capped at 99.9; STAT left, 4; OOM (the
 * `oom` field, /proc/PID/oom_score) right, 4; COMMAND left, last, unpadded.
 * A value wider than its column pushes the line right, and ps claws the
 * overflow back from the padding of the following columns (at least one
 * space stays between columns).
 */

export interface PsOptions {
  /** MemTotal in KiB, for %MEM. */
  memTotalKb: number;
  /** PID column width: 7 (pid_max 4194304, modern default) or 5 (pid_max 32768). */
  pidWidth?: number;
  /** Include the OOM column (default true). */
  oomColumn?: boolean;
}

interface Col {
  header: string;
  width: number;
  right: boolean;
  value: (r: PsRow) => string;
}

/** ps's USER: names longer than the column are cut and marked with '+'. */
export function psUser(name: string, width = 8): string {
  const chars = Array.from(name);
  return chars.length > width ? chars.slice(0, width - 1).join('') + '+' : name;
}

/** ps's %MEM: "%2u.%u" of rss × 1000 / total, truncated, capped at 999. */
export function psPmem(rssKb: number, memTotalKb: number): string {
  let pmem = memTotalKb > 0 ? Math.floor((Math.max(0, rssKb) * 1000) / memTotalKb) : 0;
  if (pmem > 999) pmem = 999;
  return `${String(Math.floor(pmem / 10)).padStart(2)}.${pmem % 10}`;
}

function columns(opts: PsOptions): Col[] {
  const cols: Col[] = [
    { header: 'PID', width: opts.pidWidth ?? 7, right: true, value: (r) => String(Math.trunc(r.pid)) },
    { header: 'USER', width: 8, right: false, value: (r) => psUser(r.user) },
    { header: 'RSS', width: 5, right: true, value: (r) => String(Math.max(0, Math.trunc(r.rssKb))) },
    { header: '%MEM', width: 4, right: true, value: (r) => psPmem(r.rssKb, opts.memTotalKb) },
    { header: 'STAT', width: 4, right: false, value: (r) => r.stat },
  ];
  if (opts.oomColumn ?? true) {
    cols.push({ header: 'OOM', width: 4, right: true, value: (r) => String(Math.max(0, Math.trunc(r.oomScore))) });
  }
  cols.push({ header: 'COMMAND', width: 0, right: false, value: (r) => truncateComm(r.comm) });
  return cols;
}

function renderLine(cells: readonly string[], cols: readonly Col[]): string {
  let out = '';
  let ideal = 0; // where the current column would start with no overflow
  cols.forEach((c, i) => {
    const text = cells[i] ?? '';
    const isLast = i === cols.length - 1;
    const sep = i === 0 ? 0 : 1;
    const start = i === 0 ? 0 : ideal + 1;
    let pad: number;
    if (c.right) {
      const idealEnd = start + c.width;
      pad = Math.max(sep, idealEnd - out.length - text.length);
    } else {
      pad = Math.max(sep, start - out.length);
    }
    // Left-aligned columns' trailing padding is emitted as the next column's lead.
    out += ' '.repeat(isLast && text === '' ? 0 : pad) + text;
    ideal = start + c.width;
  });
  return out.replace(/\s+$/, '');
}

/** Header and rows of the table. */
export function formatPs(rows: readonly PsRow[], opts: PsOptions): string {
  const cols = columns(opts);
  const lines = [renderLine(cols.map((c) => c.header), cols)];
  for (const r of rows) lines.push(renderLine(cols.map((c) => c.value(r)), cols));
  return lines.join('\n');
}

/** The widest line the real ps would print for these rows (header included). */
export function psLineWidths(rows: readonly PsRow[], opts: PsOptions): number[] {
  return formatPs(rows, opts).split('\n').map((l) => l.length);
}
