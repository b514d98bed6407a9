// search_float_passes (issue 12): a whole search's time divided by the time TensorFlow.js
// (wasm, one thread) takes to classify the same search images once, for the paper method and
// frontier on mnist_seq_large (or --model) with 2 worker threads. A ratio of two times measured
// in one run, so it does not depend on how fast the machine is (only on how evenly it is loaded).
// Slow (whole searches): `fixpoint bench --float-passes` or `npx tsx bench/float-passes.ts`.
import * as tf from '@tensorflow/tfjs';
import { bestInterleaved } from '../../app/bench/engine-core.ts';
import { timeSearch } from '../../app/bench/truncated-search.ts';
import { PROXY_IMAGES } from '../../app/load-data.ts';
import type { Method } from '../../search/scorer.ts';
import { workerPool } from '../pool.ts';
import { initTfjsWasm } from './engine.ts';
import { loadBenchModel, seqLargePath } from './inputs.ts';
import { largeModelSearch } from './workers.ts';

export interface FloatPassesResult {
  model: string;
  images: number;
  workers: number;
  /** Seconds TensorFlow.js takes to classify the search images once (best batch of 32, 256). */
  tfjs_seconds: number;
  seconds: Partial<Record<Method, number>>;
  evaluations: Partial<Record<Method, number>>;
  search_float_passes: Partial<Record<Method, number>>;
}

export async function runFloatPassesBench(o: { model?: string; data?: string; images?: number; workers?: number; methods?: Method[]; log?: (s: string) => void } = {}): Promise<FloatPassesResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const workers = o.workers ?? 2;
  const { name, data, search } = await largeModelSearch({ model: o.model, data: o.data, images: o.images ?? 1000 });
  const set = data.calibration;
  const n = set.labels.length;
  await initTfjsWasm();
  const { model } = await loadBenchModel(o.model ?? seqLargePath());
  const [h, w, c] = search.graph.nodes[0].shape;
  const classify = (batch: number) => () => tf.tidy(() => (model.predict(tf.tensor4d(set.images, [n, h, w, c]), { batchSize: batch }) as tf.Tensor).argMax(-1).dataSync());
  const tfjs = Math.min(...await bestInterleaved(2, [classify(32), classify(256)]));
  model.dispose();
  log(`float passes: TensorFlow.js classifies the ${n} search images in ${tfjs.toFixed(2)} s`);
  const r: FloatPassesResult = { model: name, images: n, workers, tfjs_seconds: tfjs, seconds: {}, evaluations: {}, search_float_passes: {} };
  for (const method of o.methods ?? ['paper', 'frontier']) {
    const pool = await workerPool(search.graph, set, PROXY_IMAGES, workers);
    try {
      const t = await timeSearch({ ...search, method, evaluations: 0 }, pool);
      r.seconds[method] = t.seconds;
      r.evaluations[method] = t.evaluations;
      r.search_float_passes[method] = t.seconds / tfjs;
      log(`float passes: ${method}, ${workers} worker threads: ${t.evaluations} evaluations in ${t.seconds.toFixed(1)} s = ${(t.seconds / tfjs).toFixed(1)} float passes`);
    } finally {
      pool.close();
    }
  }
  return r;
}
