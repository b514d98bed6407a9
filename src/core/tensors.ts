// The quantizable tensors of a graph, one format each (DESIGN.md §4), and how to read and set
// their formats in a QuantConfig. The cost model's baseline and every search walk this list.
import type { QuantConfig, NodeFormats } from './config.ts';
import type { Format } from './format.ts';
import { noClipFrac } from './format.ts';
import type { Graph, GraphNode } from './graph.ts';
import { elementCount, isParamNode } from './graph.ts';

/** Float value range of one node's output over the calibration images. */
export interface NodeStats {
  maxAbs: number;
  /** Smallest value seen; only the input node's is used (an input ≥ 0 may be unsigned). */
  min?: number;
}

/** Indexed like graph.nodes; entries are needed for every node that owns an output format. */
export type ActivationStats = ReadonlyArray<NodeStats | null | undefined>;

export type TensorSlot = 'weights' | 'bias' | 'scale' | 'shift' | 'output';
/** Epilogue and affine scales behave like weights, their shifts like biases (DESIGN.md §5). */
export type TensorRole = 'weights' | 'bias' | 'activation';

export interface TensorRef {
  node: number;
  slot: TensorSlot;
  role: TensorRole;
  /** `layer.slot`, for progress messages and traces. */
  name: string;
  /** Values per image (activations) or in the model (parameters). */
  count: number;
  maxAbs: number;
  /** Provably ≥ 0, so an unsigned format loses nothing. */
  nonNegative: boolean;
  /** Widest format allowed: 16 bits, 32 for biases and shifts (DESIGN.md §4). */
  maxBits: number;
}

export function arrayMaxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

const allNonNegative = (a: ArrayLike<number>): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] < 0) return false;
  return true;
};

/** Parameter values behind a slot, or null when the node has none there. */
export function tensorValues(n: GraphNode, slot: TensorSlot): Float32Array | null {
  switch (n.kind) {
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'dense':
      if (slot === 'weights') return n.kernel;
      if (slot === 'bias') return n.bias;
      if (slot === 'scale') return n.epilogue?.scale ?? null;
      if (slot === 'shift') return n.epilogue?.shift ?? null;
      return null;
    case 'affine':
      if (slot === 'weights') return n.scale;
      if (slot === 'bias') return n.shift;
      return null;
    default:
      return null;
  }
}

/**
 * Which node outputs are provably non-negative: relu (without an epilogue that could turn
 * values negative), pooling/padding/reshape of such, concat of such. The input counts as
 * non-negative when the calibration images never go below zero.
 */
export function nonNegativeOutputs(g: Graph, stats?: ActivationStats): boolean[] {
  const out: boolean[] = [];
  const isRelu = (a: { type: string }) => a.type === 'relu';
  g.nodes.forEach((n, i) => {
    switch (n.kind) {
      case 'input':
        out[i] = (stats?.[i]?.min ?? -1) >= 0;
        break;
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'dense':
        out[i] = isRelu(n.activation) && (!n.epilogue || (allNonNegative(n.epilogue.scale) && allNonNegative(n.epilogue.shift)));
        break;
      case 'affine':
        out[i] = isRelu(n.activation);
        break;
      case 'add':
        out[i] = isRelu(n.activation) || n.inputs.every((p) => out[p]);
        break;
      case 'activation':
        out[i] = isRelu(n.activation) || (n.activation.type === 'linear' && out[n.inputs[0]]);
        break;
      case 'concat':
        out[i] = n.inputs.every((p) => out[p]);
        break;
      default: // pools, pad (zeros), reshape
        out[i] = out[n.inputs[0]];
    }
  });
  return out;
}

/**
 * Every tensor that has a format, in graph order; within a node: weights, scale, bias, shift,
 * output. The input image is the first tensor. Throws when an activation has no statistics.
 */
export function quantTensors(g: Graph, stats: ActivationStats): TensorRef[] {
  const nonNeg = nonNegativeOutputs(g, stats);
  const list: TensorRef[] = [];
  g.nodes.forEach((n, i) => {
    if (isParamNode(n)) {
      for (const slot of ['weights', 'scale', 'bias', 'shift'] as const) {
        const v = tensorValues(n, slot);
        if (!v) continue;
        const role: TensorRole = slot === 'weights' || slot === 'scale' ? 'weights' : 'bias';
        list.push({
          node: i, slot, role, name: `${n.name}.${slot}`, count: v.length, maxAbs: arrayMaxAbs(v),
          nonNegative: false, maxBits: role === 'bias' ? 32 : 16,
        });
      }
    }
    if (n.kind === 'input' || isParamNode(n) || n.kind === 'add' || n.kind === 'concat') {
      const s = stats[i];
      if (!s || !Number.isFinite(s.maxAbs)) throw new Error(`no activation statistics for node ${i} (${n.name})`);
      list.push({
        node: i, slot: 'output', role: 'activation', name: n.kind === 'input' ? `${n.name}` : `${n.name}.output`,
        count: elementCount(n.shape), maxAbs: s.maxAbs, nonNegative: nonNeg[i], maxBits: 16,
      });
    }
  });
  return list;
}

export function getFormat(c: QuantConfig, t: { node: number; slot: TensorSlot }): Format | null {
  return c.nodes[t.node]?.[t.slot] ?? null;
}

/** A copy of `c` with one tensor's format replaced; untouched nodes are shared, not copied. */
export function withFormat(c: QuantConfig, t: { node: number; slot: TensorSlot }, f: Format | null): QuantConfig {
  const nodes = c.nodes.slice();
  const nf: NodeFormats = { ...nodes[t.node] };
  nf[t.slot] = f;
  nodes[t.node] = nf;
  return { nodes };
}

/** The no-clipping format of a tensor at `bits`. */
export function noClipFormat(t: TensorRef, bits: number, signed: boolean): Format {
  return { bits, frac: noClipFrac(t.maxAbs, bits, signed), signed };
}

const fmtKey = (f: Format | null | undefined): string => (f ? `${f.signed ? 's' : 'u'}${f.bits}.${f.frac}` : '-');

/** A string that is equal for equal configurations (memo key). */
export function configKey(c: QuantConfig): string {
  return c.nodes.map((n) => `${fmtKey(n.weights)},${fmtKey(n.bias)},${fmtKey(n.scale)},${fmtKey(n.shift)},${fmtKey(n.output)}`).join('|');
}

const sameFormat = (a: Format | null | undefined, b: Format | null | undefined): boolean =>
  a === b || (!a && !b) || (!!a && !!b && a.bits === b.bits && a.frac === b.frac && a.signed === b.signed);

/** Index of the first node whose formats differ (nodes.length when equal). */
export function firstDifference(a: QuantConfig, b: QuantConfig): number {
  const n = Math.max(a.nodes.length, b.nodes.length);
  for (let i = 0; i < n; i++) {
    const x = a.nodes[i] ?? {};
    const y = b.nodes[i] ?? {};
    if (x === y) continue;
    if (!sameFormat(x.weights, y.weights) || !sameFormat(x.bias, y.bias) || !sameFormat(x.scale, y.scale) ||
      !sameFormat(x.shift, y.shift) || !sameFormat(x.output, y.output)) return i;
  }
  return n;
}
