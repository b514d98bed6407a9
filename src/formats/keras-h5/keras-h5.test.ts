// Keras 2 .h5 and Keras 3 .keras files written here (h5wasm + fflate) from TensorFlow.js models,
// reloaded through the importer and compared with the tfjs model's predictions.
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../core/graph.ts';
import type { H5File, H5WGroup } from '../../testing/h5-writer.ts';
import { floatDataset, writeH5 } from '../../testing/h5-writer.ts';
import { agreement, randomInputs, tf, tfjsPredict, useTfjsCpu } from '../../testing/tfjs.ts';
import { snakeCase } from '../keras/translate.ts';
import { kerasH5Format } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests edit arbitrary config fields
type Json = Record<string, any>;

beforeAll(useTfjsCpu);

const L = tf.layers;
let seed = 100;
const init = () => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed++ });

/** Functional model with a nested Sequential head, a depthwise conv, BatchNormalization and a residual add. */
function buildModel(): tf.LayersModel {
  const inp = tf.input({ shape: [8, 8, 2], name: 'img' });
  const c1 = L.conv2d({ name: 'c1', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(), biasInitializer: init() }).apply(inp) as tf.SymbolicTensor;
  const b1 = L.batchNormalization({ name: 'b1', gammaInitializer: init(), betaInitializer: init(), movingMeanInitializer: init(),
    movingVarianceInitializer: tf.initializers.constant({ value: 1.7 }) }).apply(c1) as tf.SymbolicTensor;
  const dw = L.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same', depthwiseInitializer: init(), biasInitializer: init() }).apply(b1) as tf.SymbolicTensor;
  const c2 = L.conv2d({ name: 'c2', filters: 4, kernelSize: 1, kernelInitializer: init(), biasInitializer: init() }).apply(dw) as tf.SymbolicTensor;
  const sum = L.add({ name: 'sum' }).apply([c2, b1]) as tf.SymbolicTensor;
  const pool = L.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tf.SymbolicTensor;
  const head = tf.sequential({ name: 'head' });
  head.add(L.dense({ name: 'h1', units: 6, activation: 'relu', inputShape: [4], kernelInitializer: init(), biasInitializer: init() }));
  head.add(L.dense({ name: 'h2', units: 3, kernelInitializer: init(), biasInitializer: init() }));
  return tf.model({ inputs: inp, outputs: head.apply(pool) as tf.SymbolicTensor, name: 'net' });
}

const topologyOf = (m: tf.LayersModel): Json => m.toJSON(null, false) as Json;

function dataset(root: H5File | H5WGroup, path: string, values: Float32Array, shape: number[], groups: Map<string, H5WGroup>): void {
  const parts = path.split('/');
  let g = root;
  let at = '';
  for (const p of parts.slice(0, -1)) {
    at += `/${p}`;
    let next = groups.get(at);
    if (!next) { next = g.create_group(p); groups.set(at, next); }
    g = next;
  }
  floatDataset(g, parts[parts.length - 1], values, shape);
}

/** Keras 2 layout: model_weights/<layer>/<weight name>; nested model weights named `<model>/<layer>/<w>:0` or `<layer>/<w>:0`. */
async function keras2File(m: tf.LayersModel, o: { nestedPrefix: boolean; optimizer: boolean }): Promise<Uint8Array> {
  return writeH5((f) => {
    f.create_attribute('keras_version', '2.2.4');
    f.create_attribute('backend', 'tensorflow');
    f.create_attribute('model_config', JSON.stringify(topologyOf(m)));
    const mw = f.create_group('model_weights');
    mw.create_attribute('layer_names', m.layers.map((l) => l.name));
    for (const layer of m.layers) {
      const g = mw.create_group(layer.name);
      const groups = new Map<string, H5WGroup>();
      const names: string[] = [];
      for (const w of layer.weights) {
        const short = w.originalName.split('/').slice(-2).join('/');
        const name = `${layer instanceof tf.Sequential && o.nestedPrefix ? `${layer.name}/` : ''}${short}:0`;
        names.push(name);
        dataset(g, name, w.read().dataSync() as Float32Array, w.shape as number[], groups);
      }
      g.create_attribute('weight_names', names.length ? names : ['']);
    }
    if (o.optimizer) floatDataset(f.create_group('optimizer_weights'), 'iterations:0', new Float32Array([42]), [1]);
  });
}

/** The same model in Keras 3's config.json spelling. */
function toKeras3(layer: Json): Json {
  const cfg = { ...layer.config };
  const cls = layer.class_name === 'Model' ? 'Functional' : layer.class_name;
  const tensor = (r: unknown[]) => ({ class_name: '__keras_tensor__', config: { shape: null, dtype: 'float32', keras_history: r.slice(0, 3) } });
  const out: Json = { module: 'keras.layers', class_name: cls, config: cfg, registered_name: null };
  if (cls === 'InputLayer') {
    cfg.batch_shape = cfg.batch_input_shape;
    delete cfg.batch_input_shape;
  }
  if (cls === 'Functional' || cls === 'Sequential') {
    cfg.layers = cfg.layers.map(toKeras3);
    if (cls === 'Sequential' && cfg.layers[0].config.batch_input_shape) {
      cfg.layers.unshift({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: cfg.layers[0].config.batch_input_shape, name: 'input_layer' } });
      delete cfg.layers[1].config.batch_input_shape;
    }
    if (cls === 'Functional' && cfg.input_layers.length === 1) cfg.input_layers = cfg.input_layers[0];
  }
  if (layer.inbound_nodes) {
    out.inbound_nodes = layer.inbound_nodes.map((n: unknown[][]) => ({ args: [n.length === 1 ? tensor(n[0]) : n.map(tensor)], kwargs: {} }));
  }
  return out;
}

/** Keras 3 weights: layers/<snake class name, numbered>/vars/<i>, nested models below their own path. */
async function keras3Weights(m: tf.LayersModel, topology: Json): Promise<Uint8Array> {
  return writeH5((f) => {
    const groups = new Map<string, H5WGroup>();
    const walk = (model: tf.LayersModel, cfg: Json, path: string) => {
      const used = new Map<string, number>();
      for (const lc of cfg.config.layers) {
        let n = snakeCase(lc.class_name);
        const k = used.get(n);
        used.set(n, k === undefined ? 0 : k + 1);
        if (k !== undefined) n = `${n}_${k + 1}`;
        const p = `${path}layers/${n}`;
        if (lc.class_name === 'InputLayer') continue;
        const layer = model.getLayer(lc.config.name);
        if (lc.class_name === 'Sequential') walk(layer as tf.LayersModel, lc, `${p}/`);
        else layer.weights.forEach((w, i) => dataset(f, `${p}/vars/${i}`, w.read().dataSync() as Float32Array, w.shape as number[], groups));
      }
    };
    walk(m, topology, '');
  });
}

async function expectMatches(graph: Graph, m: tf.LayersModel): Promise<void> {
  const a = agreement(graph, randomInputs([8, 8, 2], 4), (x) => tfjsPredict(m, x, [8, 8, 2]));
  expect(a.maxRelError).toBeLessThan(1e-5);
  expect(a.top1Agree).toBe(4);
}

describe('Keras 2 .h5', () => {
  it('with optimizer weights, nested model weights named without the model prefix', async () => {
    const m = buildModel();
    const g = await kerasH5Format.open([{ path: 'net.h5', data: await keras2File(m, { nestedPrefix: false, optimizer: true }) }]);
    expect(g.name).toBe('net');
    expect(g.nodes.map((n) => n.kind)).toEqual(['input', 'conv2d', 'depthwiseConv2d', 'conv2d', 'add', 'avgPool', 'dense', 'dense']);
    await expectMatches(g, m);
  });

  it('without optimizer weights, nested weights named <model>/<layer>/<weight>:0 (tf.keras)', async () => {
    const m = buildModel();
    const g = await kerasH5Format.open([{ path: 'dir/net.hdf5', data: await keras2File(m, { nestedPrefix: true, optimizer: false }) }]);
    await expectMatches(g, m);
  });
});

describe('Keras 3 .keras', () => {
  it('config.json with keras tensors in inbound_nodes, weights by saving path', async () => {
    const m = buildModel();
    const topology = toKeras3(topologyOf(m));
    const zip = zipSync({
      'metadata.json': strToU8(JSON.stringify({ keras_version: '3.6.0' })),
      'config.json': strToU8(JSON.stringify(topology)),
      'model.weights.h5': await keras3Weights(m, topology),
    });
    const g = await kerasH5Format.open([{ path: 'net.keras', data: zip }]);
    expect(g.name).toBe('net');
    expect(g.nodes.map((n) => n.kind)).toEqual(['input', 'conv2d', 'depthwiseConv2d', 'conv2d', 'add', 'avgPool', 'dense', 'dense']);
    await expectMatches(g, m);
  });

  it("Keras's snake_case names", () => {
    expect(['Conv2D', 'BatchNormalization', 'DepthwiseConv2D', 'GlobalAveragePooling2D', 'ReLU', 'InputLayer', 'Functional'].map(snakeCase))
      .toEqual(['conv2d', 'batch_normalization', 'depthwise_conv2d', 'global_average_pooling2d', 're_lu', 'input_layer', 'functional']);
  });
});
