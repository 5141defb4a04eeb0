import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spreadLabels } from '../../../src/charts/labels';

describe('spreadLabels', () => {
  it('leaves labels that are far enough apart where they are', () => {
    expect(spreadLabels([10, 40, 25], 12)).toEqual([10, 40, 25]);
  });

  it('spreads the watermark labels of the close-up (min, low, high about 6 px apart) 12 px apart around low', () => {
    // y grows downwards: high is drawn above low, low above min.
    expect(spreadLabels([51, 44.5, 38], 12)).toEqual([56.5, 44.5, 32.5]);
  });

  it('moves a crowded pair apart symmetrically and leaves a distant label alone', () => {
    expect(spreadLabels([20, 24, 80], 10)).toEqual([17, 27, 80]);
  });

  it('keeps the order, keeps every gap at least minGap, and keeps the labels centred where they wanted to be', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -500, max: 500, noNaN: true }), { minLength: 1, maxLength: 12 }), fc.double({ min: 1, max: 40, noNaN: true }), (ys, gap) => {
        const out = spreadLabels(ys, gap);
        const order = ys.map((_, i) => i).sort((a, b) => ys[a]! - ys[b]! || a - b);
        for (let k = 1; k < order.length; k++) expect(out[order[k]!]! - out[order[k - 1]!]!).toBeGreaterThanOrEqual(gap - 1e-6);
        const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
        expect(mean(out)).toBeCloseTo(mean(ys), 6);
      }),
    );
  });
});
