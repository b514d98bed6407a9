// A worker thread of `--workers N`: one engine scoring one shard of the search images.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ENGINE_BATCH } from '../app/load-data.ts';
import type { QuantConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import { createEngine } from '../engine/engine.ts';
import { loadEngineWasmNode } from '../engine/load-node.ts';
import { EngineEvaluator } from '../search/engine-evaluator.ts';
import type { EvalOptions } from '../search/evaluator.ts';
import type { ShardSet } from '../search/pool-evaluator.ts';

const { graph, set, root } = workerData as { graph: Graph; set: ShardSet; root: string };
const engine = await createEngine(loadEngineWasmNode(join(root, 'build')));
engine.load(graph, ENGINE_BATCH);
const evaluator = new EngineEvaluator(engine, set, set.proxyTotal);

parentPort!.on('message', async (m: { id: number; config: QuantConfig; opts: EvalOptions }) => {
  try {
    parentPort!.postMessage({ id: m.id, result: await evaluator.evaluate(m.config, m.opts) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort!.postMessage({ ready: true });
