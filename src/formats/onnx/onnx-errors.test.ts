// Regression corpus of broken or unsupported models, kept as data: each entry is a file and the
// exact error text a person gets.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../types.ts';
import { SUPPORTED_OPS, onnxToGraph } from './import.ts';
import { OnnxFormatError, onnxFormat } from './index.ts';
import type { ModelSpec } from '../../testing/onnx-builder.ts';
import { buildModel, encodeModel, f, modelProto } from '../../testing/onnx-builder.ts';

const MNIST = '../shared/fixtures/onnx/mnist-8.onnx';
const mnist = new Uint8Array(readFileSync(MNIST));

/** A valid small model: Conv → Relu → GlobalAveragePool → Flatten; tweak it per case. */
function base(over: Partial<ModelSpec> = {}): ModelSpec {
  return {
    opset: 13,
    input: { name: 'x', dims: [1, 2, 4, 4] },
    inits: { W: { dims: [3, 2, 3, 3], data: new Float32Array(54).fill(0.1) } },
    nodes: [
      { op: 'Conv', name: 'conv1', inputs: ['x', 'W'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
      { op: 'Relu', name: 'relu1', inputs: ['c'], outputs: ['r'] },
      { op: 'GlobalAveragePool', name: 'gap', inputs: ['r'], outputs: ['p'] },
      { op: 'Flatten', name: 'flat', inputs: ['p'], outputs: ['logits'] },
    ],
    outputs: ['logits'],
    ...over,
  };
}

const withNode = (i: number, node: ModelSpec['nodes'][number], over: Partial<ModelSpec> = {}): Uint8Array => {
  const spec = base(over);
  spec.nodes[i] = node;
  return buildModel(spec);
};

const nanWeights = new Float32Array(54).fill(0.1);
nanWeights[7] = NaN;
nanWeights[9] = Infinity;

const ext = modelProto(base());
ext.graph!.initializer![0] = { name: 'W', dims: [3, 2, 3, 3], dataType: 1, dataLocation: 1, externalData: [{ key: 'location', value: 'weights.bin' }] };

const cases: { title: string; data: Uint8Array; name?: string; error: string }[] = [
  { title: 'truncated protobuf', data: mnist.subarray(0, 20000), name: 'mnist-8.onnx',
    error: 'ONNX file "mnist-8.onnx" is truncated or damaged: its protobuf data ends inside a field (index out of range: 19998 + 4 > 20000).' },
  { title: 'not an ONNX file (JSON)', data: new TextEncoder().encode('{"format": "layers-model", "modelTopology": {}}'),
    error: '"model.onnx" is not an ONNX model: it does not start like an ONNX protobuf (ModelProto).' },
  { title: 'not an ONNX file (PNG)', data: Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13),
    error: '"model.onnx" is not an ONNX model: it does not start like an ONNX protobuf (ModelProto).' },
  { title: 'unsupported op', data: withNode(1, { op: 'LSTM', name: 'conv_3', inputs: ['c'], outputs: ['r'] }),
    error: `ONNX node "conv_3" (op LSTM, opset 13) is not supported. Supported ops: ${SUPPORTED_OPS.join(', ')}.` },
  { title: 'op from another domain', data: withNode(1, { op: 'FusedConv', domain: 'com.microsoft', name: 'fc', inputs: ['c'], outputs: ['r'] }),
    error: `ONNX node "fc" (op com.microsoft.FusedConv, opset 13) is not supported. Supported ops: ${SUPPORTED_OPS.join(', ')}.` },
  { title: 'opset too old', data: buildModel(base({ opset: 6 })),
    error: 'ONNX model "model" uses opset 6; Fixpoint reads opsets 7 to 21. Re-export it with an opset in that range.' },
  { title: 'opset too new', data: buildModel(base({ opset: 22 })),
    error: 'ONNX model "model" uses opset 22; Fixpoint reads opsets 7 to 21. Re-export it with an opset in that range.' },
  { title: 'missing initializer', data: buildModel(base({ inits: {} })),
    error: 'ONNX node "conv1" (op Conv, opset 13): input "W" is not defined: no initializer, Constant node, graph input or earlier node provides it.' },
  { title: 'weight declared as graph input without initializer', data: buildModel(base({ inits: {}, extraInputs: [{ name: 'W', dims: [3, 2, 3, 3] }] })),
    error: 'ONNX node "conv1" (op Conv, opset 13): input "W" is a graph input without an initializer. Fixpoint needs the weights stored in the file (is an initializer missing?).' },
  { title: 'wrong initializer size (raw bytes)', data: buildModel(base({ inits: { W: { dims: [3, 2, 3, 3], data: new Float32Array(53) } } })),
    error: 'ONNX initializer "W" holds 212 bytes of FLOAT, but its shape 3×2×3×3 needs 216; the file is damaged.' },
  { title: 'wrong initializer size (float_data)', data: buildModel(base({ inits: { W: { dims: [3, 2, 3, 3], data: new Float32Array(55), type: 'float-field' } } })),
    error: 'ONNX initializer "W" holds 55 values, but its shape 3×2×3×3 needs 54; the file is damaged.' },
  { title: 'NaN weights', data: buildModel(base({ inits: { W: { dims: [3, 2, 3, 3], data: nanWeights } } })),
    error: 'ONNX initializer "W" holds 2 NaN or infinite values (of 54); the model cannot be quantized.' },
  { title: 'weights in an external file', data: encodeModel(ext),
    error: 'ONNX initializer "W" keeps its values in an external data file; re-export the model with its weights inside the .onnx file.' },
  { title: 'grouped convolution', data: withNode(0, { op: 'Conv', name: 'conv1', inputs: ['x', 'W'], outputs: ['c'], attrs: { group: 2 } },
    { input: { name: 'x', dims: [1, 4, 4, 4] }, inits: { W: { dims: [6, 2, 3, 3], data: new Float32Array(108) } } }),
    error: 'ONNX node "conv1" (op Conv, opset 13): group=2 (grouped convolution, 2 groups of 2 input channels) is not supported; only group=1 or depthwise (group = input channels = 4).' },
  { title: 'Clip that is not a ReLU', data: withNode(1, { op: 'Clip', name: 'clip', inputs: ['c', 'lo', 'hi'], outputs: ['r'] },
    { inits: { W: { dims: [3, 2, 3, 3], data: new Float32Array(54) }, lo: { dims: [], data: [-1] }, hi: { dims: [], data: [1] } } }),
    error: 'ONNX node "clip" (op Clip, opset 13): Clip to [-1, 1] is not supported; only Clip with min 0 (ReLU, ReLU6, ReLU with a maximum).' },
  { title: 'Softmax inside the network', data: withNode(1, { op: 'Softmax', name: 'sm', inputs: ['c'], outputs: ['r'], attrs: { axis: 1 } }),
    error: 'ONNX node "sm" (op Softmax, opset 13): only a Softmax at the end of the network is supported (it is dropped there).' },
  { title: 'Add of a constant that varies inside a channel', data: withNode(1, { op: 'Add', name: 'add', inputs: ['c', 'K'], outputs: ['r'] },
    { inits: { W: { dims: [3, 2, 3, 3], data: new Float32Array(54) }, K: { dims: [4], data: [1, 2, 3, 4] } } }),
    error: 'ONNX node "add" (op Add, opset 13): the constant of shape 4 varies within a channel of 1×3×4×4; only per-channel constants are supported.' },
  { title: 'AveragePool with dilations', data: withNode(2, { op: 'AveragePool', name: 'ap', inputs: ['r'], outputs: ['p'], attrs: { kernel_shape: [2, 2], dilations: [2, 2] } }, { opset: 19 }),
    error: 'ONNX node "ap" (op AveragePool, opset 19): dilated pooling (dilations [2, 2]) is not supported.' },
  { title: 'a feature map as output', data: buildModel({ ...base(), outputs: ['r'] }),
    error: 'ONNX graph output "r" is a 1×3×4×4 NCHW feature map; Fixpoint expects a vector of class scores.' },
  { title: 'input that is not an image', data: buildModel(base({ input: { name: 'x', dims: [1, 32] } })),
    error: 'ONNX graph input "x" has shape 1×32; Fixpoint needs an image tensor N×C×H×W (or N×H×W×C).' },
  { title: 'fixed batch larger than one', data: buildModel(base({ input: { name: 'x', dims: [8, 2, 4, 4] } })),
    error: 'ONNX graph input "x" has a fixed batch of 8 (8×2×4×4); re-export it with batch 1 or a dynamic batch.' },
  { title: 'BatchNormalization in training mode', data: withNode(1, { op: 'BatchNormalization', name: 'bn', inputs: ['c', 's', 's', 's', 's'], outputs: ['r', 'rm', 'rv'], attrs: { epsilon: f(1e-5) } },
    { inits: { W: { dims: [3, 2, 3, 3], data: new Float32Array(54) }, s: { dims: [3], data: [1, 1, 1] } }, nodes: [...base().nodes, { op: 'Identity', inputs: ['rm'], outputs: ['rm2'] }] }),
    error: 'ONNX node "bn" (op BatchNormalization, opset 13): training mode (running statistics outputs) is not supported; export the model in inference mode.' },
];

describe('ONNX errors', () => {
  for (const c of cases) {
    it(c.title, async () => {
      const file = { path: `models/${c.name ?? 'model.onnx'}`, data: c.data };
      const err = await onnxFormat.open([file]).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(OnnxFormatError);
      expect(err).toBeInstanceOf(FormatError);
      expect((err as FormatError).format).toBe('onnx');
      expect((err as Error).message).toBe(c.error);
    });
  }

  it('the base model of this corpus imports', () => {
    expect(onnxToGraph(buildModel(base()), 'model.onnx').nodes.map((n) => n.kind)).toEqual(['input', 'conv2d', 'avgPool']);
  });
});

describe('onnxFormat.match', () => {
  it('matches .onnx files by name, and an unnamed single file by its protobuf header', () => {
    expect(onnxFormat.match([{ path: 'a/mnist-8.ONNX', data: new Uint8Array(0) }])).toBe(true);
    expect(onnxFormat.match([{ path: 'upload', data: mnist }])).toBe(true);
    expect(onnxFormat.match([{ path: 'upload', data: buildModel(base()) }])).toBe(true);
  });
  it('does not match other model files', () => {
    expect(onnxFormat.match([{ path: 'model.json', data: new TextEncoder().encode('{}') }, { path: 'weights.bin', data: new Uint8Array(16) }])).toBe(false);
    expect(onnxFormat.match([{ path: 'model.h5', data: Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a) }])).toBe(false);
  });
});
