import { describe, expect, it } from 'vitest';
import { linear, ticks } from '../../../src/charts/scale';
import { timeTicks } from '../../../src/charts/time-axis';

describe('ticks, as d3-array computes them', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    expect(ticks(0, 300, 10)).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220, 240, 260, 280, 300]);
    expect(ticks(0, 300, 4)).toEqual([0, 100, 200, 300]);
    expect(ticks(0, 300, 3)).toEqual([0, 100, 200, 300]);
    expect(ticks(0, 1023, 4)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(ticks(0, 1023, 10)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(ticks(0, 63000, 3)).toEqual([0, 20000, 40000, 60000]);
    expect(ticks(0, 63000, 4)).toEqual([0, 20000, 40000, 60000]);
    expect(ticks(0, 63000, 10)).toEqual([0, 5000, 10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000, 55000, 60000]);
    expect(ticks(25, 325, 6)).toEqual([50, 100, 150, 200, 250, 300]);
  });

  it('divides rather than multiplies below 1, so the values print short', () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0.1, 0.7, 3)).toEqual([0.2, 0.4, 0.6]);
    expect(ticks(0, 0.003, 3)).toEqual([0, 0.001, 0.002, 0.003]);
  });

  it('keeps a reversed domain reversed', () => {
    expect(ticks(300, 0, 4)).toEqual([300, 200, 100, 0]);
    expect(ticks(1, 0, 5)).toEqual([1, 0.8, 0.6, 0.4, 0.2, 0]);
  });

  it('handles the edges: one value, no count, a count too small for any round value', () => {
    expect(ticks(12.5, 12.5, 4)).toEqual([12.5]);
    expect(ticks(0, 300, 0)).toEqual([]);
    expect(ticks(0.1, 0.9, 1)).toEqual([0.5]);
  });
});

describe('the linear scale', () => {
  const y = linear([0, 300], [180, 0]);

  it('maps and inverts', () => {
    expect([0, 150, 300].map(y)).toEqual([180, 90, 0]);
    // Interpolated as d3 does, 180 * (1 - t) + 0 * t, float error and all.
    expect([100, 330].map(y)).toEqual([120.00000000000001, -18.000000000000014]);
    expect([180, 90, 0].map((v) => y.invert(v))).toEqual([0, 150, 300]);
    expect(linear([10, 20], [0, 100]).invert(25)).toBe(12.5);
    expect(y.domain()).toEqual([0, 300]);
    expect(y.range()).toEqual([180, 0]);
  });

  it('ticks over its domain, 10 by default', () => {
    expect(y.ticks(4)).toEqual([0, 100, 200, 300]);
    expect(y.ticks()).toEqual(ticks(0, 300, 10));
    expect(linear([1023, 0], [0, 1]).ticks(4)).toEqual([1000, 800, 600, 400, 200, 0]);
  });

  it('maps a reversed domain the same way round', () => {
    const r = linear([300, 0], [0, 180]);
    expect([0, 150, 300].map(r)).toEqual([180, 90, 0]);
    expect(r.invert(90)).toBe(150);
  });

  it('clamps when asked, both ways', () => {
    const c = linear([0, 100], [0, 50], true);
    expect([-10, 40, 150].map(c)).toEqual([0, 20, 50]);
    expect([-5, 60].map((v) => c.invert(v))).toEqual([0, 100]);
  });

  it('puts a one-value domain in the middle, and gives nothing for NaN, as d3 does', () => {
    expect(linear([5, 5], [0, 100])(5)).toBe(50);
    expect(linear([0, 1], [0, 100])(NaN)).toBeUndefined();
  });
});

describe('the time axis ticks', () => {
  it('about one per 90 px, whole seconds only', () => {
    expect(timeTicks(linear([199, 499], [0, 592]), 592)).toEqual([200, 250, 300, 350, 400, 450]);
    expect(timeTicks(linear([0, 2], [0, 592]), 592)).toEqual([0, 1, 2]);
  });
});
