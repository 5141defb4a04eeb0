/**
 * Parsers for the tools that print tables: free, vmstat, ps, docker stats and
 * docker ps. Each takes the paste's lines and a start index, and returns the
 * block it read, where it ended, and the lines inside it that it could not read.
 * They are the inverses of src/engine/format/{free,vmstat,ps,docker}.ts.
 */
import { isInt, sizeToKib, shortQuote } from './lines';
import type {
  DockerPsBlock,
  DockerPsRow,
  DockerStatsBlock,
  DockerStatsRow,
  FreeBlock,
  FreeRow,
  FreeUnit,
  PsBlock,
  UnreadLine,
  VmstatBlock,
} from './types';

export interface Read<B> {
  block: B;
  /** Index (0-based) just after the block. */
  end: number;
  unread: UnreadLine[];
  notes: string[];
}

const tokens = (s: string) => s.trim().split(/\s+/).filter(Boolean);

// ---------------------------------------------------------------------------
// free
// ---------------------------------------------------------------------------

const FREE_ROW = /^\s*(Mem|Low|High|Swap|Total|-\/\+ buffers\/cache):\s*(.*)$/;

export function isFreeHeader(line: string): boolean {
  const t = tokens(line);
  return t[0] === 'total' && t[1] === 'used' && t[2] === 'free' && t.length >= 4 && t.length <= 8;
}

/** The unit a `free` command line asks for. */
export function freeUnitFromCommand(command: string | undefined): FreeUnit | undefined {
  if (!command || !/\bfree\b/.test(command)) return undefined;
  const flags = command.split(/\s+/).filter((w) => w.startsWith('-'));
  let unit: FreeUnit | undefined;
  for (const f of flags) {
    if (f === '--bytes') unit = 'b';
    else if (f === '--kibi' || f === '--kilo') unit = 'k';
    else if (f === '--mebi' || f === '--mega') unit = 'm';
    else if (f === '--gibi' || f === '--giga') unit = 'g';
    else if (f === '--human') unit = 'h';
    else if (/^-[a-zA-Z]+$/.test(f)) {
      for (const c of f.slice(1)) {
        if (c === 'b') unit = 'b';
        else if (c === 'k') unit = 'k';
        else if (c === 'm') unit = 'm';
        else if (c === 'g') unit = 'g';
        else if (c === 'h') unit = 'h';
      }
    }
  }
  return unit ?? 'k';
}

const UNIT_KIB: Record<Exclude<FreeUnit, 'h'>, number> = { b: 1 / 1024, k: 1, m: 1024, g: 1024 * 1024 };

function cellKib(cell: string, unit: FreeUnit): number | undefined {
  if (unit === 'h') return sizeToKib(cell);
  if (!isInt(cell)) return undefined;
  return Number(cell) * UNIT_KIB[unit];
}

export function readFree(lines: readonly string[], start: number, command?: string): Read<FreeBlock> | null {
  const head = lines[start] ?? '';
  if (!isFreeHeader(head)) return null;
  const columns = tokens(head);
  const lead = /^ */.exec(head)![0].length;
  const hasAvailable = columns.includes('available');
  const wide = columns.includes('buffers') && columns.includes('cache');
  const era: FreeBlock['era'] = !hasAvailable ? 'old' : lead === 15 ? 'modern' : lead === 14 ? 'classic' : 'unknown';
  const rows: { label: string; cells: string[]; line: number }[] = [];
  const unread: UnreadLine[] = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    const m = FREE_ROW.exec(lines[i]!);
    if (!m) break;
    rows.push({ label: m[1]!, cells: tokens(m[2]!), line: i + 1 });
  }
  if (!rows.some((r) => r.label === 'Mem')) return null;
  const notes: string[] = [];
  let unit: FreeUnit;
  let unitFrom: FreeBlock['unitFrom'];
  const all = rows.flatMap((r) => r.cells);
  const fromCommand = freeUnitFromCommand(command);
  if (all.some((c) => /[A-Za-z]/.test(c))) {
    unit = 'h';
    unitFrom = 'suffix';
  } else if (fromCommand) {
    unit = fromCommand;
    unitFrom = 'command';
  } else {
    const total = Number(rows.find((r) => r.label === 'Mem')!.cells[0] ?? '0');
    unit = total >= 1e10 ? 'b' : total >= 1e6 ? 'k' : total >= 64 ? 'm' : 'g';
    unitFrom = 'guess';
    notes.push(
      `No command line said which unit this free used, so the figures are read as ${unitName(unit)} from their size (total ${total}). Paste the command line too ("$ free -m") to be sure.`,
    );
  }
  const block: FreeBlock = { kind: 'free', era, unit, unitFrom, wide, columns, figures: { total: 0, free: 0 } };
  const memCols = columns;
  for (const r of rows) {
    const kib = r.cells.map((c) => cellKib(c, unit));
    if (kib.some((k) => k === undefined)) {
      unread.push({ line: r.line, text: lines[r.line - 1]!, reason: `a ${r.label} row with a value that is not a ${unitName(unit)} figure` });
      continue;
    }
    const row: FreeRow = { label: r.label, cells: r.cells, kib: kib as number[] };
    if (r.label === 'Mem') {
      if (r.cells.length !== memCols.length) {
        unread.push({ line: r.line, text: lines[r.line - 1]!, reason: `the Mem row has ${r.cells.length} values but the header names ${memCols.length} columns` });
        continue;
      }
      block.mem = row;
    } else if (r.label === 'Swap') {
      if (r.cells.length < 2 || r.cells.length > 3) {
        unread.push({ line: r.line, text: lines[r.line - 1]!, reason: `the Swap row should have total, used and free; it has ${r.cells.length} values` });
        continue;
      }
      block.swap = row;
    } else if (r.label === 'Total') block.total = row;
    else if (r.label === '-/+ buffers/cache') block.buffersCache = row;
    else unread.push({ line: r.line, text: lines[r.line - 1]!, reason: `a ${r.label} row (32-bit highmem), which this page does not explain` });
  }
  if (!block.mem) return null;
  const get = (name: string) => {
    const idx = memCols.indexOf(name);
    return idx < 0 ? undefined : block.mem!.kib[idx];
  };
  const f = block.figures;
  f.total = get('total') ?? 0;
  f.free = get('free') ?? 0;
  const used = get('used');
  if (used !== undefined) f.used = used;
  const shared = get('shared');
  if (shared !== undefined) f.shared = shared;
  const bc = get('buff/cache') ?? (wide ? (get('buffers') ?? 0) + (get('cache') ?? 0) : era === 'old' ? (get('buffers') ?? 0) + (get('cached') ?? 0) : undefined);
  if (bc !== undefined) f.buffCache = bc;
  const available = get('available') ?? (era === 'old' && block.buffersCache ? block.buffersCache.kib[1] : undefined);
  if (available !== undefined) f.available = available;
  if (block.swap) {
    f.swapTotal = block.swap.kib[0]!;
    f.swapUsed = block.swap.kib[1]!;
    f.swapFree = block.swap.kib[2] ?? Math.max(0, block.swap.kib[0]! - block.swap.kib[1]!);
    if (block.swap.cells.length === 2) notes.push('The Swap row has two values instead of three; read as total and used.');
  }
  return { block, end: i, unread, notes };
}

export function unitName(unit: FreeUnit): string {
  return { b: 'bytes', k: 'KiB', m: 'MiB', g: 'GiB', h: 'human-readable sizes' }[unit];
}

// ---------------------------------------------------------------------------
// vmstat
// ---------------------------------------------------------------------------

const VMSTAT_TOP = /^\s*-*procs-*\s+-+memory-+/;
const VMSTAT_KNOWN = new Set(['r', 'b', 'swpd', 'free', 'buff', 'cache', 'inact', 'active', 'si', 'so', 'bi', 'bo', 'in', 'cs', 'us', 'sy', 'id', 'wa', 'st', 'gu']);

function isVmstatColumns(line: string): boolean {
  const t = tokens(line);
  return t.length >= 10 && t[0] === 'r' && t[1] === 'b' && t.every((c) => VMSTAT_KNOWN.has(c));
}

export function isVmstatStart(line: string): boolean {
  return VMSTAT_TOP.test(line) || isVmstatColumns(line);
}

export function readVmstat(lines: readonly string[], start: number, command?: string): Read<VmstatBlock> | null {
  let i = start;
  let wide = false;
  if (VMSTAT_TOP.test(lines[i] ?? '')) {
    wide = /^\s*--procs--/.test(lines[i]!);
    i++;
  }
  if (!isVmstatColumns(lines[i] ?? '')) return null;
  const columns = tokens(lines[i]!);
  i++;
  const block: VmstatBlock = {
    kind: 'vmstat',
    wide,
    active: columns.includes('active'),
    columns,
    rows: [],
    headers: 1,
    firstIsSinceBoot: false,
    rowLines: [],
    memUnit: 'KiB',
  };
  const unit = command ? /\bvmstat\b.*\s-S\s?([kKmM])\b/.exec(command) : null;
  if (unit) block.memUnit = ({ k: 'kB', K: 'KiB', m: 'MB', M: 'MiB' } as const)[unit[1] as 'k' | 'K' | 'm' | 'M'];
  const interval = command ? /\bvmstat\b(?:\s+-\S+)*\s+(\d+)/.exec(command) : null;
  if (interval) block.interval = Number(interval[1]);
  const unread: UnreadLine[] = [];
  let afterHeader = true;
  let lastData = i - 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (VMSTAT_TOP.test(line)) {
      afterHeader = false;
      continue;
    }
    if (isVmstatColumns(line)) {
      block.headers++;
      lastData = i;
      continue;
    }
    const t = tokens(line);
    if (t.length > 0 && t.every(isInt)) {
      if (t.length !== columns.length) {
        unread.push({ line: i + 1, text: line, reason: `a row of ${t.length} numbers under a header of ${columns.length} columns (cut off, or from another vmstat?)` });
        lastData = i;
        continue;
      }
      if (block.rows.length === 0 && afterHeader) block.firstIsSinceBoot = true;
      const row: Record<string, number> = {};
      columns.forEach((c, k) => (row[c] = Number(t[k])));
      block.rows.push(row);
      block.rowLines.push(i + 1);
      afterHeader = false;
      lastData = i;
      continue;
    }
    if (/^\s*#/.test(line)) {
      unread.push({ line: i + 1, text: line, reason: 'a comment someone added between the rows, not vmstat output' });
      lastData = i;
      continue;
    }
    if (/^\s*\.{2,}\s*$/.test(line)) {
      unread.push({ line: i + 1, text: line, reason: 'rows left out here by whoever pasted this' });
      lastData = i;
      continue;
    }
    break;
  }
  if (block.rows.length === 0) return null;
  return { block, end: lastData + 1, unread: unread.filter((u) => u.line <= lastData + 1), notes: [] };
}

// ---------------------------------------------------------------------------
// ps (any -o list with a PID and an RSS column)
// ---------------------------------------------------------------------------

const PS_COLS = new Set(['PID', 'PPID', 'USER', 'UID', 'RSS', 'RSZ', 'VSZ', '%MEM', '%CPU', 'STAT', 'S', 'OOM', 'OOMADJ', 'OOM_SCORE', 'OOM_ADJ', 'COMMAND', 'COMM', 'CMD', 'ARGS', 'TTY', 'TIME', 'START', 'NI', 'PRI', 'NLWP']);

export function isPsHeader(line: string): boolean {
  const t = tokens(line);
  return t.length >= 3 && t.includes('PID') && (t.includes('RSS') || t.includes('RSZ')) && t.every((c) => PS_COLS.has(c));
}

export function readPs(lines: readonly string[], start: number): Read<PsBlock> | null {
  if (!isPsHeader(lines[start] ?? '')) return null;
  const columns = tokens(lines[start]!);
  const block: PsBlock = { kind: 'ps', columns, rows: [] };
  const unread: UnreadLine[] = [];
  let i = start + 1;
  const pidAt = columns.indexOf('PID');
  for (; i < lines.length; i++) {
    const t = tokens(lines[i]!);
    if (t.length < columns.length - 1 || !isInt(t[pidAt] ?? '')) break;
    const values: Record<string, string> = {};
    const lastIsText = /^(COMMAND|COMM|CMD|ARGS)$/.test(columns.at(-1)!);
    columns.forEach((c, k) => {
      values[c] = k === columns.length - 1 && lastIsText ? t.slice(k).join(' ') : (t[k] ?? '');
    });
    block.rows.push({ values });
  }
  if (block.rows.length === 0) return null;
  return { block, end: i, unread, notes: [] };
}

// ---------------------------------------------------------------------------
// docker stats --no-stream
// ---------------------------------------------------------------------------

export function isDockerStatsHeader(line: string): boolean {
  return /^\s*CONTAINER(?: ID)?\s{2,}.*MEM USAGE \/ LIMIT/.test(line);
}

export function readDockerStats(lines: readonly string[], start: number): Read<DockerStatsBlock> | null {
  if (!isDockerStatsHeader(lines[start] ?? '')) return null;
  const columns = lines[start]!.trim().split(/\s{2,}/);
  const block: DockerStatsBlock = { kind: 'docker-stats', columns, rows: [] };
  const unread: UnreadLine[] = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) break;
    const cells = line.trim().split(/\s{2,}/);
    if (cells.length !== columns.length) {
      if (!/^[0-9a-f]{6,}\b/.test(line.trim())) break;
      unread.push({ line: i + 1, text: line, reason: `${cells.length} cells under ${columns.length} headings` });
      continue;
    }
    const cell = (name: string) => cells[columns.indexOf(name)] ?? '';
    const [usage = '', limit = ''] = cell('MEM USAGE / LIMIT').split(/\s*\/\s*/);
    const usageKib = sizeToKib(usage);
    const limitKib = sizeToKib(limit);
    if (usageKib === undefined || limitKib === undefined) {
      unread.push({ line: i + 1, text: line, reason: `memory usage ${shortQuote(cell('MEM USAGE / LIMIT'), 30)} is not a size docker prints` });
      continue;
    }
    const pct = (s: string) => (/^[\d.]+%$/.test(s) ? Number(s.slice(0, -1)) : undefined);
    const row: DockerStatsRow = { id: cells[0]!, name: columns.includes('NAME') ? cell('NAME') : cells[0]!, usageKib, limitKib, cells };
    const cpu = pct(cell('CPU %'));
    if (cpu !== undefined) row.cpuPercent = cpu;
    const mem = pct(cell('MEM %'));
    if (mem !== undefined) row.memPercent = mem;
    if (isInt(cell('PIDS'))) row.pids = Number(cell('PIDS'));
    block.rows.push(row);
  }
  return { block, end: i, unread, notes: [] };
}

// ---------------------------------------------------------------------------
// docker ps
// ---------------------------------------------------------------------------

const DOCKER_PS_HEADS = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'] as const;

export function isDockerPsHeader(line: string): boolean {
  return /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\s*$/.test(line);
}

export function readDockerPs(lines: readonly string[], start: number): Read<DockerPsBlock> | null {
  const head = lines[start] ?? '';
  if (!isDockerPsHeader(head)) return null;
  const starts = DOCKER_PS_HEADS.map((h) => head.indexOf(h));
  const block: DockerPsBlock = { kind: 'docker-ps', rows: [] };
  const unread: UnreadLine[] = [];
  let i = start + 1;
  for (; i < lines.length; i++) {
    const chars = Array.from(lines[i]!);
    if (!chars.length || !/^[0-9a-f]{12}/.test(lines[i]!)) break;
    const cells = starts.map((s, k) => chars.slice(s, k + 1 < starts.length ? starts[k + 1] : undefined).join('').trimEnd());
    const row: DockerPsRow = {
      id: cells[0]!,
      image: cells[1]!,
      command: cells[2]!.replace(/^"|"$/g, ''),
      created: cells[3]!,
      status: cells[4]!,
      ports: cells[5]!,
      names: cells[6]!,
    };
    if (!row.names) unread.push({ line: i + 1, text: lines[i]!, reason: 'a row that does not reach the NAMES column' });
    else block.rows.push(row);
  }
  // A header with no rows is docker ps saying no container is running.
  return { block, end: i, unread, notes: [] };
}
