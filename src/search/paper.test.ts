import { beforeAll, describe, expect, it } from 'vitest';
import { quantTensors } from '../core/tensors.ts';
import { paperSchedule } from './paper.ts';
import type { SearchResult } from './run.ts';
import { runSearch } from './run.ts';
import { fixture } from '../testing/search-fixture.ts';

const B = 0.02;

describe('paper method (faithful)', () => {
  const f = fixture();
  const tensors = quantTensors(f.graph, f.stats);
  let paper: SearchResult;
  let naive: SearchResult;
  beforeAll(async () => {
    paper = await runSearch('paper', { graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats });
    naive = await runSearch('naive', { graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats });
  });

  it('orders weights first to last, then biases, then activations, with the budget schedule', () => {
    const s = paperSchedule({ graph: f.graph, tensors }, B);
    expect(s.map((x) => `${x.phase}:${x.tensor.name}`)).toEqual([
      'weights:conv1.weights', 'weights:conv2.weights', 'weights:fc1.weights', 'weights:logits.weights',
      'biases:conv1.bias', 'biases:conv2.bias', 'biases:fc1.bias', 'biases:logits.bias',
      'activations:input', 'activations:conv1.output', 'activations:conv2.output', 'activations:fc1.output', 'activations:logits.output',
    ]);
    const L = 4;
    expect(s.map((x) => x.budget)).toEqual([
      ...[1, 2, 3, 4].map((i) => (B / 2) * (i / L)),
      ...[1, 2, 3, 4].map(() => B / 2),
      ...[0, 1, 2, 3, 4].map((i) => B / 2 + (B / 2) * (i / L)),
    ]);
    expect(s.map((x) => x.startBits)).toEqual([12, 12, 12, 12, 8, 8, 8, 8, 8, 12, 12, 12, 12]);
  });

  it('epilogue scale and shift are searched with the weights and the biases', () => {
    const g = fixture({ epilogue: true });
    const s = paperSchedule({ graph: g.graph, tensors: quantTensors(g.graph, g.stats) }, B);
    const names = s.map((x) => `${x.phase}:${x.tensor.name}`);
    expect(names.indexOf('weights:conv2.scale')).toBe(names.indexOf('weights:conv2.weights') + 1);
    expect(names).toContain('biases:conv2.shift');
    const scale = s.find((x) => x.tensor.name === 'conv2.scale')!;
    expect(scale.budget).toBe((B / 2) * (2 / 4));
  });

  it('keeps the loss after every step within its scheduled budget, and the result within B', () => {
    const steps = paper.trace;
    expect(steps).toHaveLength(13);
    for (const st of steps) {
      expect(st.exact, st.tensor).toBe(true);
      expect(st.loss, st.tensor).toBeLessThanOrEqual(st.budget + 1e-12);
    }
    const lastOf = (phase: string) => steps.filter((x) => x.phase === phase).at(-1)!;
    expect(lastOf('weights').loss).toBeLessThanOrEqual(B / 2);
    expect(lastOf('biases').loss).toBeLessThanOrEqual(B / 2);
    expect(paper.chosen.calibration_loss).toBe(steps.at(-1)!.loss);
    expect(paper.chosen.calibration_loss).toBeLessThanOrEqual(B);
  });

  it('quantizes every tensor, signed, and saves against 8-bit', () => {
    for (const t of tensors) {
      const fmt = paper.chosen.config.nodes[t.node][t.slot];
      expect(fmt, t.name).toBeTruthy();
      expect(fmt!.signed).toBe(true);
      expect(fmt!.bits).toBeGreaterThanOrEqual(1);
    }
    expect(paper.chosen.cost.memory_kb).toBeLessThan(paper.baseline8.cost.memory_kb);
    expect(paper.chosen.cost.mult_cost_paper).toBeLessThan(paper.baseline8.cost.mult_cost_paper);
  });

  it('records every evaluation with its costs and uses early stops and cached prefixes', () => {
    expect(paper.records).toHaveLength(paper.evaluations);
    expect(paper.evaluations).toBeGreaterThan(13 * 5);
    for (const r of paper.records) expect(r.memory_kb).toBeGreaterThan(0);
    expect(paper.records.some((r) => !r.exact)).toBe(true);
  });

  it('naive: each tensor within B alone, combined afterwards — and the combination breaks the budget', () => {
    const alone = naive.trace.filter((x) => x.phase === 'alone');
    expect(alone).toHaveLength(13);
    for (const st of alone) expect(st.loss, st.tensor).toBeLessThanOrEqual(B + 1e-12);
    for (const st of alone) {
      const t = tensors.find((x) => x.name === st.tensor)!;
      expect(naive.chosen.config.nodes[t.node][t.slot]).toEqual(st.format);
    }
    expect(naive.trace.at(-1)!.phase).toBe('combined');
    expect(naive.chosen.calibration_loss).toBe(naive.trace.at(-1)!.loss);
    expect(naive.chosen.calibration_loss).toBeGreaterThan(B);
  });

  it('uniform: every tensor at N bits; 8 bits is the baseline', async () => {
    const u = await runSearch('uniform', { graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats, bits: 6 });
    for (const t of tensors) expect(u.chosen.config.nodes[t.node][t.slot]?.bits).toBe(6);
    const u8 = await runSearch('uniform', { graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats });
    expect(u8.chosen.config).toEqual(u8.baseline8.config);
    expect(u8.evaluations).toBe(1);
  });
});
