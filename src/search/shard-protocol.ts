// The messages between a pool and its shards, whatever carries them: the command line's
// worker_threads and the page's Web Workers both speak this, so a shard scores the same way in
// Node and in a browser. The pool side is `startPool`, the worker side `serveShard`.
import type { QuantConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import { DEFAULT_CACHE_BYTES } from '../engine/cache-budget.ts';
import type { Engine } from '../engine/engine.ts';
import { EngineEvaluator, type ImageSet } from './engine-evaluator.ts';
import type { EvalOptions, EvalResult } from './evaluator.ts';
import { type FloatPass, floatPass, type UnpredictedSet, withFloatPass } from './float-pass.ts';
import { PoolEvaluator, type Shard, type ShardSet, dealRows, dealShard, gatherRows } from './pool-evaluator.ts';

/** A shard's part of a set whose float pass the shard runs itself when it starts. */
export interface UnpredictedShardSet extends UnpredictedSet {
  proxyTotal: number;
}

export interface ShardInit {
  graph: Graph;
  /**
   * The shard's search images first, then its part of every other set the pool scores
   * (confirmation, held out); an unpredicted one gets its float pass from the shard's engine.
   */
  sets: (ShardSet | UnpredictedShardSet)[];
  /** One Int32 on a SharedArrayBuffer: wrong answers of all shards in the current search evaluation. */
  errors?: SharedArrayBuffer;
  /** The shard engine's cache budget (its share of the pool's; absent: the engine's default). */
  cacheBytes?: number;
}

/** Shards can share their error count where SharedArrayBuffer exists (a cross-origin isolated page, Node). */
function sharedCounter(): SharedArrayBuffer | undefined {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? true;
  return typeof SharedArrayBuffer !== 'undefined' && isolated ? new SharedArrayBuffer(4) : undefined;
}

export type ShardRequest =
  | { init: ShardInit }
  | { id: number; set: number; config: QuantConfig; opts: Omit<EvalOptions, 'signal'> };

export type ShardReply =
  /** `floatPasses[j]`: the float pass the shard ran of its set j (null: the set came with one). */
  | { ready: true; floatPasses: (FloatPass | null)[] }
  | { failed: string }
  | { id: number; result: EvalResult }
  | { id: number; error: string };

/** The pool's handle on one worker: post a message, hear its replies and its death, end it. */
export interface ShardTransport {
  post(message: ShardRequest, transfer?: ArrayBuffer[]): void;
  listen(onReply: (m: ShardReply) => void, onDeath: (e: Error) => void): void;
  terminate(): void;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

const predicted = (s: ShardSet | UnpredictedShardSet): s is ShardSet => 'floatPredictions' in s;

/** Sends a shard its model and images, resolves once its engine is ready (and has run the float passes asked for). */
export function connectShard(t: ShardTransport, init: ShardInit): Promise<Shard> {
  const pending = new Map<number, { resolve(r: EvalResult): void; reject(e: Error): void }>();
  let dead: Error | null = null;
  let next = 0;
  return new Promise((ready, failed) => {
    const shard: Shard = {
      floatPasses: [],
      evaluate: (config, opts, set = 0) => new Promise((resolve, reject) => {
        if (dead) return reject(dead);
        const id = next++;
        pending.set(id, { resolve, reject });
        t.post({ id, set, config, opts });
      }),
      close: () => t.terminate(),
    };
    t.listen((m) => {
      if ('ready' in m) return ready({ ...shard, floatPasses: m.floatPasses });
      if ('failed' in m) return failed(new Error(m.failed));
      const p = pending.get(m.id);
      pending.delete(m.id);
      if ('error' in m) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    }, (e) => {
      dead = e;
      failed(e);
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    const arrays = init.sets.flatMap((s) => (predicted(s) ? [s.images, s.labels, s.floatPredictions, ...(s.floatLogits ? [s.floatLogits] : [])] : [s.images, ...(s.labels ? [s.labels] : [])]));
    t.post({ init }, arrays.map((a) => a.buffer as ArrayBuffer));
  });
}

/**
 * `workers` shards, shard k from `spawn(k)`, each scoring every workers-th image of the search
 * set and of each of `others` (e.g. confirmation and held-out images: scoring them is then split
 * across the workers too). The result scores the search set; `sets[name]` each other set. An
 * other set without its float pass (UnpredictedSet) gets it from the shards as they start, each
 * for its own images; `floatPasses[name]` gathers them in the set's order. `cacheBytes`: the
 * memory the shards' caches may hold together (absent: each engine's default).
 */
export async function startPool(
  spawn: (k: number) => ShardTransport, graph: Graph, set: ImageSet, proxyTotal: number, workers: number,
  others: Record<string, ImageSet | UnpredictedSet> = {}, opts: { cacheBytes?: number } = {},
): Promise<PoolEvaluator> {
  const full = { ...set, proxyTotal };
  const elems = set.images.length / Math.max(1, set.labels.length);
  const count = (s: ImageSet | UnpredictedSet) => s.images.length / Math.max(1, elems);
  const names = Object.keys(others).filter((name) => count(others[name]) > 0);
  // Other sets have no proxy (their evaluators score them whole).
  const rest = names.map((name) => ({ ...others[name], proxyTotal: count(others[name]) }));
  const deal = (s: (typeof rest)[number], k: number): ShardSet | UnpredictedShardSet => ('floatPredictions' in s
    ? dealShard(s, k, workers)
    : { images: dealRows(s.images, elems, k, workers), labels: s.labels && dealRows(s.labels, 1, k, workers), proxyTotal: Math.max(0, Math.ceil((s.proxyTotal - k) / workers)) });
  const errors = workers > 1 ? sharedCounter() : undefined;
  const started: ShardTransport[] = [];
  try {
    const shards = await Promise.all(Array.from({ length: workers }, (_, k) => {
      const t = spawn(k);
      started.push(t);
      // Each shard's share, never more than one engine would take by default.
      const cacheBytes = opts.cacheBytes === undefined ? undefined : Math.floor(Math.min(opts.cacheBytes / workers, DEFAULT_CACHE_BYTES));
      return connectShard(t, { graph, sets: [dealShard(full, k, workers), ...rest.map((s) => deal(s, k))], errors, cacheBytes });
    }));
    const floatPasses: Record<string, FloatPass> = {};
    const complete = rest.map((s, j): ShardSet => {
      if ('floatPredictions' in s) return s;
      const passes = shards.map((sh) => sh.floatPasses[j + 1]!);
      const classes = passes.reduce((k, p) => k + p.logits.length, 0) / s.proxyTotal;
      const pass = { predictions: gatherRows(passes.map((p) => p.predictions), 1), logits: gatherRows(passes.map((p) => p.logits), classes) };
      floatPasses[names[j]] = pass;
      return { ...withFloatPass(s, pass), proxyTotal: s.proxyTotal };
    });
    // Only the search set shares the error count: an early stop elsewhere (confirmation) then
    // depends on each shard's own images alone, so its counts are the same in every run.
    const sets = Object.fromEntries(names.map((name, j) => [name, new PoolEvaluator(shards, complete[j], undefined, j + 1)]));
    return new PoolEvaluator(shards, full, errors && new Int32Array(errors), 0, sets, floatPasses);
  } catch (e) {
    for (const t of started) t.terminate();
    throw e;
  }
}

/** The worker's side: builds its engine on the init message, then answers evaluations in order. */
export function serveShard(makeEngine: () => Promise<Engine>, reply: (m: ShardReply) => void): (m: ShardRequest) => void {
  let evaluators: Promise<EngineEvaluator[]> | null = null;
  // One engine: evaluations run one after another even if requests arrive together.
  let queue: Promise<unknown> = Promise.resolve();
  return (m) => {
    if ('init' in m) {
      const { graph, sets, errors, cacheBytes } = m.init;
      let floatPasses: (FloatPass | null)[] = [];
      evaluators = makeEngine().then((engine) => {
        if (cacheBytes !== undefined) engine.setCacheBytes(cacheBytes);
        engine.load(graph);
        floatPasses = sets.map((s) => (predicted(s) ? null : floatPass(engine, s.images)));
        return sets.map((s, j) => {
          const pass = floatPasses[j];
          const whole = pass ? withFloatPass(s, pass) : (s as ShardSet);
          return new EngineEvaluator(engine, whole, s.proxyTotal, j === 0 && errors ? new Int32Array(errors) : undefined);
        });
      });
      evaluators.then(() => reply({ ready: true, floatPasses }), (e) => reply({ failed: messageOf(e) }));
      return;
    }
    const { id, set, config, opts } = m;
    if (!evaluators) return reply({ id, error: 'shard used before its init message' });
    const ready = evaluators;
    queue = queue.then(() => ready.then((evs) => {
      if (!evs[set]) throw new Error(`shard has no image set ${set}`);
      return evs[set].evaluate(config, opts);
    }).then(
      (result) => reply({ id, result }),
      (e) => reply({ id, error: messageOf(e) }),
    ));
  };
}
