import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { area, line, stack, stackOrderNone, stackOffsetNone } from 'd3-shape';

export interface Frame {
  /** Plot width and height in SVG units. */
  width: number;
  height: number;
}

export interface Scales {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
}

/** x over a time window [t0, t1], y over [yMin, yMax] (SVG y grows downwards). */
export function timeScales(frame: Frame, t0: number, t1: number, yMax: number, yMin = 0): Scales {
  return {
    x: scaleLinear().domain([t0, Math.max(t1, t0 + 1e-9)]).range([0, frame.width]),
    y: scaleLinear().domain([yMin, Math.max(yMax, yMin + 1e-9)]).range([frame.height, 0]),
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
  const series = stack<{ t: number } & Record<K, number>, K>()
    .keys(keys)
    .order(stackOrderNone)
    .offset(stackOffsetNone)(samples as ({ t: number } & Record<K, number>)[]);
  const shape = area<[number, number] & { data: { t: number } }>()
    .x((p) => scales.x(p.data.t))
    .y0((p) => scales.y(p[0]))
    .y1((p) => scales.y(p[1]));
  return series.map((s) => ({ key: s.key as K, d: samples.length > 1 ? (shape(s as never) ?? '') : '' }));
}

/** A line through (t, value) points. */
export function linePath(points: readonly { t: number; v: number }[], scales: Scales): string {
  if (points.length < 2) return '';
  return line<{ t: number; v: number }>()
    .x((p) => scales.x(p.t))
    .y((p) => scales.y(p.v))(points as { t: number; v: number }[]) ?? '';
}
