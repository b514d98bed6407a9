// The model.fxp.json manifest: the graph, every format, and where each parameter tensor's
// integers lie in model.fxp.bin (layout in bitpack.ts). Version 1.
import type { Format } from '../core/format.ts';
import type { Activation, NodeKind, Pads, Shape3 } from '../core/graph.ts';
import type { ParamSlot } from './params.ts';

export const FXP_FORMAT = 'fixpoint-model';
export const FXP_VERSION = 1;

export interface FxpTensor {
  /** Logical shape (kernels as in the graph: conv HWIO, depthwise [kh, kw, cin, multiplier], dense [in, out]). */
  shape: number[];
  count: number;
  /** "int": packed at format.bits; "float32": an unquantized tensor, 4 bytes little-endian each. */
  dtype: 'int' | 'float32';
  format: Format | null;
  /** Byte offset in the .bin file and byte length, ceil(bits·count/8) for "int". */
  offset: number;
  bytes: number;
}

/**
 * A node of the manifest: the graph itself (inputs by index, attributes, packed tensors), so a
 * reader can rebuild and run it. Not report.json's LayerJson, which names a layer's formats and
 * costs for a person or a tool; the manifest's `summary` carries the report's figures.
 */
export interface FxpNode {
  index: number;
  name: string;
  kind: NodeKind;
  inputs: number[];
  shape: Shape3;
  /** Kind-specific attributes, as in core/graph.ts. */
  kernelShape?: number[];
  strides?: [number, number];
  dilation?: [number, number];
  pads?: Pads;
  pool?: [number, number];
  activation?: Activation;
  /** A BatchNormalization fused after the activation; its tensors are params.scale and params.shift. */
  epilogue?: boolean;
  /** The node's own output format (input, conv2d, depthwise, dense, affine, add, concat); null when float. */
  output: Format | null;
  params: Partial<Record<ParamSlot, FxpTensor>>;
}

export interface FxpManifest {
  format: typeof FXP_FORMAT;
  version: number;
  generator: string;
  name: string;
  /** How model.fxp.bin is laid out, in words. */
  layout: string;
  bin: { file: string; bytes: number };
  input: { node: number; shape: Shape3; format: Format | null };
  output: { node: number; shape: Shape3; format: Format | null };
  nodes: FxpNode[];
  notes: string[];
  /** Costs, accuracies and anything else the caller passed (the report), unchanged. */
  summary?: unknown;
}

export const FXP_LAYOUT =
  'Each tensor starts at its byte offset and holds count integers of format.bits bits, packed LSB-first: ' +
  'value i occupies stream bits [i*bits, (i+1)*bits), stream bit k being bit (k mod 8) of byte floor(k/8) of the tensor; ' +
  'signed values in two\'s complement. A value q means q * 2^-frac. Tensors with dtype "float32" hold IEEE float32 ' +
  'little-endian values. Kernels: conv2d [kh, kw, cin, cout], depthwiseConv2d [kh, kw, cin, multiplier], ' +
  'dense [in, out], row-major; activations are NHWC without the batch axis.';
