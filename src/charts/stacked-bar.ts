import { linear } from './scale';

export interface BarPart<K extends string = string> {
  key: K;
  value: number;
}

export interface BarSegment<K extends string = string> extends BarPart<K> {
  x0: number;
  x1: number;
}

/**
 * Lays parts end to end along [0, width] on a linear scale over [0, total].
 * Parts that overshoot the total are clamped to the end of the bar.
 */
export function stackedBar<K extends string>(parts: BarPart<K>[], total: number, width: number): BarSegment<K>[] {
  const x = linear([0, Math.max(total, 1)], [0, width], true);
  let at = 0;
  return parts.map((p) => {
    const from = at;
    at += Math.max(0, p.value);
    return { ...p, x0: x(from), x1: x(at) };
  });
}

/** Position of a value measured from the right end of the bar (used for "available"). */
export function fromEnd(value: number, total: number, width: number): number {
  const x = linear([0, Math.max(total, 1)], [0, width], true);
  return x(total - value);
}
