// The layer table a user sees after dropping a model (DESIGN.md §1.2): per node its kind,
// shape, parameters, MACs and float value ranges, plus the float model's answers on the images.
import type { Activation, Graph, NodeKind, Shape3 } from './graph.ts';
import { graphTotals, nodeMacs, nodeParams } from './graph.ts';
import { argmax, forwardFloat } from './float-reference.ts';

export type Range = [number, number];

export interface NodeSummary {
  index: number;
  name: string;
  kind: NodeKind;
  inputs: number[];
  shape: Shape3;
  params: number;
  macs: number;
  /** Fused activation, e.g. "relu", "relu6", "leakyRelu(0.1)"; null where the kind has none. */
  activation: string | null;
  /** A BatchNormalization fused after the activation. */
  epilogue: boolean;
  /** Weights (kernel, or an affine node's scale). */
  weightRange: Range | null;
  /** Bias (or an affine node's shift). */
  biasRange: Range | null;
  /** Float output values over the images summarised; null when no images were given. */
  outputRange: Range | null;
}

export interface GraphSummary {
  name: string;
  nodes: NodeSummary[];
  params: number;
  macs: number;
  notes: string[];
  /** Images the output ranges and predictions come from. */
  images: number;
  /** Float model's top-1 answer per image (lowest index on ties). */
  predictions: Int32Array | null;
  /** Fraction of images whose prediction equals the label, when labels were given. */
  accuracy: number | null;
}

export function rangeOf(v: ArrayLike<number>): Range | null {
  if (v.length === 0) return null;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

export function describeActivation(a: Activation): string {
  if (a.type === 'relu') return a.max === undefined ? 'relu' : a.max === 6 ? 'relu6' : `relu(max ${a.max})`;
  if (a.type === 'leakyRelu') return `leakyRelu(${a.alpha})`;
  return 'linear';
}

/** Running min/max of every node's output, fed one image's outputs at a time. */
export class OutputRanges {
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  count = 0;

  constructor(nodes: number) {
    this.lo = new Float64Array(nodes).fill(Infinity);
    this.hi = new Float64Array(nodes).fill(-Infinity);
  }

  add(outputs: Float32Array[]): void {
    outputs.forEach((v, i) => {
      const r = rangeOf(v);
      if (!r) return;
      if (r[0] < this.lo[i]) this.lo[i] = r[0];
      if (r[1] > this.hi[i]) this.hi[i] = r[1];
    });
    this.count++;
  }

  get(i: number): Range | null {
    return this.count > 0 && this.lo[i] <= this.hi[i] ? [this.lo[i], this.hi[i]] : null;
  }
}

export interface SummaryOptions {
  /** Preprocessed images (H×W×C each); their float outputs give the ranges and predictions. */
  inputs?: Iterable<Float32Array>;
  /** Labels of those images, for the float accuracy. */
  labels?: ArrayLike<number> | null;
  /** Forward pass to use (default: the scalar float reference); must return every node's output. */
  forward?: (graph: Graph, input: Float32Array) => Float32Array[];
}

export function summarizeGraph(graph: Graph, o: SummaryOptions = {}): GraphSummary {
  const ranges = new OutputRanges(graph.nodes.length);
  const forward = o.forward ?? forwardFloat;
  const preds: number[] = [];
  for (const x of o.inputs ?? []) {
    const outs = forward(graph, x);
    ranges.add(outs);
    preds.push(argmax(outs[graph.output]));
  }
  let accuracy: number | null = null;
  if (o.labels && preds.length > 0) {
    let ok = 0;
    preds.forEach((p, i) => { if (p === o.labels![i]) ok++; });
    accuracy = ok / preds.length;
  }
  const totals = graphTotals(graph);
  return {
    name: graph.name,
    params: totals.params,
    macs: totals.macs,
    notes: [...graph.notes],
    images: ranges.count,
    predictions: preds.length ? Int32Array.from(preds) : null,
    accuracy,
    nodes: graph.nodes.map((n, index) => {
      let weightRange: Range | null = null, biasRange: Range | null = null;
      if (n.kind === 'conv2d' || n.kind === 'depthwiseConv2d' || n.kind === 'dense') {
        weightRange = rangeOf(n.kernel);
        biasRange = n.bias ? rangeOf(n.bias) : null;
      } else if (n.kind === 'affine') {
        weightRange = rangeOf(n.scale);
        biasRange = rangeOf(n.shift);
      }
      return {
        index,
        name: n.name,
        kind: n.kind,
        inputs: [...n.inputs],
        shape: n.shape,
        params: nodeParams(n),
        macs: nodeMacs(n),
        activation: 'activation' in n ? describeActivation(n.activation) : null,
        epilogue: 'epilogue' in n && n.epilogue !== null,
        weightRange,
        biasRange,
        outputRange: ranges.get(index),
      };
    }),
  };
}
