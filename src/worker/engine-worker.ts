// The Web Worker entry: exposes WorkerApi through comlink. Cancelling a running Wasm call is
// done by the client terminating this worker, so nothing here needs to poll for aborts.
import * as Comlink from 'comlink';
import simdUrl from '../../build/engine-simd.wasm?url';
import relaxedUrl from '../../build/engine-relaxed.wasm?url';
import { detectWasmSupport } from '../engine/wasm-support.ts';
import type { SelfTestResult, WorkerApi } from './contract.ts';
import { fetchDemoSet } from './demo-data.ts';

interface SkeletonExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  dot_i16_simd(a: number, b: number, n: number): number;
  dot_i16_scalar(a: number, b: number, n: number): number;
}

async function instantiate(url: string): Promise<SkeletonExports> {
  const { instance } = await WebAssembly.instantiateStreaming(fetch(url), {
    env: { abort: () => { throw new Error('Wasm engine aborted'); } },
  });
  return instance.exports as unknown as SkeletonExports;
}

const api: WorkerApi = {
  async selfTest(): Promise<SelfTestResult> {
    const support = detectWasmSupport();
    if (!support.simd) throw new Error('This browser does not support WebAssembly SIMD, which the Fixpoint engine needs. Use a current Chrome, Edge, Firefox or Safari (2021 or later).');
    const build = support.relaxedSimd ? 'relaxed-simd' : 'simd';
    const wasm = await instantiate(build === 'relaxed-simd' ? relaxedUrl : simdUrl);
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
};

Comlink.expose(api);
