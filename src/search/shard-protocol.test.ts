// The worker side of the shard protocol, in process: a shard's engine takes the cache budget the
// pool gives it, so a pool of many workers divides one budget instead of multiplying it.
import { describe, expect, it } from 'vitest';
import { floatConfig, type QuantConfig } from '../core/config.ts';
import { uniformConfig } from '../core/cost.ts';
import { isParamNode } from '../core/graph.ts';
import type { Engine } from '../engine/engine.ts';
import { fixture } from '../testing/search-fixture.ts';
import { simdEngine } from '../testing/engines.ts';
import { dealShard } from './pool-evaluator.ts';
import { type ShardReply, type ShardTransport, serveShard, startPool } from './shard-protocol.ts';

describe('serveShard', () => {
  it("keeps its engine's caches within the budget of its init message", async () => {
    const f = fixture();
    f.engine.setConfig({ nodes: f.graph.nodes.map(() => ({})) });
    const images = f.data.search.inputs.slice();
    const set = dealShard({ images, labels: f.data.search.labels, floatPredictions: f.engine.run(images, null).predictions, proxyTotal: 100 }, 0, 1);
    // A step at each layer in turn from 8 bits, as a search makes them: each leaves caches behind.
    const eight = uniformConfig(f.graph, f.stats, 8);
    const configs: QuantConfig[] = f.graph.nodes.flatMap((n, k) => (isParamNode(n) ? [{ nodes: eight.nodes.map((c, i) => (i === k ? { ...c, weights: { bits: 5, frac: 4, signed: true } } : c)) }] : []));
    const held = async (cacheBytes: number | undefined) => {
      let engine: Engine | undefined;
      const replies: ShardReply[] = [];
      let answered = () => {};
      const handle = serveShard(async () => (engine = simdEngine()), (m) => { replies.push(m); answered(); });
      const next = () => new Promise<void>((r) => { answered = r; });
      let wait = next();
      handle({ init: { graph: f.graph, sets: [set], cacheBytes } });
      await wait;
      expect(replies.at(-1)).toMatchObject({ ready: true });
      for (const [id, config] of configs.entries()) {
        wait = next();
        handle({ id, set: 0, config, opts: {} });
        await wait;
      }
      return engine!.cachedBytes;
    };
    const free = await held(undefined);
    expect(free).toBeGreaterThan(200_000);
    expect(await held(100_000)).toBeLessThanOrEqual(100_000);
  });
});

/** A shard served in this thread (its own engine), with the shared error counter of a real pool. */
function inProcess(): ShardTransport {
  let onReply: (m: ShardReply) => void = () => {};
  const handle = serveShard(async () => simdEngine(), (m) => setTimeout(() => onReply(m), 0));
  return { post: (m) => handle(m), listen: (r) => { onReply = r; }, terminate() {} };
}

describe('a pool of shards', () => {
  it('scores the whole set after a proxy score of the same configuration as a pool that never saw the proxy', async () => {
    const f = fixture();
    f.engine.setConfig(floatConfig(f.graph.nodes.length));
    const images = f.data.search.inputs.slice();
    const run = f.engine.run(images, null, { outputs: true });
    const set = { images, labels: f.data.search.labels, floatPredictions: run.predictions, floatLogits: run.outputs! };
    const eight = uniformConfig(f.graph, f.stats, 8);
    const last = f.graph.nodes.length - 1;
    const at = (bits: number): QuantConfig => ({ nodes: eight.nodes.map((n, i) => (i === last ? { ...n, weights: { bits, frac: bits - 1, signed: true } } : n)) });
    const reusing = await startPool(inProcess, f.graph, set, 100, 3);
    const cases = [
      [eight, { distortion: true }], [at(2), { distortion: true, maxErrors: 3 }], [at(3), { distortion: true, maxErrors: 60 }],
      [at(3), { target: 'float', maxErrors: 5 }], [at(4), { distortion: true }],
    ] as const;
    let complete = 0;
    for (const [config, opts] of cases) {
      const fresh = await startPool(inProcess, f.graph, set, 100, 3);
      await fresh.evaluate(eight, { maxErrors: 0 }); // hard-first, as the reusing one is by now
      const want = await fresh.evaluate(config, opts);
      await reusing.evaluate(config, { subset: 'proxy', distortion: true });
      const got = await reusing.evaluate(config, opts);
      expect(got.stoppedEarly).toBe(want.stoppedEarly);
      if (!want.stoppedEarly) {
        complete++;
        expect(got).toEqual(want);
      }
      fresh.close();
    }
    expect(complete).toBeGreaterThanOrEqual(3);
    reusing.close();
  });
});
