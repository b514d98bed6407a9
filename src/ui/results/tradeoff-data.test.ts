import { describe, expect, it } from 'vitest';
import type { ScoredPoint } from '../../worker/contract.ts';
import { axesFor, logTicks, lossTicks, nonDominated } from './tradeoff-data.ts';

const pt = (id: number, memory_kb: number, loss: number, mult = memory_kb * 10): ScoredPoint => ({
  id, memory_kb, calibration_loss: loss, loss_bound: loss, weights_kb: 0, peak_activation_kb: 0, mult_cost: mult, mult_cost_paper: mult, objective: 0,
});

describe('trade-off chart data', () => {
  it('keeps only non-dominated points: cost up, loss strictly down (no zigzag)', () => {
    // The zigzag of issue 13: 19 KB at 1.6% drawn beside 18.4 KB at 0.81%.
    const points = [pt(1, 19, 0.016), pt(2, 18.4, 0.0081), pt(3, 30, 0.002), pt(4, 25, 0.009), pt(5, 12, 0.05), pt(6, 30, 0.001)];
    const f = nonDominated(points, 'memory_kb');
    expect(f.map((p) => p.id)).toEqual([5, 2, 6]);
    for (let i = 1; i < f.length; i++) {
      expect(f[i].memory_kb).toBeGreaterThan(f[i - 1].memory_kb);
      expect(f[i].calibration_loss).toBeLessThan(f[i - 1].calibration_loss);
    }
  });

  it('is computed per measure', () => {
    const points = [pt(1, 10, 0.01, 500), pt(2, 20, 0.005, 100)];
    expect(nonDominated(points, 'memory_kb').map((p) => p.id)).toEqual([1, 2]);
    expect(nonDominated(points, 'mult_cost').map((p) => p.id)).toEqual([2]);
  });

  it('axes always hold float, 8-bit, the budget and an over-budget pick', () => {
    const points = [pt(1, 10, 0.004), pt(2, 12, 0.5)];
    const float = { cost: 240, loss: 0 };
    const base8 = { cost: 60, loss: 0.001 };
    const naivePick = { cost: 9, loss: 0.2 };
    const a = axesFor(points, 'memory_kb', 0.01, [float, base8, naivePick]);
    expect(a.x[0]).toBeLessThan(9);
    expect(a.x[1]).toBeGreaterThan(240);
    expect(a.y[1]).toBeGreaterThan(20);
    expect(a.hiddenAbove).toBe(1);
    const b = axesFor(points, 'memory_kb', 0.03, [float, base8]);
    expect(b.y[1]).toBeCloseTo(8); // 7.5% rounded up to a round top
  });

  it('ticks are round numbers', () => {
    expect(lossTicks(2.5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(lossTicks(25)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(lossTicks(8)).toEqual([0, 2, 4, 6, 8]);
    expect(lossTicks(6)).toEqual([0, 2, 4, 6]);
    expect(logTicks(14, 300)).toEqual([20, 50, 100, 200]);
    expect(logTicks(1.5e6, 5e8)).toEqual([2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 5e8]);
  });
});
