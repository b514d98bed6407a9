import { describe, expect, it } from 'vitest';
import { histogram } from './histogram.ts';

describe('histogram', () => {
  it('bins every value and counts what a format saturates or rounds to zero', () => {
    // Q(4, 2) signed: q in -8..7, values -2 .. 1.75 in steps of 0.25.
    const values = [-3, -2, -0.1, 0, 0.1, 0.2, 1.75, 1.9, 5];
    const h = histogram('x.weights', values, { bits: 4, frac: 2, signed: true }, null, 8);
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(values.length);
    expect(h.min).toBe(-3);
    expect(h.max).toBe(5);
    expect(h.bins[0].x0).toBe(-3);
    expect(h.bins[7].x1).toBe(5);
    expect(h.clippedLow).toBe(1); // -3
    expect(h.clippedHigh).toBe(2); // 1.9 rounds to 2.0 > 1.75, and 5
    expect(h.toZero).toBe(2); // -0.1 and 0.1; 0.2 rounds to 0.25
  });

  it('unsigned formats clip negative values (-0.5 rounds half up to 0)', () => {
    const h = histogram('a.output', [-0.6, -0.5, 0, 3], { bits: 2, frac: 0, signed: false });
    expect(h.clippedLow).toBe(1);
    expect(h.clippedHigh).toBe(0);
  });

  it('float (no format) clips nothing', () => {
    const h = histogram('a.output', [1, 2, 3], null, 4);
    expect(h.clippedLow + h.clippedHigh + h.toZero).toBe(0);
    expect(h.images).toBe(4);
  });
});
