import { beforeAll, describe, expect, it } from 'vitest';
import { configKey } from '../core/tensors.ts';
import { heldOutScores } from './evaluator.ts';
import type { SearchResult } from './run.ts';
import { pickForBudget, runSearch } from './run.ts';
import type { Progress } from './scorer.ts';
import type { EngineEvaluator } from './engine-evaluator.ts';
import type { EvalOptions } from './evaluator.ts';
import { fixture } from '../testing/search-fixture.ts';

const B = 0.02;
// 400 search images (362 right in float): two standard errors (the default) would eat most of
// a 2% budget at any disagreement, so the tests pick with one.
const Z = 1;

describe('frontier method', () => {
  const f = fixture();
  let res: SearchResult;
  let paper: SearchResult;
  let ev: EngineEvaluator;
  const calls: { opts: EvalOptions; stoppedEarly: boolean }[] = [];
  /** Engine work during the frontier search: images restored from caches, run through the first and the last node. */
  let work = { restores: 0, first: 0, last: 0 };
  const progress: Progress[] = [];
  beforeAll(async () => {
    ev = f.search();
    const evaluate = ev.evaluate.bind(ev);
    ev.evaluate = async (config, opts = {}) => {
      const r = await evaluate(config, opts);
      calls.push({ opts, stoppedEarly: r.stoppedEarly });
      return r;
    };
    const c = f.engine.counters;
    const before = { restores: c.cacheRestores, first: c.images[1], last: c.images[f.graph.output] };
    res = await runSearch('frontier', { graph: f.graph, evaluator: ev, budget: B, stats: f.stats, seed: 3, confidence: Z, onProgress: (p) => progress.push(p) });
    work = { restores: c.cacheRestores - before.restores, first: c.images[1] - before.first, last: c.images[f.graph.output] - before.last };
    paper = await runSearch('paper', { graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats });
  });

  it('picks a configuration within the budget, with margin for the estimate', () => {
    expect(res.chosen.calibration_loss).toBeLessThanOrEqual(B);
    const rec = res.records.find((r) => r.subset === 'full' && r.exact && configKey(r.config) === configKey(res.chosen.config))!;
    expect(rec.loss_bound).toBeLessThanOrEqual(B);
    expect(rec.loss_bound).toBeCloseTo(rec.loss + Z * Math.sqrt(rec.total - rec.agree) / ev.floatCorrect, 12);
  });

  it('records a monotone frontier; the slider picks from it and the run budget gives the chosen point', () => {
    const fr = res.frontier;
    expect(fr.length).toBeGreaterThan(5);
    for (let i = 1; i < fr.length; i++) {
      expect(fr[i].loss_bound).toBeGreaterThanOrEqual(fr[i - 1].loss_bound);
      expect(fr[i].objective).toBeLessThan(fr[i - 1].objective);
    }
    for (const p of fr) expect(p.calibration_loss).toBeLessThanOrEqual(p.loss_bound);
    expect(fr.at(-1)!.loss_bound).toBeGreaterThan(B); // the walk went past the run's budget
    expect(configKey(pickForBudget(fr, B)!.config)).toBe(configKey(res.chosen.config));
    let last = Infinity;
    for (const b of [0, 0.005, 0.01, 0.02, 0.05]) {
      const p = pickForBudget(fr, b);
      if (!p) continue;
      expect(p.loss_bound).toBeLessThanOrEqual(b);
      expect(p.objective).toBeLessThanOrEqual(last);
      last = p.objective;
    }
    expect(pickForBudget(fr, 0.05)!.objective).toBeLessThan(pickForBudget(fr, 0.005)!.objective);
  });

  it('dominates paper: cheaper on memory and both multiplication costs, no worse on held-out images', async () => {
    const q = res.chosen.cost, p = paper.chosen.cost;
    expect(q.memory_kb).toBeLessThanOrEqual(p.memory_kb);
    expect(q.mult_cost_paper).toBeLessThanOrEqual(p.mult_cost_paper);
    expect(q.mult_cost).toBeLessThanOrEqual(p.mult_cost);
    const [hq, hp] = await heldOutScores(f.heldOut(), [res.chosen.config, paper.chosen.config]);
    expect(hq.loss).toBeLessThanOrEqual(hp.loss);
  });

  it('uses unsigned formats for non-negative activations', () => {
    expect(res.chosen.config.nodes[1].output?.signed).toBe(false); // conv1 relu
    expect(res.chosen.config.nodes[0].output?.signed).toBe(false); // pixels 0..1
    expect(res.chosen.config.nodes[6].output?.signed).toBe(true); // logits
  });

  it('records every evaluation, ranks on the proxy, stops early and starts from cached prefixes', () => {
    expect(res.records).toHaveLength(res.evaluations);
    expect(calls).toHaveLength(res.evaluations);
    const proxy = res.records.filter((r) => r.subset === 'proxy').length;
    expect(proxy).toBeGreaterThan(res.evaluations / 2);
    expect(calls.some((c) => c.stoppedEarly)).toBe(true);
    // Many evaluations start from a cached prefix: fewer images pass the first layer than the last.
    expect(work.restores).toBeGreaterThan(0);
    expect(work.first).toBeLessThan(work.last * 0.75);
  });

  it('reports progress with phases, tensors, fractions and the best point so far', () => {
    expect(progress.length).toBeGreaterThanOrEqual(res.evaluations);
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['baseline', 'safe', 'descend', 'greedy', 'polish', 'done']));
    for (const p of progress) expect(p.fraction).toBeGreaterThanOrEqual(0);
    for (const p of progress) expect(p.fraction).toBeLessThanOrEqual(1);
    expect(progress.at(-1)!.fraction).toBe(1);
    expect(progress.some((p) => p.tensor === 'fc1.weights' && p.nodeName === 'fc1')).toBe(true);
    expect(progress.at(-1)!.best!.objective).toBeCloseTo(res.frontier.find((x) => configKey(x.config) === configKey(res.chosen.config))!.objective, 12);
    expect(progress.some((p) => p.etaSeconds !== null)).toBe(true);
  });

  it('is deterministic for a seed', async () => {
    const again = await runSearch('frontier', { graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats, seed: 3, confidence: Z });
    expect(configKey(again.chosen.config)).toBe(configKey(res.chosen.config));
    expect(again.evaluations).toBe(res.evaluations);
    expect(again.frontier.map((p) => p.objective)).toEqual(res.frontier.map((p) => p.objective));
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    let after = 0;
    const run = runSearch('frontier', {
      graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats, signal: ac.signal,
      onProgress: (p) => {
        if (ac.signal.aborted) after++;
        else if (p.evaluations >= 20) ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(after).toBe(0);
  });
});

describe('frontier method with a fused BatchNormalization epilogue', () => {
  it('searches the scale and shift like weights and biases and stays within budget', async () => {
    const f = fixture({ epilogue: true });
    const r = await runSearch('frontier', {
      graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats, confidence: Z, frontier: { maxBudget: B },
    });
    const conv2 = r.chosen.config.nodes[3];
    expect(conv2.scale!.bits).toBeLessThan(16);
    expect(conv2.shift!.bits).toBeLessThan(32);
    expect(conv2.output!.signed).toBe(true); // the shift can push values below zero
    expect(r.chosen.calibration_loss).toBeLessThanOrEqual(B);
    expect(r.chosen.cost.affine_mults).toBe(4 * 4 * 12);
    expect(r.chosen.cost.memory_kb).toBeLessThan(r.baseline8.cost.memory_kb);
  });
});
