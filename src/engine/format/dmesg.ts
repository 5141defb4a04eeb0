import type { KernelEra, OomKill, OomMemInfo, OomTask } from './types';

/**
 * dmesg lines of the OOM killer, as mm/oom_kill.c and mm/show_mem.c print them.
 *
 * modern: Linux 5.x/6.x (after the 4.19 rework, before the 6.8 task-table change):
 *   "%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%d, oom_score_adj=%hd"
 *   "Tasks state (memory values in pages):"
 *   "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"
 *   "[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s"
 *   "oom-kill:constraint=%s,nodemask=%*pbl,cpuset=…,mems_allowed=…,global_oom|oom_memcg=…,task_memcg=…,task=%s,pid=%d,uid=%d"
 *   "%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%hd"
 *   "oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB"
 * classic: Linux 4.15–4.18 (the incident's era):
 *   "%s invoked oom-killer: gfp_mask=%#x(%pGg), nodemask=(null), order=0, oom_score_adj=%hd"
 *   "%s cpuset=%s mems_allowed=0"
 *   "[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"
 *   "[%5d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s"
 *   "%s: Kill process %d (%s) score %u or sacrifice child"
 *   "Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB"
 */

/** TASK_COMM_LEN is 16 including the NUL: the kernel keeps 15 characters. */
export const TASK_COMM_LEN = 16;

/** The comm the kernel stores for an executable name (first 15 characters). */
export function truncateComm(name: string): string {
  return Array.from(name).slice(0, TASK_COMM_LEN - 1).join('');
}

/** printk's timestamp prefix: "[%5lu.%06lu] " from seconds since boot. */
export function dmesgTimestamp(seconds: number): string {
  const usTotal = Math.max(0, Math.round(seconds * 1e6));
  const secs = Math.floor(usTotal / 1e6);
  const us = usTotal - secs * 1e6;
  return `[${String(secs).padStart(5)}.${String(us).padStart(6, '0')}]`;
}

/**
 * One dmesg record as `dmesg` prints it. A record whose text holds newlines is
 * printed by util-linux dmesg with its continuation lines indented by the
 * width of the timestamp prefix.
 */
export function dmesgLine(seconds: number, text: string): string {
  const ts = dmesgTimestamp(seconds);
  const indent = ' '.repeat(ts.length + 1);
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? `${ts} ${l}` : indent + l))
    .join('\n');
}

/** Known gfp masks and how %pGg names them. */
export const GFP = {
  /** 5.x/6.x anonymous or page-cache fault. */
  HIGHUSER_MOVABLE: { mask: 0x100cca, name: 'GFP_HIGHUSER_MOVABLE' },
  /** 5.x/6.x memcg charge from a fault. */
  KERNEL: { mask: 0xcc0, name: 'GFP_KERNEL' },
  /** 4.15–4.18 anonymous fault. */
  HIGHUSER_MOVABLE_ZERO_4X: { mask: 0x14280ca, name: 'GFP_HIGHUSER_MOVABLE|__GFP_ZERO' },
  /** 4.15–4.18 GFP_KERNEL_ACCOUNT. */
  KERNEL_ACCOUNT_4X: { mask: 0x15000c0, name: 'GFP_KERNEL_ACCOUNT' },
  /** 4.15–4.18 GFP_KERNEL. */
  KERNEL_4X: { mask: 0x14000c0, name: 'GFP_KERNEL' },
} as const;

function gfpName(mask: number): string {
  for (const g of Object.values(GFP)) if (g.mask === mask) return g.name;
  return '';
}

function hex(n: number): string {
  // %#x: "0x" prefix, lower case; 0 prints as "0".
  return n === 0 ? '0' : `0x${n.toString(16)}`;
}

function int(n: number): string {
  return String(Math.trunc(n));
}

/** The "invoked oom-killer" line (text only, without timestamp). */
export function formatInvokedLine(k: OomKill, era: KernelEra = 'modern'): string {
  const mask = k.gfpMask ?? defaultGfp(k, era);
  const name = gfpName(mask);
  const gfp = `gfp_mask=${hex(mask)}(${name})`;
  const comm = truncateComm(k.invoker.comm);
  const order = int(k.order ?? 0);
  const adj = int(k.invoker.oomScoreAdj);
  if (era === 'classic') {
    return `${comm} invoked oom-killer: ${gfp}, nodemask=(null), order=${order}, oom_score_adj=${adj}`;
  }
  return `${comm} invoked oom-killer: ${gfp}, order=${order}, oom_score_adj=${adj}`;
}

function defaultGfp(k: OomKill, era: KernelEra): number {
  if (era === 'classic') return k.memcg ? GFP.KERNEL_4X.mask : GFP.HIGHUSER_MOVABLE_ZERO_4X.mask;
  return k.memcg ? GFP.KERNEL.mask : GFP.HIGHUSER_MOVABLE.mask;
}

/** "Tasks state (memory values in pages):" and the column header of dump_tasks. */
export const TASKS_STATE_LINE = 'Tasks state (memory values in pages):';
export const TASK_TABLE_HEADER =
  '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name';
export const TASK_TABLE_HEADER_CLASSIC =
  '[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name';

/** One dump_task row: "[%7d] %5d %5d %8lu %8lu %8ld %8lu         %5hd %s" ([%5d] in the classic era). */
export function formatTaskRow(t: OomTask, era: KernelEra = 'modern'): string {
  const pidW = era === 'classic' ? 5 : 7;
  return (
    `[${int(t.pid).padStart(pidW)}] ${int(t.uid).padStart(5)} ${int(t.tgid).padStart(5)} ` +
    `${int(t.totalVmPages).padStart(8)} ${int(t.rssPages).padStart(8)} ${int(t.pgtablesBytes).padStart(8)} ` +
    `${int(t.swapents).padStart(8)}         ${int(t.oomScoreAdj).padStart(5)} ${truncateComm(t.comm)}`
  );
}

/**
 * The Mem-Info block of show_free_areas (5.15 layout; 4.15 adds "unstable:"
 * and lacks "kernel_misc_reclaimable:"), one record with
 * continuation lines, plus the show_mem summary records that follow it.
 * Returns the text of each record.
 */
export function formatMemInfo(m: OomMemInfo, era: KernelEra = 'modern'): string[] {
  const classic = era === 'classic';
  const K = (pages: number) => int(pages * 4);
  const pagecache = m.activeFile + m.inactiveFile + m.shmem;
  return [
    'Mem-Info:',
    `active_anon:${int(m.activeAnon)} inactive_anon:${int(m.inactiveAnon)} isolated_anon:${int(m.isolatedAnon)}\n` +
      ` active_file:${int(m.activeFile)} inactive_file:${int(m.inactiveFile)} isolated_file:${int(m.isolatedFile)}\n` +
      ` unevictable:${int(m.unevictable)} dirty:${int(m.dirty)} writeback:${int(m.writeback)}${classic ? ' unstable:0' : ''}\n` +
      ` slab_reclaimable:${int(m.slabReclaimable)} slab_unreclaimable:${int(m.slabUnreclaimable)}\n` +
      ` mapped:${int(m.mapped)} shmem:${int(m.shmem)} pagetables:${int(m.pagetables)} bounce:0\n` +
      (classic ? '' : ` kernel_misc_reclaimable:0\n`) +
      ` free:${int(m.free)} free_pcp:0 free_cma:0`,
    `${int(pagecache)} total pagecache pages`,
    `0 pages in swap cache`,
    `Free swap  = ${K(m.freeSwapPages)}kB`,
    `Total swap = ${K(m.totalSwapPages)}kB`,
    `${int(m.totalRamPages)} pages RAM`,
    `0 pages HighMem/MovableOnly`,
    `${int(m.reservedPages)} pages reserved`,
  ];
}

/** The memcg block of mem_cgroup_print_oom_meminfo (cgroup v2). */
export function formatMemcgInfo(k: OomKill): string[] {
  const mc = k.memcg;
  if (!mc) return [];
  return [
    `memory: usage ${int(mc.usageKb)}kB, limit ${int(mc.limitKb)}kB, failcnt ${int(mc.failcnt)}`,
    `swap: usage ${int(mc.swapUsageKb ?? 0)}kB, limit ${int(mc.swapLimitKb ?? 9007199254740988)}kB, failcnt 0`,
    `Memory cgroup stats for ${mc.path}:`,
  ];
}

function cgroupName(path: string): string {
  if (path === '/' || path === '') return '/';
  const parts = path.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? '/';
}

/** The one-line summary "oom-kill:constraint=…" (dump_oom_summary, 4.19+). */
export function formatOomSummary(k: OomKill): string {
  const victimCg = k.victimMemcgPath ?? k.memcg?.path ?? '/';
  const constraint = k.memcg ? 'CONSTRAINT_MEMCG' : 'CONSTRAINT_NONE';
  const cpuset = cgroupName(k.invokerCgroupPath ?? (k.memcg ? victimCg : '/'));
  const ctx = k.memcg ? `oom_memcg=${k.memcg.path}` : 'global_oom';
  return (
    `oom-kill:constraint=${constraint},nodemask=(null),cpuset=${cpuset},mems_allowed=0,${ctx},` +
    `task_memcg=${victimCg},task=${truncateComm(k.victim.comm)},pid=${int(k.victim.pid)},uid=${int(k.victim.uid)}`
  );
}

/** The kill line. */
export function formatKillLine(k: OomKill, era: KernelEra = 'modern'): string {
  const v = k.victim;
  const comm = truncateComm(v.comm);
  const message = k.memcg ? 'Memory cgroup out of memory' : 'Out of memory';
  if (era === 'classic') {
    // The task select_bad_process() chose; oom_kill_process() may then kill a child of it.
    const ch = k.chosen;
    if (ch) return `${message}: Kill process ${int(ch.pid)} (${truncateComm(ch.comm)}) score ${int(ch.score)} or sacrifice child`;
    return `${message}: Kill process ${int(v.pid)} (${comm}) score ${int(v.score)} or sacrifice child`;
  }
  return (
    `${message}: Killed process ${int(v.pid)} (${comm}) total-vm:${int(v.totalVmKb)}kB, ` +
    `anon-rss:${int(v.anonRssKb)}kB, file-rss:${int(v.fileRssKb)}kB, shmem-rss:${int(v.shmemRssKb)}kB, ` +
    `UID:${int(v.uid)} pgtables:${int(v.pgtablesKb)}kB oom_score_adj:${int(v.oomScoreAdj)}`
  );
}

/** The classic era's second line: "Killed process … total-vm:…kB, anon-rss:…kB, file-rss:…kB, shmem-rss:…kB". */
export function formatClassicKilledLine(k: OomKill): string {
  const v = k.victim;
  return (
    `Killed process ${int(v.pid)} (${truncateComm(v.comm)}) total-vm:${int(v.totalVmKb)}kB, ` +
    `anon-rss:${int(v.anonRssKb)}kB, file-rss:${int(v.fileRssKb)}kB, shmem-rss:${int(v.shmemRssKb)}kB`
  );
}

/** The oom_reaper line. */
export function formatReaperLine(k: OomKill): string | undefined {
  if (!k.reaped) return undefined;
  const r = k.reaped;
  return (
    `oom_reaper: reaped process ${int(k.victim.pid)} (${truncateComm(k.victim.comm)}), ` +
    `now anon-rss:${int(r.anonRssKb)}kB, file-rss:${int(r.fileRssKb)}kB, shmem-rss:${int(r.shmemRssKb)}kB`
  );
}

export interface DmesgRecord {
  /** Seconds since boot. */
  t: number;
  text: string;
}

/** Every record one OOM kill produces, in order, with its time. */
export function oomKillRecords(k: OomKill, era: KernelEra = 'modern'): DmesgRecord[] {
  const t = k.t;
  const killT = k.killT ?? t;
  const recs: DmesgRecord[] = [];
  const at = (time: number, text: string) => recs.push({ t: time, text });
  at(t, formatInvokedLine(k, era));
  if (era === 'classic') {
    const cpuset = cgroupName(k.invokerCgroupPath ?? (k.memcg ? (k.victimMemcgPath ?? k.memcg.path) : '/'));
    at(t, `${truncateComm(k.invoker.comm)} cpuset=${cpuset} mems_allowed=0`);
  }
  if (k.memcg) for (const l of formatMemcgInfo(k)) at(t, l);
  else if (k.memInfo) for (const l of formatMemInfo(k.memInfo, era)) at(t, l);
  if (era === 'modern') at(t, TASKS_STATE_LINE);
  at(t, era === 'modern' ? TASK_TABLE_HEADER : TASK_TABLE_HEADER_CLASSIC);
  for (const task of k.tasks) at(t, formatTaskRow(task, era));
  if (era === 'modern') at(killT, formatOomSummary(k));
  at(killT, formatKillLine(k, era));
  if (era === 'classic') at(killT, formatClassicKilledLine(k));
  if (k.group) {
    // mem_cgroup_print_oom_group(), then oom_kill_memcg_member() for each other task.
    at(killT, `Tasks in ${k.group.path} are going to be killed due to memory.oom.group set`);
    for (const v of k.group.victims) {
      at(killT, era === 'classic' ? formatClassicKilledLine({ ...k, victim: v }) : formatKillLine({ ...k, victim: v, chosen: undefined }, era));
    }
  }
  const reaper = formatReaperLine(k);
  if (reaper !== undefined && k.reaped) at(k.reaped.t, reaper);
  return recs;
}

/** The dmesg text of one OOM kill (records joined by newlines). */
export function formatOomKill(k: OomKill, era: KernelEra = 'modern'): string {
  return oomKillRecords(k, era)
    .map((r) => dmesgLine(r.t, r.text))
    .join('\n');
}

/** Format any records (sorted by the caller) as dmesg prints them. */
export function formatDmesg(records: readonly DmesgRecord[]): string {
  return records.map((r) => dmesgLine(r.t, r.text)).join('\n');
}

/** `dmesg | grep PATTERN`: grep sees each output line, continuation lines included. */
export function grepDmesg(records: readonly DmesgRecord[], pattern: string): string {
  return formatDmesg(records)
    .split('\n')
    .filter((l) => l.includes(pattern))
    .join('\n');
}
