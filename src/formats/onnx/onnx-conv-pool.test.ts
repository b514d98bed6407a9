import { describe, expect, it } from 'vitest';
import type { Conv2DNode, DepthwiseConv2DNode, PoolNode } from '../../core/graph.ts';
import type { AttrValue } from '../../testing/onnx-builder.ts';
import { randomValues } from '../../testing/onnx-builder.ts';
import { head, importSpec, kinds, nodeOutput, randomImage, runGraph } from '../../testing/onnx-harness.ts';
import type { ConvOpts, PoolOpts } from '../../testing/nchw-reference.ts';
import { conv, globalPool, maxAbsDiff, pool } from '../../testing/nchw-reference.ts';

interface ConvCase {
  title: string;
  x: [number, number, number];
  w: [number, number, number, number];
  attrs: Record<string, AttrValue>;
  /** What the ONNX spec says these attributes mean, written out by hand. */
  ref: ConvOpts;
  bias?: boolean;
  kind?: 'conv2d' | 'depthwiseConv2d';
}

const convCases: ConvCase[] = [
  { title: 'explicit asymmetric pads, strides, dilations, bias', x: [3, 9, 8], w: [4, 3, 3, 2],
    attrs: { pads: [1, 0, 2, 1], strides: [2, 1], dilations: [2, 2] }, ref: { pads: [1, 0, 2, 1], strides: [2, 1], dilations: [2, 2] }, bias: true },
  // 7 wide, kernel 4, stride 2: 4 outputs need 3 pixels of padding, the odd one after (UPPER) or before (LOWER).
  { title: 'auto_pad SAME_UPPER', x: [2, 7, 7], w: [3, 2, 4, 4], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] }, ref: { pads: [1, 1, 2, 2], strides: [2, 2] }, bias: true },
  { title: 'auto_pad SAME_LOWER', x: [2, 7, 7], w: [3, 2, 4, 4], attrs: { auto_pad: 'SAME_LOWER', strides: [2, 2] }, ref: { pads: [2, 2, 1, 1], strides: [2, 2] } },
  { title: 'auto_pad VALID', x: [2, 6, 5], w: [3, 2, 3, 3], attrs: { auto_pad: 'VALID', pads: [1, 1, 1, 1] }, ref: {} },
  { title: 'NOTSET with default pads, 1×1 kernel', x: [5, 4, 4], w: [2, 5, 1, 1], attrs: { auto_pad: 'NOTSET' }, ref: {} },
  { title: 'depthwise (group = channels, multiplier 2)', x: [3, 6, 6], w: [6, 1, 3, 3], attrs: { group: 3, pads: [1, 1, 1, 1] },
    ref: { group: 3, pads: [1, 1, 1, 1] }, bias: true, kind: 'depthwiseConv2d' },
  { title: 'depthwise multiplier 1 with stride', x: [4, 7, 7], w: [4, 1, 3, 3], attrs: { group: 4, strides: [2, 2] }, ref: { group: 4, strides: [2, 2] },
    kind: 'depthwiseConv2d' },
];

describe('ONNX Conv', () => {
  for (const cc of convCases) {
    it(cc.title, () => {
      const wt = randomValues(cc.w.reduce((a, b) => a * b), 1);
      const bias = randomValues(cc.w[0], 2);
      const x = randomImage(...cc.x, 3);
      const y = conv(x, wt, cc.w, cc.bias ? bias : null, cc.ref);
      const h = head(y.c, y.h, y.w);
      const g = importSpec({
        input: { name: 'x', dims: [1, ...cc.x] },
        inits: { w: { dims: cc.w, data: wt }, ...(cc.bias ? { b: { dims: [cc.w[0]], data: bias } } : {}), ...h.inits },
        nodes: [{ op: 'Conv', name: 'conv', inputs: cc.bias ? ['x', 'w', 'b'] : ['x', 'w'], outputs: ['y'], attrs: cc.attrs }, ...h.nodes],
        outputs: ['logits'],
      });
      const node = g.nodes[1] as Conv2DNode | DepthwiseConv2DNode;
      expect(node.kind).toBe(cc.kind ?? 'conv2d');
      expect(node.shape).toEqual([y.h, y.w, y.c]);
      const outs = runGraph(g, x);
      const ours = nodeOutput(g, outs, 'conv');
      expect(maxAbsDiff(ours.data, y.data)).toBeLessThan(1e-5);
      expect(maxAbsDiff(outs[g.output], h.ref(y))).toBeLessThan(1e-4);
    });
  }

  it('puts OIHW weights into HWIO order', () => {
    // Weight [M=2, C=1, 1, 2]: W[m][0][0][kx] = 10m + kx.
    const g = importSpec({
      input: { name: 'x', dims: [1, 1, 3, 3] },
      inits: { w: { dims: [2, 1, 1, 2], data: [0, 1, 10, 11] } },
      nodes: [{ op: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['y'] }, { op: 'GlobalAveragePool', inputs: ['y'], outputs: ['p'] }, { op: 'Flatten', inputs: ['p'], outputs: ['logits'] }],
      outputs: ['logits'],
    });
    const node = g.nodes[1] as Conv2DNode;
    expect(node.kernelShape).toEqual([1, 2, 1, 2]);
    expect(Array.from(node.kernel)).toEqual([0, 10, 1, 11]);
  });
});

interface PoolCase {
  title: string;
  op: 'MaxPool' | 'AveragePool';
  attrs: Record<string, AttrValue>;
  ref: PoolOpts;
  opset?: number;
  kinds?: string[];
}

const poolCases: PoolCase[] = [
  { title: 'MaxPool 2×2 stride 2', op: 'MaxPool', attrs: { kernel_shape: [2, 2], strides: [2, 2] }, ref: { kernel: [2, 2], strides: [2, 2] } },
  { title: 'MaxPool 3×3 stride 2 pads, ceil_mode', op: 'MaxPool', attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 0, 1, 0], ceil_mode: 1 },
    ref: { kernel: [3, 3], strides: [2, 2], pads: [1, 0, 1, 0], ceil: true } },
  // 8 high: 4 outputs need 1 pixel of padding (after); 7 wide: 2 pixels, one each side.
  { title: 'MaxPool SAME_UPPER', op: 'MaxPool', attrs: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' },
    ref: { kernel: [3, 3], strides: [2, 2], pads: [0, 1, 1, 1] } },
  { title: 'AveragePool pads, count_include_pad=0', op: 'AveragePool', attrs: { kernel_shape: [3, 2], strides: [1, 2], pads: [1, 1, 1, 0] },
    ref: { kernel: [3, 2], strides: [1, 2], pads: [1, 1, 1, 0] } },
  { title: 'AveragePool ceil_mode, count_include_pad=0', op: 'AveragePool', attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 },
    ref: { kernel: [2, 2], strides: [2, 2], ceil: true } },
  { title: 'AveragePool count_include_pad=1 becomes Pad + AveragePool', op: 'AveragePool',
    attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 },
    ref: { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true }, kinds: ['input', 'pad', 'avgPool', 'reshape', 'dense'] },
  { title: 'AveragePool count_include_pad=1 with ceil_mode', op: 'AveragePool',
    attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1, ceil_mode: 1 },
    ref: { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true, ceil: true } },
];

describe('ONNX pooling', () => {
  for (const pc of poolCases) {
    it(pc.title, () => {
      const x = randomImage(3, 8, 7, 5);
      const y = pool(x, pc.op === 'MaxPool' ? 'max' : 'avg', pc.ref);
      const h = head(y.c, y.h, y.w);
      const g = importSpec({
        opset: pc.opset ?? 13,
        input: { name: 'x', dims: [1, 3, 8, 7] },
        inits: h.inits,
        nodes: [{ op: pc.op, name: 'pool', inputs: ['x'], outputs: ['y'], attrs: pc.attrs }, ...h.nodes],
        outputs: ['logits'],
      });
      if (pc.kinds) expect(kinds(g)).toEqual(pc.kinds);
      const outs = runGraph(g, x);
      const ours = nodeOutput(g, outs, 'pool');
      expect([ours.c, ours.h, ours.w]).toEqual([y.c, y.h, y.w]);
      expect(maxAbsDiff(ours.data, y.data)).toBeLessThan(1e-6);
      expect(maxAbsDiff(outs[g.output], h.ref(y))).toBeLessThan(1e-4);
    });
  }

  for (const op of ['GlobalAveragePool', 'GlobalMaxPool'] as const) {
    it(op, () => {
      const x = randomImage(4, 5, 6, 7);
      const y = globalPool(x, op === 'GlobalMaxPool' ? 'max' : 'avg');
      const g = importSpec({
        input: { name: 'x', dims: ['N', 4, 5, 6] },
        nodes: [{ op, name: 'gp', inputs: ['x'], outputs: ['y'] }, { op: 'Flatten', inputs: ['y'], outputs: ['logits'] }],
        outputs: ['logits'],
      });
      const node = g.nodes[1] as PoolNode;
      expect(node.kind).toBe(op === 'GlobalMaxPool' ? 'maxPool' : 'avgPool');
      expect(node.pool).toEqual([5, 6]);
      expect(g.nodes[g.output].shape).toEqual([1, 1, 4]);
      expect(maxAbsDiff(runGraph(g, x)[g.output], y.data)).toBeLessThan(1e-6);
      expect(g.notes).toContain('input "x" NCHW N×4×5×6 transposed to NHWC 5×6×4.');
    });
  }
});
