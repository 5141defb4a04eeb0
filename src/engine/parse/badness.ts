/**
 * The OOM killer's arithmetic, redone from a report's task table (mm/oom_kill.c,
 * oom_badness() and oom_evaluate_task()):
 *
 *   points = rss + swapents + page-table pages
 *   (before 4.17: points −= points × 3 / 100 for CAP_SYS_ADMIN tasks)
 *   points += oom_score_adj × (totalpages / 1000)      (integer division first)
 *   (before 5.9: points = max(points, 1))
 *
 * oom_score_adj −1000 is never chosen; on a tie the later task in the table
 * wins (the kernel keeps the candidate only if it scores strictly higher…
 * equal scores replace it). totalpages is RAM + swap for a global OOM and the
 * cgroup's limit for a memory-cgroup OOM. The classic kill line's "score" is
 * points × 1000 / totalpages.
 */
import type { OomReport, TaskRow } from './types';

export interface Ranked {
  task: TaskRow;
  /** rss + swapents + page tables, in pages. */
  basePoints: number;
  /** After the root discount (classic kernels), before oom_score_adj. */
  memoryPoints: number;
  /** What oom_score_adj added (pages; negative to protect). */
  adjPoints: number;
  points: number;
  /** points × 1000 / totalpages, the classic "score". */
  score?: number;
}

export interface Badness {
  /** RAM + swap (global) or the limit (memcg), in pages, as far as the report says. */
  totalPages?: number;
  totalPagesFrom: string;
  rules: { rootDiscount: boolean; clampToOne: boolean };
  ranking: Ranked[];
  exempt: TaskRow[];
  /** The process the kernel reported killing (or choosing, in the classic form). */
  victimPid?: number;
  victimComm?: string;
  /** Whether our first place is the kernel's choice. */
  agrees?: boolean;
  /** Processes sharing the top points on the printed table, when more than one. */
  tiedAtTop?: Ranked[];
  /** Who would have been first without any oom_score_adj. */
  withoutAdj?: Ranked;
  notes: string[];
}

function version(kernel: string | undefined): [number, number] | undefined {
  const m = kernel ? /^(\d+)\.(\d+)/.exec(kernel) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const before = (v: [number, number], major: number, minor: number) => v[0] < major || (v[0] === major && v[1] < minor);

export function totalPagesOf(r: OomReport): { pages?: number; from: string } {
  if (r.constraint === 'memcg' && r.memcgLimitKb !== undefined && r.memcgLimitKb < 2 ** 50) {
    return { pages: Math.floor(r.memcgLimitKb / 4), from: `the cgroup's limit of ${r.memcgLimitKb} kB; swap the cgroup may use is not in the report and is left out` };
  }
  if (r.ramPages !== undefined) {
    const ram = r.ramPages - (r.reservedPages ?? 0);
    const swap = Math.floor((r.swapTotalKb ?? 0) / 4);
    return {
      pages: ram + swap,
      from: `RAM ${r.ramPages} pages − ${r.reservedPages ?? 0} reserved${swap ? ` + swap ${swap}` : ''}; the kernel counts the pages it manages, which can differ a little`,
    };
  }
  return { from: 'not in the report' };
}

export function badness(r: OomReport): Badness {
  const v = version(r.kernel);
  const classicForm = r.chosen?.form === 'classic';
  const oldTable = r.taskColumns?.includes('nr_ptes') ?? false;
  const rootDiscount = v ? before(v, 4, 17) : oldTable;
  const clampToOne = v ? before(v, 5, 9) : classicForm || oldTable;
  const { pages: totalPages, from } = totalPagesOf(r);
  const notes: string[] = [];
  const unit = totalPages !== undefined ? Math.floor(totalPages / 1000) : undefined;
  const hasAdj = r.tasks.some((t) => t.oomScoreAdj !== 0 && t.oomScoreAdj !== -1000);
  if (unit === undefined && hasAdj) notes.push('The report does not say how much memory the machine or cgroup has, so oom_score_adj is left out of the points below.');
  if (rootDiscount && r.tasks.some((t) => t.uid === 0)) notes.push('This kernel took 3 % off for processes with CAP_SYS_ADMIN; root-owned (uid 0) processes are treated as having it.');
  const rank = (withAdj: boolean): Ranked[] => {
    const out: Ranked[] = [];
    r.tasks.forEach((task) => {
      if (task.oomScoreAdj === -1000) return;
      const basePoints = task.rss + task.swapents + task.pgtablesPages;
      const memoryPoints = rootDiscount && task.uid === 0 ? basePoints - Math.floor((basePoints * 3) / 100) : basePoints;
      const adjPoints = withAdj && unit !== undefined ? task.oomScoreAdj * unit : 0;
      let points = memoryPoints + adjPoints;
      if (clampToOne && points < 1) points = 1;
      const ranked: Ranked = { task, basePoints, memoryPoints, adjPoints, points };
      if (totalPages) ranked.score = Math.floor((points * 1000) / totalPages);
      out.push(ranked);
    });
    // Highest first; on equal points the later row wins, as the kernel's scan does.
    return out.map((x, i) => ({ x, i })).sort((a, b) => b.x.points - a.x.points || b.i - a.i).map(({ x }) => x);
  };
  const ranking = rank(true);
  const plain = rank(false);
  const b: Badness = {
    totalPagesFrom: from,
    rules: { rootDiscount, clampToOne },
    ranking,
    exempt: r.tasks.filter((t) => t.oomScoreAdj === -1000),
    notes,
  };
  if (totalPages !== undefined) b.totalPages = totalPages;
  const victim = r.killed ?? r.chosen ?? (r.summary ? { pid: r.summary.pid, comm: r.summary.task } : undefined);
  if (victim) {
    b.victimPid = victim.pid;
    b.victimComm = victim.comm;
    const named = new Set([r.chosen?.pid, r.killed?.pid, r.summary?.pid].filter((p) => p !== undefined));
    // Equal points on the printed table: the counts the kernel compared a moment earlier decided.
    const top = ranking.filter((x) => x.points === ranking[0]!.points);
    if (top.length > 1) {
      b.tiedAtTop = top;
      // Put the kernel's pick first among the tied, so "runner-up" means the next in line.
      const k = ranking.findIndex((x, i) => i < top.length && named.has(x.task.pid));
      if (k > 0) ranking.unshift(...ranking.splice(k, 1));
    }
    if (ranking.length) b.agrees = top.some((x) => named.has(x.task.pid));
  }
  const printed = r.chosen?.score;
  const ours = ranking.find((x) => x.task.pid === r.chosen?.pid)?.score;
  if (printed !== undefined && ours !== undefined && ours !== printed) {
    notes.push(`The kill line printed score ${printed}; the task table gives ${ours}. The table is printed a moment after the choice, and totalpages is worked out from the report, so a point or two apart is expected.`);
  }
  // Only a real change of choice counts: a process that led on memory alone and lost the lead to an adjustment.
  if (plain[0] && ranking[0] && plain[0].task.pid !== ranking[0].task.pid && plain[0].points > ranking[0].memoryPoints) b.withoutAdj = plain[0];
  return b;
}
