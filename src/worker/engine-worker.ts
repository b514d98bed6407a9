// The Web Worker entry: exposes WorkerApi through comlink. Cancelling a running Wasm call is
// done by the client terminating this worker, so nothing here polls for aborts.
import * as Comlink from 'comlink';
import simdUrl from '../../build/engine-simd.wasm?url';
import relaxedUrl from '../../build/engine-relaxed.wasm?url';
import { createBrowserEngine } from '../engine/load-browser.ts';
import { detectWasmSupport } from '../engine/wasm-support.ts';
import type { Progress } from '../search/scorer.ts';
import type { RunProgress, ScoredPoint, SelfTestResult, WorkerApi } from './contract.ts';
import { fetchDemoSet } from './demo-data.ts';
import { cMemory, writeExports } from './exports.ts';
import { holdGenerationLock } from './lifetime.ts';
import { PROXY_IMAGES, Session } from './session.ts';
import { closeShardPool, shardPool } from './shard-pool.ts';
import { Workspace } from './workspace.ts';

interface SkeletonExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  dot_i16_simd(a: number, b: number, n: number): number;
  dot_i16_scalar(a: number, b: number, n: number): number;
}

holdGenerationLock();

const NO_SIMD = 'This browser does not support WebAssembly SIMD, which the Fixpoint engine needs. Use a current Chrome, Edge, Firefox or Safari (2021 or later).';

let workspace: Promise<Workspace> | null = null;
function ws(): Promise<Workspace> {
  if (!detectWasmSupport().simd) return Promise.reject(new Error(NO_SIMD));
  workspace ??= createBrowserEngine().then((engine) => new Workspace(new Session(engine)));
  return workspace;
}

/**
 * Progress at most every 100 ms: each message crosses the worker boundary. The points scored
 * in between travel with the next message, so the live chart misses none.
 */
function throttled(send: (p: RunProgress) => void): (p: Progress) => void {
  let last = 0;
  let points: ScoredPoint[] = [];
  return ({ point, ...p }) => {
    if (point) points.push(point);
    const now = performance.now();
    if (now - last >= 100 || p.phase === 'done') {
      last = now;
      send({ ...p, points });
      points = [];
    }
  };
}

const api: WorkerApi = {
  async selfTest(): Promise<SelfTestResult> {
    const support = detectWasmSupport();
    if (!support.simd) throw new Error(NO_SIMD);
    const build = support.relaxedSimd ? 'relaxed-simd' : 'simd';
    const { instance } = await WebAssembly.instantiateStreaming(fetch(build === 'relaxed-simd' ? relaxedUrl : simdUrl), {
      env: { abort: () => { throw new Error('Wasm engine aborted'); } },
    });
    const wasm = instance.exports as unknown as SkeletonExports;
    const set = await fetchDemoSet('calibration');
    const n = set.height * set.width * set.channels;
    const ptr = wasm.alloc(n * 2);
    const t0 = performance.now();
    let simdSum = 0;
    let scalarSum = 0;
    for (let i = 0; i < set.count; i++) {
      new Int16Array(wasm.memory.buffer, ptr, n).set(set.images.subarray(i * n, (i + 1) * n));
      simdSum += wasm.dot_i16_simd(ptr, ptr, n);
      scalarSum += wasm.dot_i16_scalar(ptr, ptr, n);
    }
    return { support, build, images: set.count, simdSum, scalarSum, millis: performance.now() - t0 };
  },
  loadModel: async (files) => (await ws()).loadModel(files),
  modelInfo: async () => (await ws()).modelInfo(),
  loadData: async (files, prep, split) => (await ws()).loadData(files, prep, split),
  dataInfo: async () => {
    const w = await ws();
    return w.session.data ? w.dataInfo() : null;
  },
  reprocess: async (prep, split) => (await ws()).reprocess(prep, split),
  async run(request, onProgress) {
    const w = await ws();
    const { graph, data } = w.session;
    const pool = graph && data ? await shardPool(graph, data, request.workers ?? 1, PROXY_IMAGES) : null;
    try {
      return await w.run(request, throttled(onProgress), undefined, pool ?? undefined);
    } catch (e) {
      closeShardPool();
      throw e;
    }
  },
  pick: async (budget) => (await ws()).pick(budget),
  savedSearch: async () => (await ws()).lastSearch,
  restoreSearch: async ({ result, picked }) => {
    const w = await ws();
    const run = await w.adopt(result, picked ?? undefined);
    return { run, picked: w.currentPoint! };
  },
  evaluate: async (config) => (await ws()).use(config),
  choose: async (id) => (await ws()).choose(id),
  histogram: async (node, slot, format) => (await ws()).histogram(node, slot, format),
  exportFiles: async (kinds) => writeExports(await ws(), kinds),
  cMemory: async () => cMemory(await ws()),
};

Comlink.expose(api);
