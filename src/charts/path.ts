/**
 * SVG path data for straight-segment lines and areas, and stacking: the part of
 * d3-shape the charts use (line and area with curveLinear, stack with the
 * default order and offset), writing the same `d` strings d3-shape 3 does.
 */

/** A coordinate as d3-shape writes it: rounded to 3 decimals (its default `digits`). */
function num(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/** "M x,y L x,y …" through the points; a single point is closed ("M x,yZ"), none gives "". */
export function line(points: readonly (readonly [x: number, y: number])[]): string {
  let d = '';
  for (let i = 0; i < points.length; i++) {
    const [x, y] = points[i]!;
    d += `${i ? 'L' : 'M'}${num(x)},${num(y)}`;
  }
  return points.length === 1 ? `${d}Z` : d;
}

/**
 * A closed area: along the top (x, y1) left to right, back along the base
 * (x, y0) right to left, then "Z". No points give "".
 */
export function area(points: readonly (readonly [x: number, y0: number, y1: number])[]): string {
  if (!points.length) return '';
  let d = '';
  for (let i = 0; i < points.length; i++) {
    const [x, , y1] = points[i]!;
    d += `${i ? 'L' : 'M'}${num(x)},${num(y1)}`;
  }
  for (let i = points.length - 1; i >= 0; i--) {
    const [x, y0] = points[i]!;
    d += `L${num(x)},${num(y0)}`;
  }
  return `${d}Z`;
}

/**
 * Stacks `keys` of each datum bottom to top in the order given: one series per
 * key of [base, top] per datum. A NaN value leaves its band empty at the base
 * below it, and the next band starts there (d3's stackOffsetNone).
 */
export function stack<K extends string>(data: readonly Record<K, number>[], keys: readonly K[]): { key: K; values: [number, number][] }[] {
  let below: [number, number][] | null = null;
  return keys.map((key) => {
    const values = data.map((d, j): [number, number] => {
      const v = +d[key];
      if (!below) return [0, v];
      const [b0, b1] = below[j]!;
      const base = Number.isNaN(b1) ? b0 : b1;
      return [base, v + base];
    });
    below = values;
    return { key, values };
  });
}
