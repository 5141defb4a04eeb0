import type { MemcgEvents } from '../model';

/**
 * cgroup v2 memory interface files as the kernel prints them
 * (Documentation/admin-guide/cgroup-v2.rst): single values in bytes or "max",
 * and flat-keyed files of "key value" lines.
 */

/** memory.max, memory.high, memory.swap.max: bytes, or "max" when unlimited. */
export function formatLimit(bytes: number | null): string {
  return bytes === null ? 'max' : String(Math.round(bytes));
}

/** memory.events, in the kernel's order (memory_events_show()). */
export function formatMemoryEvents(e: MemcgEvents): string {
  return [`low ${e.low}`, `high ${e.high}`, `max ${e.max}`, `oom ${e.oom}`, `oom_kill ${e.oom_kill}`, `oom_group_kill ${e.oom_group_kill}`].join('\n');
}

/** memory.stat: "key value" per line, in the order given. */
export function formatMemoryStat(stat: Record<string, number>): string {
  return Object.entries(stat)
    .map(([k, v]) => `${k} ${Math.round(v)}`)
    .join('\n');
}
