// Seeded random graphs, configurations and images for the engine's property tests: every node
// kind, odd shapes, strides, dilation, padding, and formats of 1–16 bits (biases to 32) with
// negative and large fractional lengths, signed and unsigned, some tensors left float.
import type { NodeFormats, QuantConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import { noClipFrac } from '../core/format.ts';
import type { Activation, Epilogue, Graph, GraphNode, Pads, Shape3 } from '../core/graph.ts';
import { elementCount, isParamNode, windowOut } from '../core/graph.ts';
import { seededRandom } from '../core/random.ts';

export interface Rng {
  (): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  normal(): number;
}

export function rng(seed: number): Rng {
  const r = seededRandom(seed) as Rng;
  r.int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  r.pick = (xs) => xs[Math.floor(r() * xs.length)];
  r.chance = (p) => r() < p;
  r.normal = () => {
    const u = Math.max(r(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
  return r;
}

const floats = (r: Rng, n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => r.normal() * scale);

function randomActivation(r: Rng): Activation {
  const k = r.int(0, 3);
  if (k === 0) return { type: 'linear' };
  if (k === 1) return { type: 'relu' };
  if (k === 2) return { type: 'relu', max: r.pick([6, 1, 0.75, 3.3]) };
  return { type: 'leakyRelu', alpha: r.pick([0.3, 0.1, 0.01, 0.2]) };
}

function randomEpilogue(r: Rng, c: number): Epilogue | null {
  if (!r.chance(0.35)) return null;
  return { scale: Float32Array.from({ length: c }, () => 0.2 + r() * 1.5 * (r.chance(0.15) ? -1 : 1)), shift: floats(r, c, 0.3) };
}

interface Tensor { index: number; shape: Shape3 }

export interface GraphOptions {
  maxNodes?: number;
  maxSide?: number;
  maxChannels?: number;
}

/** A random valid graph in topological order. */
export function randomGraph(r: Rng, opts: GraphOptions = {}): Graph {
  const maxSide = opts.maxSide ?? 9;
  const maxC = opts.maxChannels ?? 6;
  const nodes: GraphNode[] = [];
  const add = (n: Omit<GraphNode, 'name'> & { kind: GraphNode['kind'] }): Tensor => {
    const node = { ...n, name: `${n.kind}_${nodes.length}` } as GraphNode;
    nodes.push(node);
    return { index: nodes.length - 1, shape: node.shape };
  };
  let cur = add({ kind: 'input', inputs: [], shape: [r.int(1, maxSide), r.int(1, maxSide), r.int(1, maxC)] } as never);
  const made: Tensor[] = [cur];
  const steps = r.int(1, opts.maxNodes ?? 6);

  const conv = (from: Tensor, same: boolean, cout?: number): Tensor | null => {
    const [h, w, c] = from.shape;
    const kh = same ? r.pick([1, 3]) : r.int(1, 4), kw = same ? r.pick([1, 3]) : r.int(1, 4);
    const sh = same ? 1 : r.int(1, 3), sw = same ? 1 : r.int(1, 3);
    const dh = same || r.chance(0.7) ? 1 : 2, dwl = same || r.chance(0.7) ? 1 : 2;
    const pads: Pads = same ? [(kh - 1) >> 1, (kw - 1) >> 1, kh - 1 - ((kh - 1) >> 1), kw - 1 - ((kw - 1) >> 1)]
      : [r.int(0, kh - 1), r.int(0, kw - 1), r.int(0, kh - 1), r.int(0, kw - 1)];
    const oh = windowOut(h, kh, sh, dh, pads[0], pads[2]);
    const ow = windowOut(w, kw, sw, dwl, pads[1], pads[3]);
    if (oh < 1 || ow < 1) return null;
    const depthwise = !same && r.chance(0.3);
    const mult = depthwise ? r.int(1, 2) : 1;
    const co = depthwise ? c * mult : cout ?? r.int(1, maxC);
    const fan = depthwise ? kh * kw : kh * kw * c;
    return add({
      kind: depthwise ? 'depthwiseConv2d' : 'conv2d', inputs: [from.index], shape: [oh, ow, co],
      kernel: floats(r, kh * kw * (depthwise ? c * mult : c * co), 1.2 / Math.sqrt(fan)),
      kernelShape: [kh, kw, c, depthwise ? mult : co], strides: [sh, sw], dilation: [dh, dwl], pads,
      bias: r.chance(0.85) ? floats(r, co, 0.2) : null, activation: randomActivation(r), epilogue: randomEpilogue(r, co),
    } as never);
  };

  for (let s = 0; s < steps; s++) {
    const [h, w, c] = cur.shape;
    const kind = r.int(0, 11);
    let next: Tensor | null = null;
    if (kind <= 2) next = conv(cur, false);
    else if (kind === 3) {
      const units = r.int(1, 12);
      const nIn = elementCount(cur.shape);
      next = add({
        kind: 'dense', inputs: [cur.index], shape: [1, 1, units], kernel: floats(r, nIn * units, 1.2 / Math.sqrt(nIn)),
        kernelShape: [nIn, units], bias: r.chance(0.85) ? floats(r, units, 0.2) : null, activation: randomActivation(r),
        epilogue: randomEpilogue(r, units),
      } as never);
    } else if (kind === 4) {
      next = add({ kind: 'affine', inputs: [cur.index], shape: cur.shape, scale: Float32Array.from({ length: c }, () => (r() * 2 - 0.6)), shift: floats(r, c, 0.3), activation: randomActivation(r) } as never);
    } else if (kind === 5) {
      const global = r.chance(0.2);
      const ph = global ? h : r.int(1, 3), pw = global ? w : r.int(1, 3);
      const sh = global ? 1 : r.int(1, 3), sw = global ? 1 : r.int(1, 3);
      const pads: Pads = global ? [0, 0, 0, 0] : [r.int(0, ph - 1), r.int(0, pw - 1), r.int(0, ph - 1), r.int(0, pw - 1)];
      const oh = windowOut(h, ph, sh, 1, pads[0], pads[2]), ow = windowOut(w, pw, sw, 1, pads[1], pads[3]);
      if (oh >= 1 && ow >= 1) next = add({ kind: r.chance(0.5) ? 'maxPool' : 'avgPool', inputs: [cur.index], shape: [oh, ow, c], pool: [ph, pw], strides: [sh, sw], pads } as never);
    } else if (kind === 6) {
      // Residual: a same-shape branch added back.
      const branch = conv(cur, true, c);
      if (branch) next = add({ kind: 'add', inputs: r.chance(0.5) ? [cur.index, branch.index] : [branch.index, cur.index], shape: cur.shape, activation: randomActivation(r) } as never);
    } else if (kind === 7) {
      const branch = conv(cur, true);
      if (branch) next = add({ kind: 'concat', inputs: [branch.index, cur.index], shape: [h, w, c + branch.shape[2]] } as never);
    } else if (kind === 8) {
      const pads: Pads = [r.int(0, 2), r.int(0, 2), r.int(0, 2), r.int(0, 2)];
      next = add({ kind: 'pad', inputs: [cur.index], shape: [h + pads[0] + pads[2], w + pads[1] + pads[3], c], pads } as never);
    } else if (kind === 9) {
      next = add({ kind: 'activation', inputs: [cur.index], shape: cur.shape, activation: randomActivation(r) } as never);
    } else if (kind === 10) {
      next = add({ kind: 'reshape', inputs: [cur.index], shape: [1, 1, h * w * c] } as never);
    } else {
      // A three-way add of the current tensor and two same-shape branches.
      const b1 = conv(cur, true, c);
      const b2 = b1 && conv(cur, true, c);
      if (b1 && b2) next = add({ kind: 'add', inputs: [b1.index, cur.index, b2.index], shape: cur.shape, activation: randomActivation(r) } as never);
    }
    if (next) {
      cur = next;
      made.push(cur);
    }
  }
  return { name: 'random', nodes, output: cur.index, notes: [] };
}

export interface ConfigOptions {
  /** Probability that a tensor stays float. */
  floatProb?: number;
  maxBits?: number;
}

function randomFormat(r: Rng, maxAbs: number, maxBits: number, nonNegHint: boolean): Format {
  const bits = r.chance(0.3) ? maxBits : r.int(1, maxBits);
  const signed = nonNegHint ? r.chance(0.4) : r.chance(0.9);
  let frac = noClipFrac(maxAbs, bits, signed);
  const u = r();
  if (u < 0.1) frac += r.int(-8, -2); // heavy clipping, possibly negative frac
  else if (u < 0.2) frac += r.int(2, 10); // frac beyond bits: small values, saturation
  else frac += r.int(-1, 1);
  return { bits, frac, signed };
}

/**
 * A random configuration; `maxAbs[i]` is node i's float output magnitude (choose fracs that are
 * mostly sensible so outputs are not all saturated).
 */
export function randomConfig(r: Rng, g: Graph, maxAbs: number[], opts: ConfigOptions = {}): QuantConfig {
  const pf = opts.floatProb ?? 0.15;
  const maxBits = opts.maxBits ?? 16;
  const absMax = (a: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i])); return m; };
  const nodes: NodeFormats[] = g.nodes.map((n, i) => {
    const f: NodeFormats = {};
    const fmt = (m: number, bits: number, nonNeg = false) => (r.chance(pf) ? null : randomFormat(r, m, bits, nonNeg));
    if (isParamNode(n)) {
      if (n.kind === 'affine') {
        f.weights = fmt(absMax(n.scale), maxBits);
        f.bias = fmt(absMax(n.shift), 32);
      } else {
        f.weights = fmt(absMax(n.kernel), maxBits);
        if (n.bias) f.bias = fmt(absMax(n.bias), r.chance(0.5) ? 32 : maxBits);
        if (n.epilogue) {
          f.scale = fmt(absMax(n.epilogue.scale), maxBits);
          f.shift = fmt(absMax(n.epilogue.shift), r.chance(0.5) ? 32 : maxBits);
        }
      }
    }
    if (isParamNode(n) || n.kind === 'add' || n.kind === 'concat' || n.kind === 'input') {
      const nonNeg = 'activation' in n && n.activation.type === 'relu' && !('epilogue' in n && n.epilogue);
      f.output = fmt(maxAbs[i] || 1, maxBits, nonNeg);
    }
    return f;
  });
  return { nodes };
}

/** Images with values in [-1, 1] (some at exact grid points and zeros). */
export function randomImages(r: Rng, g: Graph, count: number): Float32Array {
  const n = elementCount(g.nodes[0].shape) * count;
  return Float32Array.from({ length: n }, () => (r.chance(0.1) ? 0 : r.chance(0.1) ? Math.round(r() * 16) / 16 : r() * 2 - 1));
}
