import type { OomKill, OomMemInfo, OomTask, OomVictim } from './format/types';
import type { MachineState, Proc } from './model';

/**
 * The OOM killer's arithmetic (mm/oom_kill.c).
 *
 * badness = rss + swap entries + page-table pages, plus oom_score_adj × totalpages / 1000;
 * a task with oom_score_adj −1000 is never chosen (LONG_MIN). totalpages is RAM + swap for
 * a global OOM and, for a memcg OOM, mem_cgroup_get_max(): memory.max plus what of the
 * swap it may use (memory.swap.max, at most the swap there is).
 */

/** Pages of the files a process maps that are resident now (its file-rss). */
export function fileRss(m: MachineState, p: Proc): number {
  let n = 0;
  for (let i = 0; i < p.hotIds.length; i++) {
    const f = m.files[p.hotIds[i]!];
    if (!f || f.size <= 0) continue;
    const res = f.active + f.inactive;
    n += Math.floor((p.hotPages[i]! * res) / f.size);
  }
  return n;
}

/**
 * NR_FILE_MAPPED: resident pages of files that a live process maps, each page once
 * however many processes map it (fault-around maps the pages read around a fault).
 */
export function mappedPages(m: MachineState): number {
  const seen = new Set<number>();
  let n = 0;
  for (const p of m.procs) {
    if (!p.alive) continue;
    for (const id of p.hotIds) {
      if (seen.has(id)) continue;
      seen.add(id);
      const f = m.files[id];
      if (f) n += f.active + f.inactive;
    }
  }
  return n;
}

export function anonRss(p: Proc): number {
  return p.anonA + p.anonI;
}

export function rss(m: MachineState, p: Proc): number {
  return anonRss(p) + fileRss(m, p);
}

export function totalPagesFor(m: MachineState, memcgLimit = 0, swapMax = -1): number {
  if (memcgLimit > 0) return memcgLimit + (swapMax < 0 ? m.swapTotal : Math.min(swapMax, m.swapTotal));
  return m.totalPages + m.swapTotal;
}

/**
 * CAP_SYS_ADMIN, for the 4.x root discount: root on the host (Docker drops
 * CAP_SYS_ADMIN from the processes of an unprivileged container).
 */
function sysAdmin(p: Proc): boolean {
  return p.uid === 0 && (p.cid === 0 || p.spec.hostSide === true);
}

/** Never chosen: dead, init, or oom_score_adj −1000 (oom_unkillable_task(), OOM_SCORE_ADJ_MIN). */
export function unkillable(p: Proc): boolean {
  return !p.alive || p.adj === -1000 || p.pid === 1;
}

/**
 * oom_badness(): null when the task can never be chosen.
 *
 * modern (5.9 and later): rss + swap entries + page tables, plus
 * oom_score_adj × totalpages / 1000, signed (a negative value stays negative).
 * classic (4.x before 4.17): the same sum, less 3 % for CAP_SYS_ADMIN tasks, then the
 * adjustment, and never below 1 ("Never return 0 for an eligible task").
 */
export function badness(m: MachineState, p: Proc, totalpages: number): number | null {
  if (unkillable(p)) return null;
  let points = rss(m, p) + p.swap + p.pgt;
  if (m.config.kernel === 'classic') {
    if (sysAdmin(p)) points -= Math.floor((points * 3) / 100);
    points += p.adj * Math.floor(totalpages / 1000);
    return points > 0 ? points : 1;
  }
  return points + p.adj * Math.floor(totalpages / 1000);
}

/** The classic "score N" of 4.x kernels: badness × 1000 / totalpages (never below 0 in the model's read-outs). */
export function classicScore(points: number, totalpages: number): number {
  return Math.max(0, Math.floor((points * 1000) / totalpages));
}

/**
 * /proc/PID/oom_score. Since 5.9 (fs/proc/base.c) the badness, which may be
 * negative, scaled into [0, 2000] as (1000 + badness × 1000 / totalpages) × 2 / 3 in C
 * integer arithmetic; on 4.x kernels badness × 1000 / totalpages (0–1000).
 */
export function oomScore(m: MachineState, p: Proc): number {
  // Unkillable tasks (init, and oom_score_adj −1000) read 0.
  if (unkillable(p)) return 0;
  const tp = totalPagesFor(m);
  const points = badness(m, p, tp)!;
  if (m.config.kernel === 'classic') return Math.floor((points * 1000) / tp);
  return Math.max(0, Math.trunc(((1000 + Math.trunc((points * 1000) / tp)) * 2) / 3));
}

/** Who a global OOM kill would choose right now (the same walk out_of_memory() makes), or null. */
export function nextGlobalVictim(m: MachineState): Proc | null {
  const pick = selectVictim(m, m.procs.filter((p) => p.alive), totalPagesFor(m));
  return pick ? pick.victim : null;
}

/**
 * select_bad_process() / oom_evaluate_task(): the task with the highest badness.
 * Ties: since 5.x `points < chosen_points` skips, so an equal later task is chosen;
 * 4.x kept the earlier one ("Prefer thread group leaders for display purposes").
 * classic: oom_kill_process() then sacrifices the child (not sharing its mm) with the
 * highest badness for the chosen task; `chosen` is the task the kill line names.
 */
export function selectVictim(
  m: MachineState,
  candidates: readonly Proc[],
  totalpages: number,
): { victim: Proc; points: number; chosen: Proc; chosenPoints: number } | null {
  const classic = m.config.kernel === 'classic';
  let best: Proc | null = null;
  let bestPoints = -Infinity;
  for (const p of candidates) {
    const b = badness(m, p, totalpages);
    if (b === null) continue;
    if (b > bestPoints || (!classic && b === bestPoints)) {
      best = p;
      bestPoints = b;
    }
  }
  if (!best) return null;
  let victim = best;
  let points = bestPoints;
  if (classic) {
    let childPoints = 0;
    for (const c of candidates) {
      if (c.ppid !== best.pid || !c.alive) continue;
      const b = badness(m, c, totalpages);
      if (b !== null && b > childPoints) {
        victim = c;
        childPoints = b;
      }
    }
    if (victim !== best) points = childPoints;
  }
  return { victim, points, chosen: best, chosenPoints: bestPoints };
}

export function taskRow(m: MachineState, p: Proc): OomTask {
  return {
    pid: p.pid,
    uid: p.uid,
    tgid: p.pid,
    totalVmPages: Math.round((p.spec.vmMiB ?? 16) * 256 + p.anonA + p.anonI + p.swap),
    rssPages: rss(m, p),
    pgtablesBytes: p.pgt * 4096,
    swapents: p.swap,
    oomScoreAdj: p.adj,
    comm: p.comm,
  };
}

export function memInfoForOom(m: MachineState): OomMemInfo {
  let aa = 0;
  let ia = 0;
  let af = 0;
  let inf = 0;
  let dirty = 0;
  let shmem = m.shmemHost;
  let pgt = 0;
  const mapped = mappedPages(m);
  for (const c of m.containers) shmem += c.shmem;
  for (const p of m.procs) {
    if (!p.alive) continue;
    aa += p.anonA;
    ia += p.anonI;
    pgt += p.pgt;
  }
  for (const f of m.files) {
    af += f.active;
    inf += f.inactive + f.inflight;
    dirty += f.dirty;
  }
  return {
    activeAnon: aa + shmem,
    inactiveAnon: ia,
    isolatedAnon: 0,
    activeFile: af,
    inactiveFile: inf,
    isolatedFile: 0,
    unevictable: 0,
    dirty,
    writeback: 0,
    slabReclaimable: m.slabRecl,
    slabUnreclaimable: m.slabUnrecl,
    mapped,
    shmem,
    pagetables: pgt,
    free: m.free,
    freeSwapPages: m.swapTotal - m.swapUsed,
    totalSwapPages: m.swapTotal,
    totalRamPages: m.totalPages + Math.round(m.totalPages * 0.035),
    reservedPages: Math.round(m.totalPages * 0.035),
  };
}

/** The victim as __oom_kill_process() reports it, before its memory is freed. */
export function victimEntry(m: MachineState, victim: Proc, points: number, totalpages: number): OomVictim {
  const anon = anonRss(victim);
  return {
    pid: victim.pid,
    comm: victim.comm,
    uid: victim.uid,
    totalVmKb: Math.round((victim.spec.vmMiB ?? 16) * 1024 + (anon + victim.swap) * 4),
    anonRssKb: anon * 4,
    fileRssKb: fileRss(m, victim) * 4,
    shmemRssKb: 0,
    pgtablesKb: victim.pgt * 4,
    oomScoreAdj: victim.adj,
    score: classicScore(points, totalpages),
  };
}

/** Build the report one kill prints (dmesg), before the victim's memory is freed. */
export function buildOomReport(
  m: MachineState,
  invoker: Proc | null,
  candidates: readonly Proc[],
  victim: Proc,
  points: number,
  totalpages: number,
  memcg: { path: string; usage: number; limit: number; failcnt: number; swap?: number; swapMax?: number } | null,
): OomKill {
  const report: OomKill = {
    t: m.t,
    invoker: invoker
      ? { comm: invoker.comm, pid: invoker.pid, oomScoreAdj: invoker.adj }
      : { comm: 'kworker/u30:2', pid: 97, oomScoreAdj: 0 },
    order: 0,
    // dump_tasks() skips unkillable tasks such as init.
    tasks: candidates.filter((p) => p.alive && p.pid !== 1).map((p) => taskRow(m, p)),
    victim: victimEntry(m, victim, points, totalpages),
    killT: m.t + 0.000412,
    reaped: { t: m.t + 0.0213, anonRssKb: 0, fileRssKb: 0, shmemRssKb: 0 },
  };
  if (memcg) {
    report.memcg = { path: memcg.path, usageKb: memcg.usage * 4, limitKb: memcg.limit * 4, failcnt: memcg.failcnt };
    if (memcg.swap !== undefined && memcg.swapMax !== undefined) {
      report.memcg.swapUsageKb = memcg.swap * 4;
      // An unlimited swap.max prints as PAGE_COUNTER_MAX in KiB.
      report.memcg.swapLimitKb = memcg.swapMax < 0 ? 9007199254740988 : memcg.swapMax * 4;
    }
    report.victimMemcgPath = memcg.path;
  } else {
    report.memInfo = memInfoForOom(m);
  }
  return report;
}
