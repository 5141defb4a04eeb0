import type { Psi, PsiLine } from './types';

/**
 * /proc/pressure/memory as kernel/sched/psi.c (psi_show) prints it:
 *   "%s avg10=%lu.%02lu avg60=%lu.%02lu avg300=%lu.%02lu total=%llu"
 * The averages are fixed-point; LOAD_INT/LOAD_FRAC truncate to two decimals.
 * total is in microseconds.
 */

/** Two decimals, truncated as LOAD_FRAC does (a tiny epsilon absorbs binary error). */
export function psiAvg(percent: number): string {
  const hundredths = Math.max(0, Math.floor(percent * 100 + 1e-7));
  const int = Math.floor(hundredths / 100);
  const frac = hundredths - int * 100;
  return `${int}.${String(frac).padStart(2, '0')}`;
}

export function formatPsiLine(kind: 'some' | 'full', l: PsiLine): string {
  return (
    `${kind} avg10=${psiAvg(l.avg10)} avg60=${psiAvg(l.avg60)} avg300=${psiAvg(l.avg300)} ` +
    `total=${String(Math.max(0, Math.trunc(l.total)))}`
  );
}

/** The two lines of /proc/pressure/memory. */
export function formatPsi(p: Psi): string {
  return `${formatPsiLine('some', p.some)}\n${formatPsiLine('full', p.full)}`;
}
