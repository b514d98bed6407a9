// The engine evaluator on the real demo: scores match a plain engine run, prefix caches and
// early stops change nothing but the work done, and an impossible configuration is a rejected
// candidate rather than a crash.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { QuantConfig } from '../core/config.ts';
import { uniformConfig } from '../core/cost.ts';
import { nodeWorkspace } from '../cli/inputs.ts';
import { demoDataPath, demoModelPath } from '../cli/project.ts';
import { openDataset, openModel } from '../formats/index.ts';
import { readPathAsFiles } from '../formats/node-files.ts';
import type { Workspace } from '../app/workspace.ts';
import { EngineEvaluator } from './engine-evaluator.ts';
import { runSearch } from './run.ts';

let ws: Workspace;
let eight: QuantConfig;
let stats: import('../core/tensors.ts').ActivationStats;

beforeAll(async () => {
  ws = await nodeWorkspace();
  ws.setModel(await openModel(readPathAsFiles(demoModelPath())));
  const data = ws.setData(await openDataset(readPathAsFiles(demoDataPath())), {}, { search: 400, validation: 100 });
  eight = uniformConfig(ws.graph, data.stats, 8);
  stats = data.stats;
});

describe('EngineEvaluator', () => {
  it('gives the same counts with and without caches, and early stop only bounds them', async () => {
    const ev = ws.evaluators(100).search;
    const fast = await ev.evaluate(eight);
    // Change only the last layer's weights: the run may start from the cache at that node.
    const last = ws.graph.nodes.length - 1;
    const changed: QuantConfig = { nodes: eight.nodes.map((n, i) => (i === last ? { ...n, weights: { bits: 3, frac: 2, signed: true } } : n)) };
    const cached = await ev.evaluate(changed, { firstChangedNode: last });
    ev.optimised = false;
    expect(await ev.evaluate(eight)).toEqual(fast);
    const plain = await ev.evaluate(changed);
    expect(cached).toEqual(plain);
    ev.optimised = true;
    const stopped = await ev.evaluate(changed, { maxErrors: 2 });
    expect(stopped.stoppedEarly).toBe(plain.total - plain.correct > 2);
    expect(stopped.correct).toBeGreaterThanOrEqual(plain.correct);
  });

  it('scores a configuration the engine refuses (ConfigRangeError) as unusable instead of throwing', async () => {
    const ev = ws.evaluators(100).search;
    // Weights wider than 16 bits are outside DESIGN.md §4: the engine refuses them.
    const impossible: QuantConfig = { nodes: eight.nodes.map((n, i) => (i === 1 ? { ...n, weights: { bits: 20, frac: 18, signed: true } } : n)) };
    const r = await ev.evaluate(impossible);
    expect(r).toEqual({ correct: 0, agree: 0, gained: 0, total: 400, stoppedEarly: true });
    // The engine still holds a usable configuration afterwards.
    expect((await ev.evaluate(eight)).correct).toBeGreaterThan(380);
  });

  it('hard images first: the paper method takes the same steps with and without the shortcuts, for less work', async () => {
    const search = async (shortcuts: boolean) => {
      const ev = ws.evaluators(100).search;
      ev.optimised = shortcuts;
      const before = ws.engine.counters.macs.reduce((a, b) => a + b, 0);
      const r = await runSearch('paper', { graph: ws.graph, evaluator: ev, budget: 0.01, stats, seed: 0 });
      return { r, macs: ws.engine.counters.macs.reduce((a, b) => a + b, 0) - before };
    };
    const fast = await search(true);
    const plain = await search(false);
    expect(fast.r.chosen.config).toEqual(plain.r.chosen.config);
    expect(fast.r.chosen.correct).toBe(plain.r.chosen.correct);
    expect(fast.r.trace.map((t) => [t.tensor, t.format])).toEqual(plain.r.trace.map((t) => [t.tensor, t.format]));
    expect(fast.macs).toBeLessThan(plain.macs / 3);
    // Two whole searches, one without any shortcut: about 40 s on a loaded 2-core machine.
  }, 300_000);

  it('hard images first: complete scores, agreement and distortion equal those in the original order', async () => {
    const ev = ws.evaluators(100).search;
    const plain = await ev.evaluate(eight, { distortion: true });
    await ev.evaluate(eight, { maxErrors: 0 }); // the first early stop reorders the set
    const last = ws.graph.nodes.length - 1;
    const changed: QuantConfig = { nodes: eight.nodes.map((n, i) => (i === last ? { ...n, weights: { bits: 3, frac: 2, signed: true } } : n)) };
    expect(await ev.evaluate(eight, { distortion: true })).toEqual(plain);
    const reordered = await ev.evaluate(changed, { distortion: true, firstChangedNode: last });
    const original = ws.evaluators(100).search;
    expect(reordered).toEqual(await original.evaluate(changed, { distortion: true }));
  });

  it('a full score after a proxy score of the same configuration runs only the other images, with the same result', async () => {
    const last = ws.graph.nodes.length - 1;
    const at = (bits: number): QuantConfig => ({ nodes: eight.nodes.map((n, i) => (i === last ? { ...n, weights: { bits, frac: bits - 1, signed: true } } : n)) });
    const reusing = ws.evaluators(100).search;
    const imagesRun = () => ws.engine.counters.images[last];
    // A first reuse whose proxy alone is over the limit stops without running anything.
    const first = ws.evaluators(100).search;
    await first.evaluate(at(2), { subset: 'proxy', distortion: true });
    const runBefore = imagesRun();
    expect(await first.evaluate(at(2), { distortion: true, maxErrors: 0 })).toMatchObject({ stoppedEarly: true, total: 400 });
    expect(imagesRun()).toBe(runBefore);
    // Complete scores (with and without a limit), stopped ones, by labels and by the float answers.
    const cases = [
      [eight, { distortion: true }], [at(4), { distortion: true, maxErrors: 40 }], [at(2), { distortion: true, maxErrors: 3 }],
      [at(3), { target: 'float', maxErrors: 5 }], [at(3), { distortion: true }], [at(5), {}],
    ] as const;
    for (const [config, opts] of cases) {
      const fresh = ws.evaluators(100).search;
      await fresh.evaluate(eight, { maxErrors: 0 }); // ordered hard-first, as the reusing one will be
      const want = await fresh.evaluate(config, opts);
      await reusing.evaluate(config, { subset: 'proxy', distortion: true });
      const before = imagesRun();
      const got = await reusing.evaluate(config, opts);
      expect(got.stoppedEarly).toBe(want.stoppedEarly);
      if (!want.stoppedEarly) expect(got).toEqual(want);
      expect(imagesRun() - before).toBeLessThanOrEqual(400 - 100);
    }
    // Without a proxy score of that configuration, the whole set runs.
    const before = imagesRun();
    await reusing.evaluate(at(6), {});
    expect(imagesRun() - before).toBe(400);
  });

  it('with the float outputs the data came with, orders and measures exactly as from its own float pass, without that pass', async () => {
    const set = ws.data!.calibration;
    expect(set.floatLogits?.length).toBe(set.labels.length * 10);
    const withLogits = ws.evaluators(100).search;
    const { floatLogits: _, ...bare } = set;
    const own = new EngineEvaluator(ws.engine, bare, 100);
    const last = ws.graph.nodes.length - 1;
    const changed: QuantConfig = { nodes: eight.nodes.map((n, i) => (i === last ? { ...n, weights: { bits: 3, frac: 2, signed: true } } : n)) };
    const floatPasses = vi.spyOn(ws.engine, 'logits');
    const cases = [[eight, { distortion: true }], [changed, { distortion: true, maxErrors: 3 }], [changed, { distortion: true }], [eight, { subset: 'proxy', distortion: true }]] as const;
    let passes = 0;
    for (const [config, opts] of cases) {
      const a = await withLogits.evaluate(config, opts);
      expect(floatPasses).toHaveBeenCalledTimes(passes);
      const b = await own.evaluate(config, opts);
      passes = floatPasses.mock.calls.length;
      expect(a).toEqual(b);
    }
    // Its own: the full set's distortion, its hard-first order, the proxy's distortion.
    expect(passes).toBe(3);
    floatPasses.mockRestore();
  });
});
