// Memory layout of one graph at one batch size, decided once in Engine.load: activation
// buffers (shared between tensors whose lifetimes do not overlap), a parameter region per node
// big enough for any of its packings, and scratch for im2col panels and accumulators.
import type { Graph, GraphNode } from '../core/graph.ts';
import { elementCount } from '../core/graph.ts';
import { FLOAT_EPI_BLOCK, INT_EPI_BLOCK } from './blocks.ts';
import type { KernelExports } from './kernels.ts';

export const roundUp = (x: number, m: number): number => Math.ceil(x / m) * m;

/** Nodes whose output is their input's memory: reshape, and linear standalone activations. */
export function isAlias(n: GraphNode): boolean {
  return n.kind === 'reshape' || (n.kind === 'activation' && n.activation.type === 'linear');
}

/** GEMM dimensions of conv2d / dense (K = reduction, N = output channels; Kp a multiple of 32 for the unrolled kernels). */
export function gemmDims(g: Graph, n: GraphNode): { K: number; N: number; Kp: number; Np: number } | null {
  if (n.kind === 'conv2d') {
    const [kh, kw, cin, cout] = n.kernelShape;
    return { K: kh * kw * cin, N: cout, Kp: roundUp(kh * kw * cin, 32), Np: roundUp(cout, 8) };
  }
  if (n.kind === 'dense') {
    const [nIn, nOut] = n.kernelShape;
    if (elementCount(g.nodes[n.inputs[0]].shape) !== nIn) {
      throw new Error(`dense node ${n.name}: its input has ${elementCount(g.nodes[n.inputs[0]].shape)} values, the kernel expects ${nIn}`);
    }
    return { K: nIn, N: nOut, Kp: roundUp(nIn, 32), Np: roundUp(nOut, 8) };
  }
  return null;
}

/** Convolutions conv_c1_i16 / conv_c1_f32 can run: one input channel, stride 1, no dilation. */
export function isDirectC1(n: GraphNode): boolean {
  return n.kind === 'conv2d' && n.kernelShape[2] === 1 && n.strides[0] === 1 && n.strides[1] === 1 && n.dilation[0] === 1 && n.dilation[1] === 1;
}

/**
 * Convolutions gemm_i16_conv_epi / gemm_i8r_conv_epi can run without an im2col panel (dilation
 * 1 across): the length each kernel row is read as, kw·C rounded up to `chunk` values (8 for
 * i16, 16 for i8), when kh such runs are no more work than the panel's Kp; 0 otherwise.
 */
export function convRunP(n: GraphNode, chunk: 8 | 16): number {
  if (n.kind !== 'conv2d' || n.dilation[1] !== 1) return 0;
  const [kh, kw, c] = n.kernelShape;
  const runP = roundUp(kw * c, chunk);
  return kh * kw > 1 && kh * runP <= roundUp(kh * kw * c, 32) ? runP : 0;
}

/** Channels of a node's per-channel parameters (0 for nodes without parameters). */
export function paramChannels(n: GraphNode): number {
  if (n.kind === 'conv2d' || n.kind === 'dense' || n.kind === 'depthwiseConv2d') return n.shape[2];
  if (n.kind === 'affine') return n.shape[2];
  return 0;
}

export interface ParamRegion {
  /** Packed integer weights (i8 / i16 / i32 by path) and float32 weights. */
  wInt: number;
  /** One-input-channel convolutions: weights as i16 tap pairs for conv_c1_i16 (0 if none). */
  wAux: number;
  /** Convolutions with convRunP > 0: weights packed for gemm_i16_conv_epi / gemm_i8r_conv_epi (K = kh·runP; 0 if none). */
  wConv: number;
  wF32: number;
  /** Per channel (Np entries): i64 bias term, i64 epilogue shift term, i32 scale, i32 copies, floats. */
  bt64: number;
  st64: number;
  qs: number;
  bt32: number;
  st32: number;
  fbias: number;
  fscale: number;
  fshift: number;
  blkInt: number;
  blkF: number;
  Np: number;
}

export interface Layout {
  batch: number;
  /** Output buffer of each node (aliases share their producer's). */
  buffer: number[];
  /** Root tensor whose buffer a node uses (itself unless it is an alias). */
  root: number[];
  /** Index of the last node that reads each root tensor (Infinity for the graph output). */
  lastUse: number[];
  params: (ParamRegion | null)[];
  /** Rows of the im2col / accumulator tiles per node. */
  tileRows: number[];
  panel: number;
  c32: number;
  c64: number;
  /** Elements of the 64-bit accumulator scratch (also used by n-ary add). */
  c64Elems: number;
  scratchA: number;
  scratchB: number;
  staging: number;
  preds: number;
  /** Zero-padded (and for integer paths narrowed) copy of a convolution's input (batch × padded H × padded W × C). */
  padScratch: number;
}

const SLACK = 64;

/** Panels of about 64 KB keep the GEMM's operands in L2. */
const PANEL_BYTES = 64 * 1024;

export function planLayout(g: Graph, batch: number, wasm: KernelExports): Layout {
  const nodes = g.nodes;
  const root = nodes.map((_, i) => i);
  nodes.forEach((n, i) => { if (isAlias(n)) root[i] = root[n.inputs[0]]; });
  const lastUse = nodes.map(() => -1);
  nodes.forEach((n, i) => n.inputs.forEach((p) => { lastUse[root[p]] = Math.max(lastUse[root[p]], i); }));
  lastUse[root[g.output]] = Infinity;

  // SLACK bytes after every buffer: vector kernels may read (and, into scratch, write) a few
  // lanes past the end of a run (assembly/im2col.ts).
  const alloc = (bytes: number): number => wasm.alloc(roundUp(bytes, 16) + SLACK);

  // Activation buffers: best fit from a free list, released after the last reader ran.
  const buffer: number[] = new Array(nodes.length).fill(0);
  const free: Array<{ ptr: number; bytes: number }> = [];
  const owned = new Map<number, { ptr: number; bytes: number }>();
  let maxElems = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    maxElems = Math.max(maxElems, elementCount(n.shape));
    if (root[i] !== i) { buffer[i] = buffer[root[i]]; continue; }
    const bytes = roundUp(batch * elementCount(n.shape) * 4, 16);
    let best = -1;
    for (let k = 0; k < free.length; k++) if (free[k].bytes >= bytes && (best < 0 || free[k].bytes < free[best].bytes)) best = k;
    const b = best >= 0 ? free.splice(best, 1)[0] : { ptr: alloc(bytes), bytes };
    owned.set(i, b);
    buffer[i] = b.ptr;
    for (const [t, buf] of owned) {
      if (lastUse[t] <= i && t !== i) { free.push(buf); owned.delete(t); }
    }
  }

  const params: (ParamRegion | null)[] = [];
  const tileRows: number[] = [];
  let panelBytes = 16, maxNp = 8, maxTile = 4, maxPadded = 4;
  nodes.forEach((n) => {
    if (n.kind === 'conv2d') {
      const [h, w, c] = g.nodes[n.inputs[0]].shape;
      maxPadded = Math.max(maxPadded, (h + n.pads[0] + n.pads[2]) * (w + n.pads[1] + n.pads[3]) * c);
    }
    const dims = gemmDims(g, n);
    const ch = paramChannels(n);
    let rows = 64;
    if (dims) rows = Math.max(4, Math.min(256, Math.floor(PANEL_BYTES / (dims.Kp * 2) / 4) * 4));
    tileRows.push(rows);
    if (!ch) { params.push(null); return; }
    const Np = roundUp(ch, 8);
    maxNp = Math.max(maxNp, Np);
    maxTile = Math.max(maxTile, rows);
    let wElems = 0;
    if (dims) {
      wElems = Math.max(dims.Np * dims.Kp, dims.K * dims.Np);
      panelBytes = Math.max(panelBytes, rows * dims.Kp * 4);
    } else if (n.kind === 'depthwiseConv2d') {
      wElems = n.kernelShape[0] * n.kernelShape[1] * ch;
    } else {
      wElems = ch;
    }
    const aux = n.kind === 'conv2d' && isDirectC1(n) ? n.kernelShape[0] * ((n.kernelShape[1] + 1) >> 1) * Np * 4 : 0;
    // Either packing (i16 or i8) has at most Kp values a channel.
    const conv = dims && (convRunP(n, 8) || convRunP(n, 16)) ? dims.Kp * Np * 2 : 0;
    params.push({
      wInt: alloc(wElems * 4), wF32: alloc(wElems * 4), wAux: aux ? alloc(aux) : 0, wConv: conv ? alloc(conv) : 0,
      bt64: alloc(Np * 8), st64: alloc(Np * 8), qs: alloc(Np * 4), bt32: alloc(Np * 4), st32: alloc(Np * 4),
      fbias: alloc(Np * 4), fscale: alloc(Np * 4), fshift: alloc(Np * 4), blkInt: alloc(INT_EPI_BLOCK.size), blkF: alloc(FLOAT_EPI_BLOCK.size), Np,
    });
  });
  const c64Elems = maxTile * maxNp;
  const inputElems = elementCount(nodes[0].shape);
  return {
    batch, buffer, root, lastUse, params, tileRows,
    panel: alloc(panelBytes),
    // Twice the channels for i16-split (two int16 halves per weight).
    c32: alloc(c64Elems * 8),
    c64: alloc(c64Elems * 8),
    c64Elems,
    scratchA: alloc(batch * maxElems * 4),
    scratchB: alloc(batch * maxElems * 4),
    staging: alloc(batch * inputElems * 4),
    preds: alloc(batch * 4),
    padScratch: alloc(batch * maxPadded * 4),
  };
}
