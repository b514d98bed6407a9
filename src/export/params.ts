// The parameter tensors of a node, by slot, and their quantized integers: the one place the
// writers read a graph's float parameters, so every export quantizes them the same way
// (core/format.ts quantizeValue, DESIGN.md §4).
import type { QuantConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import { quantizeValue } from '../core/format.ts';
import type { GraphNode } from '../core/graph.ts';

export type ParamSlot = 'weights' | 'bias' | 'scale' | 'shift';
export const PARAM_SLOTS: readonly ParamSlot[] = ['weights', 'bias', 'scale', 'shift'];

export interface ParamTensor {
  slot: ParamSlot;
  values: Float32Array;
  /** Logical shape: the kernel's, or [channels] for biases, scales and shifts. */
  shape: number[];
}

/** The parameter tensors a node has, in slot order. */
export function nodeParams(n: GraphNode): ParamTensor[] {
  const out: ParamTensor[] = [];
  const push = (slot: ParamSlot, values: Float32Array | null | undefined, shape?: number[]) => {
    if (values) out.push({ slot, values, shape: shape ?? [values.length] });
  };
  switch (n.kind) {
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'dense':
      push('weights', n.kernel, [...n.kernelShape]);
      push('bias', n.bias);
      push('scale', n.epilogue?.scale);
      push('shift', n.epilogue?.shift);
      break;
    case 'affine':
      push('weights', n.scale);
      push('bias', n.shift);
      break;
    default:
      break;
  }
  return out;
}

/** q = sat(floor(x·2^frac + 0.5)); Uint32Array for unsigned 32-bit formats, whose values exceed int32. */
export function quantizeParam(x: ArrayLike<number>, f: Format): Int32Array | Uint32Array {
  const q = f.bits === 32 && !f.signed ? new Uint32Array(x.length) : new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) q[i] = quantizeValue(x[i], f);
  return q;
}

export const paramFormat = (c: QuantConfig, node: number, slot: ParamSlot): Format | null => c.nodes[node]?.[slot] ?? null;
