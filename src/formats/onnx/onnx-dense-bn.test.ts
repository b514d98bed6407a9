import { describe, expect, it } from 'vitest';
import type { AffineNode, Conv2DNode, DenseNode } from '../../core/graph.ts';
import type { ModelSpec, NodeSpec } from '../../testing/onnx-builder.ts';
import { f, randomValues } from '../../testing/onnx-builder.ts';
import { head, importSpec, kinds, nodeOutput, randomImage, runGraph } from '../../testing/onnx-harness.ts';
import type { T3 } from '../../testing/nchw-reference.ts';
import { add, batchNorm, conv, gemm, map3, maxAbsDiff, pool, relu } from '../../testing/nchw-reference.ts';

const X: [number, number, number] = [3, 6, 5];
const W_DIMS = [4, 3, 3, 3];
const wt = randomValues(4 * 3 * 3 * 3, 11);
const bias = randomValues(4, 12);
const convNode: NodeSpec = { op: 'Conv', name: 'conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } };
const convRef = (x: T3): T3 => conv(x, wt, W_DIMS, bias, { pads: [1, 1, 1, 1] });
const bn = { scale: randomValues(4, 13, 2), b: randomValues(4, 14), mean: randomValues(4, 15), var: randomValues(4, 16).map((v) => v + 1.5) };
const bnInits = {
  s: { dims: [4], data: bn.scale }, bb: { dims: [4], data: bn.b }, m: { dims: [4], data: bn.mean }, v: { dims: [4], data: bn.var },
};
const bnNode = (input: string, output: string): NodeSpec => ({ op: 'BatchNormalization', name: 'bn', inputs: [input, 's', 'bb', 'm', 'v'], outputs: [output], attrs: { epsilon: f(1e-3) } });
const bnRef = (t: T3): T3 => batchNorm(t, bn.scale, bn.b, bn.mean, bn.var, 1e-3);

/** Runs `nodes` (ending in "y" of size c×h×w) plus a dense head; checks logits against `ref`. */
function check(nodes: NodeSpec[], ref: (x: T3) => T3, extra: Partial<ModelSpec> = {}, opset = 13) {
  const x = randomImage(...X, 17);
  const y = ref(x);
  const h = head(y.c, y.h, y.w);
  const g = importSpec({
    opset, input: { name: 'x', dims: [1, ...X] }, nodes: [...nodes, ...h.nodes], outputs: ['logits'],
    inits: { w: { dims: W_DIMS, data: wt }, b: { dims: [4], data: bias }, ...bnInits, ...h.inits, ...extra.inits },
  });
  const outs = runGraph(g, x);
  expect(maxAbsDiff(outs[g.output], h.ref(y))).toBeLessThan(1e-4);
  return { g, outs, x, y };
}

describe('ONNX dense layers', () => {
  it('Gemm without transB, with alpha and beta folded', () => {
    const k = 4 * 6 * 5;
    const b = randomValues(k * 3, 21);
    const c = randomValues(3, 22);
    const x = randomImage(...X, 23);
    const y = convRef(x);
    const g = importSpec({
      input: { name: 'x', dims: [1, ...X] },
      inits: { w: { dims: W_DIMS, data: wt }, b: { dims: [4], data: bias }, B: { dims: [k, 3], data: b, type: 'float-field' }, C: { dims: [1, 3], data: c } },
      nodes: [convNode, { op: 'Flatten', inputs: ['c'], outputs: ['f'] },
        { op: 'Gemm', name: 'fc', inputs: ['f', 'B', 'C'], outputs: ['logits'], attrs: { alpha: f(0.5), beta: f(2) } }],
      outputs: ['logits'],
    });
    expect(kinds(g)).toEqual(['input', 'conv2d', 'reshape', 'dense']);
    const want = gemm(y.data, b, k, 3, c, { alpha: 0.5, beta: 2 });
    expect(maxAbsDiff(runGraph(g, x)[g.output], want)).toBeLessThan(1e-4);
  });

  it('MatMul followed by Add becomes one dense layer with bias (Constant node for the shape)', () => {
    const k = 3 * 6 * 5;
    const b = randomValues(k * 4, 31);
    const c = randomValues(4, 32);
    const x = randomImage(...X, 33);
    const g = importSpec({
      opset: 9,
      input: { name: 'x', dims: [1, ...X] },
      inits: { B: { dims: [k, 4], data: b }, C: { dims: [4], data: c } },
      nodes: [
        { op: 'Constant', inputs: [], outputs: ['shape'], attrs: { value: { t: { dims: [2], data: [1, -1], type: 'int64' } } } },
        { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['f'] },
        { op: 'MatMul', name: 'fc', inputs: ['f', 'B'], outputs: ['mm'] },
        { op: 'Add', inputs: ['mm', 'C'], outputs: ['logits'] },
      ],
      outputs: ['logits'],
    });
    expect(kinds(g)).toEqual(['input', 'reshape', 'dense']);
    const dense = g.nodes[2] as DenseNode;
    expect(Array.from(dense.bias!)).toEqual(Array.from(c));
    expect(maxAbsDiff(runGraph(g, x)[g.output], gemm(x.data, b, k, 4, c))).toBeLessThan(1e-4);
  });

  it('BatchNormalization after Gemm folds into the dense weights', () => {
    const x = randomImage(4, 1, 1, 41);
    const b = randomValues(16, 42);
    const g = importSpec({
      input: { name: 'x', dims: [1, 4, 1, 1] },
      inits: { B: { dims: [4, 4], data: b }, ...bnInits },
      nodes: [{ op: 'Flatten', inputs: ['x'], outputs: ['f'] }, { op: 'Gemm', name: 'fc', inputs: ['f', 'B'], outputs: ['d'] }, bnNode('d', 'logits')],
      outputs: ['logits'],
    });
    expect(kinds(g)).toEqual(['input', 'dense']);
    const d = gemm(x.data, b, 4, 4, null);
    const want = bnRef({ c: 4, h: 1, w: 1, data: d });
    expect(maxAbsDiff(runGraph(g, x)[g.output], want.data)).toBeLessThan(1e-5);
  });
});

describe('ONNX activations', () => {
  // Weights ×8 so the conv output reaches past the clip limits.
  const w8 = wt.map((v) => v * 8);
  const conv8: NodeSpec = { ...convNode, inputs: ['x', 'w8', 'b'] };
  const cases: { title: string; nodes: NodeSpec[]; act: (v: number) => number; opset: number; fused: object }[] = [
    { title: 'Relu', opset: 13, nodes: [{ op: 'Relu', inputs: ['c'], outputs: ['y'] }], act: relu, fused: { type: 'relu' } },
    { title: 'Clip 0..6 as attributes (opset 8) is relu6', opset: 8, nodes: [{ op: 'Clip', inputs: ['c'], outputs: ['y'], attrs: { min: f(0), max: f(6) } }],
      act: (v) => Math.min(6, relu(v)), fused: { type: 'relu', max: 6 } },
    { title: 'Clip 0..6 as inputs (opset 13) is relu6', opset: 13, nodes: [{ op: 'Clip', inputs: ['c', 'lo', 'hi6'], outputs: ['y'] }],
      act: (v) => Math.min(6, relu(v)), fused: { type: 'relu', max: 6 } },
    { title: 'Clip min 0, max 2.5 is relu with a maximum', opset: 11, nodes: [{ op: 'Clip', inputs: ['c', 'lo', 'hi'], outputs: ['y'] }],
      act: (v) => Math.min(2.5, relu(v)), fused: { type: 'relu', max: 2.5 } },
    { title: 'Clip min 0 without max is relu', opset: 12, nodes: [{ op: 'Clip', inputs: ['c', 'lo'], outputs: ['y'] }], act: relu, fused: { type: 'relu' } },
    { title: 'LeakyRelu', opset: 13, nodes: [{ op: 'LeakyRelu', inputs: ['c'], outputs: ['y'], attrs: { alpha: f(0.25) } }],
      act: (v) => (v < 0 ? 0.25 * v : v), fused: { type: 'leakyRelu', alpha: 0.25 } },
  ];
  for (const cs of cases) {
    it(`${cs.title}, fused into the conv`, () => {
      const inits = { w8: { dims: W_DIMS, data: w8 }, lo: { dims: [], data: [0] }, hi6: { dims: [], data: [6] }, hi: { dims: [], data: [2.5] } };
      const { g, y } = check([conv8, ...cs.nodes], (x) => map3(conv(x, w8, W_DIMS, bias, { pads: [1, 1, 1, 1] }), cs.act), { inits }, cs.opset);
      if (cs.title.startsWith('Clip 0..6')) expect(Math.max(...y.data)).toBe(6);
      const n = g.nodes[1] as Conv2DNode;
      expect(n.activation).toEqual(cs.fused);
    });
  }
  it('an activation after a pool stays a node of its own', () => {
    const { g } = check([
      { op: 'MaxPool', inputs: ['x'], outputs: ['p'], attrs: { kernel_shape: [2, 2] } },
      { op: 'Relu', name: 'relu', inputs: ['p'], outputs: ['y'] },
    ], (x) => map3(pool(x, 'max', { kernel: [2, 2] }), relu));
    expect(kinds(g)).toEqual(['input', 'maxPool', 'activation', 'reshape', 'dense']);
  });
});

describe('ONNX BatchNormalization', () => {
  it('directly after a conv: folded into its weights and bias', () => {
    const { g, outs, x } = check([convNode, bnNode('c', 'y')], (x) => bnRef(convRef(x)));
    expect(kinds(g)).toEqual(['input', 'conv2d', 'reshape', 'dense']);
    expect(g.notes).toContain('BatchNormalization "bn" was folded into the weights and bias of "conv".');
    expect(maxAbsDiff(nodeOutput(g, outs, 'conv').data, bnRef(convRef(x)).data)).toBeLessThan(1e-5);
  });

  it('between a conv and its Relu (Conv → BN → Relu): folded, then the Relu fused', () => {
    const { g } = check([convNode, bnNode('c', 'n'), { op: 'Relu', inputs: ['n'], outputs: ['y'] }], (x) => map3(bnRef(convRef(x)), relu));
    expect(kinds(g)).toEqual(['input', 'conv2d', 'reshape', 'dense']);
    expect(g.nodes[1]).toMatchObject({ activation: { type: 'relu' }, epilogue: null });
  });

  it('after the conv\'s Relu: fused as its epilogue', () => {
    const { g } = check([convNode, { op: 'Relu', inputs: ['c'], outputs: ['r'] }, bnNode('r', 'y')], (x) => bnRef(map3(convRef(x), relu)));
    expect(kinds(g)).toEqual(['input', 'conv2d', 'reshape', 'dense']);
    const n = g.nodes[1] as Conv2DNode;
    expect(n.activation).toEqual({ type: 'relu' });
    expect(n.epilogue!.scale[0]).toBeCloseTo(bn.scale[0] / Math.sqrt(bn.var[0] + 1e-3), 6);
    expect(g.notes).toContain('BatchNormalization "bn" was fused into "conv" as a per-channel epilogue after its activation.');
  });

  it('after a Relu whose output also feeds another node: an affine node', () => {
    const { g } = check([
      convNode, { op: 'Relu', inputs: ['c'], outputs: ['r'] }, bnNode('r', 'n'), { op: 'Add', name: 'sum', inputs: ['n', 'r'], outputs: ['y'] },
    ], (x) => { const r = map3(convRef(x), relu); return add(bnRef(r), r); });
    expect(kinds(g)).toEqual(['input', 'conv2d', 'affine', 'add', 'reshape', 'dense']);
    expect(g.notes).toContain('BatchNormalization "bn" was kept as a per-channel affine node.');
  });

  it('after a pool: an affine node (spatial attribute of opset 7)', () => {
    const { g } = check([
      convNode, { op: 'MaxPool', inputs: ['c'], outputs: ['p'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
      { ...bnNode('p', 'y'), attrs: { epsilon: f(1e-3), spatial: 1 } },
    ], (x) => bnRef(pool(convRef(x), 'max', { kernel: [2, 2], strides: [2, 2] })), {}, 7);
    expect(kinds(g)).toEqual(['input', 'conv2d', 'maxPool', 'affine', 'reshape', 'dense']);
  });
});

describe('ONNX Add, Sub, Mul with constants and branches', () => {
  it('a residual Add of two activations, with its Relu fused', () => {
    const w2 = randomValues(4 * 4 * 9, 51);
    const { g } = check([
      convNode, { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { op: 'Conv', name: 'conv2', inputs: ['r', 'w2'], outputs: ['c2'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { op: 'Add', name: 'res', inputs: ['c2', 'r'], outputs: ['s'] }, { op: 'Relu', inputs: ['s'], outputs: ['y'] },
    ], (x) => {
      const r = map3(convRef(x), relu);
      return map3(add(conv(r, w2, [4, 4, 3, 3], null, { pads: [1, 1, 1, 1] }), r), relu);
    }, { inits: { w2: { dims: [4, 4, 3, 3], data: w2 } } });
    expect(kinds(g)).toEqual(['input', 'conv2d', 'conv2d', 'add', 'reshape', 'dense']);
    expect(g.nodes[3]).toMatchObject({ kind: 'add', inputs: [2, 1], activation: { type: 'relu' } });
  });

  it('bias Add after the conv folds into its bias; Mul by a per-channel constant folds into its weights', () => {
    const k = randomValues(4, 61);
    const { g } = check([
      { ...convNode, inputs: ['x', 'w'] }, { op: 'Add', inputs: ['c', 'bias4'], outputs: ['a'] }, { op: 'Mul', inputs: ['k4', 'a'], outputs: ['y'] },
    ], (x) => map3(convRef(x), (v, c) => v * k[c]), { inits: { bias4: { dims: [4, 1, 1], data: bias }, k4: { dims: [1, 4, 1, 1], data: k } } });
    expect(kinds(g)).toEqual(['input', 'conv2d', 'reshape', 'dense']);
  });

  it('constant Add after a pool becomes an affine node; Sub and Div after a Relu become the conv\'s epilogue', () => {
    const a = randomValues(4, 71);
    const d = randomValues(4, 72).map((v) => v + 2);
    const { g } = check([
      convNode, { op: 'Relu', inputs: ['c'], outputs: ['r'] }, { op: 'Sub', inputs: ['a4', 'r'], outputs: ['s'] }, { op: 'Div', inputs: ['s', 'd4'], outputs: ['q'] },
      { op: 'AveragePool', inputs: ['q'], outputs: ['p'], attrs: { kernel_shape: [2, 2] } }, { op: 'Add', inputs: ['p', 'a4'], outputs: ['y'] },
    ], (x) => {
      const q = map3(convRef(x), (v, c) => (a[c] - relu(v)) / d[c]);
      return map3(pool(q, 'avg', { kernel: [2, 2] }), (v, c) => v + a[c]);
    }, { inits: { a4: { dims: [4, 1, 1], data: a }, d4: { dims: [4, 1, 1], data: d } } });
    expect(kinds(g)).toEqual(['input', 'conv2d', 'avgPool', 'affine', 'reshape', 'dense']);
    expect((g.nodes[1] as Conv2DNode).epilogue).not.toBeNull();
    expect(Array.from((g.nodes[3] as AffineNode).scale)).toEqual([1, 1, 1, 1]);
  });
});
