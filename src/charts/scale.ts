/**
 * A linear scale from a two-number domain to a two-number range: the part of
 * d3-scale's scaleLinear the charts use, computed the same way, so every
 * position and tick stays where d3 put it (d3-scale 4, d3-array 3 ticks).
 */

export interface LinearScale {
  /** The range value for a domain value (undefined for NaN, as d3 gives). */
  (x: number): number;
  /** The domain value for a range value. */
  invert(y: number): number;
  domain(): [number, number];
  range(): [number, number];
  /** About `count` round values within the domain, ascending unless the domain is reversed. */
  ticks(count?: number): number[];
}

/** t in [0, 1] over [a, b] (d3-scale's normalize; a degenerate domain maps to the middle). */
function normalize(a: number, b: number): (x: number) => number {
  const span = b - a;
  if (span) return (x) => (x - a) / span;
  const mid = Number.isNaN(span) ? NaN : 0.5;
  return () => mid;
}

/** d3-interpolate's interpolateNumber. */
function interpolate(a: number, b: number): (t: number) => number {
  return (t) => a * (1 - t) + b * t;
}

/** d3-scale's bimap: a two-point piecewise map, a descending domain reversed first. */
function bimap(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const t = d1 < d0 ? normalize(d1, d0) : normalize(d0, d1);
  const v = d1 < d0 ? interpolate(r1, r0) : interpolate(r0, r1);
  return (x) => v(t(x));
}

/**
 * A linear scale over `domain` to `range`. With `clamp`, values outside the
 * domain map to the ends of the range (and inverted values stay within the domain).
 */
export function linear(domain: readonly [number, number], range: readonly [number, number], clamp = false): LinearScale {
  const d0 = +domain[0];
  const d1 = +domain[1];
  const [r0, r1] = range;
  const [lo, hi] = d0 > d1 ? [d1, d0] : [d0, d1];
  const bound = clamp ? (x: number) => Math.max(lo, Math.min(hi, x)) : (x: number) => x;
  const output = bimap(d0, d1, r0, r1);
  const input = bimap(r0, r1, d0, d1);
  const scale = ((x: number) => (x == null || Number.isNaN((x = +x)) ? undefined : output(bound(x)))) as LinearScale;
  scale.invert = (y) => bound(input(y));
  scale.domain = () => [d0, d1];
  scale.range = () => [r0, r1];
  scale.ticks = (count = 10) => ticks(d0, d1, count);
  return scale;
}

const e10 = Math.sqrt(50);
const e5 = Math.sqrt(10);
const e2 = Math.sqrt(2);

/** d3-array's tickSpec: the first and last tick as multiples of the increment, and the increment (negative: its inverse). */
function tickSpec(start: number, stop: number, count: number): [number, number, number] {
  const step = (stop - start) / Math.max(0, count);
  const power = Math.floor(Math.log10(step));
  const error = step / Math.pow(10, power);
  const factor = error >= e10 ? 10 : error >= e5 ? 5 : error >= e2 ? 2 : 1;
  let i1: number;
  let i2: number;
  let inc: number;
  if (power < 0) {
    inc = Math.pow(10, -power) / factor;
    i1 = Math.round(start * inc);
    i2 = Math.round(stop * inc);
    if (i1 / inc < start) ++i1;
    if (i2 / inc > stop) --i2;
    inc = -inc;
  } else {
    inc = Math.pow(10, power) * factor;
    i1 = Math.round(start / inc);
    i2 = Math.round(stop / inc);
    if (i1 * inc < start) ++i1;
    if (i2 * inc > stop) --i2;
  }
  if (i2 < i1 && 0.5 <= count && count < 2) return tickSpec(start, stop, count * 2);
  return [i1, i2, inc];
}

/**
 * About `count` round values (multiples of 1, 2 or 5 times a power of ten) from
 * start to stop inclusive, in the order of start and stop: d3-array's ticks.
 */
export function ticks(start: number, stop: number, count: number): number[] {
  if (!(count > 0)) return [];
  if (start === stop) return [start];
  const reverse = stop < start;
  const [i1, i2, inc] = reverse ? tickSpec(stop, start, count) : tickSpec(start, stop, count);
  if (!(i2 >= i1)) return [];
  const n = i2 - i1 + 1;
  const out = new Array<number>(n);
  for (let i = 0; i < n; ++i) {
    const k = reverse ? i2 - i : i1 + i;
    out[i] = inc < 0 ? k / -inc : k * inc;
  }
  return out;
}
