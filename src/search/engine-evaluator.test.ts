// The engine evaluator on the real demo: scores match a plain engine run, prefix caches and
// early stops change nothing but the work done, and an impossible configuration is a rejected
// candidate rather than a crash.
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuantConfig } from '../core/config.ts';
import { uniformConfig } from '../core/cost.ts';
import { nodeSession } from '../cli/inputs.ts';
import { demoDataPath, demoModelPath } from '../cli/project.ts';
import { openDataset, openModel } from '../formats/index.ts';
import { readPathAsFiles } from '../formats/node-files.ts';
import type { Session } from '../worker/session.ts';

let session: Session;
let eight: QuantConfig;

beforeAll(async () => {
  session = await nodeSession();
  session.setModel(await openModel(readPathAsFiles(demoModelPath())));
  const data = session.setData(await openDataset(readPathAsFiles(demoDataPath())), {}, { search: 400, validation: 100 });
  eight = uniformConfig(session.graph!, data.stats, 8);
});

describe('EngineEvaluator', () => {
  it('gives the same counts with and without caches, and early stop only bounds them', async () => {
    const ev = session.evaluators(100).search;
    const fast = await ev.evaluate(eight);
    // Change only the last layer's weights: the run may start from the cache at that node.
    const last = session.graph!.nodes.length - 1;
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
    const ev = session.evaluators(100).search;
    // Weights wider than 16 bits are outside DESIGN.md §4: the engine refuses them.
    const impossible: QuantConfig = { nodes: eight.nodes.map((n, i) => (i === 1 ? { ...n, weights: { bits: 20, frac: 18, signed: true } } : n)) };
    const r = await ev.evaluate(impossible);
    expect(r).toEqual({ correct: 0, agree: 0, gained: 0, total: 400, stoppedEarly: true });
    // The engine still holds a usable configuration afterwards.
    expect((await ev.evaluate(eight)).correct).toBeGreaterThan(380);
  });
});
