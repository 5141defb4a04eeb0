import type { Psi } from './format/types';
import type { MachineState } from './model';
import { TICK } from './model';

/**
 * Pressure stall information for memory (kernel/sched/psi.c, simplified to one
 * run queue). "some": at least one task stalled on memory (a refault or swap-in
 * read, direct reclaim); "full": stalled tasks and nothing productive running.
 * Averages are updated every 2 s with the kernel's exponential decay.
 */
const PERIOD = 2;
const WINDOWS = [10, 60, 300] as const;

export function psiTick(m: MachineState, memStalled: number, nD: number, nRunnable: number, userFrac: number): void {
  const ps = m.psi;
  const direct = Math.min(1, m.tickDirectStall / TICK);
  let some = memStalled > 0 ? Math.min(1, 0.6 + 0.1 * memStalled) : direct;
  some = Math.min(1, Math.max(some, direct));
  const productive = nRunnable > 0 ? Math.min(1, userFrac * 4) : 0;
  const full = some > 0 ? some * (1 - productive) * (memStalled > 0 && nD >= memStalled ? 1 : 0.5) : 0;
  ps.someTotal += Math.round(some * TICK * 1e6);
  ps.fullTotal += Math.round(full * TICK * 1e6);
  ps.winSome += some * TICK;
  ps.winFull += full * TICK;
  if (m.t - ps.winStart >= PERIOD - 1e-9) {
    const span = m.t - ps.winStart;
    const s = (100 * ps.winSome) / span;
    const f = (100 * ps.winFull) / span;
    for (let i = 0; i < 3; i++) {
      const e = Math.exp(-PERIOD / WINDOWS[i]!);
      ps.some[i] = ps.some[i]! * e + s * (1 - e);
      ps.full[i] = ps.full[i]! * e + f * (1 - e);
    }
    ps.winSome = 0;
    ps.winFull = 0;
    ps.winStart = m.t;
  }
}

export function psiReadout(m: MachineState): Psi {
  const ps = m.psi;
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    some: { avg10: r(ps.some[0]), avg60: r(ps.some[1]), avg300: r(ps.some[2]), total: ps.someTotal },
    full: { avg10: r(ps.full[0]), avg60: r(ps.full[1]), avg300: r(ps.full[2]), total: ps.fullTotal },
  };
}
