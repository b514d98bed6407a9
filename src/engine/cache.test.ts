// Prefix caches, early stopping and cancellation give exactly the answers of a full run.
import { describe, expect, it } from 'vitest';
import type { QuantConfig } from '../core/config.ts';
import { cloneConfig, floatConfig } from '../core/config.ts';
import { isParamNode, ownsOutputFormat } from '../core/graph.ts';
import { AccCacheStore } from './acc-cache.ts';
import { type BudgetEntry, CacheBudget } from './cache-budget.ts';
import { ConfigRangeError } from './prepare.ts';
import { relaxedEngine, simdEngine } from '../testing/engines.ts';
import { demoGraph, demoImages, hasDemoModel } from '../testing/models.ts';
import { randomConfig, randomGraph, randomImages, rng } from '../testing/random-graph.ts';
import { uniformConfig } from '../core/cost.ts';

describe('prefix cache on random graphs (branches, several live tensors)', () => {
  it('a run from the cache equals a full run after any change at or after the boundary', () => {
    const engine = simdEngine();
    const fresh = simdEngine();
    let used = 0;
    for (let seed = 0; seed < 150; seed++) {
      const r = rng(seed + 100);
      const g = randomGraph(r, { maxNodes: 8 });
      if (g.nodes.length < 3) continue;
      const images = randomImages(r, g, r.int(3, 9));
      const maxAbs = g.nodes.map(() => 1);
      const a = randomConfig(r, g, maxAbs, { floatProb: 0.3 });
      const k = r.int(1, g.nodes.length - 1);
      const batch = r.int(1, 4);
      engine.load(g, batch);
      fresh.load(g, batch);
      try {
        engine.setConfig(a);
      } catch (e) {
        if (e instanceof ConfigRangeError) continue;
        throw e;
      }
      const full = engine.run(images, null, { cacheAt: k, outputs: true });
      const b = cloneConfig(a);
      const j = r.int(k, g.nodes.length - 1);
      b.nodes[j] = randomConfig(r, g, maxAbs, { floatProb: 0.3 }).nodes[j];
      try {
        engine.setConfig(b);
        fresh.setConfig(b);
      } catch (e) {
        if (e instanceof ConfigRangeError) continue;
        throw e;
      }
      const cached = engine.run(images, null, { startAt: k, outputs: true });
      const expected = fresh.run(images, null, { outputs: true });
      expect(cached.startedAt).toBe(k);
      expect(Array.from(cached.outputs!)).toEqual(Array.from(expected.outputs!));
      expect(Array.from(cached.predictions)).toEqual(Array.from(expected.predictions));
      used++;
      // Back to the cached config: still the first run's answers.
      engine.setConfig(a);
      expect(Array.from(engine.run(images, null, { startAt: k, outputs: true }).outputs!)).toEqual(Array.from(full.outputs!));
    }
    expect(used).toBeGreaterThan(100);
  });
});

describe('accumulator cache on random graphs', () => {
  it.each([['SIMD', simdEngine], ['relaxed SIMD', relaxedEngine]] as const)('%s: a run that restores a node\'s sums equals a full run after a change of its bias, scale, shift or output (or anything later)', (_, make) => {
    const engine = make();
    const fresh = make();
    let tried = 0;
    const restoredPaths = new Set<string>();
    for (let seed = 0; seed < 300; seed++) {
      const r = rng(seed + 900);
      const g = randomGraph(r, { maxNodes: 8 });
      const params = g.nodes.map((n, i) => (n.kind === 'conv2d' || n.kind === 'dense' ? i : -1)).filter((i) => i > 0);
      if (!params.length) continue;
      const k = params[r.int(0, params.length - 1)];
      const images = randomImages(r, g, r.int(3, 9));
      const maxAbs = g.nodes.map(() => 1);
      const floatProb = seed % 3 === 0 ? 0.6 : 0.05;
      const a = randomConfig(r, g, maxAbs, { floatProb });
      const batch = r.int(1, 4);
      engine.load(g, batch);
      fresh.load(g, batch);
      engine.simd = seed % 4 !== 0; // the scalar twins now and then
      const b = cloneConfig(a);
      const other = randomConfig(r, g, maxAbs, { floatProb });
      // Node k keeps its weight format (sometimes not: then the sums must be recomputed).
      b.nodes[k] = { ...other.nodes[k], weights: r.int(0, 4) === 0 ? other.nodes[k].weights : a.nodes[k].weights };
      const j = r.int(k, g.nodes.length - 1);
      if (j > k) b.nodes[j] = other.nodes[j];
      const [H, W, C] = g.nodes[0].shape;
      const labels = Int32Array.from({ length: images.length / (H * W * C) }, () => r.int(0, 1));
      try {
        engine.setConfig(a);
        // A stopped run fills the cache part-way; the next runs extend it.
        engine.run(images, labels, { startAt: k, cacheAt: k, maxErrors: r.int(0, 2) });
        engine.run(images, null, { startAt: k, cacheAt: k });
        engine.setConfig(b);
        fresh.setConfig(b);
      } catch (e) {
        if (e instanceof ConfigRangeError) continue;
        throw e;
      }
      tried++;
      const before = engine.counters.macs[k];
      const cached = engine.run(images, null, { startAt: k, cacheAt: k, outputs: true });
      if (engine.counters.macs[k] === before) restoredPaths.add(engine.nodePaths()[k]);
      const expected = fresh.run(images, null, { outputs: true });
      expect(Array.from(cached.outputs!)).toEqual(Array.from(expected.outputs!));
      expect(Array.from(cached.predictions)).toEqual(Array.from(expected.predictions));
    }
    expect(tried).toBeGreaterThan(150);
    expect(restoredPaths.has('float')).toBe(true);
    expect([...restoredPaths].filter((p) => p !== 'float').length).toBeGreaterThan(1);
  });
});

describe.skipIf(!hasDemoModel())('prefix cache, early stop and abort on the demo model', () => {
  it('behaves like full runs', async () => {
    const g = await demoGraph();
    const { images, labels } = demoImages('calibration');
    const engine = simdEngine();
    engine.load(g, 32);
    const stats = engine.activationStats(images.subarray(0, 200 * 784));
    const base = uniformConfig(g, stats, 8);
    engine.setConfig(base);
    const firstDense = g.nodes.findIndex((n) => n.kind === 'dense');
    const full = engine.run(images, labels, { cacheAt: firstDense });
    expect(full.evaluated).toBe(1000);
    expect(full.correct).toBeGreaterThan(950);

    // Change the first dense layer's weights: the cache applies.
    const changed: QuantConfig = cloneConfig(base);
    changed.nodes[firstDense] = { ...changed.nodes[firstDense], weights: { bits: 4, frac: 5, signed: true } };
    engine.setConfig(changed);
    const fromCache = engine.run(images, labels, { startAt: firstDense });
    const ref = simdEngine();
    ref.load(g, 7);
    ref.setConfig(changed);
    const expected = ref.run(images, labels);
    expect(fromCache.startedAt).toBe(firstDense);
    expect(Array.from(fromCache.predictions)).toEqual(Array.from(expected.predictions));
    expect(fromCache.correct).toBe(expected.correct);

    // A change before the boundary invalidates the cache: a full run, still correct.
    const early = cloneConfig(changed);
    early.nodes[1] = { ...early.nodes[1], weights: { bits: 3, frac: 3, signed: true } };
    engine.setConfig(early);
    ref.setConfig(early);
    const noCache = engine.run(images, labels, { startAt: firstDense });
    expect(noCache.startedAt).toBe(0);
    expect(Array.from(noCache.predictions)).toEqual(Array.from(ref.run(images, labels).predictions));

    // Early stop: at most one batch past the error budget, predictions agree where evaluated.
    engine.setConfig(changed);
    const allErrors = expected.evaluated - expected.correct;
    const maxErrors = Math.floor(allErrors / 3);
    const stopped = engine.run(images, labels, { maxErrors });
    expect(stopped.stoppedEarly).toBe(true);
    expect(stopped.evaluated).toBeLessThan(1000);
    expect(stopped.evaluated - stopped.correct).toBeGreaterThan(maxErrors);
    expect(stopped.evaluated - stopped.correct - 32).toBeLessThanOrEqual(maxErrors);
    for (let i = 0; i < 1000; i++) expect(stopped.predictions[i]).toBe(i < stopped.evaluated ? expected.predictions[i] : -1);

    // A cache built by a run that stopped early covers only what it evaluated.
    engine.setConfig(early);
    const partial = engine.run(images, labels, { cacheAt: 3, maxErrors: 0 });
    expect(partial.stoppedEarly).toBe(true);
    const after = engine.run(images, labels, { startAt: 3 });
    expect(Array.from(after.predictions)).toEqual(Array.from(ref.run(images, labels).predictions));

    // Abort.
    const ctl = new AbortController();
    ctl.abort();
    expect(() => engine.run(images, labels, { signal: ctl.signal })).toThrow();
  });

  it('setConfig re-packs only changed nodes and keeps float nodes float', async () => {
    const g = await demoGraph();
    const engine = simdEngine();
    engine.load(g, 8);
    const cfg = floatConfig(g.nodes.length);
    engine.setConfig(cfg);
    expect(engine.nodePaths().filter((p) => p === 'float').length).toBe(g.nodes.filter((n) => isParamNode(n) || n.kind === 'maxPool').length);
    // Weights alone fixed: nodes still run in float, with dequantized weights.
    g.nodes.forEach((n, i) => { if (isParamNode(n)) cfg.nodes[i] = { weights: { bits: 8, frac: 7, signed: true } }; });
    engine.setConfig(cfg);
    expect(engine.nodeDomains().every((d) => d.kind === 'float')).toBe(true);
    expect(g.nodes.some((n, i) => ownsOutputFormat(n) && engine.nodeDomains()[i].kind === 'fixed')).toBe(false);
  });

  it('never holds more than its budget: a prefix cache larger than all of it is not made, and results stay', async () => {
    const g = await demoGraph();
    const { images, labels } = demoImages('calibration');
    const engine = simdEngine();
    engine.load(g, 32);
    const base = uniformConfig(g, engine.activationStats(images.subarray(0, 200 * 784)), 8);
    engine.setConfig(base);
    const firstDense = g.nodes.findIndex((n) => n.kind === 'dense');
    const want = engine.run(images, labels);
    engine.run(images, labels, { cacheAt: [1, firstDense] });
    const both = engine.cachedBytes;
    engine.clearCache();
    engine.run(images, labels, { cacheAt: firstDense });
    const small = engine.cachedBytes;
    expect(small).toBeGreaterThan(0);
    expect(both).toBeGreaterThan(small);
    // Room for the dense boundary only: the one at node 1 (the first conv's input) is never made.
    engine.clearCache();
    engine.setCacheBytes(small);
    const r = engine.run(images, labels, { cacheAt: [1, firstDense] });
    expect(engine.cachedBytes).toBe(small);
    expect(r.correct).toBe(want.correct);
    expect(engine.run(images, labels, { startAt: firstDense }).predictions).toEqual(want.predictions);
    engine.setCacheBytes(small - 1);
    expect(engine.cachedBytes).toBe(0);
  });

  it('keeps caches at several boundaries and starts at the deepest valid one, also after a node changes back', async () => {
    const g = await demoGraph();
    const { images, labels } = demoImages('calibration');
    const set = images.subarray(0, 200 * 784);
    const engine = simdEngine();
    engine.load(g, 32);
    const base = uniformConfig(g, engine.activationStats(set), 8);
    const params = g.nodes.map((n, i) => (isParamNode(n) ? i : -1)).filter((i) => i >= 0);
    const [a, b] = [params[1], params[params.length - 1]];
    const at = (node: number): QuantConfig => {
      const c = cloneConfig(base);
      c.nodes[node] = { ...c.nodes[node], weights: { bits: 5, frac: 6, signed: true } };
      return c;
    };
    const ref = simdEngine();
    ref.load(g, 7);
    const expectRun = (c: QuantConfig, start: number) => {
      engine.setConfig(c);
      ref.setConfig(c);
      const r = engine.run(set, labels, { startAt: g.nodes.length });
      expect(r.startedAt).toBe(start);
      expect(Array.from(r.predictions)).toEqual(Array.from(ref.run(set, labels).predictions));
    };
    engine.setConfig(base);
    engine.run(set, labels, { cacheAt: [a, b] });
    expectRun(at(b), b);
    expectRun(at(a), a);
    // Node a changed and back to the base formats: the cache at b is valid again.
    expectRun(at(b), b);
    expectRun(at(params[0]), 0);
  });
});


describe('AccCacheStore', () => {
  it('keeps caches by image set and node within its budget, least recently used first out, reuses a node\'s buffer, and never evicts for one that cannot fit', () => {
    const store = new AccCacheStore(new CacheBudget(120));
    const [a, b] = [new Float32Array(1), new Float32Array(1)];
    const a3 = store.start(a, 3, 'k1', 10, 5)!;
    expect(a3.data.byteLength).toBe(50);
    a3.count = 5;
    const again = store.start(a, 3, 'k2', 10, 5)!;
    expect(again.data).toBe(a3.data);
    expect(again).toMatchObject({ key: 'k2', count: 0 });
    const a5 = store.start(a, 5, 'k', 10, 4)!; // a second node of the same set: 90 bytes in all
    expect(store.get(a, 3)).toBe(a3);
    expect(store.start(b, 1, 'k', 10, 6)!.data.byteLength).toBe(60); // 150 > 120: a5 (used last-but-one) goes
    expect(store.get(a, 5)).toBeUndefined();
    expect(store.get(a, 3)).toBe(a3);
    expect(a5.node).toBe(5);
    expect(store.start(b, 2, 'k', 10, 13)).toBeNull();
    expect(store.get(b, 1)).toBeDefined();
    expect(store.get(a, 3)).toBeDefined();
  });
});

describe('CacheBudget', () => {
  it('is one budget for every store: the least recently used entry of any store goes first', () => {
    const budget = new CacheBudget(100);
    const other: BudgetEntry[] = [];
    budget.register({ entries: () => other, evict: (e) => other.splice(other.indexOf(e), 1) });
    const acc = new AccCacheStore(budget);
    const a = new Float32Array(1);
    const old = { bytes: 40, used: 0 };
    budget.touch(old);
    other.push(old);
    acc.start(a, 1, 'k', 10, 4); // 80 bytes in all
    const recent = { bytes: 20, used: 0 };
    budget.touch(recent);
    other.push(recent);
    expect(budget.fit(0, recent)).toBe(true); // 100: fits
    expect(acc.start(a, 2, 'k', 10, 3)).not.toBeNull(); // 130 > 100: the other store's oldest entry goes
    expect(other).toEqual([recent]);
    expect(budget.bytes).toBe(90);
    expect(acc.get(a, 1)).toBeDefined();
    // A smaller budget: `recent`, then node 2's sums go; node 1's were used last.
    budget.maxBytes = 50;
    expect(budget.fit(0)).toBe(true);
    expect(other).toEqual([]);
    expect(acc.get(a, 2)).toBeUndefined();
    expect(acc.get(a, 1)).toBeDefined();
    expect(budget.bytes).toBe(40);
  });
});
