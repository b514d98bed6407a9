// A quantization configuration: a format for every tensor, or null where the tensor stays
// float32. The engine runs a node in integer arithmetic only when all of its tensors (its
// inputs' formats, weights, bias, epilogue and output) are fixed; otherwise it runs the node in
// float32 with the fixed tensors dequantized (exact: ≤ 16-bit values fit a float32 mantissa),
// which is how a search quantizes one tensor at a time while the rest stays float.
//
// Indexed by node because the engine, the search and the writers walk graph.nodes; a
// configuration leaves the program by layer name instead (core/report.ts NamedConfig, read back
// by core/report-config.ts configFromReport).
import type { Format } from './format.ts';

export interface NodeFormats {
  /** conv2d / depthwise / dense weights, affine scale. */
  weights?: Format | null;
  /** conv2d / depthwise / dense bias, affine shift. */
  bias?: Format | null;
  /** Epilogue scale and shift (BatchNormalization fused after the activation). */
  scale?: Format | null;
  shift?: Format | null;
  /** Output activations of nodes that own an output format (param nodes, add, concat, input). */
  output?: Format | null;
}

export interface QuantConfig {
  /** Indexed like graph.nodes; nodes that own no format have an empty object. */
  nodes: NodeFormats[];
}

/** Everything float: the starting point of every search. */
export function floatConfig(nodeCount: number): QuantConfig {
  return { nodes: Array.from({ length: nodeCount }, () => ({})) };
}

export function cloneConfig(c: QuantConfig): QuantConfig {
  return { nodes: c.nodes.map((n) => ({ ...n })) };
}
