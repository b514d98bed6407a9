// The engine worker's pool of search shards (Web Workers nested in it, so terminating the
// engine worker ends them too). Kept while the model, the data and the size stay the same, so
// a second search starts at once.
import type { LoadedData } from '../app/load-data.ts';
import type { Graph } from '../core/graph.ts';
import type { ImageSet } from '../search/engine-evaluator.ts';
import type { UnpredictedSet } from '../search/float-pass.ts';
import type { PoolEvaluator } from '../search/pool-evaluator.ts';
import { type ShardTransport, startPool } from '../search/shard-protocol.ts';

function webTransport(k: number): ShardTransport {
  const gen = (self as unknown as { name?: string }).name?.split(' ')[0] ?? 'fixpoint';
  const worker = new Worker(new URL('./shard-worker.ts', import.meta.url), { type: 'module', name: `${gen} shard-${k}` });
  return {
    post: (m, transfer) => worker.postMessage(m, transfer ?? []),
    listen(onReply, onDeath) {
      worker.onmessage = (e) => onReply(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        onDeath(new Error(`a search worker failed: ${e.message || 'it could not start'}`));
      };
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * What the shards' caches may hold together in a page: each engine would take up to 448 MiB
 * by default on a paper-scale model, too much for a tab times a dozen cores. (The engine
 * worker's own engine, which runs no search steps while the shards do, keeps its default.)
 */
export const PAGE_POOL_CACHE_BYTES = 2 ** 30;

/** `workers` Web Worker shards over `set` (and `others`), shard k scoring images k, k+workers, … */
export function webShardPool(graph: Graph, set: ImageSet, proxyTotal: number, workers: number, others?: Record<string, ImageSet | UnpredictedSet>): Promise<PoolEvaluator> {
  return startPool(webTransport, graph, set, proxyTotal, workers, others, { cacheBytes: PAGE_POOL_CACHE_BYTES });
}

let kept: { graph: Graph; data: LoadedData; workers: number; pool: Promise<PoolEvaluator> } | null = null;

/** A pool of `workers` shards over the search, confirmation and held-out images (null for one: the engine worker scores itself). */
export function shardPool(graph: Graph, data: LoadedData, workers: number, proxyTotal: number): Promise<PoolEvaluator> | null {
  if (kept && (kept.graph !== graph || kept.data !== data || kept.workers !== workers)) {
    void kept.pool.then((p) => p.close(), () => {});
    kept = null;
  }
  if (workers <= 1) return null;
  if (!kept) {
    // The confirmation and held-out images too: the run's confirmation and final scores use every worker.
    const pool = webShardPool(graph, data.calibration, proxyTotal, workers, { confirmation: data.confirmation, validation: data.validation });
    kept = { graph, data, workers, pool };
    pool.catch(() => { if (kept?.pool === pool) kept = null; });
  }
  return kept.pool;
}

/** Ends the kept shards, e.g. after a search failed (one of them may be dead). */
export function closeShardPool(): void {
  void kept?.pool.then((p) => p.close(), () => {});
  kept = null;
}
