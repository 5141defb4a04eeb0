/**
 * The kernel log and the engine's event log, both of fixed size, so a machine's
 * state stays small however long it runs and however often the OOM killer fires.
 *
 * Imitates kernel/printk/printk.c as Linux 4.x/5.x (before the 5.10 lockless
 * ring) built it: one ring of `__LOG_BUF_LEN = 1 << CONFIG_LOG_BUF_SHIFT` bytes
 * (18 on Ubuntu's x86-64 kernels of the incident's era, and in the x86 defconfig:
 * 256 KiB); each printk line is a record of `sizeof(struct printk_log)` (16 bytes)
 * plus its text, padded to 8 bytes (`msg_used_size()`); when a new record does
 * not fit, the oldest records are dropped (`log_make_free_space()`). The model
 * keeps whole OOM reports (an `OomKill` renders as the report's lines, see
 * format/dmesg.ts): the most recent kills whose text fits in the ring, in
 * whichever era's format it is printed. The model prints nothing else to the
 * kernel log (no boot messages), so the whole ring is the OOM reports'. Counts
 * are kept for everything: the kills and events that have left the logs are
 * counted, never forgotten.
 *
 * The event log (the simulator's own record of starts, exits, restarts, kills) is
 * bounded the same way by a count of entries, with a count per kind of what left.
 *
 * Other modules log through `logOom()` and `logEvent()`; an entry pushed straight
 * onto `m.ooms` or `m.events` is still bounded by the next `trimLogs()` (run at
 * the end of every tick and after every action), so the totals stay right either way.
 */
import type { OomKill, OomTask } from './format/types';
import { TASK_COMM_LEN, oomKillRecords } from './format/dmesg';
import type { EngineEvent, MachineState } from './model';

/** CONFIG_LOG_BUF_SHIFT of Ubuntu's generic x86-64 kernels (4.15 to 5.x). */
export const LOG_BUF_SHIFT = 18;
/** __LOG_BUF_LEN, bytes. */
export const LOG_BUF_LEN = 1 << LOG_BUF_SHIFT;
/** sizeof(struct printk_log): u64 ts_nsec, u16 len, text_len, dict_len, u8 facility, flags/level. */
export const PRINTK_LOG_HEADER = 16;
/** LOG_ALIGN: __alignof__(struct printk_log) on 64-bit. */
export const LOG_ALIGN = 8;
/** Events kept in the engine's event log (the simulator shows the last 50). */
export const EVENTS_KEPT = 1024;

export type EventKind = EngineEvent['kind'];

export interface KlogState {
  /** Bytes each kept OOM report takes in the ring (parallel to `m.ooms`). */
  oomBytes: number[];
  /** OOM reports that have left the ring (the oldest kills). */
  oomsDropped: number;
  /** Events that have left the event log, in all and by kind. */
  eventsDropped: number;
  eventsDroppedByKind: Partial<Record<EventKind, number>>;
}

export function emptyKlog(): KlogState {
  return { oomBytes: [], oomsDropped: 0, eventsDropped: 0, eventsDroppedByKind: {} };
}

function klogOf(m: MachineState): KlogState {
  if (!m.klog) m.klog = emptyKlog();
  return m.klog;
}

/** msg_used_size(): a record's bytes in the ring, header and padding included. */
export function recordBytes(textLen: number): number {
  const size = PRINTK_LOG_HEADER + textLen;
  return size + ((LOG_ALIGN - (size % LOG_ALIGN)) % LOG_ALIGN);
}

/** Characters of "%d" for an integer. */
function digits(n: number): number {
  return String(Math.trunc(n)).length;
}

/** The width of a "%Nd" field. */
function w(n: number, width: number): number {
  return Math.max(width, digits(n));
}

/** The length of a dump_task row, "[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s" (%5d pid in the classic era), without formatting it. */
function taskRowLength(t: OomTask, pidW: number): number {
  return (
    1 + w(t.pid, pidW) + 2 + w(t.uid, 5) + 1 + w(t.tgid, 5) + 1 + w(t.totalVmPages, 8) + 1 + w(t.rssPages, 8) + 1 +
    w(t.pgtablesBytes, 8) + 1 + w(t.swapents, 8) + 9 + w(t.oomScoreAdj, 5) + 1 + Math.min(TASK_COMM_LEN - 1, Array.from(t.comm).length)
  );
}

/** Bytes an OOM report takes in the ring: one record per printed line, in the wider of the two eras' formats. */
export function oomReportBytes(k: OomKill): number {
  let most = 0;
  const head: OomKill = { ...k, tasks: [] };
  for (const era of ['modern', 'classic'] as const) {
    let n = 0;
    for (const r of oomKillRecords(head, era)) for (const line of r.text.split('\n')) n += recordBytes(line.length);
    const pidW = era === 'classic' ? 5 : 7;
    for (const t of k.tasks) n += recordBytes(taskRowLength(t, pidW));
    most = Math.max(most, n);
  }
  return most;
}

/** Reports logged but not yet sized that logOom() tolerates before it trims (trimLogs() trims every tick). */
const UNSIZED_MAX = 32;

/** printk() an OOM report: it joins the ring and the oldest reports leave while the ring is over-full. */
export function logOom(m: MachineState, report: OomKill): void {
  m.ooms.push(report);
  if (m.ooms.length - klogOf(m).oomBytes.length > UNSIZED_MAX) trimOoms(m);
}

/** Record an engine event; the oldest leave once EVENTS_KEPT are held. */
export function logEvent(m: MachineState, ev: EngineEvent): void {
  m.events.push(ev);
  if (m.events.length > EVENTS_KEPT) trimEvents(m);
}

/** Bound both logs (entries pushed without the helpers included). Called once a tick. */
export function trimLogs(m: MachineState): void {
  if (m.ooms.length !== klogOf(m).oomBytes.length) trimOoms(m);
  if (m.events.length > EVENTS_KEPT) trimEvents(m);
}

/**
 * log_make_free_space(): the oldest records leave until the newest fit. Filled from
 * the newest report back, so a report that would leave at once is never sized; a
 * single report bigger than the whole ring is kept alone.
 */
function trimOoms(m: MachineState): void {
  const log = klogOf(m);
  const sizes: number[] = [];
  let used = 0;
  let i = m.ooms.length - 1;
  for (; i >= 0; i--) {
    const b = i < log.oomBytes.length ? log.oomBytes[i]! : oomReportBytes(m.ooms[i]!);
    if (sizes.length > 0 && used + b > LOG_BUF_LEN) break;
    used += b;
    sizes.push(b);
  }
  const drop = i + 1;
  sizes.reverse();
  log.oomBytes = sizes;
  if (drop > 0) {
    m.ooms.splice(0, drop);
    log.oomsDropped += drop;
  }
}

function trimEvents(m: MachineState): void {
  const log = klogOf(m);
  const drop = m.events.length - EVENTS_KEPT;
  if (drop <= 0) return;
  for (let i = 0; i < drop; i++) {
    const kind = m.events[i]!.kind;
    log.eventsDroppedByKind[kind] = (log.eventsDroppedByKind[kind] ?? 0) + 1;
  }
  m.events.splice(0, drop);
  log.eventsDropped += drop;
}

// ---- read-outs ---------------------------------------------------------------

/** OOM reports logged since boot (those that left the ring included): the index space of `oomKillsSince`. */
export function oomReportCount(m: MachineState): number {
  return (m.klog?.oomsDropped ?? 0) + m.ooms.length;
}

/** The kept reports of kills numbered n and later (0 = the first kill since boot). */
export function oomReportsSince(m: MachineState, n: number): OomKill[] {
  const first = m.klog?.oomsDropped ?? 0;
  return m.ooms.slice(Math.max(0, n - first));
}

/** Events logged since boot, those that left the log included. */
export function eventCount(m: MachineState): number {
  return (m.klog?.eventsDropped ?? 0) + m.events.length;
}

/** The kept events numbered n and later (0 = the boot event). */
export function eventsSince(m: MachineState, n: number): EngineEvent[] {
  const first = m.klog?.eventsDropped ?? 0;
  return m.events.slice(Math.max(0, n - first));
}

/** Events of each kind logged since boot. */
export function eventCountsByKind(m: MachineState): Partial<Record<EventKind, number>> {
  const out: Partial<Record<EventKind, number>> = { ...(m.klog?.eventsDroppedByKind ?? {}) };
  for (const e of m.events) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
}
