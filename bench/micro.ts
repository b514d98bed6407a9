// Kernel micro-benchmarks for tuning (not part of the suite).
import { loadEngineWasmNode } from '../src/engine/load-node.ts';
import { instantiateKernels } from '../src/engine/kernels.ts';
const k = instantiateKernels(new WebAssembly.Module(loadEngineWasmNode().simd));
const H = 26, W = 26, C = 32, N = 32, B = 32, Kp = 288;
const src = k.alloc(B * H * W * C * 4), dst = k.alloc(B * H * W * N * 4);
const MT = 112;
const panel = k.alloc(MT * Kp * 4), c32 = k.alloc(MT * N * 4), wts = k.alloc(N * Kp * 2), blk = k.alloc(64);
const i32 = new Int32Array(k.memory.buffer);
for (let i = 0; i < B * H * W * C; i++) i32[(src >> 2) + i] = (i * 7919) % 200 - 100;
const M = B * H * W;
const time = (name: string, fn: () => void, macs: number) => {
  for (let i = 0; i < 5; i++) fn();
  let s = Infinity;
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    fn();
    s = Math.min(s, (performance.now() - t) / 1000);
  }
  console.log(name.padEnd(10), (s * 1000).toFixed(1), 'ms', (macs / s / 1e9).toFixed(2), 'G/s');
};
time('im2col', () => { for (let r = 0; r < M; r += MT) k.im2col_i16(src, H, W, C, 3, 3, 1, 1, 1, 1, 1, 1, H, W, r, Math.min(MT, M - r), MT, panel, Kp, 0); }, M * Kp);
time('gemm', () => { for (let r = 0; r < M; r += MT) k.gemm_i16(panel, Kp, wts, Kp, c32, N, MT, N, 0, Kp); }, M * Kp * N);
const dv = new DataView(k.memory.buffer, blk, 64);
const bt = k.alloc(N * 8), qs = k.alloc(N * 4);
dv.setInt32(0, 1, true); dv.setInt32(8, 1, true); dv.setInt32(12, 12, true); dv.setInt32(16, -128, true); dv.setInt32(20, 127, true);
dv.setUint32(24, bt, true); dv.setUint32(28, qs, true); dv.setUint32(32, bt, true); dv.setUint32(36, qs, true); dv.setUint32(40, qs, true);
time('epi fast', () => { for (let r = 0; r < M; r += MT) k.epi_int_fast(blk, c32, N, Math.min(MT, M - r), N, dst + r * N * 4, N); }, M * N);
time('epi gen', () => { for (let r = 0; r < M; r += MT) k.epi_int(blk, c32, 0, N, Math.min(MT, M - r), N, dst + r * N * 4, N); }, M * N);
time('im2col f', () => { for (let r = 0; r < M; r += MT) k.im2col_x32(src, H, W, C, 3, 3, 1, 1, 1, 1, 1, 1, H, W, r, Math.min(MT, M - r), MT, panel, 288); }, M * Kp);
const wf = k.alloc(288 * N * 4);
time('gemm f32', () => { for (let r = 0; r < M; r += MT) k.gemm_f32(panel, 288, wf, N, c32, N, MT, N, 288); }, M * Kp * N);
