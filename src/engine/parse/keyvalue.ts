/**
 * Parsers for the files that print one figure a line: /proc/meminfo,
 * /proc/pressure/*, /proc/vmstat, and a memory cgroup's memory.stat and
 * memory.events. Inverses of src/engine/format/{meminfo,psi}.ts.
 */
import type { Read } from './tables';
import type { MemoryEventsBlock, MemoryStatBlock, MeminfoBlock, ProcVmstatBlock, PsiBlock, PsiLineValues, PsiResource, UnreadLine } from './types';

const MEMINFO = /^([A-Za-z][A-Za-z0-9_]*(?:\([a-z]+\))?):\s+(\d+)(?: kB)?\s*$/;

export function isMeminfoLine(line: string): boolean {
  return MEMINFO.test(line);
}

export function readMeminfo(lines: readonly string[], start: number): Read<MeminfoBlock> | null {
  const block: MeminfoBlock = { kind: 'meminfo', fields: {}, order: [] };
  let i = start;
  for (; i < lines.length; i++) {
    const m = MEMINFO.exec(lines[i]!);
    if (!m) break;
    const name = m[1]!;
    if (!(name in block.fields)) block.order.push(name);
    block.fields[name] = Number(m[2]);
  }
  if (block.order.length < 2) return null;
  return { block, end: i, unread: [], notes: [] };
}

const PSI = /^(some|full) avg10=(\d+\.\d\d) avg60=(\d+\.\d\d) avg300=(\d+\.\d\d) total=(\d+)\s*$/;

export function isPsiLine(line: string): boolean {
  return PSI.test(line.trim());
}

/** Which /proc/pressure file a command or a `head` banner names. */
export function psiResourceFrom(context: string | undefined): PsiResource {
  const m = context ? /pressure\/(memory|cpu|io)\b/.exec(context) : null;
  return m ? (m[1] as PsiResource) : 'unknown';
}

export function readPsi(lines: readonly string[], start: number, context?: string): Read<PsiBlock> | null {
  const block: PsiBlock = { kind: 'psi', resource: psiResourceFrom(context) };
  const unread: UnreadLine[] = [];
  let i = start;
  for (; i < lines.length && i < start + 2; i++) {
    const m = PSI.exec(lines[i]!.trim());
    if (!m) break;
    const kind = m[1] as 'some' | 'full';
    if (block[kind]) break;
    const v: PsiLineValues = { avg10: Number(m[2]), avg60: Number(m[3]), avg300: Number(m[4]), total: Number(m[5]) };
    block[kind] = v;
  }
  if (i === start) return null;
  const notes: string[] = [];
  if (block.resource === 'unknown') notes.push('Nothing said which pressure file this is (memory, cpu or io); it is read as memory. Paste the command line ("$ cat /proc/pressure/memory") to be sure.');
  return { block, end: i, unread, notes };
}

const KV = /^([a-z][a-z0-9_]*) (-?\d+)\s*$/;

export function isKvLine(line: string): boolean {
  return KV.test(line);
}

const EVENTS = new Set(['low', 'high', 'max', 'oom', 'oom_kill', 'oom_group_kill', 'sock_throttled']);

/** A run of "key value" lines: /proc/vmstat, memory.stat or memory.events, told apart by their keys. */
export function readKeyValues(
  lines: readonly string[],
  start: number,
): Read<ProcVmstatBlock | MemoryStatBlock | MemoryEventsBlock> | { unknownEnd: number; keys: string[] } | null {
  const values: Record<string, number> = {};
  const keys: string[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const m = KV.exec(lines[i]!);
    if (!m) break;
    keys.push(m[1]!);
    values[m[1]!] = Number(m[2]);
  }
  if (keys.length === 0) return null;
  const has = (k: string) => k in values;
  const end = i;
  if (keys.every((k) => EVENTS.has(k)) && (has('oom_kill') || has('max') || has('oom'))) {
    return { block: { kind: 'memory.events', values }, end, unread: [], notes: [] };
  }
  if (has('nr_free_pages') || (has('pgmajfault') && (has('pswpin') || has('workingset_refault_file') || has('pgfault')))) {
    return { block: { kind: 'proc-vmstat', counters: values }, end, unread: [], notes: [] };
  }
  if (has('anon') && has('file')) return { block: { kind: 'memory.stat', version: 2, values }, end, unread: [], notes: [] };
  if (has('cache') && has('rss')) return { block: { kind: 'memory.stat', version: 1, values }, end, unread: [], notes: [] };
  return { unknownEnd: end, keys };
}
