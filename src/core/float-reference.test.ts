import { describe, expect, it } from 'vitest';
import type { Graph, GraphNode } from './graph.ts';
import { argmax, forwardFloat } from './float-reference.ts';

const lin = { type: 'linear' } as const;
const graph = (input: [number, number, number], ...nodes: GraphNode[]): Graph =>
  ({ name: 't', nodes: [{ kind: 'input', name: 'in', inputs: [], shape: input }, ...nodes], output: nodes.length, notes: [] });
const run = (g: Graph, x: number[]) => Array.from(forwardFloat(g, Float32Array.from(x))[g.output]);

describe('forwardFloat, by hand', () => {
  it('conv2d with stride, dilation and asymmetric padding', () => {
    // 3×3 input 1..9, 2×2 kernel of ones, dilation 2, pads top 1 left 0 bottom 0 right 1, stride 1.
    const g = graph([3, 3, 1], {
      kind: 'conv2d', name: 'c', inputs: [0], shape: [2, 2, 1], kernel: Float32Array.of(1, 1, 1, 1), kernelShape: [2, 2, 1, 1],
      strides: [1, 1], dilation: [2, 2], pads: [1, 0, 0, 1], bias: Float32Array.of(0.5), activation: lin, epilogue: null,
    });
    // out(0,0): rows -1,1 cols 0,2 → (row 1) 4 + 6 = 10; out(0,1): cols 1,3 → 5; out(1,0): rows 0,2 → 1+3+7+9 = 20; out(1,1): 2+8 = 10.
    expect(run(g, [1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([10.5, 5.5, 20.5, 10.5]);
  });

  it('conv2d channels: HWIO kernel, relu with max, epilogue after the activation', () => {
    const g = graph([1, 1, 2], {
      kind: 'conv2d', name: 'c', inputs: [0], shape: [1, 1, 3], kernel: Float32Array.of(1, -1, 2, 10, 10, 10), kernelShape: [1, 1, 2, 3],
      strides: [1, 1], dilation: [1, 1], pads: [0, 0, 0, 0], bias: null, activation: { type: 'relu', max: 6 },
      epilogue: { scale: Float32Array.of(2, 2, 0.5), shift: Float32Array.of(1, 1, 1) },
    });
    // x = (1, 0.25): pre = (3.5, 1.5, 4.5) → relu6 → same → ·(2,2,.5) + 1 = (8, 4, 3.25)
    expect(run(g, [1, 0.25])).toEqual([8, 4, 3.25]);
  });

  it('depthwise: output channel = c·multiplier + m', () => {
    const g = graph([1, 1, 2], {
      kind: 'depthwiseConv2d', name: 'd', inputs: [0], shape: [1, 1, 4], kernel: Float32Array.of(1, 2, 3, 4), kernelShape: [1, 1, 2, 2],
      strides: [1, 1], dilation: [1, 1], pads: [0, 0, 0, 0], bias: Float32Array.of(0, 0, 0, 1), activation: { type: 'leakyRelu', alpha: 0.5 }, epilogue: null,
    });
    expect(run(g, [1, -1])).toEqual([1, 2, -1.5, -1.5]);
  });

  it('pooling skips padded positions: max ignores them, the mean divides by real elements', () => {
    const x = [-1, -2, -3, -4];
    const pool = (kind: 'maxPool' | 'avgPool'): GraphNode => ({ kind, name: 'p', inputs: [0], shape: [2, 2, 1], pool: [2, 2], strides: [1, 1], pads: [0, 0, 1, 1] });
    expect(run(graph([2, 2, 1], pool('maxPool')), x)).toEqual([-1, -2, -3, -4]);
    expect(run(graph([2, 2, 1], pool('avgPool')), x)).toEqual([-2.5, -3, -3.5, -4]);
  });

  it('dense, add, concat, pad, activation, reshape', () => {
    const g: Graph = {
      name: 't', notes: [], output: 7, nodes: [
        { kind: 'input', name: 'in', inputs: [], shape: [1, 2, 1] },
        { kind: 'pad', name: 'pad', inputs: [0], shape: [2, 3, 1], pads: [1, 0, 0, 1] },
        { kind: 'activation', name: 'act', inputs: [1], shape: [2, 3, 1], activation: { type: 'leakyRelu', alpha: 0.25 } },
        { kind: 'concat', name: 'cat', inputs: [1, 2], shape: [2, 3, 2] },
        { kind: 'add', name: 'sum', inputs: [3, 3], shape: [2, 3, 2], activation: lin },
        { kind: 'reshape', name: 'flat', inputs: [4], shape: [1, 1, 12] },
        { kind: 'affine', name: 'aff', inputs: [5], shape: [1, 1, 12], scale: new Float32Array(12).fill(1), shift: new Float32Array(12).fill(0), activation: lin },
        { kind: 'dense', name: 'fc', inputs: [6], shape: [1, 1, 2], kernel: Float32Array.from({ length: 24 }, (_, i) => (i % 2 ? 1 : i / 2)), kernelShape: [12, 2], bias: Float32Array.of(0, 100), activation: lin, epilogue: null },
      ],
    };
    const outs = forwardFloat(g, Float32Array.of(4, -8));
    expect(Array.from(outs[1])).toEqual([0, 0, 0, 4, -8, 0]);
    expect(Array.from(outs[3])).toEqual([0, 0, 0, 0, 0, 0, 4, 4, -8, -2, 0, 0]);
    // dense: Σ i·x_i over the 12 values (doubled by the add) and Σ x_i + 100.
    const v = [0, 0, 0, 0, 0, 0, 8, 8, -16, -4, 0, 0];
    expect(Array.from(outs[7])).toEqual([v.reduce((s, x, i) => s + x * i, 0), v.reduce((s, x) => s + x, 0) + 100]);
  });

  it('argmax takes the lowest index on ties', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax(Float32Array.of(-1, -1))).toBe(0);
  });
});
