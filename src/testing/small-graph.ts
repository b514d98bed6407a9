// Test support: small hand-made graphs and seeded images for the export tests.
import type { Graph } from '../core/graph.ts';
import { elementCount } from '../core/graph.ts';
import { seededRandom } from '../core/random.ts';

const floats = (n: number, scale: number, seed: number): Float32Array => {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
};

/** input 6×6×2 → conv 3×3 same relu → max-pool 2×2 → conv 1×1 + BN epilogue → dense 4. */
export function smallGraph(names: string[] = ['input', 'conv', 'pool', 'mix', 'fc']): Graph {
  return {
    name: 'small',
    output: 4,
    notes: [],
    nodes: [
      { kind: 'input', name: names[0], inputs: [], shape: [6, 6, 2] },
      {
        kind: 'conv2d', name: names[1], inputs: [0], shape: [6, 6, 3], kernel: Float32Array.from(floats(3 * 3 * 2 * 3, 0.6, 1), (v, i) => (i % 4 === 0 ? -Math.abs(v) : Math.abs(v))), kernelShape: [3, 3, 2, 3],
        strides: [1, 1], dilation: [1, 1], pads: [1, 1, 1, 1], bias: floats(3, 0.2, 2), activation: { type: 'relu' }, epilogue: null,
      },
      { kind: 'maxPool', name: names[2], inputs: [1], shape: [3, 3, 3], pool: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] },
      {
        kind: 'conv2d', name: names[3], inputs: [2], shape: [3, 3, 4], kernel: Float32Array.from(floats(3 * 4, 0.8, 3), (v, i) => (i % 5 === 0 ? -Math.abs(v) : Math.abs(v))), kernelShape: [1, 1, 3, 4],
        strides: [1, 1], dilation: [1, 1], pads: [0, 0, 0, 0], bias: floats(4, 0.1, 4), activation: { type: 'relu', max: 6 },
        epilogue: { scale: Float32Array.from([0.9, 1.3, 0.5, 1.1]), shift: Float32Array.from([0.1, -0.2, 0.05, 0]) },
      },
      {
        kind: 'dense', name: names[4], inputs: [3], shape: [1, 1, 4], kernel: floats(36 * 4, 0.5, 5), kernelShape: [36, 4],
        bias: floats(4, 0.1, 6), activation: { type: 'linear' }, epilogue: null,
      },
    ],
  };
}

/** `count` images in [0, 1) for the graph's input: sparse blobs of varying brightness, like digits. */
export function images(g: Graph, count: number, seed: number): Float32Array[] {
  const r = seededRandom(seed);
  const n = elementCount(g.nodes[0].shape);
  return Array.from({ length: count }, () => {
    const density = 0.2 + 0.6 * r();
    const level = 0.3 + 0.7 * r();
    return Float32Array.from({ length: n }, () => (r() < density ? level * r() : 0));
  });
}
