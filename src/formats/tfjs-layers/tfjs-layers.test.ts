// Every supported layer and option: small models built and saved by TensorFlow.js itself,
// reloaded through the importer, predictions compared with model.predict.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph, GraphNode } from '../../core/graph.ts';
import { argmax, forwardFloat } from '../../core/float-reference.ts';
import type { SaveOptions } from '../../testing/tfjs.ts';
import { agreement, randomInputs, saveLayersModel, tf, tfjsPredict, useTfjsCpu } from '../../testing/tfjs.ts';
import { zipSync } from 'fflate';
import { openModel } from '../index.ts';
import { tfjsLayersFormat } from './index.ts';

beforeAll(useTfjsCpu);

const L = tf.layers;
let seed = 1;
const init = () => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed++ });
/** BatchNormalization with non-trivial statistics, so folding and fusing are really exercised. */
const bn = (name: string) => L.batchNormalization({
  name, gammaInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: seed++ }),
  betaInitializer: init(), movingMeanInitializer: init(),
  movingVarianceInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 2, seed: seed++ }),
});
const conv = (name: string, o: Partial<Parameters<typeof L.conv2d>[0]> = {}) =>
  L.conv2d({ name, filters: 4, kernelSize: 3, kernelInitializer: init(), biasInitializer: init(), ...o });
const dense = (name: string, units: number, o: Partial<Parameters<typeof L.dense>[0]> = {}) =>
  L.dense({ name, units, kernelInitializer: init(), biasInitializer: init(), ...o });

function sequential(inputShape: number[], layers: tf.layers.Layer[]): tf.Sequential {
  const m = tf.sequential();
  m.add(L.inputLayer({ inputShape, name: 'input' }));
  for (const l of layers) m.add(l);
  return m;
}

async function roundTrip(model: tf.LayersModel, o: SaveOptions = {}, options = {}): Promise<Graph> {
  return tfjsLayersFormat.open(await saveLayersModel(model, o), options);
}

async function expectSame(model: tf.LayersModel, o: SaveOptions = {}, count = 4): Promise<Graph> {
  const graph = await roundTrip(model, o);
  const shape = model.inputs[0].shape.slice(1) as number[];
  const a = agreement(graph, randomInputs(shape, count), (x) => tfjsPredict(model, x, shape));
  expect(a.maxRelError).toBeLessThan(1e-5);
  expect(a.top1Agree).toBe(count);
  return graph;
}

const kinds = (g: Graph) => g.nodes.map((n) => n.kind);
const node = (g: Graph, name: string): GraphNode => {
  const n = g.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node ${name} in ${g.nodes.map((x) => x.name).join(', ')}`);
  return n;
};

describe('tfjs-layers: layers and options against model.predict', () => {
  it('Conv2D: valid/same padding, strides, dilation, no bias, activations; pooling; Flatten; Dense', async () => {
    const g = await expectSame(sequential([12, 11, 2], [
      conv('c_same_s2', { padding: 'same', strides: 2, activation: 'relu' }),
      conv('c_dil', { padding: 'same', dilationRate: 2, useBias: false, activation: 'relu6' }),
      conv('c_valid', { kernelSize: [2, 3], activation: 'linear' }),
      L.maxPooling2d({ name: 'mp_same', poolSize: 3, strides: 2, padding: 'same' }),
      L.averagePooling2d({ name: 'ap_same', poolSize: 2, strides: 1, padding: 'same' }),
      L.flatten({ name: 'flat' }),
      dense('fc', 5, { activation: 'relu' }),
      dense('out', 3),
    ]));
    expect(kinds(g)).toEqual(['input', 'conv2d', 'conv2d', 'conv2d', 'maxPool', 'avgPool', 'reshape', 'dense', 'dense']);
    const c = node(g, 'c_same_s2');
    expect(c.kind === 'conv2d' && c.pads).toEqual([0, 1, 1, 1]);
    expect(c.shape).toEqual([6, 6, 4]);
    const d = node(g, 'c_dil');
    expect(d.kind === 'conv2d' && [d.dilation, d.bias, d.activation]).toEqual([[2, 2], null, { type: 'relu', max: 6 }]);
  });

  it('DepthwiseConv2D with depth multiplier, strides and same padding', async () => {
    const g = await expectSame(sequential([9, 9, 3], [
      L.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', depthwiseInitializer: init(), biasInitializer: init() }),
      L.depthwiseConv2d({ name: 'dw2', kernelSize: [2, 3], useBias: false, depthwiseInitializer: init() }),
      L.globalAveragePooling2d({ name: 'gap' }),
      dense('out', 4),
    ]));
    expect(node(g, 'dw').shape).toEqual([5, 5, 6]);
    expect(kinds(g)).toEqual(['input', 'depthwiseConv2d', 'depthwiseConv2d', 'avgPool', 'dense']);
  });

  it('BatchNormalization: folded after a linear layer, epilogue after ReLU, affine elsewhere', async () => {
    const inp = tf.input({ shape: [8, 8, 2], name: 'in' });
    const c1 = conv('c1', { padding: 'same' }).apply(inp) as tf.SymbolicTensor; // linear → BN folds
    const b1 = bn('bn_fold').apply(c1) as tf.SymbolicTensor;
    const r1 = L.reLU({ name: 'relu1' }).apply(b1) as tf.SymbolicTensor;
    const c2 = conv('c2', { padding: 'same', activation: 'relu' }).apply(r1) as tf.SymbolicTensor;
    const b2 = bn('bn_epi').apply(c2) as tf.SymbolicTensor; // conv → ReLU → BN: epilogue
    const p = L.maxPooling2d({ name: 'pool', poolSize: 2 }).apply(b2) as tf.SymbolicTensor;
    const b3 = bn('bn_affine').apply(p) as tf.SymbolicTensor; // after a pool: affine
    const c3 = conv('c3', { padding: 'same', activation: 'relu' }).apply(b3) as tf.SymbolicTensor;
    const b4 = bn('bn_shared').apply(c3) as tf.SymbolicTensor; // c3 also feeds the add: affine
    const sum = L.add({ name: 'sum' }).apply([b4, c3]) as tf.SymbolicTensor;
    const out = dense('out', 3).apply(L.flatten({ name: 'f' }).apply(sum)) as tf.SymbolicTensor;
    const g = await expectSame(tf.model({ inputs: inp, outputs: out }));
    expect(kinds(g)).toEqual(['input', 'conv2d', 'conv2d', 'maxPool', 'affine', 'conv2d', 'affine', 'add', 'reshape', 'dense']);
    const c1n = node(g, 'c1');
    expect(c1n.kind === 'conv2d' && c1n.activation).toEqual({ type: 'relu' });
    const c2n = node(g, 'c2');
    expect(c2n.kind === 'conv2d' && c2n.epilogue !== null).toBe(true);
    expect(g.notes).toContain('BatchNormalization folded into the layer before it (1): bn_fold → c1');
    expect(g.notes).toContain("BatchNormalization after the activation fused as the layer's epilogue (1): bn_epi → c2");
  });

  it('BatchNormalization folds into depthwise and dense layers; Rescaling into a depthwise layer', async () => {
    const g = await expectSame(sequential([7, 7, 3], [
      L.rescaling({ name: 'rs', scale: 0.5, offset: -0.25 }),
      L.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, depthwiseInitializer: init(), biasInitializer: init() }),
      bn('bn_dw'), L.reLU({ name: 'r' }),
      L.flatten({ name: 'f' }), dense('fc', 5), bn('bn_fc'), dense('out', 3),
    ]));
    expect(kinds(g)).toEqual(['input', 'depthwiseConv2d', 'reshape', 'dense', 'dense']);
    const dw = node(g, 'dw');
    expect(dw.kind === 'depthwiseConv2d' && dw.activation).toEqual({ type: 'relu' });
  });

  it('ReLU with negative_slope (Keras) is a leaky ReLU', async () => {
    const model = sequential([4, 4, 1], [conv('c', { padding: 'same' }), L.leakyReLU({ name: 'lk', alpha: 0.1 }), L.flatten({ name: 'f' }), dense('out', 2)]);
    const edit: SaveOptions['edit'] = (json) => {
      const layers = (json.modelTopology as { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } }).config.layers;
      const lk = layers.find((l) => l.config.name === 'lk')!;
      lk.class_name = 'ReLU';
      lk.config = { name: 'lk', max_value: null, negative_slope: 0.1, threshold: 0 };
    };
    const g = await expectSame(model, { edit });
    const c = node(g, 'c');
    expect(c.kind === 'conv2d' && c.activation.type).toBe('leakyRelu');
  });

  it('Activation, ReLU(maxValue), LeakyReLU, relu6 fuse into their producer', async () => {
    const g = await expectSame(sequential([6, 6, 2], [
      conv('c1', { padding: 'same' }), L.activation({ name: 'a1', activation: 'relu' }),
      conv('c2', { padding: 'same' }), L.reLU({ name: 'r6', maxValue: 6 }),
      conv('c3', { padding: 'same' }), L.leakyReLU({ name: 'lk', alpha: 0.1 }),
      conv('c4', { padding: 'same' }), L.activation({ name: 'a6', activation: 'relu6' }),
      L.maxPooling2d({ name: 'p', poolSize: 2 }), L.reLU({ name: 'r_alone', maxValue: 2.5 }),
      L.flatten({ name: 'f' }), dense('out', 3), L.activation({ name: 'lin', activation: 'linear' }),
    ]));
    expect(kinds(g)).toEqual(['input', 'conv2d', 'conv2d', 'conv2d', 'conv2d', 'maxPool', 'activation', 'reshape', 'dense']);
    const acts = g.nodes.map((n) => ('activation' in n ? n.activation : null));
    expect(acts.slice(1, 5)).toEqual([{ type: 'relu' }, { type: 'relu', max: 6 }, { type: 'leakyRelu', alpha: expect.closeTo(0.1, 6) }, { type: 'relu', max: 6 }]);
    expect(acts[6]).toEqual({ type: 'relu', max: 2.5 });
  });

  it('identities, ZeroPadding2D, Reshape, GlobalMaxPooling2D; Dense on an H×W×C tensor is a 1×1 conv', async () => {
    const g = await expectSame(sequential([5, 6, 3], [
      L.zeroPadding2d({ name: 'zp', padding: [[1, 2], [0, 3]] }),
      L.dropout({ name: 'do', rate: 0.5 }), L.gaussianNoise({ name: 'gn', stddev: 1 }),
      L.gaussianDropout({ name: 'gd', rate: 0.3 }), L.alphaDropout({ name: 'ad', rate: 0.3 }),
      dense('pixelwise', 4, { activation: 'relu' }),
      L.reshape({ name: 'rs', targetShape: [16, 9, 2] }),
      conv('c', { kernelSize: 2 }),
      L.globalMaxPooling2d({ name: 'gmp' }),
      L.reshape({ name: 'rs2', targetShape: [2, 2] }),
      L.flatten({ name: 'f' }),
      dense('out', 3),
    ]));
    expect(kinds(g)).toEqual(['input', 'pad', 'conv2d', 'reshape', 'conv2d', 'maxPool', 'dense']);
    expect(node(g, 'zp').shape).toEqual([8, 9, 3]);
    expect(node(g, 'pixelwise').shape).toEqual([8, 9, 4]);
  });

  it('SpatialDropout2D and ActivityRegularization (Keras-only layers) are identities', async () => {
    const model = sequential([6, 6, 1], [conv('c', { activation: 'relu' }), L.flatten({ name: 'f' }), dense('out', 2)]);
    const edit: SaveOptions['edit'] = (json) => {
      const layers = ((json.modelTopology as { config: { layers: unknown[] } }).config.layers);
      layers.splice(2, 0, { class_name: 'SpatialDropout2D', config: { name: 'sd', rate: 0.2 } },
        { class_name: 'ActivityRegularization', config: { name: 'ar', l1: 0.01, l2: 0 } });
    };
    const g = await expectSame(model, { edit });
    expect(kinds(g)).toEqual(['input', 'conv2d', 'reshape', 'dense']);
  });

  it('Functional: Add of three, Concatenate, branches, multi-output with the output option', async () => {
    const inp = tf.input({ shape: [6, 6, 2], name: 'in' });
    const a = conv('a', { padding: 'same', activation: 'relu' }).apply(inp) as tf.SymbolicTensor;
    const b = conv('b', { padding: 'same' }).apply(inp) as tf.SymbolicTensor;
    const c = conv('c', { padding: 'same', kernelSize: 1 }).apply(inp) as tf.SymbolicTensor;
    const s = L.add({ name: 's' }).apply([a, b, c]) as tf.SymbolicTensor;
    const r = L.activation({ name: 'sr', activation: 'relu' }).apply(s) as tf.SymbolicTensor;
    const cat = L.concatenate({ name: 'cat', axis: -1 }).apply([r, a, inp]) as tf.SymbolicTensor;
    const gap = L.globalAveragePooling2d({ name: 'gap' }).apply(cat) as tf.SymbolicTensor;
    const head1 = dense('head1', 4).apply(gap) as tf.SymbolicTensor;
    const head2 = dense('head2', 3).apply(gap) as tf.SymbolicTensor;
    const model = tf.model({ inputs: inp, outputs: [head1, head2] });
    const files = await saveLayersModel(model);
    const x = randomInputs([6, 6, 2], 3);
    const ref = (k: number) => (v: Float32Array) => tf.tidy(() => {
      const ys = model.predict(tf.tensor(v, [1, 6, 6, 2])) as tf.Tensor[];
      return Float32Array.from(ys[k].dataSync());
    });
    const last = await tfjsLayersFormat.open(files);
    expect(node(last, 'head2').name).toBe(last.nodes[last.output].name);
    expect(last.notes.join('\n')).toMatch(/2 outputs \(head1, head2\); using the last, head2/);
    expect(agreement(last, x, ref(1)).maxRelError).toBeLessThan(1e-5);
    const first = await tfjsLayersFormat.open(files, { output: 'head1' });
    expect(first.nodes.some((n) => n.name === 'head2')).toBe(false);
    expect(agreement(first, x, ref(0)).maxRelError).toBeLessThan(1e-5);
    expect((await tfjsLayersFormat.open(files, { output: 0 })).nodes[first.output].name).toBe('head1');
    expect(kinds(last)).toEqual(['input', 'conv2d', 'conv2d', 'conv2d', 'add', 'add', 'concat', 'avgPool', 'dense']);
    const sum = node(last, 's');
    expect(sum.kind === 'add' && sum.activation).toEqual({ type: 'relu' });
    await expect(tfjsLayersFormat.open(files, { output: 'nope' })).rejects.toThrow('no output or layer named nope; outputs: head1, head2');
  });

  it('nested models are flattened (a Sequential inside a Sequential, as Teachable Machine exports)', async () => {
    const base = tf.sequential({ name: 'base' });
    base.add(conv('b_conv', { inputShape: [8, 8, 1], activation: 'relu' }));
    base.add(L.globalAveragePooling2d({ name: 'b_gap' }));
    const head = tf.sequential({ name: 'head' });
    head.add(dense('h_fc', 5, { inputShape: [4], activation: 'relu' }));
    head.add(dense('h_out', 3));
    const model = tf.sequential({ name: 'outer' });
    model.add(base);
    model.add(head);
    const g = await expectSame(model);
    expect(g.nodes.map((n) => n.name)).toEqual(['b_conv_input', 'b_conv', 'b_gap', 'h_fc', 'h_out']);
  });

  it('a functional model nested in a functional model', async () => {
    const ii = tf.input({ shape: [4, 4, 2], name: 'inner_in' });
    const io = conv('inner_conv', { padding: 'same', activation: 'relu' }).apply(ii) as tf.SymbolicTensor;
    const inner = tf.model({ inputs: ii, outputs: io, name: 'inner' });
    const inp = tf.input({ shape: [4, 4, 2], name: 'outer_in' });
    const y = inner.apply(inp) as tf.SymbolicTensor;
    const out = dense('out', 2).apply(L.flatten({ name: 'f' }).apply(L.add({ name: 'res' }).apply([y, conv('side', { padding: 'same' }).apply(inp) as tf.SymbolicTensor]))) as tf.SymbolicTensor;
    const g = await expectSame(tf.model({ inputs: inp, outputs: out }));
    expect(kinds(g)).toEqual(['input', 'conv2d', 'conv2d', 'add', 'reshape', 'dense']);
  });

  it('Rescaling folds into the first convolution when exact, else stays an affine node', async () => {
    const folded = await expectSame(sequential([6, 6, 1], [
      L.rescaling({ name: 'scale', scale: 1 / 127.5, offset: -1 }), conv('c', { activation: 'relu' }), L.flatten({ name: 'f' }), dense('out', 2),
    ]));
    expect(kinds(folded)).toEqual(['input', 'conv2d', 'reshape', 'dense']);
    expect(folded.notes).toContain('Rescaling folded into the first layer (1): scale → c');
    const kept = await expectSame(sequential([6, 6, 1], [
      L.rescaling({ name: 'scale', scale: 2, offset: 0.5 }), conv('c', { padding: 'same' }), L.flatten({ name: 'f' }), dense('out', 2),
    ]));
    expect(kinds(kept)).toEqual(['input', 'affine', 'conv2d', 'reshape', 'dense']);
    const toDense = await expectSame(sequential([3, 3, 2], [
      L.rescaling({ name: 'scale', scale: 0.5, offset: 0.25 }), L.flatten({ name: 'f' }), dense('out', 2),
    ]));
    expect(kinds(toDense)).toEqual(['input', 'reshape', 'dense']);
  });

  it('a final softmax is dropped with a note; top-1 is unchanged', async () => {
    const model = sequential([5, 5, 1], [conv('c', { activation: 'relu' }), L.flatten({ name: 'f' }), dense('out', 4, { activation: 'softmax' })]);
    const g = await roundTrip(model);
    expect(g.notes).toContain('dropped the final softmax (out): top-1 is unchanged');
    const withLayer = await roundTrip(sequential([5, 5, 1], [L.flatten({ name: 'f' }), dense('out', 4), L.softmax({ name: 'sm' })]));
    expect(withLayer.notes).toContain('dropped the final softmax (sm): top-1 is unchanged');
    for (const x of randomInputs([5, 5, 1], 5)) {
      expect(argmax(forwardFloat(g, x)[g.output])).toBe(argmax(tfjsPredict(model, x, [5, 5, 1])));
    }
  });
});

describe('tfjs-layers: file layouts', () => {
  const lenet = () => sequential([12, 12, 1], [
    conv('conv1', { filters: 3, kernelSize: 3, activation: 'relu' }), L.maxPooling2d({ name: 'pool1', poolSize: 2 }),
    L.flatten({ name: 'flatten' }), dense('fc1', 6, { activation: 'relu' }), dense('logits', 3),
  ]);

  it('a zipped model folder opens through openModel', async () => {
    const model = lenet();
    const files = await saveLayersModel(model, { dir: 'lenet', shardBytes: 200 });
    const zip = zipSync(Object.fromEntries(files.map((f) => [f.path, f.data])));
    const g = await openModel([{ path: 'lenet.zip', data: zip }]);
    expect(agreement(g, randomInputs([12, 12, 1], 2), (v) => tfjsPredict(model, v, [12, 12, 1])).maxRelError).toBeLessThan(1e-5);
  });

  it('several shards, in a folder', async () => {
    const model = lenet();
    const files = await saveLayersModel(model, { dir: 'lenet', shardBytes: 100 });
    expect(files.length).toBeGreaterThan(3);
    const g = await tfjsLayersFormat.open(files);
    const x = randomInputs([12, 12, 1], 2);
    expect(agreement(g, x, (v) => tfjsPredict(model, v, [12, 12, 1])).maxRelError).toBeLessThan(1e-5);
  });

  it('weights are matched by name, not by manifest order', async () => {
    const model = lenet();
    // Reverse the manifest and the bytes alike: same weights, other order.
    const files = await saveLayersModel(model);
    const json = JSON.parse(new TextDecoder().decode(files[0].data));
    const specs = json.weightsManifest[0].weights as Array<{ shape: number[] }>;
    const sizes = specs.map((s) => s.shape.reduce((a, d) => a * d, 1) * 4);
    const chunks: Uint8Array[] = [];
    let o = 0;
    for (const n of sizes) { chunks.push(files[1].data.slice(o, o + n)); o += n; }
    json.weightsManifest[0].weights = specs.reverse();
    const data = new Uint8Array(o);
    o = 0;
    for (const c of chunks.reverse()) { data.set(c, o); o += c.length; }
    const g = await tfjsLayersFormat.open([
      { path: 'model.json', data: new TextEncoder().encode(JSON.stringify(json)) },
      { path: files[1].path, data },
    ]);
    expect(agreement(g, randomInputs([12, 12, 1], 2), (v) => tfjsPredict(model, v, [12, 12, 1])).maxRelError).toBeLessThan(1e-5);
  });

  it('older files: no format key, Keras JSON wrapped in model_config, Sequential config as a list', async () => {
    const model = lenet();
    const edit: SaveOptions['edit'] = (json) => {
      delete json.format;
      const topo = json.modelTopology as { class_name: string; config: { layers: unknown[] } };
      json.modelTopology = { keras_version: '2.1.4', backend: 'tensorflow', model_config: { class_name: 'Sequential', config: topo.config.layers } };
    };
    const g = await expectSame(model, { edit });
    expect(kinds(g)).toEqual(['input', 'conv2d', 'maxPool', 'reshape', 'dense', 'dense']);
  });

  it("tf.keras's {class_name: '__tuple__', items} spelling of tuples and shapes", async () => {
    const edit: SaveOptions['edit'] = (json) => {
      const layers = (json.modelTopology as { config: { layers: Array<{ config: Record<string, unknown> }> } }).config.layers;
      for (const l of layers) {
        for (const k of ['kernel_size', 'strides', 'pool_size', 'dilation_rate', 'batch_input_shape']) {
          if (Array.isArray(l.config[k])) l.config[k] = { class_name: k === 'batch_input_shape' ? 'TensorShape' : '__tuple__', items: l.config[k] };
        }
      }
    };
    await expectSame(lenet(), { edit });
  });

  it('quantized (uint8, uint16) and float16 weights', async () => {
    const model = lenet();
    const files = await saveLayersModel(model);
    const json = JSON.parse(new TextDecoder().decode(files[0].data));
    const specs = json.weightsManifest[0].weights as Array<{ name: string; shape: number[]; dtype: string; quantization?: object }>;
    const f32 = new Float32Array(files[1].data.slice().buffer);
    const parts: Uint8Array[] = [];
    let o = 0;
    const dequantized: Float32Array[] = [];
    specs.forEach((s, i) => {
      const n = s.shape.reduce((a, d) => a * d, 1);
      const v = f32.subarray(o, o + n);
      o += n;
      const kind = ['uint8', 'uint16', 'float16'][i % 3];
      if (kind === 'float16') {
        s.quantization = { dtype: 'float16' };
        const h = new Uint16Array(n);
        for (let k = 0; k < n; k++) h[k] = toHalf(v[k]);
        parts.push(new Uint8Array(h.buffer));
        dequantized.push(Float32Array.from(h, (x) => fromHalf(x)));
      } else {
        const levels = kind === 'uint8' ? 255 : 65535;
        let min = Math.min(...v), max = Math.max(...v);
        if (max === min) max = min + 1;
        const scale = (max - min) / levels;
        const q = kind === 'uint8' ? new Uint8Array(n) : new Uint16Array(n);
        for (let k = 0; k < n; k++) q[k] = Math.round((v[k] - min) / scale);
        s.quantization = { dtype: kind, min, scale };
        parts.push(new Uint8Array(q.buffer));
        dequantized.push(Float32Array.from(q, (x) => x * scale + min));
      }
    });
    const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    o = 0;
    for (const p of parts) { data.set(p, o); o += p.length; }
    const g = await tfjsLayersFormat.open([{ path: 'model.json', data: new TextEncoder().encode(JSON.stringify(json)) }, { path: files[1].path, data }]);
    // tfjs's own decoder gives the same dequantized values.
    const decoded = tf.io.decodeWeights(data.buffer, specs as tf.io.WeightsManifestEntry[]);
    const conv1 = g.nodes[1];
    expect(conv1.kind === 'conv2d' && Array.from(conv1.kernel)).toEqual(Array.from(decoded[specs.find((s) => s.name.endsWith('conv1/kernel'))!.name].dataSync()));
    expect(conv1.kind === 'conv2d' && Array.from(conv1.kernel)).toEqual(Array.from(dequantized[specs.findIndex((s) => s.name.endsWith('conv1/kernel'))]));
  });
});

function toHalf(f: number): number {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, f);
  const x = b.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const e = ((x >>> 23) & 0xff) - 127 + 15;
  const m = x & 0x7fffff;
  if (e <= 0) return sign | Math.round((m | 0x800000) / 2 ** (14 - e));
  return sign | (e << 10) | Math.round(m / 8192);
}
function fromHalf(h: number): number {
  const e = (h >> 10) & 0x1f, f = h & 0x3ff, s = h & 0x8000 ? -1 : 1;
  return e === 0 ? s * f * 2 ** -24 : s * (1 + f / 1024) * 2 ** (e - 15);
}

