// The worker side of the shard protocol, in process: a shard's engine takes the cache budget the
// pool gives it, so a pool of many workers divides one budget instead of multiplying it.
import { describe, expect, it } from 'vitest';
import type { QuantConfig } from '../core/config.ts';
import { uniformConfig } from '../core/cost.ts';
import { isParamNode } from '../core/graph.ts';
import type { Engine } from '../engine/engine.ts';
import { fixture } from '../testing/search-fixture.ts';
import { simdEngine } from '../testing/engines.ts';
import { dealShard } from './pool-evaluator.ts';
import { type ShardReply, serveShard } from './shard-protocol.ts';

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
