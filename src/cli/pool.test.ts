// The worker-thread pool on the real demo: two threads, each its own engine and half the
// images, score a configuration exactly as the session's one engine does over all of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuantConfig } from '../core/config.ts';
import { uniformConfig } from '../core/cost.ts';
import { openDataset, openModel } from '../formats/index.ts';
import { readPathAsFiles } from '../formats/node-files.ts';
import type { PoolEvaluator } from '../search/pool-evaluator.ts';
import type { Session } from '../worker/session.ts';
import { nodeSession } from './inputs.ts';
import { workerPool } from './pool.ts';
import { demoDataPath, demoModelPath } from './project.ts';

let session: Session;
let pool: PoolEvaluator;
let five: QuantConfig;

beforeAll(async () => {
  session = await nodeSession();
  session.setModel(await openModel(readPathAsFiles(demoModelPath())));
  const data = session.setData(await openDataset(readPathAsFiles(demoDataPath())), {}, { search: 300, validation: 50 });
  five = uniformConfig(session.graph!, data.stats, 5);
  pool = await workerPool(session.graph!, data.calibration, 100, 2);
});

afterAll(() => pool?.close());

describe('workerPool', () => {
  it('scores like one engine over all the images, full set and proxy', async () => {
    const one = session.evaluators(100).search;
    for (const subset of ['full', 'proxy'] as const) {
      const a = await pool.evaluate(five, { subset, distortion: true });
      const b = await one.evaluate(five, { subset, distortion: true });
      expect(a).toMatchObject({ correct: b.correct, agree: b.agree, total: b.total });
      expect(a.distortion).toBeCloseTo(b.distortion!, 9);
      expect(b.total - b.correct).toBeGreaterThan(0);
    }
  });

  it('reports an error in a shard as a rejected evaluation', async () => {
    const bad = { nodes: five.nodes.slice(0, 1) } as QuantConfig;
    await expect(pool.evaluate(bad)).rejects.toThrow();
  });
});
