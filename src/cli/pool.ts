// `--workers N` in Node: N worker threads, each with its own engine and shard of the images.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Graph } from '../core/graph.ts';
import type { ImageSet } from '../search/engine-evaluator.ts';
import { PoolEvaluator, type Shard, dealShard } from '../search/pool-evaluator.ts';
import { projectRoot } from './project.ts';

/** The worker entry beside this module: built JS in dist-cli, TypeScript (through tsx) in tests. */
function workerEntry(): { url: URL; tsEntry?: string } {
  const js = new URL('./pool-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { url: js };
  return { url: new URL('./ts-worker-boot.mjs', import.meta.url), tsEntry: new URL('./pool-worker.ts', import.meta.url).href };
}

function startShard(graph: Graph, set: ReturnType<typeof dealShard>): Promise<Shard> {
  const { url, tsEntry } = workerEntry();
  const worker = new Worker(url, { workerData: { graph, set, root: projectRoot(), tsEntry } });
  const pending = new Map<number, { resolve(r: never): void; reject(e: Error): void }>();
  let next = 0;
  return new Promise((ready, failed) => {
    worker.once('error', failed);
    worker.on('message', (m) => {
      if (m.ready) return ready(shard);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.result as never);
    });
    worker.on('error', (e) => pending.forEach((p) => p.reject(e)));
    const shard: Shard = {
      evaluate: (config, opts) => new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, config, opts });
      }),
      close: () => void worker.terminate(),
    };
  });
}

export async function workerPool(graph: Graph, set: ImageSet, proxyTotal: number, workers: number): Promise<PoolEvaluator> {
  const full = { ...set, proxyTotal };
  const shards = await Promise.all(Array.from({ length: workers }, (_, k) => startShard(graph, dealShard(full, k, workers))));
  return new PoolEvaluator(shards, full);
}
