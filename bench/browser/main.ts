// The engine benchmark in the browser (npm run bench:browser opens this page in Chromium):
// the same measurement as `fixpoint bench` in Node, with the relaxed-SIMD engine where the
// browser has it, and a bit-exactness check of that build against the plain SIMD build.
// Query: ?images=1000&repeats=3&batch=32&paper=/@fs/…/fixtures/paper/ (folder of the .h5 files).
import * as tf from '@tensorflow/tfjs';
import * as tfwasm from '@tensorflow/tfjs-backend-wasm';
import type { Graph } from '../../src/core/graph.ts';
import { DEFAULT_BATCH, createEngineSync } from '../../src/engine/engine.ts';
import { instantiateKernels } from '../../src/engine/kernels.ts';
import { kernelTimer } from '../../src/engine/kernel-timer.ts';
import { loadEngineWasmBrowser } from '../../src/engine/load-browser.ts';
import { kerasH5Format } from '../../src/formats/keras-h5/index.ts';
import { tfjsLayersFormat } from '../../src/formats/tfjs-layers/index.ts';
import { tfjsFromH5, tfjsFromLayersFiles } from '../../src/app/bench/tfjs-models.ts';
import { uniformConfig } from '../../src/core/cost.ts';
import simdUrl from '../../build/engine-simd.wasm?url';
import type { BenchImages, BenchResult, ModelUnderTest, PeakProbes } from '../../src/app/bench/engine-core.ts';
import { addModel, benchModel, formatBench, maxPeaks, measurePeak, newBenchResult, setPeaks } from '../../src/app/bench/engine-core.ts';

declare global {
  interface Window { benchResult?: BenchResult & { relaxed_bit_exact?: Record<string, boolean> }; benchError?: string }
}

const q = new URLSearchParams(location.search);
const logEl = document.getElementById('log')!;
const log = (s: string) => { logEl.textContent += `\n${s}`; console.log(s); };
const bytes = async (url: string) => {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
};

async function demoImages(n: number): Promise<BenchImages> {
  const px = await bytes('/data/mnist-demo/test-images.u8');
  const lb = await bytes('/data/mnist-demo/test-labels.u8');
  const count = Math.min(n, lb.length);
  return { images: Float32Array.from(px.subarray(0, count * 784), (p) => p / 255), labels: Int32Array.from(lb.subarray(0, count)), count, source: `${count} demo test digits` };
}

async function lenet(): Promise<ModelUnderTest> {
  const json = await bytes('/models/lenet5-mnist/model.json');
  const manifest = JSON.parse(new TextDecoder().decode(json)) as { weightsManifest: Array<{ paths: string[] }> };
  const shards = new Map<string, Uint8Array>();
  for (const p of manifest.weightsManifest.flatMap((g) => g.paths)) shards.set(p, await bytes(`/models/lenet5-mnist/${p}`));
  const graph: Graph = await tfjsLayersFormat.open([{ path: 'model.json', data: json }, ...[...shards].map(([path, data]) => ({ path, data }))]);
  return { graph, model: await tfjsFromLayersFiles(json, shards) };
}

async function h5(url: string, file: string): Promise<ModelUnderTest> {
  const data = await bytes(url);
  return { graph: await kerasH5Format.open([{ path: file, data }]), model: await tfjsFromH5(data, file) };
}

async function main(): Promise<void> {
  const images = Number(q.get('images') ?? 1000);
  const repeats = Number(q.get('repeats') ?? 3);
  const batch = Number(q.get('batch') ?? DEFAULT_BATCH);
  tf.env().set('IS_TEST', true);
  tfwasm.setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  tfwasm.setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  const modules = await loadEngineWasmBrowser();
  const plain = await WebAssembly.compileStreaming(fetch(simdUrl));
  const newEngine = () => createEngineSync(modules);
  const set = await demoImages(images);
  const probes = (): [PeakProbes, PeakProbes | null] => [instantiateKernels(plain), modules.relaxed ? instantiateKernels(modules.relaxed) : null];
  const peak = await measurePeak(...probes());
  log(`peak: ${peak.i16.toFixed(1)} G MAC/s (i32x4.dot_i16x8_s), ${peak.i8 === null ? 'no relaxed SIMD' : `${peak.i8.toFixed(1)} G MAC/s (relaxed i8 dot)`}`);
  const result: BenchResult & { relaxed_bit_exact: Record<string, boolean> } = {
    ...newBenchResult(peak, {
      engine_build: newEngine().relaxed ? 'relaxed-simd' : 'simd',
      tfjs: { backend: 'wasm', threads: tfwasm.getThreadsCount(), simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean },
      batch, images_source: set.source, runtime: navigator.userAgent.match(/(Chrom(e|ium)|Firefox|Safari)\/[\d.]+/)?.[0] ?? navigator.userAgent,
    }),
    relaxed_bit_exact: {},
  };
  const models: Array<[string, () => Promise<ModelUnderTest>]> = [['lenet5-mnist', lenet]];
  const paper = q.get('paper');
  if (paper) models.push(['mnist_seq_large', () => h5(`${paper}mnist_seq_large.h5`, 'mnist_seq_large.h5')]);
  for (const [name, load] of models) {
    const m = await load();
    addModel(result, name, await benchModel(m, newEngine, set, batch, repeats, log, name));
    // The relaxed build must give the plain build's answers bit for bit, 7-bit activations
    // included (where it takes the i8 dot product).
    const a = createEngineSync(modules), b = createEngineSync({ simd: plain }, { relaxed: false });
    const few = set.images.subarray(0, 64 * 784);
    a.load(m.graph, 16);
    b.load(m.graph, 16);
    const stats = b.activationStats(few);
    let same = true;
    for (const bits of [8, 7, 6]) {
      const cfg = uniformConfig(m.graph, stats, bits);
      for (const n of cfg.nodes) if (n.output && bits < 8) n.output = { ...n.output, signed: false, bits: bits };
      a.setConfig(cfg);
      b.setConfig(cfg);
      const x = a.logits(few), y = b.logits(few);
      same &&= x.every((v, i) => Object.is(v, y[i]));
    }
    result.relaxed_bit_exact[name] = same;
    log(`${name}: relaxed build = plain build bit for bit: ${same} (kernels ${[...new Set(a.nodePaths())].join(',')})`);
    m.model.dispose();
  }
  setPeaks(result, maxPeaks(peak, await measurePeak(...probes())));
  log(formatBench(result));
  window.benchResult = result;
}

/** ?profile=lenet5-mnist: time per Wasm kernel in an 8-bit run (tuning aid). */
async function profile(): Promise<void> {
  const modules = await loadEngineWasmBrowser();
  const set = await demoImages(1000);
  const m = await lenet();
  const { instrument, times } = kernelTimer();
  const e = createEngineSync(modules, { instrument });
  e.load(m.graph, 32);
  const stats = e.activationStats(set.images.subarray(0, 200 * 784));
  e.setConfig(uniformConfig(m.graph, stats, 8));
  for (let i = 0; i < 5; i++) e.run(set.images, null);
  await new Promise((r) => setTimeout(r, 500));
  times.clear();
  const t0 = performance.now();
  e.run(set.images, null);
  log(`total ${(performance.now() - t0).toFixed(1)} ms, paths ${e.nodePaths().join(',')}`);
  for (const [n, t] of [...times].sort((a, b) => b[1] - a[1])) log(`${n} ${t.toFixed(1)}`);
  window.benchResult = { models: {} } as never;
}

(q.get('profile') ? profile() : main()).catch((e) => { window.benchError = String(e?.stack ?? e); log(`error: ${window.benchError}`); });
