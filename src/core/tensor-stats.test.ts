// Statistics of float32 values (engine activations) read log2 magnitudes from the exponent bits:
// they must equal the general path's Math.log2 binning value for value, edge cases included.
import { describe, expect, it } from 'vitest';
import { accumulateStats } from './tensor-stats.ts';

function edgeValues(): number[] {
  const out = [1, 0, -0, Number.NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-39, 3.4e38];
  for (let e = -40; e <= 40; e++) {
    const p = 2 ** e;
    out.push(p, -p, Math.fround(p * (1 - 2 ** -24)), Math.fround(p * (1 + 2 ** -23)));
  }
  return out;
}

describe('accumulateStats', () => {
  it('bins float32 values exactly as Math.log2 does, and keeps range, zeros and count', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const values = [...edgeValues(), ...Array.from({ length: 20000 }, () => (rand() - 0.5) * 2 ** (rand() * 80 - 40))];
    const f32 = Float32Array.from(values);
    const fast = accumulateStats(f32.subarray(1)); // an offset view, as the engine's batches are
    const general = accumulateStats(Array.from(f32.subarray(1)));
    expect(fast).toEqual(general);
    expect(fast.zeros).toBeGreaterThan(0);
    expect(fast.log2Histogram[0]).toBeGreaterThan(0);
    expect(fast.log2Histogram[fast.log2Histogram.length - 1]).toBeGreaterThan(0);
  });

  it('adds batches up to the statistics of the whole', () => {
    const f32 = Float32Array.from({ length: 999 }, (_, i) => Math.sin(i) * 2 ** ((i % 30) - 15));
    const whole = accumulateStats(f32);
    const parts = accumulateStats(f32.subarray(500), accumulateStats(f32.subarray(0, 500)));
    expect(parts).toEqual(whole);
  });
});
