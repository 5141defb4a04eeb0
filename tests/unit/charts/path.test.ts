import { describe, expect, it } from 'vitest';
import { linePath, stackedAreas } from '../../../src/charts/area';
import { area, line, stack } from '../../../src/charts/path';
import { linear } from '../../../src/charts/scale';

// Three samples, stacked a under b: a is [0,1] [0,2] [0,0.5], b is [1,3] [2,3] [0.5,0.75].
const samples = [
  { t: 0, a: 1, b: 2 },
  { t: 1, a: 2, b: 1 },
  { t: 2, a: 0.5, b: 0.25 },
];
// x: t * 50; y: 80 - 20 v.
const scales = { x: linear([0, 2], [0, 100]), y: linear([0, 4], [80, 0]) };

describe('stacking', () => {
  it('puts each key on the one before it', () => {
    expect(stack(samples, ['a', 'b'])).toEqual([
      { key: 'a', values: [[0, 1], [0, 2], [0, 0.5]] },
      { key: 'b', values: [[1, 3], [2, 3], [0.5, 0.75]] },
    ]);
  });

  it('starts the next band at the base of a NaN one', () => {
    const s = stack([{ a: 1, b: 2, c: 1 }, { a: 1, b: NaN, c: 1 }], ['a', 'b', 'c']);
    expect(s[1]!.values[1]).toEqual([1, NaN]);
    expect(s[2]!.values).toEqual([[3, 4], [1, 2]]);
  });
});

describe('path strings, as d3-shape writes them', () => {
  it('draws each stacked band along its top, back along its base, closed', () => {
    expect(stackedAreas(samples, ['a', 'b'], scales)).toEqual([
      { key: 'a', d: 'M0,60L50,40L100,70L100,80L50,80L0,80Z' },
      { key: 'b', d: 'M0,20L50,20L100,65L100,70L50,40L0,60Z' },
    ]);
  });

  it('draws nothing for a single sample', () => {
    expect(stackedAreas(samples.slice(0, 1), ['a', 'b'], scales)).toEqual([
      { key: 'a', d: '' },
      { key: 'b', d: '' },
    ]);
  });

  it('draws a line through the points', () => {
    expect(linePath(samples.map((s) => ({ t: s.t, v: s.a + s.b })), scales)).toBe('M0,20L50,20L100,65');
    expect(linePath(samples.slice(0, 1).map((s) => ({ t: s.t, v: s.a })), scales)).toBe('');
  });

  it('rounds coordinates to 3 decimals', () => {
    expect(line([[100 / 3, 200 / 3], [-0.0004, 1e-7], [2.0005, 1e21]])).toBe('M33.333,66.667L0,0L2.001,1e+21');
    expect(area([[1 / 3, 0, 2 / 3]])).toBe('M0.333,0.667L0.333,0Z');
  });

  it('closes a single point, and gives "" for none', () => {
    expect(line([[1, 2]])).toBe('M1,2Z');
    expect(line([])).toBe('');
    expect(area([[1, 2, 3]])).toBe('M1,3L1,2Z');
    expect(area([])).toBe('');
  });
});
