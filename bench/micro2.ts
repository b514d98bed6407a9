import { loadEngineWasmNode } from '../src/engine/load-node.ts';
import { instantiateKernels } from '../src/engine/kernels.ts';
const k = instantiateKernels(new WebAssembly.Module(loadEngineWasmNode().simd));
const H = 28, W = 28, C = 1, N = 8, B = 32, Kp = 32;
const src = k.alloc(B * H * W * C * 4), dst = k.alloc(B * H * W * N * 4);
const MT = 256;
const panel = k.alloc(MT * Kp * 4), c32 = k.alloc(MT * N * 4), wts = k.alloc(N * Kp * 2), blk = k.alloc(64);
const M = B * H * W;
const time = (name: string, fn: () => void, units: number) => {
  for (let i = 0; i < 20; i++) fn();
  let s = Infinity;
  for (let i = 0; i < 9; i++) { const t = performance.now(); fn(); s = Math.min(s, (performance.now() - t) / 1000); }
  console.log(name.padEnd(10), (s * 1000).toFixed(2), 'ms', (s / units * 1e9).toFixed(1), 'ns/row');
};
time('im2col', () => { for (let r = 0; r < M; r += MT) k.im2col_i16(src, H, W, C, 5, 5, 1, 1, 1, 1, 2, 2, H, W, r, Math.min(MT, M - r), MT, panel, Kp, 0); }, M);
time('gemm', () => { for (let r = 0; r < M; r += MT) k.gemm_i16(panel, Kp, wts, Kp, c32, N, MT, N, 0, Kp); }, M);
const dv = new DataView(k.memory.buffer, blk, 64);
const bt = k.alloc(N * 8), qs = k.alloc(N * 4);
dv.setInt32(0, 1, true); dv.setInt32(8, 0, true); dv.setInt32(12, 12, true); dv.setInt32(16, -128, true); dv.setInt32(20, 127, true);
dv.setUint32(24, bt, true); dv.setUint32(28, qs, true); dv.setUint32(32, bt, true); dv.setUint32(36, qs, true); dv.setUint32(40, qs, true);
time('epi fast', () => { for (let r = 0; r < M; r += MT) k.epi_int_fast(blk, c32, N, Math.min(MT, M - r), 6, dst + r * 6 * 4, 6); }, M);
time('epi gen', () => { for (let r = 0; r < M; r += MT) k.epi_int(blk, c32, 0, N, Math.min(MT, M - r), 6, dst + r * 6 * 4, 6); }, M);
{
  const i32 = new Int32Array(k.memory.buffer);
  for (let i = 0; i < B * H * W; i++) i32[(src >> 2) + i] = (i * 7919) % 255;
  time('im2col rnd', () => { for (let r = 0; r < M; r += MT) k.im2col_i16(src, H, W, C, 5, 5, 1, 1, 1, 1, 2, 2, H, W, r, Math.min(MT, M - r), MT, panel, Kp, 0); }, M);
  const src2 = k.alloc(B * 14 * 14 * 6 * 4), panel2 = k.alloc(256 * 160 * 2);
  time('im2col c2', () => { for (let r = 0; r < B * 100; r += 196) k.im2col_i16(src2, 14, 14, 6, 5, 5, 1, 1, 1, 1, 0, 0, 10, 10, r, Math.min(196, B * 100 - r), 196, panel2, 160, 0); }, B * 100);
  time('both', () => {
    for (let r = 0; r < M; r += MT) k.im2col_i16(src, H, W, C, 5, 5, 1, 1, 1, 1, 2, 2, H, W, r, Math.min(MT, M - r), MT, panel, Kp, 0);
    for (let r = 0; r < B * 100; r += 196) k.im2col_i16(src2, 14, 14, 6, 5, 5, 1, 1, 1, 1, 0, 0, 10, 10, r, Math.min(196, B * 100 - r), 196, panel2, 160, 0);
  }, M);
}
