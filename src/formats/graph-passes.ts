// Import-time rewrites of DESIGN.md §3, shared by every model format: fold a BatchNormalization
// into the linear layer before it, fuse it after that layer's activation as an epilogue, fuse
// standalone activations into their producer, fold an input Rescaling into the first layer,
// and drop nodes that do not lead to the output. All rewrites are exact in float arithmetic.
import type { Activation, AddNode, AffineNode, Conv2DNode, DenseNode, DepthwiseConv2DNode, Graph, GraphNode } from '../core/graph.ts';
import { consumers } from '../core/graph.ts';

/** Where an affine node came from; only a Rescaling may be folded forward into its consumer. */
export type NodeOrigin = 'batchnorm' | 'rescaling';

type LinearNode = Conv2DNode | DepthwiseConv2DNode | DenseNode;
const isLinear = (n: GraphNode): n is LinearNode => n.kind === 'conv2d' || n.kind === 'depthwiseConv2d' || n.kind === 'dense';
const isLinearAct = (a: Activation) => a.type === 'linear';

/** Output channels of a linear node (the fastest-varying index of its kernel's output side). */
const outChannels = (n: LinearNode): number =>
  n.kind === 'dense' ? n.kernelShape[1] : n.kind === 'conv2d' ? n.kernelShape[3] : n.kernelShape[2] * n.kernelShape[3];

/**
 * Keeps only nodes that lead to `graph.output`, input node first, indices renumbered.
 * Returns the dropped nodes.
 */
export function pruneGraph(graph: Graph): GraphNode[] {
  const live = new Array<boolean>(graph.nodes.length).fill(false);
  const stack = [graph.output];
  while (stack.length) {
    const i = stack.pop()!;
    if (live[i]) continue;
    live[i] = true;
    stack.push(...graph.nodes[i].inputs);
  }
  let order = graph.nodes.map((_, i) => i).filter((i) => live[i]);
  // An input has no producers, so moving inputs to the front keeps the order topological.
  order = [...order.filter((i) => graph.nodes[i].kind === 'input'), ...order.filter((i) => graph.nodes[i].kind !== 'input')];
  const map = new Map<number, number>();
  order.forEach((old, i) => map.set(old, i));
  const dropped = graph.nodes.filter((_, i) => !live[i]);
  graph.nodes = order.map((old) => {
    const n = graph.nodes[old];
    n.inputs = n.inputs.map((p) => map.get(p)!);
    return n;
  });
  graph.output = map.get(graph.output)!;
  return dropped;
}

function replaceUses(graph: Graph, from: number, to: number): void {
  for (const n of graph.nodes) n.inputs = n.inputs.map((p) => (p === from ? to : p));
  if (graph.output === from) graph.output = to;
}

/** Rewrites the graph in place until no rule applies, then prunes dead nodes. */
export function optimizeGraph(graph: Graph, origin: Map<GraphNode, NodeOrigin> = new Map()): Graph {
  pruneGraph(graph);
  const events = new Map<string, string[]>();
  const log = (what: string, pair: string) => events.set(what, [...(events.get(what) ?? []), pair]);
  while (applyOneRule(graph, origin, log)) pruneGraph(graph);
  // One note per kind of rewrite, listing every pair, so a deep model does not flood the notes.
  for (const [what, pairs] of events) graph.notes.push(`${what} (${pairs.length}): ${pairs.join(', ')}`);
  return graph;
}

function applyOneRule(g: Graph, origin: Map<GraphNode, NodeOrigin>, log: (what: string, pair: string) => void): boolean {
  const cons = consumers(g);
  const soleProducer = (i: number): number | null => {
    const n = g.nodes[i];
    if (n.inputs.length !== 1) return null;
    const p = n.inputs[0];
    return cons[p].length === 1 && g.output !== p ? p : null;
  };
  // Activation node i becomes the fused activation of its sole producer, when `joins` accepts
  // that producer and its own activation is linear.
  const joinActivation = (i: number, joins: (prod: GraphNode) => prod is LinearNode | AffineNode | AddNode): boolean => {
    const x = g.nodes[i];
    const p = soleProducer(i);
    if (x.kind !== 'activation' || p === null) return false;
    const prod = g.nodes[p];
    if (!joins(prod) || !isLinearAct(prod.activation)) return false;
    prod.activation = x.activation;
    replaceUses(g, i, p);
    return true;
  };
  const rules: Array<(i: number) => boolean> = [
    // BatchNormalization right after a linear layer: scale its weights and bias.
    (i) => {
      const a = g.nodes[i];
      const p = soleProducer(i);
      if (a.kind !== 'affine' || p === null) return false;
      const prod = g.nodes[p];
      if (!isLinear(prod) || !isLinearAct(prod.activation) || prod.epilogue) return false;
      foldScaleIntoLinear(prod, a);
      prod.activation = a.activation;
      log(`${describe(a, origin)} folded into the layer before it`, `${a.name} → ${prod.name}`);
      replaceUses(g, i, p);
      return true;
    },
    // A standalone activation after a linear layer becomes that layer's fused activation.
    (i) => joinActivation(i, (prod): prod is LinearNode => isLinear(prod) && !prod.epilogue),
    // conv → ReLU → BatchNormalization: the normalization becomes the layer's epilogue.
    (i) => {
      const a = g.nodes[i];
      const p = soleProducer(i);
      if (a.kind !== 'affine' || p === null || !isLinearAct(a.activation)) return false;
      const prod = g.nodes[p];
      if (!isLinear(prod) || isLinearAct(prod.activation) || prod.epilogue) return false;
      prod.epilogue = { scale: a.scale, shift: a.shift };
      log(`${describe(a, origin)} after the activation fused as the layer's epilogue`, `${a.name} → ${prod.name}`);
      replaceUses(g, i, p);
      return true;
    },
    // An input Rescaling: fold into the first conv/dense (through flatten) where exact.
    (i) => {
      const r = g.nodes[i];
      if (r.kind !== 'affine' || origin.get(r) !== 'rescaling' || !isLinearAct(r.activation) || g.output === i) return false;
      let next = i;
      for (;;) {
        if (cons[next].length !== 1 || g.output === next) return false;
        const c = cons[next][0];
        const n = g.nodes[c];
        if (n.kind === 'reshape') { next = c; continue; }
        if (!isLinear(n)) return false;
        const hasShift = r.shift.some((t) => t !== 0);
        // With zero padding, a shifted input would make the padded border differ: not exact.
        if (hasShift && n.kind !== 'dense' && n.pads.some((q) => q !== 0)) return false;
        if (n.kind !== 'dense' && next !== i) return false;
        foldInputAffine(n, r);
        const first = cons[i][0];
        g.nodes[first].inputs = g.nodes[first].inputs.map((q) => (q === i ? r.inputs[0] : q));
        log(`${describe(r, origin)} folded into the first layer`, `${r.name} → ${n.name}`);
        return true;
      }
    },
    // An activation after an affine or add node joins it (after the rules above, which may
    // fuse that affine node first).
    (i) => joinActivation(i, (prod) => prod.kind === 'affine' || prod.kind === 'add'),
    // A reshape of a reshape is one reshape (layout only).
    (i) => {
      const x = g.nodes[i];
      if (x.kind !== 'reshape' || g.nodes[x.inputs[0]].kind !== 'reshape') return false;
      x.inputs = [g.nodes[x.inputs[0]].inputs[0]];
      return true;
    },
    // Identities: linear activation nodes and reshapes that change nothing.
    (i) => {
      const x = g.nodes[i];
      const identity = (x.kind === 'activation' && isLinearAct(x.activation)) ||
        (x.kind === 'reshape' && sameShape(x.shape, g.nodes[x.inputs[0]].shape));
      if (!identity) return false;
      replaceUses(g, i, x.inputs[0]);
      return true;
    },
  ];
  for (const rule of rules) {
    for (let i = 0; i < g.nodes.length; i++) if (rule(i)) return true;
  }
  return false;
}

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((v, k) => v === b[k]);
const describe = (n: GraphNode, origin: Map<GraphNode, NodeOrigin>) =>
  origin.get(n) === 'rescaling' ? 'Rescaling' : origin.get(n) === 'batchnorm' ? 'BatchNormalization' : 'affine';

/** y = (W·x + b)·s + t per output channel → W' = W·s, b' = b·s + t. */
function foldScaleIntoLinear(n: LinearNode, a: AffineNode): void {
  const c = outChannels(n);
  const kernel = new Float32Array(n.kernel.length);
  for (let i = 0; i < kernel.length; i++) kernel[i] = n.kernel[i] * a.scale[i % c];
  const bias = new Float32Array(c);
  for (let o = 0; o < c; o++) bias[o] = (n.bias ? n.bias[o] : 0) * a.scale[o] + a.shift[o];
  n.kernel = kernel;
  n.bias = bias;
}

/** W·(x·s + t) + b per input channel → W' = W·s, b' = b + Σ W·t. */
function foldInputAffine(n: LinearNode, r: AffineNode): void {
  const cin = r.scale.length;
  const cout = outChannels(n);
  const kernel = new Float32Array(n.kernel.length);
  const bias = new Float64Array(cout);
  if (n.bias) bias.set(n.bias);
  for (let i = 0; i < kernel.length; i++) {
    const o = i % cout;
    let ci: number;
    if (n.kind === 'dense') ci = Math.floor(i / cout) % cin; // NHWC flattening: channel varies fastest
    else if (n.kind === 'conv2d') ci = Math.floor(i / cout) % cin;
    else ci = Math.floor(o / n.kernelShape[3]);
    kernel[i] = n.kernel[i] * r.scale[ci];
    bias[o] += n.kernel[i] * r.shift[ci];
  }
  n.kernel = kernel;
  n.bias = Float32Array.from(bias);
}
