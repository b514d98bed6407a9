// The engine benchmark's measuring code, shared by `fixpoint bench` (src/cli/bench/engine.ts)
// and Chromium (bench/browser/main.ts): no Node or DOM APIs here. It lives in src/app (README.md
// beside it) so the bundled command line carries it.
//
// Like for like: the engine's float path against TensorFlow.js (float32), and the integer
// engine at the 8-bit baseline and at a configuration the paper method searched (on the first
// 100 images at 1%: more would make the bench minutes longer on mnist_seq_large), each its own
// ratio. Each run's peak fraction divides its MAC rate by the peak of the kernels that actually
// ran, weighted by their share of the MACs (i16 dot for the i16 paths, the relaxed i8 dot for
// i8-relaxed, f32 mul+add for float nodes).
//
// Both sides get a warm-up pass (Wasm tier-up, XNNPACK packing) and a pause, then `repeats`
// timed passes over all images (more for short passes, until each side has run for a second),
// interleaved (engine float, engine 8-bit, TensorFlow.js, …) so load from other processes hits
// each alike; the best pass of each counts. TensorFlow.js runs
// at two batch sizes and its better one counts. The peak is measured before and after the
// models and the higher value counts (a busy core only ever lowers it).
import * as tf from '@tensorflow/tfjs';
import type { QuantConfig } from '../../core/config.ts';
import { floatConfig } from '../../core/config.ts';
import { uniformConfig } from '../../core/cost.ts';
import type { Graph } from '../../core/graph.ts';
import { elementCount, graphTotals, nodeMacs } from '../../core/graph.ts';
import type { Engine, NodePath } from '../../engine/engine.ts';
import { EngineEvaluator } from '../../search/engine-evaluator.ts';
import { runSearch } from '../../search/run.ts';

export interface BenchImages {
  /** N images preprocessed for the model's input (N×H×W×C floats, e.g. pixel/255). */
  images: Float32Array;
  labels: Int32Array;
  count: number;
  /** Where the images come from, for the report. */
  source: string;
}

/** MACs per image by the kernel family that ran them. */
export type KernelMix = Partial<Record<NodePath, number>>;

export interface ModelBench {
  images: number;
  macs_per_image: number;
  /** The integer engine at the 8-bit baseline. */
  engine_images_per_s: number;
  engine_float_images_per_s: number;
  /** The integer engine at a searched configuration (searched_config). */
  engine_searched_images_per_s: number;
  searched_config: { method: 'paper'; images: number; budget: number; mult_cost_vs_8bit: number; memory_kb_vs_8bit: number; kernels: string };
  kernel_macs: { int8: KernelMix; float: KernelMix; searched: KernelMix };
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
  /** Engine float path images/s divided by TensorFlow.js wasm (float32) images/s, per model. */
  engine_float_vs_tfjs: Record<string, number>;
  /** The integer engine at the 8-bit baseline against TensorFlow.js, per model. */
  engine_int8_vs_tfjs: Record<string, number>;
  /** The integer engine at a searched configuration against TensorFlow.js, per model. */
  engine_searched_vs_tfjs: Record<string, number>;
  /** 8-bit engine MACs/s divided by the peak of the kernels that ran (MAC-weighted), per model. */
  peak_fraction: Record<string, number>;
  peak_fraction_float: Record<string, number>;
  peak_fraction_searched: Record<string, number>;
  /** i32x4.dot_i16x8_s on registers. */
  peak_gmacs_per_s: number;
  /** The relaxed build's i8 dot (null where relaxed SIMD does not run). */
  peak_i8_gmacs_per_s: number | null;
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
  /** -1 in the plain SIMD build. */
  peak_dot_i8(iters: number, seed: number): number;
}

export interface Peaks {
  i16: number;
  f32: number;
  i8: number | null;
}

const now = (): number => performance.now();
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Best-of-n timings in seconds of several contenders, interleaved, after a warm-up each: at
 * least `repeats` rounds, and more (up to 100) until every contender has run for `minSeconds`.
 * A pass of LeNet over 500 images takes ~10 ms, so two of them are at the mercy of a single
 * preemption on a shared machine; more rounds give each side the same chance of a clean one.
 */
export async function bestInterleaved(repeats: number, fns: Array<() => unknown | Promise<unknown>>, minSeconds = 1): Promise<number[]> {
  for (const fn of fns) await fn();
  // V8 compiles optimised Wasm in the background (tier-up); a running call keeps its code.
  await pause(200);
  const t = fns.map(() => Infinity);
  const spent = fns.map(() => 0);
  for (let i = 0; i < repeats || (i < 100 && Math.min(...spent) < minSeconds); i++) {
    for (let j = 0; j < fns.length; j++) {
      const t0 = now();
      await fns[j]();
      const s = (now() - t0) / 1000;
      t[j] = Math.min(t[j], s);
      spent[j] += s;
    }
  }
  return t;
}

/**
 * Peak MAC rate of i32x4.dot_i16x8_s, of f32x4 mul+add and (from `relaxed`, the relaxed build's
 * probes, when given and runnable) of the relaxed i8 dot, on registers, best of 9.
 */
export async function measurePeak(k: PeakProbes, relaxed?: PeakProbes | null): Promise<Peaks> {
  const iters = 1_000_000;
  const i8 = relaxed && relaxed.peak_dot_i8(10, 3) !== -1 ? relaxed : null;
  // Many short calls first so V8 tiers the probes up to optimised code.
  for (let i = 0; i < 40; i++) { k.peak_dot_i16(iters / 10, 3); k.peak_f32(iters / 10, 3); i8?.peak_dot_i8(iters / 10, 3); }
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
  return {
    i16: rate(() => k.peak_dot_i16(iters, 3), iters * 64), f32: rate(() => k.peak_f32(iters, 3), iters * 32),
    i8: i8 ? rate(() => i8.peak_dot_i8(iters, 3), iters * 128) : null,
  };
}

/** The higher of two measurements of each peak (a busy core only ever lowers them). */
export function maxPeaks(a: Peaks, b: Peaks): Peaks {
  return { i16: Math.max(a.i16, b.i16), f32: Math.max(a.f32, b.f32), i8: a.i8 === null ? b.i8 : b.i8 === null ? a.i8 : Math.max(a.i8, b.i8) };
}

/** MACs per image of a configuration by kernel family (the engine's nodePaths). */
function kernelMix(g: Graph, e: Engine): KernelMix {
  const mix: KernelMix = {};
  e.nodePaths().forEach((p, i) => {
    const m = nodeMacs(g.nodes[i]);
    if (m > 0) mix[p] = (mix[p] ?? 0) + m;
  });
  return mix;
}

/** The peak a run with this MAC mix could reach: Σ MACs / Σ MACs / peak of each kernel. */
export function mixPeak(mix: KernelMix, peaks: Peaks): number {
  let macs = 0, time = 0;
  for (const [path, m] of Object.entries(mix) as Array<[NodePath, number]>) {
    const peak = path === 'float' ? peaks.f32 : path === 'i8-relaxed' ? (peaks.i8 ?? peaks.i16) : peaks.i16;
    macs += m;
    time += m / peak;
  }
  return time > 0 ? macs / time : peaks.i16;
}

function tfjsPredictAll(model: tf.LayersModel, graph: Graph, set: BenchImages, batch: number): Int32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(set.images, [set.count, ...graph.nodes[0].shape]);
    const y = model.predict(x, { batchSize: batch }) as tf.Tensor;
    return Int32Array.from(y.argMax(-1).dataSync());
  });
}

export interface ModelUnderTest {
  graph: Graph;
  model: tf.LayersModel;
}

/** The paper method's configuration for the first 100 images at a 1% budget. */
async function searchedConfig(graph: Graph, newEngine: () => Engine, set: BenchImages, batch: number, floatPredictions: Int32Array,
  stats: Array<{ maxAbs: number; min: number }>): Promise<{ config: QuantConfig; images: number; mult: number; memory: number }> {
  const n = Math.min(set.count, 100);
  const size = elementCount(graph.nodes[0].shape);
  const engine = newEngine();
  engine.load(graph, batch);
  const evaluator = new EngineEvaluator(engine, {
    images: set.images.subarray(0, n * size), labels: set.labels.subarray(0, n), floatPredictions: floatPredictions.subarray(0, n),
  }, n);
  const r = await runSearch('paper', { graph, evaluator, budget: 0.01, stats, seed: 0 });
  return {
    config: r.chosen.config, images: n,
    mult: r.chosen.cost.mult_cost / r.baseline8.cost.mult_cost, memory: r.chosen.cost.memory_kb / r.baseline8.cost.memory_kb,
  };
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
  const stats = floatEngine.activationStats(set.images.subarray(0, Math.min(set.count, 200) * elementCount(graph.nodes[0].shape)));
  const fixedEngine = newEngine();
  fixedEngine.load(graph, batch);
  fixedEngine.setConfig(uniformConfig(graph, stats, 8));
  const searched = await searchedConfig(graph, newEngine, set, batch, floatEngine.run(set.images, null).predictions, stats);
  log(`${name}: paper-searched configuration on ${searched.images} images: ${(100 * searched.mult).toFixed(1)}% of 8-bit mult_cost, ${(100 * searched.memory).toFixed(1)}% of its memory`);
  const searchedEngine = newEngine();
  searchedEngine.load(graph, batch);
  searchedEngine.setConfig(searched.config);
  let predictions: Int32Array = new Int32Array(0);
  let theirs: Int32Array = new Int32Array(0);
  // TensorFlow.js at the engine's batch size and at a large one (XNNPACK gains on small
  // models from bigger batches; the engine prefers batches whose activations stay in L2). Its
  // best counts, so the ratio is conservative.
  const tfBatches = [...new Set([batch, 256])];
  const times = await bestInterleaved(repeats, [
    () => floatEngine.run(set.images, set.labels),
    () => { predictions = fixedEngine.run(set.images, set.labels).predictions; },
    () => searchedEngine.run(set.images, set.labels),
    ...tfBatches.map((b) => () => { theirs = tfjsPredictAll(model, graph, set, b); }),
  ]);
  const [tFloat, tEngine, tSearched] = times;
  const tfTimes = times.slice(3);
  const tTf = Math.min(...tfTimes);
  const tfBest = tfBatches[tfTimes.indexOf(tTf)];
  log(`${name}: engine 8-bit ${(set.count / tEngine).toFixed(0)} images/s, searched ${(set.count / tSearched).toFixed(0)} images/s, engine float ${(set.count / tFloat).toFixed(0)} images/s, ` +
    `TensorFlow.js wasm ${tfBatches.map((b, i) => `${(set.count / tfTimes[i]).toFixed(0)} images/s (batch ${b})`).join(', ')}`);
  let agree = 0;
  for (let i = 0; i < set.count; i++) agree += predictions[i] === theirs[i] ? 1 : 0;
  return {
    images: set.count,
    macs_per_image: macs,
    engine_images_per_s: set.count / tEngine,
    engine_float_images_per_s: set.count / tFloat,
    engine_searched_images_per_s: set.count / tSearched,
    searched_config: {
      method: 'paper', images: searched.images, budget: 0.01, mult_cost_vs_8bit: searched.mult, memory_kb_vs_8bit: searched.memory,
      kernels: [...new Set(searchedEngine.nodePaths().filter((p) => p !== 'input' && p !== 'alias' && p !== 'int'))].join(','),
    },
    kernel_macs: { int8: kernelMix(graph, fixedEngine), float: kernelMix(graph, floatEngine), searched: kernelMix(graph, searchedEngine) },
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
  r.engine_float_vs_tfjs[name] = m.engine_float_images_per_s / m.tfjs_images_per_s;
  r.engine_int8_vs_tfjs[name] = m.engine_images_per_s / m.tfjs_images_per_s;
  r.engine_searched_vs_tfjs[name] = m.engine_searched_images_per_s / m.tfjs_images_per_s;
  setPeaks(r, { i16: r.peak_gmacs_per_s, f32: r.peak_f32_gmacs_per_s, i8: r.peak_i8_gmacs_per_s });
}

/** An empty result with the peaks measured before the models. */
export function newBenchResult(peaks: Peaks, rest: Pick<BenchResult, 'engine_build' | 'tfjs' | 'batch' | 'images_source' | 'runtime'>): BenchResult {
  return {
    engine_float_vs_tfjs: {}, engine_int8_vs_tfjs: {}, engine_searched_vs_tfjs: {}, peak_fraction: {}, peak_fraction_float: {}, peak_fraction_searched: {},
    peak_gmacs_per_s: peaks.i16, peak_i8_gmacs_per_s: peaks.i8, peak_f32_gmacs_per_s: peaks.f32, ...rest, models: {},
  };
}

/** Sets the peaks and recomputes every model's fractions of the peak of the kernels it ran. */
export function setPeaks(r: BenchResult, peaks: Peaks): void {
  r.peak_gmacs_per_s = peaks.i16;
  r.peak_f32_gmacs_per_s = peaks.f32;
  r.peak_i8_gmacs_per_s = peaks.i8;
  for (const [name, m] of Object.entries(r.models)) {
    const rate = (imagesPerS: number) => (m.macs_per_image * imagesPerS) / 1e9;
    r.peak_fraction[name] = rate(m.engine_images_per_s) / mixPeak(m.kernel_macs.int8, peaks);
    r.peak_fraction_float[name] = rate(m.engine_float_images_per_s) / mixPeak(m.kernel_macs.float, peaks);
    r.peak_fraction_searched[name] = rate(m.engine_searched_images_per_s) / mixPeak(m.kernel_macs.searched, peaks);
  }
}

/** Human-readable summary lines. */
export function formatBench(r: BenchResult): string {
  const lines = [`peak ${r.peak_gmacs_per_s.toFixed(1)} G MAC/s (i16 dot), ${r.peak_i8_gmacs_per_s === null ? 'no relaxed i8 dot' : `${r.peak_i8_gmacs_per_s.toFixed(1)} (relaxed i8 dot)`}, ${r.peak_f32_gmacs_per_s.toFixed(1)} (f32), engine build ${r.engine_build}, TensorFlow.js wasm ` +
    `${r.tfjs.threads} thread${r.tfjs.threads === 1 ? '' : 's'}, batch ${r.batch}, ${r.images_source}, ${r.runtime}`];
  for (const [name, m] of Object.entries(r.models)) {
    const s = m.searched_config;
    lines.push(`${name}: TensorFlow.js ${m.tfjs_images_per_s.toFixed(0)} images/s (batch ${m.tfjs_batch}; engine batch ${r.batch}) against ` +
      `engine float ${m.engine_float_images_per_s.toFixed(0)} images/s → ${r.engine_float_vs_tfjs[name].toFixed(2)}× (${(100 * r.peak_fraction_float[name]).toFixed(0)}% of the f32 peak); ` +
      `8-bit ${m.engine_images_per_s.toFixed(0)} images/s → ${r.engine_int8_vs_tfjs[name].toFixed(2)}× (${m.engine_gmacs_per_s.toFixed(1)} G MAC/s, ${(100 * r.peak_fraction[name]).toFixed(0)}% of the peak of ${m.engine_kernels}); ` +
      `paper-searched (${(100 * s.mult_cost_vs_8bit).toFixed(0)}% of 8-bit mult_cost) ${m.engine_searched_images_per_s.toFixed(0)} images/s → ${r.engine_searched_vs_tfjs[name].toFixed(2)}× ` +
      `(${(100 * r.peak_fraction_searched[name]).toFixed(0)}% of the peak of ${s.kernels}); top-1 agreement of 8-bit with TensorFlow.js ${(100 * m.agreement_with_tfjs).toFixed(1)}%`);
  }
  return lines.join('\n');
}
