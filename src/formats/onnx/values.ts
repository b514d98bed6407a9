// What an ONNX tensor name stands for during import: a constant known now, or an activation
// computed by one of our graph nodes. An activation keeps its logical ONNX dims (NCHW, with
// batch 1) and a permutation from logical element order to the memory order of our node's NHWC
// output. Layout ops (Transpose, Reshape, Flatten, Squeeze) only relabel that permutation; ops
// that need a real layout (Conv, pools, Concat) insist it is the plain NCHW ↔ NHWC one, and a
// dense layer absorbs any permutation into the order of its weight rows.
import type { Shape3 } from '../../core/graph.ts';

/** null: logical order is memory order; 'nchw': dims [1,C,H,W] over memory [H,W,C]; else explicit. */
export type Perm = null | 'nchw' | Int32Array;

export interface ActValue {
  kind: 'act';
  node: number;
  dims: number[];
  perm: Perm;
  /** The ONNX tensor name this value was stored under (for fusion bookkeeping). */
  tensor: string;
}

export interface ConstValue {
  kind: 'const';
  dims: number[];
  data: Float64Array;
  float: boolean;
}

export type Value = ActValue | ConstValue;

export const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
export const sameDims = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The NCHW → NHWC permutation for dims [1,C,H,W]: logical c·HW + h·W + w → memory (h·W + w)·C + c. */
export function nchwPerm(dims: readonly number[]): Int32Array {
  const [, c, h, w] = dims;
  const p = new Int32Array(c * h * w);
  for (let ci = 0; ci < c; ci++) for (let s = 0; s < h * w; s++) p[ci * h * w + s] = s * c + ci;
  return p;
}

/** Whether the NCHW permutation of these 4-D dims is the identity (one channel or one pixel). */
const nchwTrivial = (dims: readonly number[]): boolean => dims[1] === 1 || dims[2] * dims[3] === 1;

export function materialize(dims: readonly number[], perm: Perm): Int32Array | null {
  if (perm === 'nchw') return nchwTrivial(dims) ? null : nchwPerm(dims);
  return perm;
}

export function normalizePerm(dims: readonly number[], p: Int32Array | null): Perm {
  if (!p) return null;
  let identity = true;
  for (let i = 0; i < p.length; i++) if (p[i] !== i) { identity = false; break; }
  if (identity) return null;
  if (dims.length === 4 && dims[0] === 1 && !nchwTrivial(dims)) {
    const [, c, h, w] = dims;
    let canonical = true;
    for (let ci = 0; ci < c && canonical; ci++) {
      for (let s = 0; s < h * w; s++) if (p[ci * h * w + s] !== s * c + ci) { canonical = false; break; }
    }
    if (canonical) return 'nchw';
  }
  return p;
}

export function samePerm(a: ActValue, b: ActValue): boolean {
  if (a.perm === b.perm) return true;
  const pa = materialize(a.dims, a.perm);
  const pb = materialize(b.dims, b.perm);
  if (!pa || !pb) return pa === pb;
  return pa.length === pb.length && pa.every((v, i) => v === pb[i]);
}

/** Whether an activation is a batch-1 NCHW tensor laid out as our node's NHWC [H,W,C]. */
export function isNchw(v: ActValue, nodeShape: Shape3): boolean {
  const d = v.dims;
  if (d.length !== 4 || d[0] !== 1) return false;
  if (nodeShape[0] !== d[2] || nodeShape[1] !== d[3] || nodeShape[2] !== d[1]) return false;
  return v.perm === 'nchw' || (v.perm === null && nchwTrivial(d));
}

/** Node shape that dims naturally have, or null when the current node shape must stay. */
export function naturalShape(dims: readonly number[], perm: Perm): Shape3 | null {
  if (dims.length === 4 && dims[0] === 1) {
    if (perm === 'nchw' || (perm === null && nchwTrivial(dims))) return [dims[2], dims[3], dims[1]];
    if (perm === null) return [dims[1], dims[2], dims[3]];
    return null;
  }
  // A vector (every axis but the last is 1) is a dense layer's [1,1,K].
  if (dims.length >= 1 && dims.slice(0, -1).every((d) => d === 1)) return [1, 1, dims[dims.length - 1]];
  return null;
}

/** Row-major strides. */
export function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]; }
  return s;
}

/** numpy broadcast of two shapes, or null when they do not broadcast. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** A constant's values repeated to `dims` (which must be a broadcast of its own dims). */
export function broadcastTo(c: { dims: number[]; data: Float64Array }, dims: readonly number[]): Float64Array {
  const n = dims.length;
  const src = strides(c.dims);
  const offset = n - c.dims.length;
  const eff = dims.map((_, i) => {
    const k = i - offset;
    return k < 0 || c.dims[k] === 1 ? 0 : src[k];
  });
  const out = new Float64Array(product(dims));
  const idx = new Array<number>(n).fill(0);
  for (let j = 0; j < out.length; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += idx[i] * eff[i];
    out[j] = c.data[s];
    for (let i = n - 1; i >= 0; i--) {
      if (++idx[i] < dims[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

/** For each element of the transposed tensor, the flat index it reads in the source. */
export function transposeIndex(dims: readonly number[], perm: readonly number[]): Int32Array {
  const src = strides(dims);
  const outDims = perm.map((p) => dims[p]);
  const eff = perm.map((p) => src[p]);
  const out = new Int32Array(product(dims));
  const idx = new Array<number>(dims.length).fill(0);
  for (let j = 0; j < out.length; j++) {
    let s = 0;
    for (let i = 0; i < idx.length; i++) s += idx[i] * eff[i];
    out[j] = s;
    for (let i = idx.length - 1; i >= 0; i--) {
      if (++idx[i] < outDims[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

/**
 * The per-channel vector of a constant broadcast over an activation, if it varies only with our
 * node's channel (memory index mod C). Returns the broadcast dims too (may add leading 1s).
 */
export function perChannel(v: ActValue, channels: number, c: ConstValue): { values: Float64Array; dims: number[] } | null | 'shape' {
  const dims = broadcastDims(v.dims, c.dims);
  if (!dims || product(dims) !== product(v.dims)) return 'shape';
  const full = broadcastTo(c, dims);
  const p = materialize(v.dims, v.perm);
  const mem = new Float64Array(full.length);
  if (p) for (let i = 0; i < full.length; i++) mem[p[i]] = full[i];
  else mem.set(full);
  for (let m = channels; m < mem.length; m++) if (mem[m] !== mem[m % channels]) return null;
  return { values: mem.slice(0, channels), dims };
}
