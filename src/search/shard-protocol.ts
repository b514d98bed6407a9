// The messages between a pool and its shards, whatever carries them: the command line's
// worker_threads and the page's Web Workers both speak this, so a shard scores the same way in
// Node and in a browser. The pool side is `startPool`, the worker side `serveShard`.
import type { QuantConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import type { Engine } from '../engine/engine.ts';
import { EngineEvaluator, type ImageSet } from './engine-evaluator.ts';
import type { EvalOptions, EvalResult } from './evaluator.ts';
import { PoolEvaluator, type Shard, type ShardSet, dealShard } from './pool-evaluator.ts';

export interface ShardInit {
  graph: Graph;
  set: ShardSet;
  /** One Int32 on a SharedArrayBuffer: wrong answers of all shards in the current evaluation. */
  errors?: SharedArrayBuffer;
}

/** Shards can share their error count where SharedArrayBuffer exists (a cross-origin isolated page, Node). */
function sharedCounter(): SharedArrayBuffer | undefined {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? true;
  return typeof SharedArrayBuffer !== 'undefined' && isolated ? new SharedArrayBuffer(4) : undefined;
}

export type ShardRequest =
  | { init: ShardInit }
  | { id: number; config: QuantConfig; opts: Omit<EvalOptions, 'signal'> };

export type ShardReply =
  | { ready: true }
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

/** Sends a shard its model and images, resolves once its engine is ready. */
export function connectShard(t: ShardTransport, init: ShardInit): Promise<Shard> {
  const pending = new Map<number, { resolve(r: EvalResult): void; reject(e: Error): void }>();
  let dead: Error | null = null;
  let next = 0;
  return new Promise((ready, failed) => {
    const shard: Shard = {
      evaluate: (config, opts) => new Promise((resolve, reject) => {
        if (dead) return reject(dead);
        const id = next++;
        pending.set(id, { resolve, reject });
        t.post({ id, config, opts });
      }),
      close: () => t.terminate(),
    };
    t.listen((m) => {
      if ('ready' in m) return ready(shard);
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
    const { images, labels, floatPredictions } = init.set;
    t.post({ init }, [images.buffer as ArrayBuffer, labels.buffer as ArrayBuffer, floatPredictions.buffer as ArrayBuffer]);
  });
}

/** `workers` shards, shard k from `spawn(k)`, each scoring every workers-th image. */
export async function startPool(spawn: (k: number) => ShardTransport, graph: Graph, set: ImageSet, proxyTotal: number, workers: number): Promise<PoolEvaluator> {
  const full = { ...set, proxyTotal };
  const errors = workers > 1 ? sharedCounter() : undefined;
  const started: ShardTransport[] = [];
  try {
    const shards = await Promise.all(Array.from({ length: workers }, (_, k) => {
      const t = spawn(k);
      started.push(t);
      return connectShard(t, { graph, set: dealShard(full, k, workers), errors });
    }));
    return new PoolEvaluator(shards, full, errors && new Int32Array(errors));
  } catch (e) {
    for (const t of started) t.terminate();
    throw e;
  }
}

/** The worker's side: builds its engine on the init message, then answers evaluations in order. */
export function serveShard(makeEngine: () => Promise<Engine>, reply: (m: ShardReply) => void): (m: ShardRequest) => void {
  let evaluator: Promise<EngineEvaluator> | null = null;
  // One engine: evaluations run one after another even if requests arrive together.
  let queue: Promise<unknown> = Promise.resolve();
  return (m) => {
    if ('init' in m) {
      const { graph, set, errors } = m.init;
      evaluator = makeEngine().then((engine) => {
        engine.load(graph);
        return new EngineEvaluator(engine, set, set.proxyTotal, errors && new Int32Array(errors));
      });
      evaluator.then(() => reply({ ready: true }), (e) => reply({ failed: messageOf(e) }));
      return;
    }
    const { id, config, opts } = m;
    if (!evaluator) return reply({ id, error: 'shard used before its init message' });
    const ready = evaluator;
    queue = queue.then(() => ready.then((ev) => ev.evaluate(config, opts)).then(
      (result) => reply({ id, result }),
      (e) => reply({ id, error: messageOf(e) }),
    ));
  };
}
