// Our graph as it is built from ONNX nodes, with the fusions of DESIGN.md §3: a per-channel
// scale/shift (bias Add, Mul, BatchNormalization) is folded into the producing layer's weights
// while that layer has no activation yet, becomes its epilogue after its activation, and an
// affine node otherwise; an activation is fused into its producer when it can be.
// A fusion rewrites the producer in place, so it is only done when the producer's current
// output tensor has exactly one ONNX consumer and is not a graph output (`fusable`).
import type { Activation, GraphNode, Shape3 } from '../../core/graph.ts';
import type { ActValue, Perm } from './values.ts';
import { materialize, naturalShape, normalizePerm, sameDims } from './values.ts';

export type ScaleShiftResult = 'identity' | 'folded' | 'epilogue' | 'affine';

export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly notes: string[] = [];
  /** Per node: the ONNX tensor that currently stands for its output alone, or null once shared. */
  private readonly head: (string | null)[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly uses: Map<string, number>, private readonly outputs: Set<string>) {}

  uniqueName(base: string): string {
    let name = base || 'node';
    for (let k = 2; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }

  emit<N extends GraphNode>(node: N, tensor: string, dims: number[], perm: Perm): ActValue {
    this.nodes.push(node);
    this.head.push(tensor);
    return { kind: 'act', node: this.nodes.length - 1, dims, perm, tensor };
  }

  shape(v: ActValue): Shape3 {
    return this.nodes[v.node].shape;
  }

  /** Whether v's producer may be rewritten: nothing but the op at hand reads it. */
  fusable(v: ActValue): boolean {
    return this.head[v.node] === v.tensor && (this.uses.get(v.tensor) ?? 0) === 1 && !this.outputs.has(v.tensor);
  }

  /** The same node's output under another tensor name (and maybe other dims/permutation). */
  alias(v: ActValue, tensor: string, dims = v.dims, perm: Perm = v.perm): ActValue {
    this.head[v.node] = this.fusable(v) ? tensor : null;
    return { kind: 'act', node: v.node, dims, perm, tensor };
  }

  /** Reshape/Flatten/Squeeze/Unsqueeze: relabel, adding a reshape node when the natural shape changes. */
  reshape(v: ActValue, dims: number[], tensor: string, name: string): ActValue {
    if (sameDims(dims, v.dims)) return this.alias(v, tensor);
    const perm = normalizePerm(dims, materialize(v.dims, v.perm));
    const natural = naturalShape(dims, perm);
    const cur = this.shape(v);
    if (!natural || sameDims(natural, cur)) return this.alias(v, tensor, dims, perm);
    return this.emit({ kind: 'reshape', name: this.uniqueName(name), inputs: [v.node], shape: natural }, tensor, dims, perm);
  }

  /** y = x·s + t per channel of v's node (s or t null: 1 or 0). */
  scaleShift(v: ActValue, s: Float64Array | null, t: Float64Array | null, tensor: string, name: string, dims = v.dims): { value: ActValue; how: ScaleShiftResult } {
    const perm = dims === v.dims ? v.perm : normalizePerm(dims, materialize(v.dims, v.perm));
    if ((!s || s.every((x) => x === 1)) && (!t || t.every((x) => x === 0))) {
      return { value: this.alias(v, tensor, dims, perm), how: 'identity' };
    }
    const node = this.nodes[v.node];
    const c = node.shape[2];
    const scale = s ?? new Float64Array(c).fill(1);
    const shift = t ?? new Float64Array(c);
    if (this.fusable(v)) {
      if (node.kind === 'conv2d' || node.kind === 'depthwiseConv2d' || node.kind === 'dense') {
        if (node.activation.type === 'linear' && !node.epilogue) {
          // Exact in real arithmetic: w·s per output channel, b·s + t.
          const k = node.kernel;
          for (let i = 0; i < k.length; i++) k[i] = k[i] * scale[i % c];
          const b = new Float32Array(c);
          for (let o = 0; o < c; o++) b[o] = (node.bias ? node.bias[o] : 0) * scale[o] + shift[o];
          node.bias = b;
          return { value: this.alias(v, tensor, dims, perm), how: 'folded' };
        }
        if (!node.epilogue) {
          node.epilogue = { scale: Float32Array.from(scale), shift: Float32Array.from(shift) };
        } else {
          const e = node.epilogue;
          for (let o = 0; o < c; o++) { e.shift[o] = e.shift[o] * scale[o] + shift[o]; e.scale[o] *= scale[o]; }
        }
        return { value: this.alias(v, tensor, dims, perm), how: 'epilogue' };
      }
      if (node.kind === 'affine' && node.activation.type === 'linear') {
        for (let o = 0; o < c; o++) { node.shift[o] = node.shift[o] * scale[o] + shift[o]; node.scale[o] *= scale[o]; }
        return { value: this.alias(v, tensor, dims, perm), how: 'affine' };
      }
    }
    const value = this.emit({
      kind: 'affine', name: this.uniqueName(name), inputs: [v.node], shape: [...node.shape] as Shape3,
      scale: Float32Array.from(scale), shift: Float32Array.from(shift), activation: { type: 'linear' },
    }, tensor, dims, perm);
    return { value, how: 'affine' };
  }

  activation(v: ActValue, act: Activation, tensor: string, name: string): ActValue {
    if (act.type === 'linear') return this.alias(v, tensor);
    const node = this.nodes[v.node];
    if (this.fusable(v)) {
      const hasAct = node.kind === 'conv2d' || node.kind === 'depthwiseConv2d' || node.kind === 'dense' || node.kind === 'affine' || node.kind === 'add';
      const noEpilogue = !('epilogue' in node) || !node.epilogue;
      if (hasAct && node.activation.type === 'linear' && noEpilogue) {
        node.activation = act;
        return this.alias(v, tensor);
      }
    }
    return this.emit({ kind: 'activation', name: this.uniqueName(name), inputs: [v.node], shape: [...node.shape] as Shape3, activation: act },
      tensor, v.dims, v.perm);
  }
}
