// The graph IR every model format imports into and every engine runs (DESIGN.md §3).
//
// Tensors are per image, NHWC without the batch axis: shape [H, W, C]. A dense layer's output
// is [1, 1, units]. Flatten and reshape are free: NHWC memory order is already what a dense
// layer consumes (importers from NCHW formats permute dense weights so this stays true).
// Nodes are stored in topological order and refer to their inputs by index into `nodes`.

export type Shape3 = [number, number, number];

/** Fused activation. relu with `max` clamps at max (relu6 is max = 6). */
export type Activation =
  | { type: 'linear' }
  | { type: 'relu'; max?: number }
  | { type: 'leakyRelu'; alpha: number };

/** Per-channel y = act(x)·scale + shift, from a BatchNormalization after the activation. */
export interface Epilogue {
  scale: Float32Array; // [channels]
  shift: Float32Array; // [channels]
}

/** Explicit padding in pixels: top, left, bottom, right. */
export type Pads = [number, number, number, number];

interface NodeBase {
  /** Unique, as given by the model file (sanitise before using it in code). */
  name: string;
  /** Indices of producer nodes. */
  inputs: number[];
  /** Output shape [H, W, C] for one image. */
  shape: Shape3;
}

export interface InputNode extends NodeBase { kind: 'input' }

/** What conv2d, depthwise and dense share: weights, an optional bias, a fused activation and epilogue. */
interface LinearFields {
  kernel: Float32Array;
  /** One per output channel (conv2d: cout; depthwise: cin·multiplier; dense: out). */
  bias: Float32Array | null;
  activation: Activation;
  epilogue: Epilogue | null;
}

/** A sliding window over H×W (conv2d, depthwise). */
interface WindowFields extends LinearFields {
  kernelShape: [number, number, number, number];
  strides: [number, number];
  dilation: [number, number];
  pads: Pads;
}

/** Kernel HWIO like TensorFlow.js: [kh, kw, cin, cout], row-major. */
export interface Conv2DNode extends NodeBase, WindowFields {
  kind: 'conv2d';
}

/** Kernel [kh, kw, cin, multiplier] like TensorFlow.js; output channel = cin·multiplier + m. */
export interface DepthwiseConv2DNode extends NodeBase, WindowFields {
  kind: 'depthwiseConv2d';
}

/** Kernel [in, out] row-major like TensorFlow.js; `in` indexes the NHWC-flattened input. */
export interface DenseNode extends NodeBase, LinearFields {
  kind: 'dense';
  kernelShape: [number, number];
}

/** A BatchNormalization that could be neither folded nor fused: y = x·scale + shift per channel. */
export interface AffineNode extends NodeBase {
  kind: 'affine';
  scale: Float32Array; // [C]
  shift: Float32Array; // [C]
  activation: Activation;
}

export interface PoolNode extends NodeBase {
  kind: 'maxPool' | 'avgPool';
  /** Global pooling is a window of the whole input with no padding. */
  pool: [number, number];
  strides: [number, number];
  pads: Pads;
  /** avgPool divides by the number of real (unpadded) elements in the window, like TensorFlow. */
}

export interface AddNode extends NodeBase { kind: 'add'; activation: Activation }
export interface ConcatNode extends NodeBase { kind: 'concat' } // along channels
export interface PadNode extends NodeBase { kind: 'pad'; pads: Pads } // constant zero
export interface ActivationNode extends NodeBase { kind: 'activation'; activation: Activation }
export interface ReshapeNode extends NodeBase { kind: 'reshape' } // flatten too: layout only

export type GraphNode =
  | InputNode | Conv2DNode | DepthwiseConv2DNode | DenseNode | AffineNode | PoolNode
  | AddNode | ConcatNode | PadNode | ActivationNode | ReshapeNode;

export type NodeKind = GraphNode['kind'];

export interface Graph {
  name: string;
  /** Topological order; nodes[0] is the single input node. */
  nodes: GraphNode[];
  /** Index of the node whose output is the logits (top-1 = argmax, lowest index on ties). */
  output: number;
  /** What the importer did that a user should know (dropped softmax, folded BN, …). */
  notes: string[];
}

/** Nodes that own weights, bias and an output format (DESIGN.md §4). */
export type ParamNode = Conv2DNode | DepthwiseConv2DNode | DenseNode | AffineNode;

export function isParamNode(n: GraphNode): n is ParamNode {
  return n.kind === 'conv2d' || n.kind === 'depthwiseConv2d' || n.kind === 'dense' || n.kind === 'affine';
}

/** Nodes (or report.json layers: by kind) with an output format of their own; all others keep their input's format. */
export function ownsOutputFormat(n: { kind: NodeKind }): boolean {
  return isParamNode(n as GraphNode) || n.kind === 'add' || n.kind === 'concat' || n.kind === 'input';
}

export const elementCount = (s: Shape3): number => s[0] * s[1] * s[2];

/** Multiply-accumulates per image of conv2d, depthwise and dense (DESIGN.md §5). */
export function nodeMacs(n: GraphNode): number {
  switch (n.kind) {
    case 'conv2d': {
      const [kh, kw, cin] = n.kernelShape;
      return elementCount(n.shape) * kh * kw * cin;
    }
    case 'depthwiseConv2d': {
      const [kh, kw] = n.kernelShape;
      return elementCount(n.shape) * kh * kw;
    }
    case 'dense':
      return n.kernelShape[0] * n.kernelShape[1];
    default:
      return 0;
  }
}

/** Parameter count: weights + biases (+ epilogue scale and shift). */
export function nodeParams(n: GraphNode): number {
  switch (n.kind) {
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'dense':
      return n.kernel.length + (n.bias?.length ?? 0) + (n.epilogue ? 2 * n.epilogue.scale.length : 0);
    case 'affine':
      return 2 * n.scale.length;
    default:
      return 0;
  }
}

export function graphTotals(g: Graph): { nodes: number; params: number; macs: number } {
  let params = 0;
  let macs = 0;
  for (const n of g.nodes) {
    params += nodeParams(n);
    macs += nodeMacs(n);
  }
  return { nodes: g.nodes.length, params, macs };
}

/** Consumers of each node, for liveness and fusion decisions. */
export function consumers(g: Graph): number[][] {
  const out: number[][] = g.nodes.map(() => []);
  g.nodes.forEach((n, i) => n.inputs.forEach((p) => out[p].push(i)));
  return out;
}

/** Output spatial size of a windowed op with explicit pads. */
export function windowOut(size: number, k: number, stride: number, dilation: number, padBefore: number, padAfter: number): number {
  const eff = (k - 1) * dilation + 1;
  return Math.floor((size + padBefore + padAfter - eff) / stride) + 1;
}

/** TensorFlow 'same' padding split for one axis: [before, after], the extra pixel after. */
export function samePads(size: number, k: number, stride: number, dilation: number): [number, number] {
  const eff = (k - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + eff - size);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Visits every output position of a pooling window with its in-bounds input rows [y0, y1) and
 * columns [x0, x1) and their count: padded positions are skipped (max ignores them, the mean
 * divides by real elements, like TensorFlow). The references of both arithmetics share it.
 */
export function forEachPoolWindow(
  [ih, iw]: Shape3, [oh, ow]: Shape3, [ph, pw]: [number, number], [sh, sw]: [number, number], [top, left]: Pads,
  visit: (o: number, y0: number, y1: number, x0: number, x1: number, count: number) => void,
): void {
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      const y0 = Math.max(0, oy * sh - top), y1 = Math.min(ih, oy * sh - top + ph);
      const x0 = Math.max(0, ox * sw - left), x1 = Math.min(iw, ox * sw - left + pw);
      visit(oy * ow + ox, y0, y1, x0, x1, (y1 - y0) * (x1 - x0));
    }
  }
}

/**
 * Visits the taps (ky, kx) of a conv2d/depthwise window at output (oy, ox) that fall inside the
 * input (zero padding contributes nothing), with their input row iy and column ix, row by row.
 */
export function forEachWindowTap(
  oy: number, ox: number, [ih, iw]: Shape3, [kh, kw]: readonly number[], [sh, sw]: [number, number], [dh, dw]: [number, number], [top, left]: Pads,
  visit: (ky: number, kx: number, iy: number, ix: number) => void,
): void {
  for (let ky = 0; ky < kh; ky++) {
    const iy = oy * sh - top + ky * dh;
    if (iy < 0 || iy >= ih) continue;
    for (let kx = 0; kx < kw; kx++) {
      const ix = ox * sw - left + kx * dw;
      if (ix >= 0 && ix < iw) visit(ky, kx, iy, ix);
    }
  }
}
