// The engine benchmark's measuring code, shared by Node (bench/engine-bench.ts) and Chromium
// (bench/browser/main.ts): no Node or DOM APIs here.
//
// Both sides get a warm-up pass (Wasm tier-up, XNNPACK packing) and a pause, then `repeats`
// timed passes over all images, interleaved (engine float, engine 8-bit, TensorFlow.js, …) so
// load from other processes hits each alike; the best pass of each counts. TensorFlow.js runs
// at two batch sizes and its better one counts. The peak is measured before and after the
// models and the higher value counts (a busy core only ever lowers it).
import * as tf from '@tensorflow/tfjs';
import { floatConfig } from '../src/core/config.ts';
import type { Graph } from '../src/core/graph.ts';
import { graphTotals } from '../src/core/graph.ts';
import type { Engine } from '../src/engine/engine.ts';
import { uniformConfig } from '../src/testing/uniform-config.ts';

export const BENCH_MODELS = ['lenet5-mnist', 'mnist_seq_large'] as const;
export type BenchModel = (typeof BENCH_MODELS)[number];

export interface BenchImages {
  /** N×28×28×1 floats (pixel/255). */
  images: Float32Array;
  labels: Int32Array;
  count: number;
  /** Where the images come from, for the report. */
  source: string;
}

export interface ModelBench {
  images: number;
  macs_per_image: number;
  engine_images_per_s: number;
  engine_float_images_per_s: number;
  /** TensorFlow.js at its best batch size (of the engine's and 256). */
  tfjs_images_per_s: number;
  tfjs_batch: number;
  tfjs_images_per_s_by_batch: Record<string, number>;
  engine_gmacs_per_s: number;
  /** Top-1 agreement of the 8-bit engine with TensorFlow.js's float model. */
  agreement_with_tfjs: number;
  /** Kernel families the 8-bit configuration ran (i16, i8-relaxed, …). */
  engine_kernels: string;
}

export interface BenchResult {
  /** Engine (8-bit) images/s divided by TensorFlow.js wasm images/s, per model. */
  engine_vs_tfjs: Record<string, number>;
  /** Engine MACs/s divided by the peak of its inner instruction, per model. */
  peak_fraction: Record<string, number>;
  peak_gmacs_per_s: number;
  peak_f32_gmacs_per_s: number;
  engine_build: 'simd' | 'relaxed-simd';
  tfjs: { backend: string; threads: number; simd: boolean };
  batch: number;
  images_source: string;
  runtime: string;
  models: Record<string, ModelBench>;
}

export interface PeakProbes {
  peak_dot_i16(iters: number, seed: number): number;
  peak_f32(iters: number, seed: number): number;
}

const now = (): number => performance.now();
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Best-of-n timings in seconds of several contenders, interleaved, after a warm-up each. */
export async function bestInterleaved(repeats: number, fns: Array<() => unknown | Promise<unknown>>): Promise<number[]> {
  for (const fn of fns) await fn();
  // V8 compiles optimised Wasm in the background (tier-up); a running call keeps its code.
  await pause(200);
  const t = fns.map(() => Infinity);
  for (let i = 0; i < repeats; i++) {
    for (let j = 0; j < fns.length; j++) {
      const t0 = now();
      await fns[j]();
      t[j] = Math.min(t[j], (now() - t0) / 1000);
    }
  }
  return t;
}

/** Peak MAC rate of i32x4.dot_i16x8_s (and of f32x4 mul+add) on registers, best of 9. */
export async function measurePeak(k: PeakProbes): Promise<{ i16: number; f32: number }> {
  const iters = 1_000_000;
  // Many short calls first so V8 tiers the probes up to optimised code.
  for (let i = 0; i < 40; i++) { k.peak_dot_i16(iters / 10, 3); k.peak_f32(iters / 10, 3); }
  await pause(200);
  const rate = (fn: () => void, macs: number) => {
    let t = Infinity;
    for (let i = 0; i < 9; i++) {
      const t0 = now();
      fn();
      t = Math.min(t, (now() - t0) / 1000);
    }
    return macs / t / 1e9;
  };
  return { i16: rate(() => k.peak_dot_i16(iters, 3), iters * 64), f32: rate(() => k.peak_f32(iters, 3), iters * 32) };
}

function tfjsPredictAll(model: tf.LayersModel, set: BenchImages, batch: number): Int32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(set.images, [set.count, 28, 28, 1]);
    const y = model.predict(x, { batchSize: batch }) as tf.Tensor;
    return Int32Array.from(y.argMax(-1).dataSync());
  });
}

export interface ModelUnderTest {
  graph: Graph;
  model: tf.LayersModel;
}

/**
 * One model: calibration statistics from the first 200 images, every tensor at 8 bits with
 * no-clipping fracs (DESIGN.md §5's baseline), then the interleaved timings. `newEngine` makes
 * engines of the same build (one float, one 8-bit, so no setConfig is timed).
 */
export async function benchModel(m: ModelUnderTest, newEngine: () => Engine, set: BenchImages, batch: number, repeats: number,
  log: (s: string) => void, name: string): Promise<ModelBench> {
  const { graph, model } = m;
  const macs = graphTotals(graph).macs;
  const floatEngine = newEngine();
  floatEngine.load(graph, batch);
  floatEngine.setConfig(floatConfig(graph.nodes.length));
  const stats = floatEngine.activationStats(set.images.subarray(0, Math.min(set.count, 200) * 784));
  const fixedEngine = newEngine();
  fixedEngine.load(graph, batch);
  fixedEngine.setConfig(uniformConfig(graph, stats, 8));
  let predictions: Int32Array = new Int32Array(0);
  let theirs: Int32Array = new Int32Array(0);
  // TensorFlow.js at the engine's batch size and at a large one (XNNPACK gains on small
  // models from bigger batches; the engine prefers batches whose activations stay in L2). Its
  // best counts, so the ratio is conservative.
  const tfBatches = [...new Set([batch, 256])];
  const times = await bestInterleaved(repeats, [
    () => floatEngine.run(set.images, set.labels),
    () => { predictions = fixedEngine.run(set.images, set.labels).predictions; },
    ...tfBatches.map((b) => () => { theirs = tfjsPredictAll(model, set, b); }),
  ]);
  const [tFloat, tEngine] = times;
  const tfTimes = times.slice(2);
  const tTf = Math.min(...tfTimes);
  const tfBest = tfBatches[tfTimes.indexOf(tTf)];
  log(`${name}: engine 8-bit ${(set.count / tEngine).toFixed(0)} images/s, engine float ${(set.count / tFloat).toFixed(0)} images/s, ` +
    `TensorFlow.js wasm ${tfBatches.map((b, i) => `${(set.count / tfTimes[i]).toFixed(0)} images/s (batch ${b})`).join(', ')}`);
  let agree = 0;
  for (let i = 0; i < set.count; i++) agree += predictions[i] === theirs[i] ? 1 : 0;
  return {
    images: set.count,
    macs_per_image: macs,
    engine_images_per_s: set.count / tEngine,
    engine_float_images_per_s: set.count / tFloat,
    tfjs_images_per_s: set.count / tTf,
    tfjs_batch: tfBest,
    tfjs_images_per_s_by_batch: Object.fromEntries(tfBatches.map((b, i) => [String(b), set.count / tfTimes[i]])),
    engine_gmacs_per_s: (macs * set.count) / tEngine / 1e9,
    agreement_with_tfjs: agree / set.count,
    engine_kernels: [...new Set(fixedEngine.nodePaths().filter((p) => p !== 'input' && p !== 'alias' && p !== 'int'))].join(','),
  };
}

/** Records a model's figures and ratios into the result. */
export function addModel(r: BenchResult, name: string, m: ModelBench): void {
  r.models[name] = m;
  r.engine_vs_tfjs[name] = m.engine_images_per_s / m.tfjs_images_per_s;
  r.peak_fraction[name] = m.engine_gmacs_per_s / r.peak_gmacs_per_s;
}

/** Replaces the peak and recomputes every model's fraction of it. */
export function setPeak(r: BenchResult, peak: number): void {
  r.peak_gmacs_per_s = peak;
  for (const [name, m] of Object.entries(r.models)) r.peak_fraction[name] = m.engine_gmacs_per_s / peak;
}

/** Human-readable summary lines. */
export function formatBench(r: BenchResult): string {
  const lines = [`peak ${r.peak_gmacs_per_s.toFixed(1)} G MAC/s (i16 dot), engine build ${r.engine_build}, TensorFlow.js wasm ` +
    `${r.tfjs.threads} thread${r.tfjs.threads === 1 ? '' : 's'}, batch ${r.batch}, ${r.images_source}, ${r.runtime}`];
  for (const [name, m] of Object.entries(r.models)) {
    lines.push(`${name}: engine 8-bit ${m.engine_images_per_s.toFixed(0)} images/s vs TensorFlow.js ${m.tfjs_images_per_s.toFixed(0)} images/s → ` +
      `${r.engine_vs_tfjs[name].toFixed(2)}× (TensorFlow.js batch ${m.tfjs_batch}, engine batch ${r.batch}); ${m.engine_gmacs_per_s.toFixed(1)} G MAC/s = ${(100 * r.peak_fraction[name]).toFixed(0)}% of peak; ` +
      `engine float ${m.engine_float_images_per_s.toFixed(0)} images/s; top-1 agreement with TensorFlow.js ${(100 * m.agreement_with_tfjs).toFixed(1)}%`);
  }
  return lines.join('\n');
}
