// A pool of shards must score exactly like one evaluator over all the images: same counts,
// same distortion, and a proxy that is the same first images whatever the shard count.
import { describe, expect, it } from 'vitest';
import type { QuantConfig } from '../core/config.ts';
import type { EvalOptions, EvalResult } from './evaluator.ts';
import { PoolEvaluator, type Shard, type ShardSet, dealRows, dealShard, gatherRows } from './pool-evaluator.ts';

// A shard double that "answers" image i with the value stored in its pixel, so the expected
// counts are known exactly.
function fakeShard(set: ShardSet): Shard {
  return {
    async evaluate(_c: QuantConfig, o: Omit<EvalOptions, 'signal'>): Promise<EvalResult> {
      const n = o.subset === 'proxy' ? set.proxyTotal : set.labels.length;
      let correct = 0, agree = 0, d = 0;
      for (let i = 0; i < n; i++) {
        const answer = set.images[i];
        correct += answer === set.labels[i] ? 1 : 0;
        agree += answer === set.floatPredictions[i] ? 1 : 0;
        d += answer;
      }
      return { correct, agree, total: n, stoppedEarly: false, distortion: d / n };
    },
    floatPasses: [],
    close() {},
  };
}

const N = 37;
const set: ShardSet = {
  images: Float32Array.from({ length: N }, (_, i) => (i * 7) % 3),
  labels: Int32Array.from({ length: N }, (_, i) => i % 3),
  floatPredictions: Int32Array.from({ length: N }, (_, i) => (i % 5 === 0 ? 1 : i % 3)),
  proxyTotal: 11,
};

describe('PoolEvaluator', () => {
  it.each([1, 2, 3, 5])('with %i shards equals one evaluator over all images', async (k) => {
    const one = await fakeShard(set).evaluate({ nodes: [] }, {});
    const oneProxy = await fakeShard(set).evaluate({ nodes: [] }, { subset: 'proxy' });
    const pool = new PoolEvaluator(Array.from({ length: k }, (_, s) => fakeShard(dealShard(set, s, k))), set);
    const full = await pool.evaluate({ nodes: [] });
    const proxy = await pool.evaluate({ nodes: [] }, { subset: 'proxy' });
    expect(full.correct).toBe(one.correct);
    expect(full.agree).toBe(one.agree);
    expect(full.total).toBe(N);
    expect(full.distortion).toBeCloseTo(one.distortion!, 12);
    expect(proxy).toMatchObject({ correct: oneProxy.correct, agree: oneProxy.agree, total: 11 });
    expect(proxy.distortion).toBeCloseTo(oneProxy.distortion!, 12);
    expect(pool.floatCorrect).toBe(set.labels.filter((l, i) => l === set.floatPredictions[i]).length);
  });
});

describe('dealRows and gatherRows', () => {
  it.each([1, 2, 3, 5, 8])('%i shards: each gets rows k, k+n, …; gathered they are the array again', (n) => {
    const width = 3;
    const a = Float32Array.from({ length: 7 * width }, (_, i) => i + 0.5);
    const parts = Array.from({ length: n }, (_, k) => dealRows(a, width, k, n));
    parts.forEach((p, k) => {
      const rows = Array.from({ length: 7 }, (_, i) => i).filter((i) => i % n === k);
      expect(Array.from(p)).toEqual(rows.flatMap((i) => Array.from(a.subarray(i * width, (i + 1) * width))));
    });
    expect(gatherRows(parts, width)).toEqual(a);
    expect(gatherRows(parts.map((_, k) => dealRows(Int32Array.from([4, 5, 6, 7, 8, 9, 10]), 1, k, n)), 1)).toEqual(Int32Array.from([4, 5, 6, 7, 8, 9, 10]));
  });

  it('a dealt proxy is the shard\'s images among the first proxyTotal', () => {
    for (const n of [1, 2, 3, 5, 12, 40]) {
      const proxies = Array.from({ length: n }, (_, k) => dealShard(set, k, n).proxyTotal);
      proxies.forEach((p, k) => expect(p).toBe(Array.from({ length: 11 }, (_, i) => i).filter((i) => i % n === k).length));
    }
  });
});
