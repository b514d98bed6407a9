import { describe, expect, it } from 'vitest';
import type { Graph } from './graph.ts';
import { summarizeGraph } from './summary.ts';

const g: Graph = {
  name: 'tiny', notes: ['dropped the final softmax'], output: 2, nodes: [
    { kind: 'input', name: 'in', inputs: [], shape: [1, 1, 2] },
    { kind: 'dense', name: 'fc', inputs: [0], shape: [1, 1, 2], kernel: Float32Array.of(1, -1, 2, 0.5), kernelShape: [2, 2], bias: Float32Array.of(0.1, -0.2),
      activation: { type: 'relu', max: 6 }, epilogue: { scale: Float32Array.of(1, 1), shift: Float32Array.of(0, 0) } },
    { kind: 'affine', name: 'aff', inputs: [1], shape: [1, 1, 2], scale: Float32Array.of(2, -1), shift: Float32Array.of(0, 3), activation: { type: 'linear' } },
  ],
};

describe('summarizeGraph', () => {
  it('static columns without images', () => {
    const s = summarizeGraph(g);
    expect(s.nodes.map((n) => [n.kind, n.params, n.macs, n.activation, n.epilogue])).toEqual([
      ['input', 0, 0, null, false], ['dense', 10, 4, 'relu6', true], ['affine', 4, 0, 'linear', false],
    ]);
    expect(s.nodes[1].weightRange).toEqual([-1, 2]);
    expect(s.nodes[1].biasRange?.map((v) => +v.toFixed(6))).toEqual([-0.2, 0.1]);
    expect(s.nodes[2].weightRange).toEqual([-1, 2]);
    expect([s.params, s.macs, s.images, s.predictions, s.accuracy, s.nodes[1].outputRange]).toEqual([14, 4, 0, null, null, null]);
  });

  it('float output ranges, predictions and accuracy over images', () => {
    // x = (1, 2): fc = relu6(1·1 + 2·2 + .1, -1 + 1 - .2) = (5.1, 0); aff = (10.2, 3) → class 0
    // x = (0, -1): fc = (0, 0) after relu; aff = (0, 3) → class 1
    const s = summarizeGraph(g, { inputs: [Float32Array.of(1, 2), Float32Array.of(0, -1)], labels: [0, 0] });
    expect(s.images).toBe(2);
    expect(s.nodes[0].outputRange).toEqual([-1, 2]);
    expect(s.nodes[1].outputRange?.map((v) => +v.toFixed(5))).toEqual([0, 5.1]);
    expect(s.nodes[2].outputRange?.map((v) => +v.toFixed(4))).toEqual([0, 10.2]);
    expect(Array.from(s.predictions!)).toEqual([0, 1]);
    expect(s.accuracy).toBe(0.5);
  });
});
