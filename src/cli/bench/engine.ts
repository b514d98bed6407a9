// The engine figures of `fixpoint bench` in Node (DESIGN.md §10): images per second of the
// fixed-point engine (float path, 8-bit baseline, a paper-searched configuration) against
// TensorFlow.js's wasm backend (float32, SIMD, one thread) on the same model and the same
// images, in one run, as ratios; and the engine's multiply-accumulates per second against the
// peak of its inner instructions measured in the same run. The measuring itself is
// src/app/bench/engine-core.ts, shared with the Chromium version (`npm run bench:browser`).
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import type { BenchResult, PeakProbes } from '../../app/bench/engine-core.ts';
import { addModel, benchModel, maxPeaks, measurePeak, newBenchResult, setPeaks } from '../../app/bench/engine-core.ts';
import { DEFAULT_BATCH, createEngineSync } from '../../engine/engine.ts';
import { instantiateKernels } from '../../engine/kernels.ts';
import { loadEngineWasmNode } from '../../engine/load-node.ts';
import { demoModelPath } from '../project.ts';
import { benchImages, loadBenchModel } from './inputs.ts';

export type { BenchResult, ModelBench } from '../../app/bench/engine-core.ts';
export { formatBench } from '../../app/bench/engine-core.ts';

export interface BenchOptions {
  /** Model files (default: the demo LeNet-5 only; `fixpoint bench` adds mnist_seq_large). */
  models?: string[];
  /** The images (a data folder or file `openDataset` reads); the first `images` of it are used. */
  data: string;
  /** Images per pass (default 1,000). */
  images?: number;
  /** Engine batch size (TensorFlow.js predicts with the same batch size and 256; default: the engine's). */
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

/** Runs the benchmark on each model in turn. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const batch = options.batch ?? DEFAULT_BATCH;
  const repeats = options.repeats ?? 3;
  const tfInfo = await initTfjsWasm();
  const wasm = loadEngineWasmNode();
  const newEngine = () => createEngineSync(wasm);
  const relaxed = newEngine().relaxed;
  const probes = (): [PeakProbes, PeakProbes | null] => [
    instantiateKernels(new WebAssembly.Module(wasm.simd)),
    relaxed && wasm.relaxed ? instantiateKernels(new WebAssembly.Module(wasm.relaxed)) : null,
  ];
  const peak = await measurePeak(...probes());
  log(`peak: ${peak.i16.toFixed(1)} G MAC/s (i32x4.dot_i16x8_s), ${peak.i8 === null ? 'no relaxed SIMD' : `${peak.i8.toFixed(1)} G MAC/s (relaxed i8 dot)`}, ${peak.f32.toFixed(1)} G MAC/s (f32x4 mul+add)`);
  let result: BenchResult | null = null;
  for (const path of options.models ?? [demoModelPath()]) {
    const m = await loadBenchModel(path);
    const set = await benchImages(m.graph, options.data, options.images ?? 1000);
    result ??= newBenchResult(peak, {
      engine_build: relaxed ? 'relaxed-simd' : 'simd', tfjs: { backend: 'wasm', ...tfInfo }, batch,
      images_source: set.source, runtime: `node ${process.versions.node}`,
    });
    addModel(result, m.name, await benchModel(m, newEngine, set, batch, repeats, log, m.name));
    m.model.dispose();
  }
  if (!result) throw new Error('runBench: no model given');
  setPeaks(result, maxPeaks(peak, await measurePeak(...probes())));
  return result;
}
