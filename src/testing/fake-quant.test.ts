import { describe, expect, it } from 'vitest';
import { floatConfig } from '../core/config.ts';
import { uniformConfig } from '../core/cost.ts';
import { withFormat } from '../core/tensors.ts';
import { fixture } from './search-fixture.ts';

describe('fake-quant test evaluator', () => {
  const f = fixture();

  it('is a working model: float accuracy well above chance', () => {
    const e = f.search();
    expect(e.total).toBe(400);
    expect(e.proxyTotal).toBe(100);
    expect(e.floatCorrect / e.total).toBeGreaterThan(0.85);
  });

  it('degrades as bits go down, and 16 bits equal float', async () => {
    const e = f.search();
    const acc = async (bits: number) => (await e.evaluate(uniformConfig(f.graph, f.stats, bits))).correct;
    expect(await acc(16)).toBe(e.floatCorrect);
    const a4 = await acc(4), a3 = await acc(3);
    expect(a4).toBeLessThan(e.floatCorrect);
    expect(a3).toBeLessThan(a4);
  });

  it('recomputes from the first changed node with the same answers, and stops early', async () => {
    const e = f.search();
    const c8 = uniformConfig(f.graph, f.stats, 8);
    await e.evaluate(c8);
    const c = withFormat(c8, { node: 5, slot: 'weights' }, { bits: 3, frac: 2, signed: true });
    const cached = await e.evaluate(c, { firstChangedNode: 5 });
    expect(e.calls.at(-1)!.startNode).toBe(5);
    const fresh = await f.search().evaluate(c);
    expect(cached).toEqual(fresh);
    const stopped = await e.evaluate(uniformConfig(f.graph, f.stats, 2), { maxErrors: 10 });
    expect(stopped.stoppedEarly).toBe(true);
    expect(stopped.total - stopped.correct).toBeGreaterThan(10);
    // Against the float model's answers: a float configuration agrees everywhere.
    const same = await e.evaluate(floatConfig(f.graph.nodes.length), { target: 'float', maxErrors: 0 });
    expect(same).toEqual({ correct: e.floatCorrect, agree: 400, gained: 0, total: 400, stoppedEarly: false });
  });

  it('rejects a cache hint that promises more than is true', async () => {
    const e = f.search();
    const c8 = uniformConfig(f.graph, f.stats, 8);
    await e.evaluate(c8);
    const c = withFormat(c8, { node: 1, slot: 'output' }, { bits: 4, frac: 2, signed: false });
    await expect(e.evaluate(c, { firstChangedNode: 3 })).rejects.toThrow(/wrong firstChangedNode/);
  });
});
