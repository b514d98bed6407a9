// From a QuantConfig to what each node executes: its mode (integer or float32), the domain of
// its output (fixed with a format, or float), the kernel path, and the packed parameters.
//
// Integer kernels are chosen from bounds proved here (DESIGN.md §4): a 32-bit path only when the
// worst case fits in 31 bits, slices of K that each fit and are added in 64 bits, or the exact
// 64-bit path. Bounds use the actual quantized weights (Σ|q_w| per output channel) and the
// input format's range. Configurations whose exact intermediates would not fit in 64 bits are
// refused with an error naming the node, never wrapped.
import type { NodeFormats } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import { formatRange, formatToString } from '../core/format.ts';
import type { Activation, Graph, GraphNode } from '../core/graph.ts';
import { effectiveParam, quantizeTensor, reluCeilQ, shiftRoundBig, slopeQ } from '../core/quantize.ts';
import { ACT } from './kernels.ts';
import { gemmDims, isAlias, isDirectC1 } from './layout.ts';

export type Domain = { kind: 'float' } | { kind: 'fixed'; format: Format };

/** Which kernel family a node runs; visible to tests and traces through Engine.nodePaths(). */
export type NodePath =
  | 'float' | 'alias' | 'input'
  | 'i8-relaxed' | 'i16' | 'i16-sliced' | 'i16-split' | 'i64' | 'i32'
  | 'int';

const I31 = 2 ** 31 - 1;
const I64_SAFE = 2 ** 61;

export class ConfigRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigRangeError';
  }
}

/** Integer epilogue parameters (written to the node's block, see assembly/epilogue.ts). */
export interface IntEpilogue {
  act: number;
  alpha: number;
  maxQ: bigint;
  hasEpi: boolean;
  S: number;
  lo: number;
  hi: number;
  bt: bigint[];
  qs: number[];
  st: bigint[];
  /** All intermediates fit in i32 lanes: epi_int_fast may run. */
  fast: boolean;
}

export interface FloatEpilogue {
  act: number;
  alpha: number;
  maxV: number;
  hasEpi: boolean;
  bias: Float32Array;
  scale: Float32Array | null;
  shift: Float32Array | null;
}

export type FixedDomain = Extract<Domain, { kind: 'fixed' }>;

/** Integer GEMM / depthwise / affine kernel families. */
export type IntParamPath = 'i8-relaxed' | 'i16' | 'i16-sliced' | 'i16-split' | 'i64' | 'i32';

/** What one node executes under a configuration: `op` says which fields exist. */
export type PreparedNode =
  | { op: 'input'; path: 'input'; out: Domain }
  /** Output is the input's memory (reshape, linear activation). */
  | { op: 'alias'; path: 'alias'; out: Domain }
  /** Float activation, pad, pooling or concat: no parameters; a fixed `out` is quantized after. */
  | { op: 'float'; path: 'float'; out: Domain }
  | { op: 'float-add'; path: 'float'; out: Domain; epi: FloatEpilogue }
  /** conv2d / depthwise / dense / affine in float32 with (fake-quantized) weights. */
  | { op: 'float-params'; path: 'float'; out: Domain; weights: Float32Array; epi: FloatEpilogue }
  /** Integer pad (a plain copy). */
  | { op: 'int'; path: 'int'; out: FixedDomain }
  | { op: 'int-act'; path: 'int'; out: FixedDomain; maxQ: bigint; alpha: number }
  /** `fast`: the i32x4 kernel's bounds hold. */
  | { op: 'int-pool'; path: 'int'; out: FixedDomain; fast: boolean }
  | { op: 'int-concat'; path: 'int'; out: FixedDomain; shifts: number[] }
  | { op: 'int-add'; path: 'int'; out: FixedDomain; shifts: number[]; S: number; fast: boolean; maxQ: bigint; alpha: number }
  /** conv2d / depthwise / dense / affine in integers; sliceK and relaxedOffset matter to the GEMM paths. */
  | { op: 'int-params'; path: IntParamPath; out: FixedDomain; weights: Int32Array; epi: IntEpilogue; relaxedOffset: number; sliceK: number };

export interface PrepareOptions {
  relaxed: boolean;
}

export function activationCode(a: Activation): number {
  if (a.type === 'relu') return a.max === undefined || !Number.isFinite(a.max) ? ACT.relu : ACT.reluMax;
  if (a.type === 'leakyRelu') return ACT.leaky;
  return ACT.linear;
}

const maxAbsOf = (f: Format): number => {
  const [lo, hi] = formatRange(f);
  return Math.max(-lo, hi);
};

const absBig = (a: bigint): bigint => (a < 0n ? -a : a);

function floatEpilogue(act: Activation, bias: Float32Array | null, N: number, scale: Float32Array | null, shift: Float32Array | null): FloatEpilogue {
  return {
    act: activationCode(act),
    alpha: act.type === 'leakyRelu' ? Math.fround(act.alpha) : 0,
    maxV: act.type === 'relu' && act.max !== undefined && Number.isFinite(act.max) ? Math.fround(act.max) : 0,
    hasEpi: !!scale,
    bias: bias ?? new Float32Array(N),
    scale, shift,
  };
}

/**
 * Integer epilogue for accumulators bounded per channel by accBound[n], with F fractional bits.
 * `offsetCorr[n]` is subtracted from the bias term (relaxed path's activation offset).
 */
function intEpilogue(name: string, act: Activation, F: number, accBound: number[], out: Format,
  bias: { q: Int32Array; frac: number } | null, epi: { qs: Int32Array; fs: number; qt: Int32Array; ft: number } | null,
  offsetCorr: bigint[] | null, acc32: boolean): IntEpilogue {
  const N = accBound.length;
  const [lo, hi] = formatRange(out);
  const code = activationCode(act);
  const alpha = act.type === 'leakyRelu' ? slopeQ(act.alpha) : 0;
  let maxQ = reluCeilQ(act, F) ?? 0n;
  if (maxQ > 1n << 62n) maxQ = 1n << 62n;
  if (maxQ < 0n) maxQ = 0n;
  const bt: bigint[] = [];
  const st: bigint[] = [];
  const qs: number[] = [];
  let fast = acc32;
  for (let n = 0; n < N; n++) {
    const b = bias ? shiftRoundBig(BigInt(bias.q[n]), bias.frac - F) : 0n;
    if (absBig(b) >= BigInt(I64_SAFE)) throw new ConfigRangeError(`${name}: the bias, aligned to the accumulator's ${F} fractional bits, needs more than 62 bits; choose a bias frac closer to input frac + weight frac`);
    const vB = accBound[n] + Number(absBig(b));
    let aB = act.type === 'leakyRelu' ? vB + 1 : vB;
    if (act.type === 'relu' && maxQ > 0n && Number(maxQ) < aB) aB = Math.max(Number(maxQ), 0);
    if (vB >= I64_SAFE || (act.type === 'leakyRelu' && vB * 32768 >= I64_SAFE)) {
      throw new ConfigRangeError(`${name}: the accumulator can reach ${vB.toExponential(3)}, beyond exact 64-bit arithmetic`);
    }
    const bb = b - (offsetCorr ? offsetCorr[n] : 0n);
    bt.push(bb);
    if (absBig(bb) > BigInt(I31) || vB > I31) fast = false;
    if (act.type === 'leakyRelu' && vB * 32768 + 16384 > I31) fast = false;
    let eB = aB;
    if (epi) {
      const t = shiftRoundBig(BigInt(epi.qt[n]), epi.ft - (F + epi.fs));
      if (absBig(t) >= BigInt(I64_SAFE)) throw new ConfigRangeError(`${name}: the epilogue shift, aligned to ${F + epi.fs} fractional bits, needs more than 62 bits`);
      st.push(t);
      qs.push(epi.qs[n]);
      const prod = aB * Math.abs(epi.qs[n]);
      eB = prod + Number(absBig(t));
      if (prod > I31 || eB > I31) fast = false;
      if (eB >= I64_SAFE) throw new ConfigRangeError(`${name}: the epilogue product can reach ${eB.toExponential(3)}, beyond exact 64-bit arithmetic`);
    } else {
      st.push(0n);
      qs.push(0);
    }
    const S0 = F + (epi ? epi.fs : 0) - out.frac;
    if (S0 > 0 && (S0 > 30 || eB + 2 ** (S0 - 1) > I31)) fast = false;
  }
  return { act: code, alpha, maxQ, hasEpi: !!epi, S: F + (epi ? epi.fs : 0) - out.frac, lo, hi, bt, qs, st, fast };
}

/** Own formats of a node as a string; a change bumps the node's version (prefix caches). */
export function formatsKey(f: NodeFormats | undefined): string {
  const k = (x: Format | null | undefined) => (x ? `${x.signed ? 's' : 'u'}${x.bits}.${x.frac}` : '-');
  return f ? `${k(f.weights)} ${k(f.bias)} ${k(f.scale)} ${k(f.shift)} ${k(f.output)}` : '';
}

function checkFormat(name: string, what: string, f: Format | null | undefined, maxBits: number): void {
  if (!f) return;
  if (!Number.isInteger(f.bits) || f.bits < 1 || f.bits > maxBits || !Number.isInteger(f.frac)) {
    throw new ConfigRangeError(`${name}: ${what} format ${formatToString(f)} is invalid (bits 1–${maxBits}, integer frac)`);
  }
}

/** Prepares node `i` given the domains of its inputs. */
export function prepareNode(g: Graph, i: number, f: NodeFormats, inDomains: Domain[], opts: PrepareOptions): PreparedNode {
  const n: GraphNode = g.nodes[i];
  const name = `node ${i} (${n.name})`;
  checkFormat(name, 'weights', f.weights, 16);
  checkFormat(name, 'bias', f.bias, 32);
  checkFormat(name, 'scale', f.scale, 16);
  checkFormat(name, 'shift', f.shift, 32);
  checkFormat(name, 'output', f.output, 16);
  const allFixed = inDomains.every((d) => d.kind === 'fixed');
  const fixedIn = (k: number) => (inDomains[k] as Extract<Domain, { kind: 'fixed' }>).format;
  const outDomain: Domain = f.output ? { kind: 'fixed', format: f.output } : { kind: 'float' };

  switch (n.kind) {
    case 'input':
      return { op: 'input', out: outDomain, path: 'input' };
    case 'reshape':
      return { op: 'alias', out: inDomains[0], path: 'alias' };
    case 'activation': {
      if (isAlias(n)) return { op: 'alias', out: inDomains[0], path: 'alias' };
      const d = inDomains[0];
      if (d.kind === 'float') return { op: 'float', out: d, path: 'float' };
      let maxQ = reluCeilQ(n.activation, d.format.frac) ?? 0n;
      if (maxQ > BigInt(I31)) maxQ = BigInt(I31);
      if (maxQ < 0n) maxQ = 0n;
      return { op: 'int-act', out: d, path: 'int', maxQ, alpha: n.activation.type === 'leakyRelu' ? slopeQ(n.activation.alpha) : 0 };
    }
    case 'pad': {
      const d = inDomains[0];
      return d.kind === 'fixed' ? { op: 'int', out: d, path: 'int' } : { op: 'float', out: d, path: 'float' };
    }
    case 'maxPool':
    case 'avgPool': {
      const d = inDomains[0];
      if (d.kind === 'float') return { op: 'float', out: d, path: 'float' };
      const count = n.pool[0] * n.pool[1];
      return { op: 'int-pool', out: d, path: 'int', fast: n.kind === 'maxPool' || count * maxAbsOf(d.format) <= I31 };
    }
    case 'concat': {
      if (allFixed && f.output) {
        return { op: 'int-concat', out: { kind: 'fixed', format: f.output }, path: 'int', shifts: inDomains.map((_, k) => fixedIn(k).frac - f.output!.frac) };
      }
      return { op: 'float', out: outDomain, path: 'float' };
    }
    case 'add': {
      if (allFixed && f.output) {
        const F = Math.max(...inDomains.map((_, k) => fixedIn(k).frac));
        const shifts = inDomains.map((_, k) => F - fixedIn(k).frac);
        const sB = inDomains.reduce((s, _, k) => s + maxAbsOf(fixedIn(k)) * 2 ** shifts[k], 0);
        if (sB >= I64_SAFE || (n.activation.type === 'leakyRelu' && sB * 32768 >= I64_SAFE)) {
          throw new ConfigRangeError(`${name}: aligning the inputs to ${F} fractional bits needs more than 62 bits; their fracs are too far apart`);
        }
        let maxQ = reluCeilQ(n.activation, F) ?? 0n;
        if (maxQ > 1n << 62n) maxQ = 1n << 62n;
        if (maxQ < 0n) maxQ = 0n;
        const S = F - f.output.frac;
        let fast = inDomains.length === 2 && sB <= I31;
        if (n.activation.type === 'leakyRelu' && sB * 32768 + 16384 > I31) fast = false;
        if (S > 0 && (S > 30 || sB + 2 ** (S - 1) > I31)) fast = false;
        return {
          op: 'int-add', out: { kind: 'fixed', format: f.output }, path: 'int', shifts, S, fast,
          maxQ, alpha: n.activation.type === 'leakyRelu' ? slopeQ(n.activation.alpha) : 0,
        };
      }
      return { op: 'float-add', out: outDomain, path: 'float', epi: floatEpilogue(n.activation, null, 0, null, null) };
    }
    case 'affine': {
      const C = n.shape[2];
      if (allFixed && f.weights && f.bias && f.output) {
        const fi = fixedIn(0);
        const F = fi.frac + f.weights.frac;
        const qs = quantizeTensor(n.scale, f.weights);
        const maxIn = maxAbsOf(fi);
        const accBound = Array.from(qs, (q) => maxIn * Math.abs(q));
        const i32 = Math.max(0, ...accBound) <= I31;
        const epi = intEpilogue(name, n.activation, F, accBound, f.output, { q: quantizeTensor(n.shift, f.bias), frac: f.bias.frac }, null, null, i32);
        return { op: 'int-params', out: { kind: 'fixed', format: f.output }, path: i32 ? 'i32' : 'i64', weights: qs, epi, relaxedOffset: 0, sliceK: 0 };
      }
      return {
        op: 'float-params', out: outDomain, path: 'float',
        weights: effectiveParam(n.scale, f.weights),
        epi: floatEpilogue(n.activation, effectiveParam(n.shift, f.bias), C, null, null),
      };
    }
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'dense': {
      const epi = n.epilogue;
      const N = n.shape[2];
      const intMode = allFixed && !!f.weights && (!n.bias || !!f.bias) && (!epi || (!!f.scale && !!f.shift)) && !!f.output;
      if (!intMode) {
        return {
          op: 'float-params', out: outDomain, path: 'float',
          weights: effectiveParam(n.kernel, f.weights),
          epi: floatEpilogue(n.activation, n.bias ? effectiveParam(n.bias, f.bias) : null, N,
            epi ? effectiveParam(epi.scale, f.scale) : null, epi ? effectiveParam(epi.shift, f.shift) : null),
        };
      }
      const fi = fixedIn(0);
      const F = fi.frac + f.weights!.frac;
      const qw = quantizeTensor(n.kernel, f.weights!);
      const [ilo, ihi] = formatRange(fi);
      const maxIn = Math.max(-ilo, ihi);
      // Σ|q_w| per output channel, and the weights' actual range.
      const absSum = new Array<number>(N).fill(0);
      const sum = new Array<number>(N).fill(0);
      let wmin = 0, wmax = 0;
      for (let k = 0; k < qw.length; k++) {
        const o = n.kind === 'depthwiseConv2d' ? k % N : k % N;
        const v = qw[k];
        absSum[o] += Math.abs(v);
        sum[o] += v;
        if (v < wmin) wmin = v;
        if (v > wmax) wmax = v;
      }
      const maxW = Math.max(-wmin, wmax);
      const maxAbsSum = Math.max(0, ...absSum);
      const accBound = absSum.map((s) => maxIn * s);
      const bias = n.bias ? { q: quantizeTensor(n.bias, f.bias!), frac: f.bias!.frac } : null;
      const ep = epi ? { qs: quantizeTensor(epi.scale, f.scale!), fs: f.scale!.frac, qt: quantizeTensor(epi.shift, f.shift!), ft: f.shift!.frac } : null;
      if (n.kind === 'depthwiseConv2d') {
        const i32 = maxIn * maxAbsSum <= I31;
        return {
          op: 'int-params', out: { kind: 'fixed', format: f.output! }, path: i32 ? 'i32' : 'i64', weights: qw, relaxedOffset: 0, sliceK: 0,
          epi: intEpilogue(name, n.activation, F, accBound, f.output!, bias, ep, null, i32),
        };
      }
      const dims = gemmDims(g, n)!;
      let path: IntParamPath = 'i64';
      let relaxedOffset = 0;
      let sliceK = dims.Kp;
      const wI8 = wmin >= -128 && wmax <= 127;
      const inI7 = ilo >= 0 && ihi <= 127 ? 0 : ilo >= -64 && ihi <= 63 ? 64 : -1;
      // One-input-channel convolutions stay on i16 even where the relaxed i8 dot applies:
      // conv_c1_i16 keeps its lanes full, an i8 GEMM over K = kh·kw pads K to 32.
      if (opts.relaxed && wI8 && inI7 >= 0 && 127 * maxAbsSum <= I31 && !isDirectC1(n)) {
        path = 'i8-relaxed';
        relaxedOffset = inI7;
      } else if (ilo >= -32768 && ihi <= 32767) {
        const wI16 = wmin >= -32768 && wmax <= 32767;
        const L = Math.floor(I31 / (maxIn * Math.max(1, maxW)) / 32) * 32;
        if (wI16 && maxIn * maxAbsSum <= I31) path = 'i16';
        else if (wI16 && L >= 32) { path = 'i16-sliced'; sliceK = L; }
        else {
          // Wide weights (e.g. 16 × 16 bits): w = 256·wh + wl with wl in [0, 255] as two int16
          // channels; slices of K keep each sum in 31 bits (≤ 256 taps at 16-bit inputs).
          let maxSplit = 1;
          for (let k = 0; k < qw.length; k++) {
            const hi = Math.abs(qw[k] >> 8), lo = qw[k] & 255;
            if (hi > maxSplit) maxSplit = hi;
            if (lo > maxSplit) maxSplit = lo;
          }
          const L2 = Math.floor(I31 / (maxIn * maxSplit) / 32) * 32;
          if (L2 >= 32) { path = 'i16-split'; sliceK = L2; }
        }
      }
      const corr = relaxedOffset ? sum.map((s) => BigInt(relaxedOffset) * BigInt(s)) : null;
      const acc32 = path === 'i8-relaxed' || path === 'i16';
      return {
        op: 'int-params', out: { kind: 'fixed', format: f.output! }, path, weights: qw, relaxedOffset, sliceK,
        epi: intEpilogue(name, n.activation, F, accBound, f.output!, bias, ep, corr, acc32),
      };
    }
  }
}
