// Writes a prepared node's parameters into its region of Wasm memory: the weights packed in the
// layout its kernel reads (assembly/gemm-int.ts, conv-c1.ts), the per-channel epilogue arrays
// and the control block (blocks.ts).
import type { Graph, GraphNode } from '../core/graph.ts';
import { writeFloatEpiBlock, writeIntEpiBlock } from './blocks.ts';
import type { ParamRegion } from './layout.ts';
import { convRunP, gemmDims } from './layout.ts';
import type { PreparedNode } from './prepare.ts';

type IntParams = Extract<PreparedNode, { op: 'int-params' }>;
type FloatParams = Extract<PreparedNode, { op: 'float-params' }>;

/** Uploads node i's parameters (nothing for nodes without a parameter region). */
export function uploadParams(buf: ArrayBuffer, g: Graph, i: number, p: PreparedNode, region: ParamRegion | null): void {
  if (!region) return;
  if (p.op === 'float-params') uploadFloat(buf, g, g.nodes[i], p, region);
  else if (p.op === 'int-params') uploadInt(buf, g, g.nodes[i], p, region);
}

function uploadFloat(buf: ArrayBuffer, g: Graph, n: GraphNode, p: FloatParams, region: ParamRegion): void {
  const dims = gemmDims(g, n);
  const w = p.weights;
  const f32 = new Float32Array(buf);
  if (dims) {
    // [K][Np], columns past N zero.
    const dst = f32.subarray(region.wF32 >> 2, (region.wF32 >> 2) + dims.K * dims.Np);
    dst.fill(0);
    for (let k = 0; k < dims.K; k++) dst.set(w.subarray(k * dims.N, (k + 1) * dims.N), k * dims.Np);
  } else {
    f32.set(w, region.wF32 >> 2);
  }
  const e = p.epi;
  f32.fill(0, region.fbias >> 2, (region.fbias >> 2) + region.Np);
  f32.set(e.bias, region.fbias >> 2);
  if (e.scale) f32.set(e.scale, region.fscale >> 2);
  if (e.shift) f32.set(e.shift, region.fshift >> 2);
  writeFloatEpiBlock(buf, region, e);
}

function uploadInt(buf: ArrayBuffer, g: Graph, n: GraphNode, p: IntParams, region: ParamRegion): void {
  const dims = gemmDims(g, n);
  const q = p.weights;
  if (dims) packGemmWeights(buf, p, region, dims);
  else new Int32Array(buf).set(q, region.wInt >> 2);
  if (region.wAux && p.path === 'i16' && n.kind === 'conv2d') {
    // conv_c1_i16: per (ky, tap pair j, channel) the i16 pair (w[ky][2j], w[ky][2j + 1]), Np channels a pair (zero past N and kw).
    const [kh, kw] = n.kernelShape;
    const N = n.shape[2];
    const Np = region.Np;
    const pairs = (kw + 1) >> 1;
    const aux = new Int16Array(buf, region.wAux, kh * pairs * Np * 2);
    aux.fill(0);
    for (let ky = 0; ky < kh; ky++) {
      for (let j = 0; j < pairs; j++) {
        for (let o = 0; o < N; o++) {
          const at = ((ky * pairs + j) * Np + o) * 2;
          aux[at] = q[(ky * kw + 2 * j) * N + o];
          aux[at + 1] = 2 * j + 1 < kw ? q[(ky * kw + 2 * j + 1) * N + o] : 0;
        }
      }
    }
  }
  const chunk = p.path === 'i16' ? 8 : p.path === 'i8-relaxed' ? 16 : 0;
  const runP = chunk && n.kind === 'conv2d' ? convRunP(n, chunk) : 0;
  if (region.wConv && runP && n.kind === 'conv2d') {
    // gemm_i16_conv_epi / gemm_i8r_conv_epi: the GEMM's packing with each kernel row's kw·C values padded to runP (zeros).
    const [kh, kw, c] = n.kernelShape;
    const N = n.shape[2];
    const run = kw * c, Kc = kh * runP;
    const packed = chunk === 8 ? new Int16Array(buf, region.wConv, region.Np * Kc) : new Int8Array(buf, region.wConv, region.Np * Kc);
    packed.fill(0);
    for (let k = 0; k < kh * run; k++) {
      const kc = Math.floor(k / run) * runP + (k % run);
      const at = (kc >> (chunk === 8 ? 3 : 4)) * chunk * 4 + (kc & (chunk - 1));
      for (let o = 0; o < N; o++) packed[(o >> 2) * Kc * 4 + at + (o & 3) * chunk] = q[k * N + o];
    }
  }
  const e = p.epi;
  const N = e.bt.length;
  const b64 = new BigInt64Array(buf);
  const i32 = new Int32Array(buf);
  for (let c = 0; c < N; c++) {
    b64[(region.bt64 >> 3) + c] = e.bt[c];
    b64[(region.st64 >> 3) + c] = e.st[c];
    i32[(region.qs >> 2) + c] = e.qs[c];
    if (e.fast) {
      i32[(region.bt32 >> 2) + c] = Number(e.bt[c]);
      i32[(region.st32 >> 2) + c] = Number(e.st[c]);
    }
  }
  writeIntEpiBlock(buf, region, e);
}

/**
 * Packed layouts of assembly/gemm-int.ts: i8 / i16 in groups of 4 channels chunk by chunk
 * along K; i32 (the 64-bit path) one row per channel.
 */
function packGemmWeights(buf: ArrayBuffer, p: IntParams, region: ParamRegion, dims: { K: number; N: number; Kp: number; Np: number }): void {
  const { K, N, Kp, Np } = dims;
  const q = p.weights;
  const split = p.path === 'i16-split';
  const packed = p.path === 'i8-relaxed' ? new Int8Array(buf, region.wInt, Np * Kp)
    : p.path === 'i64' ? new Int32Array(buf, region.wInt, Np * Kp) : new Int16Array(buf, region.wInt, (split ? 2 : 1) * Np * Kp);
  packed.fill(0);
  if (split) {
    // i16-split: channel 2o holds w >> 8 (signed), channel 2o + 1 holds w & 255.
    for (let k = 0; k < K; k++) {
      for (let o = 0; o < N; o++) {
        const w = q[k * N + o];
        packed[((2 * o) >> 2) * Kp * 4 + (k >> 3) * 32 + ((2 * o) & 3) * 8 + (k & 7)] = w >> 8;
        packed[((2 * o + 1) >> 2) * Kp * 4 + (k >> 3) * 32 + ((2 * o + 1) & 3) * 8 + (k & 7)] = w & 255;
      }
    }
    return;
  }
  const index = p.path === 'i8-relaxed' ? (o: number, k: number) => (o >> 2) * Kp * 4 + (k >> 4) * 64 + (o & 3) * 16 + (k & 15)
    : p.path === 'i64' ? (o: number, k: number) => o * Kp + k
      : (o: number, k: number) => (o >> 2) * Kp * 4 + (k >> 3) * 32 + (o & 3) * 8 + (k & 7);
  for (let k = 0; k < K; k++) for (let o = 0; o < N; o++) packed[index(o, k)] = q[k * N + o];
}
