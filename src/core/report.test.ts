import { describe, expect, it } from 'vitest';
import { floatConfig } from './config.ts';
import type { Graph } from './graph.ts';
import type { ReportSource } from './report.ts';
import { buildReport, layerCsvRows, layerJson } from './report.ts';
import { baselineConfig, configCost } from './cost.ts';

const f32 = (...v: number[]) => Float32Array.from(v);

// input 2×2×1 → conv 1×1 (+epilogue) → maxPool → flatten → dense 3 (no bias); a hostile name.
const graph: Graph = {
  name: 'mini', output: 4, notes: ['dropped the final softmax'],
  nodes: [
    { kind: 'input', name: 'in', inputs: [], shape: [2, 2, 1] },
    {
      kind: 'conv2d', name: '=HYPERLINK("x"),a', inputs: [0], shape: [2, 2, 2], kernel: f32(0.5, -1), kernelShape: [1, 1, 1, 2],
      strides: [1, 1], dilation: [1, 1], pads: [0, 0, 0, 0], bias: f32(0.1, 0.2), activation: { type: 'relu' },
      epilogue: { scale: f32(2, 1), shift: f32(0, 0.5) },
    },
    { kind: 'maxPool', name: 'pool', inputs: [1], shape: [1, 1, 2], pool: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] },
    { kind: 'reshape', name: 'flat', inputs: [2], shape: [1, 1, 2] },
    {
      kind: 'dense', name: 'fc', inputs: [3], shape: [1, 1, 3], kernel: f32(1, 2, 3, 4, 5, 6), kernelShape: [2, 3],
      bias: null, activation: { type: 'linear' }, epilogue: null,
    },
  ],
};
const stats = [{ maxAbs: 1, min: 0 }, { maxAbs: 3 }, null, null, { maxAbs: 20 }];

function source(): ReportSource {
  const base = baselineConfig(graph, stats);
  const chosen = floatConfig(5);
  chosen.nodes[0] = { output: { bits: 6, frac: 6, signed: false } };
  chosen.nodes[1] = { ...base.nodes[1], weights: { bits: 4, frac: 3, signed: true } };
  chosen.nodes[4] = { weights: { bits: 5, frac: 2, signed: true }, output: null };
  return {
    method: 'frontier', budget: 0.01, seed: 4, evaluations: 123, seconds: 9.5,
    chosen: { config: chosen, correct: 970, total: 1000, calibration_loss: (980 - 970) / 980 },
    baseline8: { config: base, correct: 978, total: 1000, calibration_loss: 2 / 980 },
    float: { correct: 980, total: 1000 },
    frontier: [
      { calibration_loss: 0, loss_bound: 0, memory_kb: 1, weights_kb: 0.5, peak_activation_kb: 0.2, mult_cost: 10, mult_cost_paper: 12 },
      { calibration_loss: 0.01, loss_bound: 0.012, memory_kb: 0.5, weights_kb: 0.2, peak_activation_kb: 0.1, mult_cost: 5, mult_cost_paper: 6 },
    ],
  };
}

describe('report.json (DESIGN.md §8)', () => {
  it('holds every normative field with the right values', () => {
    const r = buildReport({
      graph, result: source(), data: { calibration: 1000, validation: 500, labels: 'given' },
      validation: { float: 0.98, quantized: 0.96, baseline8: 0.978, frontier: [0.98, null] },
    });
    expect(r.model).toEqual({ name: 'mini', nodes: 5, params: 2 + 2 + 4 + 6, macs: 8 + 6 });
    expect(r.data).toEqual({ calibration: 1000, validation: 500, labels: 'given' });
    expect([r.method, r.budget, r.seed, r.evaluations, r.seconds]).toEqual(['frontier', 0.01, 4, 123, 9.5]);
    expect(r.float.calibration_acc).toBe(0.98);
    expect(r.float.validation_acc).toBe(0.98);
    expect(r.quantized.calibration_acc).toBe(0.97);
    expect(r.quantized.validation_acc).toBe(0.96);
    expect(r.quantized.validation_loss).toBeCloseTo(0.02 / 0.98, 12);
    const cost = configCost(graph, source().chosen.config);
    for (const k of ['memory_kb', 'weights_kb', 'peak_activation_kb', 'mult_cost', 'mult_cost_paper'] as const) {
      expect(r.quantized[k]).toBe(cost[k]);
    }
    expect(Object.keys(r.baseline8).sort()).toEqual(Object.keys(r.quantized).sort());
    expect(r.baseline8.memory_kb).toBeCloseTo((14 + 8 + 3) / 1024, 12);
    expect(r.reductions.memory).toBeCloseTo(1 - r.quantized.memory_kb / r.baseline8.memory_kb, 12);
    expect(r.input).toEqual({ bits: 6, frac: 6, signed: false });
    expect(r.layers.map((l) => [l.name, l.kind, l.macs, l.params])).toEqual([
      ['=HYPERLINK("x"),a', 'conv2d', 8, 8], ['pool', 'maxPool', 0, 0], ['flat', 'reshape', 0, 0], ['fc', 'dense', 6, 6],
    ]);
    expect(r.layers[0].weights).toEqual({ bits: 4, frac: 3, signed: true });
    expect(r.layers[0].scale).toEqual({ bits: 8, frac: 6, signed: true });
    expect(r.layers[1].output).toEqual(r.layers[0].output); // the pool keeps the conv's format
    expect(r.layers[3].bias).toBeNull();
    expect(r.layers[3].output).toBeNull(); // float
    expect(r.frontier).toHaveLength(2);
    expect(r.frontier[0]).toMatchObject({ calibration_loss: 0, memory_kb: 1, mult_cost: 10, validation_loss: 0 });
    expect(r.frontier[1]).not.toHaveProperty('validation_loss');
    expect(r.notes).toEqual(['dropped the final softmax']);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('layer table rows: formats as text, blank where a tensor does not exist', () => {
    const rows = layerCsvRows(layerJson(graph, source().chosen.config), graph);
    expect(rows[0]).toMatchObject({ kind: 'conv2d', shape: '2x2x2', weights: 'Q(4,3)', scale: 'Q(8,6)', output: 'Q(8,5)' });
    expect(rows[3]).toMatchObject({ weights: 'Q(5,2)', bias: '', scale: '', output: 'float' });
    expect(rows[0].name).toBe('=HYPERLINK("x"),a');
    expect(rows).toHaveLength(4);
  });
});
