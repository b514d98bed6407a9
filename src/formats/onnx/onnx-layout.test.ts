import { describe, expect, it } from 'vitest';
import type { DenseNode } from '../../core/graph.ts';
import type { NodeSpec } from '../../testing/onnx-builder.ts';
import { f, randomValues } from '../../testing/onnx-builder.ts';
import { head, importSpec, kinds, nodeOutput, randomImage, runGraph } from '../../testing/onnx-harness.ts';
import type { T3 } from '../../testing/nchw-reference.ts';
import { concat, conv, fromNhwc, gemm, globalPool, map3, maxAbsDiff, pad, relu, toNhwc } from '../../testing/nchw-reference.ts';

const w1 = randomValues(4 * 2 * 3 * 3, 101);
const w2 = randomValues(3 * 2 * 1 * 1, 102);

describe('ONNX layout ops', () => {
  it('Concat along channels of two conv branches', () => {
    const x = randomImage(2, 5, 6, 103);
    const y = concat([conv(x, w1, [4, 2, 3, 3], null, { pads: [1, 1, 1, 1] }), conv(x, w2, [3, 2, 1, 1], null)]);
    const h = head(7, 5, 6);
    const g = importSpec({
      input: { name: 'x', dims: [1, 2, 5, 6] },
      inits: { w1: { dims: [4, 2, 3, 3], data: w1 }, w2: { dims: [3, 2, 1, 1], data: w2 }, ...h.inits },
      nodes: [
        { op: 'Conv', inputs: ['x', 'w1'], outputs: ['a'], attrs: { pads: [1, 1, 1, 1] } }, { op: 'Conv', inputs: ['x', 'w2'], outputs: ['b'] },
        { op: 'Concat', name: 'cat', inputs: ['a', 'b'], outputs: ['y'], attrs: { axis: 1 } }, ...h.nodes,
      ],
      outputs: ['logits'],
    });
    expect(kinds(g)).toEqual(['input', 'conv2d', 'conv2d', 'concat', 'reshape', 'dense']);
    const outs = runGraph(g, x);
    expect(maxAbsDiff(nodeOutput(g, outs, 'cat').data, y.data)).toBeLessThan(1e-5);
    expect(maxAbsDiff(outs[g.output], h.ref(y))).toBeLessThan(1e-4);
  });

  it('Flatten of an NCHW tensor feeding Gemm: dense rows permuted to NHWC order', () => {
    const h = head(2, 3, 4, 5);
    const g = importSpec({ input: { name: 'x', dims: [1, 2, 3, 4] }, inits: { ...h.inits }, nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }, ...h.nodes], outputs: ['logits'] });
    const dense = g.nodes[g.output] as DenseNode;
    const onnxW = h.inits.head_w.data; // [5, 24], transB
    // Memory index 1 is pixel (0,0) channel 1, which NCHW flattening puts at 1·3·4 = 12.
    for (let o = 0; o < 5; o++) {
      expect(dense.kernel[1 * 5 + o]).toBe(onnxW[o * 24 + 12]);
      expect(dense.kernel[0 * 5 + o]).toBe(onnxW[o * 24 + 0]);
      expect(dense.kernel[2 * 5 + o]).toBe(onnxW[o * 24 + 1]); // pixel (0,1) channel 0
    }
    const x = randomImage(2, 3, 4, 104);
    expect(maxAbsDiff(runGraph(g, x)[g.output], h.ref(x))).toBeLessThan(1e-5);
    expect(g.notes).toContain('Dense "head": weight rows reordered to read the NHWC-flattened input (the ONNX model flattens NCHW).');
  });

  it('a channels-last export: Transpose of an NHWC input, and back to NHWC before flattening', () => {
    const nhwc = randomValues(5 * 6 * 2, 105);
    const x: T3 = fromNhwc(nhwc, [5, 6, 2]);
    const c = map3(conv(x, w1, [4, 2, 3, 3], null, { pads: [1, 1, 1, 1] }), relu);
    const k = 5 * 6 * 4;
    const b = randomValues(k * 3, 106);
    const want = gemm(toNhwc(c), b, k, 3, null); // Keras flattens NHWC
    const g = importSpec({
      input: { name: 'image', dims: ['unk__1', 5, 6, 2] },
      inits: { w1: { dims: [4, 2, 3, 3], data: w1 }, B: { dims: [k, 3], data: b }, s: { dims: [2], data: [-1, k], type: 'int64' } },
      nodes: [
        { op: 'Transpose', inputs: ['image'], outputs: ['nchw'], attrs: { perm: [0, 3, 1, 2] } },
        { op: 'Conv', name: 'conv', inputs: ['nchw', 'w1'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } }, { op: 'Relu', inputs: ['c'], outputs: ['r'] },
        { op: 'Transpose', inputs: ['r'], outputs: ['t'], attrs: { perm: [0, 2, 3, 1] } },
        { op: 'Reshape', inputs: ['t', 's'], outputs: ['flat'] }, { op: 'MatMul', inputs: ['flat', 'B'], outputs: ['logits'] },
      ],
      outputs: ['logits'],
    });
    expect(kinds(g)).toEqual(['input', 'conv2d', 'reshape', 'dense']);
    expect(g.nodes[0].shape).toEqual([5, 6, 2]);
    expect(g.notes).toEqual(['input "image" NHWC N×5×6×2 is channels-last already; its Transpose to NCHW is only a relabelling.']);
    const outs = runGraph(g, x);
    expect(maxAbsDiff(nodeOutput(g, outs, 'conv').data, c.data)).toBeLessThan(1e-5);
    expect(maxAbsDiff(outs[g.output], want)).toBeLessThan(1e-4);
  });

  for (const opset of [8, 11, 18]) {
    it(`Pad with zeros (opset ${opset})`, () => {
      const x = randomImage(2, 4, 5, 107);
      const y = conv(pad(x, [1, 2, 0, 1]), w1, [4, 2, 3, 3], null);
      const h = head(y.c, y.h, y.w);
      const padNode: NodeSpec = opset < 11
        ? { op: 'Pad', name: 'pad', inputs: ['x'], outputs: ['p'], attrs: { pads: [0, 0, 1, 2, 0, 0, 0, 1], value: f(0), mode: 'constant' } }
        : opset < 18
          ? { op: 'Pad', name: 'pad', inputs: ['x', 'pads', 'zero'], outputs: ['p'] }
          : { op: 'Pad', name: 'pad', inputs: ['x', 'pads_hw', '', 'axes'], outputs: ['p'] };
      const g = importSpec({
        opset,
        input: { name: 'x', dims: [1, 2, 4, 5] },
        inits: {
          w1: { dims: [4, 2, 3, 3], data: w1 }, pads: { dims: [8], data: [0, 0, 1, 2, 0, 0, 0, 1], type: 'int64' }, zero: { dims: [], data: [0] },
          pads_hw: { dims: [4], data: [1, 2, 0, 1], type: 'int64' }, axes: { dims: [2], data: [2, 3], type: 'int64' }, ...h.inits,
        },
        nodes: [padNode, { op: 'Conv', inputs: ['p', 'w1'], outputs: ['y'] }, ...h.nodes],
        outputs: ['logits'],
      });
      expect(kinds(g)).toEqual(['input', 'pad', 'conv2d', 'reshape', 'dense']);
      expect(g.nodes[1]).toMatchObject({ pads: [1, 2, 0, 1], shape: [5, 8, 2] });
      expect(maxAbsDiff(runGraph(g, x)[g.output], h.ref(y))).toBeLessThan(1e-4);
    });
  }

  for (const opset of [11, 13]) {
    it(`Squeeze and Unsqueeze of singleton axes (opset ${opset})`, () => {
      const x = randomImage(3, 4, 4, 108);
      const b = randomValues(3 * 4, 109);
      const w = randomValues(2 * 4, 110);
      const pooled = globalPool(x, 'avg');
      const d = gemm(pooled.data, b, 3, 4, null);
      const want = conv({ c: 4, h: 1, w: 1, data: d }, w, [2, 4, 1, 1], null).data;
      const axes = (input: string, output: string, op: string): NodeSpec => (opset < 13
        ? { op, inputs: [input], outputs: [output], attrs: { axes: [2, 3] } }
        : { op, inputs: [input, 'axes'], outputs: [output] });
      const g = importSpec({
        opset,
        input: { name: 'x', dims: [1, 3, 4, 4] },
        inits: { B: { dims: [3, 4], data: b }, w: { dims: [2, 4, 1, 1], data: w }, axes: { dims: [2], data: [2, 3], type: 'int64' } },
        nodes: [
          { op: 'GlobalAveragePool', inputs: ['x'], outputs: ['p'] }, axes('p', 'sq', 'Squeeze'), { op: 'Gemm', inputs: ['sq', 'B'], outputs: ['d'] },
          axes('d', 'u', 'Unsqueeze'), { op: 'Conv', inputs: ['u', 'w'], outputs: ['c'] }, { op: 'Squeeze', inputs: ['c'], outputs: ['logits'] },
        ],
        outputs: ['logits'],
      });
      expect(kinds(g)).toEqual(['input', 'avgPool', 'dense', 'conv2d']);
      expect(maxAbsDiff(runGraph(g, x)[g.output], want)).toBeLessThan(1e-5);
    });
  }

  it('PyTorch flatten idiom (Shape, Gather, Unsqueeze, Concat, Reshape), Dropout, final Softmax dropped', () => {
    const x = randomImage(2, 3, 3, 111);
    const b = randomValues(18 * 4, 112);
    const g = importSpec({
      opset: 12,
      input: { name: 'x', dims: ['batch', 2, 3, 3] },
      inits: { zero: { dims: [], data: [0], type: 'int64' }, minus1: { dims: [1], data: [-1], type: 'int64' }, B: { dims: [4, 18], data: b }, ratio: { dims: [], data: [0.5] } },
      nodes: [
        { op: 'Shape', inputs: ['x'], outputs: ['shape'] }, { op: 'Gather', inputs: ['shape', 'zero'], outputs: ['n'], attrs: { axis: 0 } },
        { op: 'Unsqueeze', inputs: ['n'], outputs: ['n1'], attrs: { axes: [0] } }, { op: 'Concat', inputs: ['n1', 'minus1'], outputs: ['target'], attrs: { axis: 0 } },
        { op: 'Dropout', inputs: ['x', 'ratio'], outputs: ['xd'] },
        { op: 'Reshape', inputs: ['xd', 'target'], outputs: ['flat'] }, { op: 'Gemm', name: 'fc', inputs: ['flat', 'B'], outputs: ['logits'], attrs: { transB: 1 } },
        { op: 'Softmax', name: 'prob', inputs: ['logits'], outputs: ['p'], attrs: { axis: 1 } }, { op: 'Identity', inputs: ['p'], outputs: ['out'] },
      ],
      outputs: ['out'],
    });
    expect(kinds(g)).toEqual(['input', 'reshape', 'dense']);
    expect(g.notes).toContain('Softmax "prob" at the output was dropped: it does not change the top-1 answer, so the graph outputs logits.');
    expect(maxAbsDiff(runGraph(g, x)[g.output], gemm(x.data, b, 18, 4, null, { transB: true }))).toBeLessThan(1e-5);
  });

  it('initializers listed as graph inputs are constants, not inputs', () => {
    const h = head(2, 2, 2, 3);
    const g = importSpec({ input: { name: 'x', dims: [1, 2, 2, 2] }, inits: h.inits, initsAsInputs: true, nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }, ...h.nodes], outputs: ['logits'] });
    expect(kinds(g)).toEqual(['input', 'reshape', 'dense']);
    expect(g.notes).toContain('2 initializers are also listed as graph inputs (older exporters do this); treated as constants.');
  });
});
