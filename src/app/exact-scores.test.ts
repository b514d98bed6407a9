// The final scores of a run come partly from the search's own exact scores: they must be the
// scores a fresh evaluation gives, and a stopped, partial or distortion score must never stand in.
import { beforeAll, describe, expect, it } from 'vitest';
import { uniformConfig } from '../core/cost.ts';
import { readPathAsFiles } from '../formats/node-files.ts';
import { simdEngine } from '../testing/engines.ts';
import { ExactScores } from './exact-scores.ts';
import { Workspace } from './workspace.ts';

let ws: Workspace;

beforeAll(async () => {
  ws = new Workspace(simdEngine());
  await ws.loadModel(readPathAsFiles('public/models/lenet5-mnist/model.json'));
  await ws.loadData(readPathAsFiles('public/data/mnist-demo'));
}, 60_000);

describe('ExactScores', () => {
  it('answers a whole-set score from an exact one of the same configuration, as the evaluator would', async () => {
    const three = uniformConfig(ws.graph, ws.data!.stats, 3);
    const five = uniformConfig(ws.graph, ws.data!.stats, 5);
    const fresh = ws.evaluators().confirmation!;
    const ev = new ExactScores(ws.evaluators().confirmation!);
    // Stopped early: a bound, never kept.
    expect((await ev.evaluate(three, { maxErrors: 2 })).stoppedEarly).toBe(true);
    const exact3 = await fresh.evaluate(three);
    expect(await ev.evaluate(three)).toEqual(exact3);
    expect(ev.reused).toBe(0);
    // Exact though asked with a limit (as the confirmation asks): kept, and it answers the final question.
    const limited = await ev.evaluate(five, { maxErrors: 100, target: 'float' });
    expect(limited.stoppedEarly).toBe(false);
    const exact5 = await fresh.evaluate(five);
    expect(exact5.total - exact5.correct).toBeGreaterThan(0);
    expect(await ev.evaluate(five)).toEqual(exact5);
    expect(await ev.evaluate({ nodes: five.nodes.map((n) => ({ ...n })) })).toEqual(exact5);
    expect(ev.reused).toBe(2);
    // A question the kept counts do not answer as the evaluator would goes to it: a limit (it may
    // stop), distortion, the proxy.
    expect(await ev.evaluate(three, { maxErrors: 2 })).toMatchObject({ stoppedEarly: true });
    expect((await ev.evaluate(five, { distortion: true })).distortion).toBeGreaterThan(0);
    await ev.evaluate(five, { subset: 'proxy' });
    expect(ev.reused).toBe(2);
  });

  it('a run reports the pick and the 8-bit baseline exactly as scoring them afresh does', async () => {
    for (const method of ['frontier', 'paper'] as const) {
      const view = await ws.run({ method, budget: 0.01, seed: 1 });
      const result = ws.lastSearch!;
      const config = ws.result().config;
      expect(await ws.point(config, result.budget)).toEqual(view.chosen);
      expect(await ws.point(result.baseline8.config, result.budget)).toEqual(view.baseline8);
      expect(view.chosen.search.total - view.chosen.search.correct).toBeGreaterThan(0);
    }
  }, 60_000);
});
