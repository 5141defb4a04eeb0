import { area, line, stack } from './path';
import { linear, type LinearScale } from './scale';

export interface Frame {
  /** Plot width and height in SVG units. */
  width: number;
  height: number;
}

export interface Scales {
  x: LinearScale;
  y: LinearScale;
}

/** x over a time window [t0, t1], y over [yMin, yMax] (SVG y grows downwards). */
export function timeScales(frame: Frame, t0: number, t1: number, yMax: number, yMin = 0): Scales {
  return {
    x: linear([t0, Math.max(t1, t0 + 1e-9)], [0, frame.width]),
    y: linear([yMin, Math.max(yMax, yMin + 1e-9)], [frame.height, 0]),
  };
}

/**
 * Stacked areas of `keys` over samples, bottom to top in the order given.
 * Returns one SVG path per key (empty string when there are fewer than 2 samples).
 */
export function stackedAreas<K extends string>(
  samples: readonly ({ t: number } & Record<K, number>)[],
  keys: readonly K[],
  scales: Scales,
): { key: K; d: string }[] {
  const xs = samples.map((p) => scales.x(p.t));
  return stack(samples, keys).map((s) => ({
    key: s.key,
    d: samples.length > 1 ? area(s.values.map(([y0, y1], i) => [xs[i]!, scales.y(y0), scales.y(y1)])) : '',
  }));
}

/** A line through (t, value) points. */
export function linePath(points: readonly { t: number; v: number }[], scales: Scales): string {
  if (points.length < 2) return '';
  return line(points.map((p) => [scales.x(p.t), scales.y(p.v)]));
}
