import type { Psi } from './format/types';
import type { MachineState, PsiState } from './model';
import { TICK } from './model';

/**
 * Pressure stall information for memory (kernel/sched/psi.c, one run queue).
 * psi_group_change() keeps a state per CPU: SOME while at least one non-idle task
 * is stalled on memory (waiting for a workingset refault or a swap-in, or in
 * direct reclaim), FULL while, in addition, no task runs productively on a CPU.
 * The engine gets each task's stalled time within the tick; the share of the tick
 * in SOME and FULL is what the kernel's per-state clocks would have accumulated.
 * total is in microseconds; avg10/60/300 are updated every 2 s (PSI_FREQ) with the
 * kernel's exponential decay, calc_avgs(): avg = avg × e^(−2/window) + pct × (1 − e^(−2/window)).
 */
const PERIOD = 2;
const WINDOWS = [10, 60, 300] as const;

/** Account one tick in which memory stalls covered `some` and `full` of the time (0..1). */
export function psiTick(m: MachineState, some: number, full: number): void {
  psiAccount(m.psi, m.t, some, full);
}

export function emptyPsi(): PsiState {
  return { someTotal: 0, fullTotal: 0, some: [0, 0, 0], full: [0, 0, 0], winSome: 0, winFull: 0, winStart: 0 };
}

/**
 * The same clocks for any group of tasks: the system (the root cgroup) or one
 * cgroup's memory.pressure (every cgroup has its own psi_group, psi_cgroup_alloc()).
 */
export function psiAccount(ps: PsiState, t: number, some: number, full: number): void {
  // A group that has not stalled for a long while: its averages are (and stay) zero.
  if (some <= 0 && ps.winSome === 0 && Math.max(...ps.some, ...ps.full) < 1e-9) {
    if (t - ps.winStart >= PERIOD - 1e-9) ps.winStart = t;
    return;
  }
  some = Math.max(0, Math.min(1, some));
  full = Math.max(0, Math.min(some, full));
  ps.someTotal += Math.round(some * TICK * 1e6);
  ps.fullTotal += Math.round(full * TICK * 1e6);
  ps.winSome += some * TICK;
  ps.winFull += full * TICK;
  if (t - ps.winStart >= PERIOD - 1e-9) {
    const span = t - ps.winStart;
    const s = (100 * ps.winSome) / span;
    const f = (100 * ps.winFull) / span;
    for (let i = 0; i < 3; i++) {
      const e = Math.exp(-PERIOD / WINDOWS[i]!);
      ps.some[i] = ps.some[i]! * e + s * (1 - e);
      ps.full[i] = ps.full[i]! * e + f * (1 - e);
    }
    ps.winSome = 0;
    ps.winFull = 0;
    ps.winStart = t;
  }
}

export function psiReadout(m: MachineState): Psi {
  return psiOf(m.psi);
}

export function psiOf(ps: PsiState): Psi {
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    some: { avg10: r(ps.some[0]), avg60: r(ps.some[1]), avg300: r(ps.some[2]), total: ps.someTotal },
    full: { avg10: r(ps.full[0]), avg60: r(ps.full[1]), avg300: r(ps.full[2]), total: ps.fullTotal },
  };
}
