import { describe, expect, it } from 'vitest';
import type { ScoredPoint } from '../../worker/contract.ts';
import type { ChartMarkers } from './TradeoffChart.tsx';
import { tradeoffText } from './tradeoff-text.ts';

const point = (id: number, memory_kb: number, calibration_loss: number): ScoredPoint => ({
  id, memory_kb, calibration_loss, loss_bound: calibration_loss, objective: 0, weights_kb: 0, peak_activation_kb: 0, mult_cost: 1e6 * memory_kb, mult_cost_paper: 1e6 * memory_kb,
});
const costs = (memory_kb: number) => ({ memory_kb, weights_kb: 0, peak_activation_kb: 0, mult_cost: 1e6 * memory_kb, mult_cost_paper: 1e6 * memory_kb });

describe('tradeoffText', () => {
  const points = [point(0, 66.6, 0), point(1, 30, 0.002), point(2, 31, 0.004), point(3, 18.4, 0.0081)];
  const markers: ChartMarkers = {
    float: { cost: 0, loss: 0, costs: costs(266.5), validation_loss: 0 },
    baseline8: { cost: 0, loss: 0, costs: costs(66.6) },
    chosen: { cost: 0, loss: 0.0081, costs: costs(18.4), validation_loss: 0.005 },
  };

  it('says where the frontier runs and where the marked points are', () => {
    const t = tradeoffText('memory_kb', points, 0.01, markers);
    expect(t.summary).toBe('Loss on the search images against memory (KB). 4 configurations scored; the frontier of 3 runs from 18.4 KB at 0.81% loss ' +
      'to 66.6 KB at 0.00% loss. Uniform 8-bit: 66.6 KB at 0.00% loss; float: 266.5 KB. Budget 1.0%. Chosen: 18.4 KB at 0.81% loss, 0.50% on held-out images.');
    // The dominated point (31 KB at 0.4%) is not in the table.
    expect(t.rows.map((r) => r[0])).toEqual(['float', 'uniform 8-bit', 'chosen', 'frontier', 'frontier', 'frontier']);
    expect(t.rows[4]).toEqual(['frontier', '30.0 KB', '0.20%']);
  });

  it('writes multiplication costs in M and G', () => {
    expect(tradeoffText('mult_cost', points, 0.01, { ...markers, chosen: null }).summary).toContain('from 18.40 M at 0.81% loss to 66.60 M');
  });
});
