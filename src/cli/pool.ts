// `--workers N` in Node: N worker threads, each with its own engine and shard of the images,
// speaking search/shard-protocol.ts like the page's Web Workers.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Graph } from '../core/graph.ts';
import type { ImageSet } from '../search/engine-evaluator.ts';
import type { UnpredictedSet } from '../search/float-pass.ts';
import type { PoolEvaluator } from '../search/pool-evaluator.ts';
import { type ShardTransport, startPool } from '../search/shard-protocol.ts';
import { projectRoot } from './project.ts';

/** The worker entry beside this module: built JS in dist-cli, TypeScript (through tsx) in tests. */
function workerEntry(): { url: URL; tsEntry?: string } {
  const js = new URL('./pool-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { url: js };
  return { url: new URL('./ts-worker-boot.mjs', import.meta.url), tsEntry: new URL('./pool-worker.ts', import.meta.url).href };
}

function threadTransport(): ShardTransport {
  const { url, tsEntry } = workerEntry();
  const worker = new Worker(url, { workerData: { root: projectRoot(), tsEntry } });
  let ended = false;
  return {
    post: (m, transfer) => worker.postMessage(m, transfer),
    listen(onReply, onDeath) {
      worker.on('message', onReply);
      worker.on('error', onDeath);
      worker.on('exit', (code) => { if (!ended) onDeath(new Error(`a search worker thread stopped (exit code ${code})`)); });
    },
    terminate() {
      ended = true;
      void worker.terminate();
    },
  };
}

/** `workers` threads over the search images `set` and, when given, `others` (shard-protocol.ts startPool). */
export function workerPool(graph: Graph, set: ImageSet, proxyTotal: number, workers: number, others?: Record<string, ImageSet | UnpredictedSet>): Promise<PoolEvaluator> {
  return startPool(threadTransport, graph, set, proxyTotal, workers, others);
}
