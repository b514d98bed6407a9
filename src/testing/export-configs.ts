// Test support: activation statistics from float runs, and the plausible configurations the
// export tests use (mixed widths with no-clipping fracs, as a search would produce).
import type { QuantConfig } from '../core/config.ts';
import { floatConfig } from '../core/config.ts';
import { forwardFloat } from '../core/float-reference.ts';
import type { Graph } from '../core/graph.ts';
import type { NodeStats, TensorRef } from '../core/tensors.ts';
import { noClipFormat, quantTensors, withFormat } from '../core/tensors.ts';

export function activationStats(graph: Graph, images: Float32Array[]): NodeStats[] {
  const stats: NodeStats[] = graph.nodes.map(() => ({ maxAbs: 0, min: Infinity }));
  for (const x of images) {
    forwardFloat(graph, x).forEach((v, i) => {
      const s = stats[i];
      for (let k = 0; k < v.length; k++) {
        const a = Math.abs(v[k]);
        if (a > s.maxAbs) s.maxAbs = a;
        if (v[k] < s.min!) s.min = v[k];
      }
    });
  }
  return stats;
}

/** Every tensor with a no-clipping format of `bits(t)` bits, unsigned where provably non-negative. */
export function configWith(graph: Graph, stats: NodeStats[], bits: (t: TensorRef) => number): QuantConfig {
  let c = floatConfig(graph.nodes.length);
  for (const t of quantTensors(graph, stats)) {
    c = withFormat(c, t, noClipFormat(t, bits(t), !(t.role === 'activation' && t.nonNegative)));
  }
  return c;
}

/** A mix a search might pick: weights 6–8 bits, biases 16–24, activations 8 (unsigned after relu). */
export const mixedConfig = (graph: Graph, stats: NodeStats[]): QuantConfig =>
  configWith(graph, stats, (t) => (t.role === 'weights' ? 6 + (t.node % 3) : t.role === 'bias' ? 16 + 4 * (t.node % 3) : 8));

/** 16-bit weights and activations with 32-bit biases: sums of products that need the 64-bit path. */
export const wideConfig = (graph: Graph, stats: NodeStats[]): QuantConfig =>
  configWith(graph, stats, (t) => (t.role === 'bias' ? 32 : 16));

/**
 * Low and odd widths, as a frontier search picks them on the paper's models: weights 2–7 bits,
 * biases 1–20, activations 3–8 (unsigned after relu), with a few 8- and 16-bit tensors that stay
 * plain arrays. Which width a tensor gets depends on its node and slot only.
 */
export const searchedLikeConfig = (graph: Graph, stats: NodeStats[]): QuantConfig =>
  configWith(graph, stats, (t) => {
    if (t.role === 'weights') return [3, 5, 2, 7, 4, 8, 6][(t.node + (t.slot === 'scale' ? 3 : 0)) % 7];
    if (t.role === 'bias') return [4, 1, 11, 16, 20, 6][(t.node + (t.slot === 'shift' ? 2 : 0)) % 6];
    return [5, 3, 8, 4, 6][t.node % 5];
  });
