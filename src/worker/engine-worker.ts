// The Web Worker entry: exposes WorkerApi through comlink. Cancelling a running Wasm call is
// done by the client terminating this worker, so nothing here polls for aborts.
import * as Comlink from 'comlink';
import { createBrowserEngine } from '../engine/load-browser.ts';
import { detectWasmSupport } from '../engine/wasm-support.ts';
import type { Progress } from '../search/scorer.ts';
import { cMemory, writeExports } from '../app/exports.ts';
import { PROXY_IMAGES } from '../app/load-data.ts';
import { poolScoring, Workspace } from '../app/workspace.ts';
import type { RunProgress, ScoredPoint, WorkerApi } from './contract.ts';
import { holdGenerationLock } from './lifetime.ts';
import { closeShardPool, shardPool } from './shard-pool.ts';

holdGenerationLock();

const NO_SIMD = 'This browser does not support WebAssembly SIMD, which the Fixpoint engine needs. Use a current Chrome, Edge, Firefox or Safari (2021 or later).';

let workspace: Promise<Workspace> | null = null;
function ws(): Promise<Workspace> {
  if (!detectWasmSupport().simd) return Promise.reject(new Error(NO_SIMD));
  workspace ??= createBrowserEngine().then((engine) => new Workspace(engine));
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

// The smallest module whose one export executes `unreachable`: a real Wasm trap in this worker.
const TRAP_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // one type: () -> ()
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export it as "f"
  0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b, // body: unreachable, end
]);

async function fault(kind: 'trap' | 'oom'): Promise<void> {
  if (kind === 'trap') {
    const { instance } = await WebAssembly.instantiate(TRAP_MODULE);
    (instance.exports.f as () => void)();
  }
  // What the engine meets when its memory cannot grow any more.
  new WebAssembly.Memory({ initial: 1, maximum: 2 }).grow(2);
}

const api: WorkerApi = {
  // New model or data: the kept search shards hold the old ones, so they go (and free memory).
  loadModel: async (files) => {
    closeShardPool();
    return (await ws()).loadModel(files);
  },
  modelInfo: async () => (await ws()).modelInfo(),
  loadData: async (files, prep, split) => {
    closeShardPool();
    return (await ws()).loadData(files, prep, split);
  },
  dataInfo: async () => {
    const w = await ws();
    return w.data ? w.dataInfo() : null;
  },
  reprocess: async (prep, split) => (await ws()).reprocess(prep, split),
  async run(request, onProgress) {
    const w = await ws();
    const pool = w.data ? await shardPool(w.graph, w.data, request.workers ?? 1, PROXY_IMAGES) : null;
    try {
      return await w.run(request, throttled(onProgress), undefined, pool ? poolScoring(pool) : undefined);
    } catch (e) {
      closeShardPool();
      throw e;
    }
  },
  pick: async (budget) => (await ws()).pick(budget),
  savedSearch: async () => (await ws()).savedSearch(),
  restoreSearch: async ({ result, picked }) => {
    const w = await ws();
    const run = await w.adopt(result, picked ?? undefined);
    return { run, picked: w.currentPoint! };
  },
  evaluate: async (config) => (await ws()).use(config),
  choose: async (id) => (await ws()).choose(id),
  histogram: async (layer, slot, format) => (await ws()).histogram(layer, slot, format),
  exportFiles: async (kinds) => writeExports(await ws(), kinds),
  engineInfo: async () => {
    const w = await ws();
    return { build: w.engine.relaxed ? 'relaxed-simd' : 'simd', cores: navigator.hardwareConcurrency || 1, kernels: w.kernelPaths() };
  },
  cMemory: async () => cMemory(await ws()),
  fault,
};

Comlink.expose(api);
