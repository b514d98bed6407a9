// The worker-thread pool on the real demo: two threads, each its own engine and half the
// images, score a configuration exactly as the workspace's one engine does over all of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuantConfig } from '../core/config.ts';
import { uniformConfig } from '../core/cost.ts';
import { openDataset, openModel } from '../formats/index.ts';
import { readPathAsFiles } from '../formats/node-files.ts';
import type { PoolEvaluator } from '../search/pool-evaluator.ts';
import { poolScoring, type Workspace } from '../app/workspace.ts';
import { nodeWorkspace } from './inputs.ts';
import { workerPool } from './pool.ts';
import { demoDataPath, demoModelPath } from './project.ts';

let ws: Workspace;
let pool: PoolEvaluator;
let five: QuantConfig;
let three: QuantConfig;

beforeAll(async () => {
  ws = await nodeWorkspace();
  ws.setModel(await openModel(readPathAsFiles(demoModelPath())));
  const data = ws.setData(await openDataset(readPathAsFiles(demoDataPath())), {}, { search: 300, validation: 50 });
  five = uniformConfig(ws.graph, data.stats, 5);
  three = uniformConfig(ws.graph, data.stats, 3);
  pool = await workerPool(ws.graph, data.calibration, 100, 2, { confirmation: data.confirmation, validation: data.validation });
});

afterAll(() => pool?.close());

describe('workerPool', () => {
  it('scores like one engine over all the images, full set and proxy', async () => {
    const one = ws.evaluators(100).search;
    for (const subset of ['full', 'proxy'] as const) {
      const a = await pool.evaluate(five, { subset, distortion: true });
      const b = await one.evaluate(five, { subset, distortion: true });
      expect(a).toMatchObject({ correct: b.correct, agree: b.agree, total: b.total });
      expect(a.distortion).toBeCloseTo(b.distortion!, 9);
      expect(b.total - b.correct).toBeGreaterThan(0);
    }
  });

  it('stops early on the errors of all shards together, only when the whole set is over the limit', async () => {
    const one = ws.evaluators(100).search;
    const exact = await one.evaluate(three);
    const wrong = exact.total - exact.correct;
    // Over the limit: the shards share their count, so together they stop about where one
    // engine would, and what they saw is over the limit.
    const stopped = await pool.evaluate(three, { maxErrors: 3 });
    expect(stopped.stoppedEarly).toBe(true);
    expect(stopped.total - stopped.correct).toBeGreaterThan(3);
    expect(stopped.total - stopped.correct).toBeLessThan(wrong);
    // Just within the limit: every image scored, the exact count.
    expect(await pool.evaluate(three, { maxErrors: wrong })).toMatchObject({ stoppedEarly: false, correct: exact.correct });
  });

  it('an engine stops on wrong answers other engines counted in the shared counter', () => {
    const { images, labels } = ws.data!.calibration;
    const shared = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(shared, 0, 3); // the other shards already saw 3 wrong answers
    ws.engine.setConfig(three);
    const r = ws.engine.run(images, labels, { maxErrors: 3, sharedErrors: shared });
    expect(r).toMatchObject({ stoppedEarly: true, evaluated: 32 });
    expect(Atomics.load(shared, 0)).toBe(3 + 32 - r.correct);
  });

  it('scores the confirmation and held-out images like one engine, and stops early the same way every time', async () => {
    const own = ws.evaluators();
    for (const name of ['confirmation', 'validation'] as const) {
      const a = await pool.sets[name].evaluate(five);
      const b = await own[name]!.evaluate(five);
      expect(a).toMatchObject({ correct: b.correct, gained: b.gained, total: b.total, stoppedEarly: false });
      expect(a.total).toBe(ws.data![name].labels.length);
    }
    // No shared count outside the search set: a stopped confirmation score depends on each
    // shard's own images only, so it is the same in every run (report.json shows it).
    const stops = await Promise.all([0, 1, 2].map(async () => {
      await pool.sets.confirmation.evaluate(five);
      return pool.sets.confirmation.evaluate(three, { maxErrors: 3 });
    }));
    expect(stops[0].stoppedEarly).toBe(true);
    expect(stops[0].total - stops[0].correct).toBeGreaterThan(3);
    for (const r of stops) expect(r).toEqual(stops[0]);
  });

  it('a run whose confirmation and final scores use the pool picks and reports exactly as one engine', async () => {
    const req = { method: 'frontier' as const, budget: 0.02, seed: 1 };
    const alone = await ws.run(req);
    const { confirmation, validation } = poolScoring(pool);
    const pooled = await ws.run(req, undefined, undefined, { confirmation, validation });
    expect(pooled.chosen).toEqual(alone.chosen);
    expect(pooled.baseline8).toEqual(alone.baseline8);
    expect(pooled.frontier).toEqual(alone.frontier);
    expect(pooled.pick.evaluations).toBeGreaterThan(1);
  });

  it('runs the float pass of the confirmation and held-out images in its shards exactly as one engine does, labeled or not', async () => {
    const dataset = await openDataset(readPathAsFiles(demoDataPath()));
    for (const labels of [dataset.labels, null]) {
      const d = { ...dataset, labels };
      const split = { search: 300, validation: 50, seed: 4 };
      const one = await nodeWorkspace();
      one.setModel(ws.graph);
      const whole = one.setData(d, {}, split);
      const ready = one.setSearchData(d, {}, split);
      // Three shards: the 50 held-out images do not divide evenly among them.
      const p = await workerPool(one.graph, ready.calibration, 100, 3, { confirmation: ready.confirmation, validation: ready.validation });
      const given = await workerPool(one.graph, whole.calibration, 100, 3, { confirmation: whole.confirmation, validation: whole.validation });
      try {
        const data = one.completeData(p.floatPasses);
        expect(data.labelsFrom).toBe(labels ? 'given' : 'float-model');
        let stops = 0;
        for (const name of ['confirmation', 'validation'] as const) {
          expect(p.floatPasses[name].predictions).toEqual(whole[name].floatPredictions);
          expect(p.floatPasses[name].logits).toEqual(whole[name].floatLogits);
          expect(data[name].labels).toEqual(whole[name].labels);
          expect(p.sets[name].floatCorrect).toBe(given.sets[name].floatCorrect);
          // Early stops go through the shards' images hard-first, ordered by these outputs: the same stop as shards given them.
          const r = await p.sets[name].evaluate(three, { maxErrors: 1 });
          expect(r).toEqual(await given.sets[name].evaluate(three, { maxErrors: 1 }));
          if (r.stoppedEarly) stops++;
        }
        expect(stops).toBeGreaterThan(0);
        expect(data.floatAcc).toEqual(whole.floatAcc);
        expect(whole.floatAcc.validation).toBe(labels ? 1 - whole.validation.labels.filter((l, i) => l !== whole.validation.floatPredictions[i]).length / 50 : 1);
      } finally {
        p.close();
        given.close();
      }
    }
  });

  it('reports an error in a shard as a rejected evaluation', async () => {
    const bad = { nodes: five.nodes.slice(0, 1) } as QuantConfig;
    await expect(pool.evaluate(bad)).rejects.toThrow();
  });
});
