// The TensorFlow.js export loads with tf.loadLayersModel and predicts what the float reference
// predicts on a copy of the graph with dequantized parameters.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuantConfig } from '../../core/config.ts';
import { argmax, forwardFloat } from '../../core/float-reference.ts';
import type { Graph } from '../../core/graph.ts';
import { elementCount } from '../../core/graph.ts';
import { randomConfig, randomGraph, randomImages, rng } from '../../testing/random-graph.ts';
import { tfjsLayersFormat } from '../../formats/tfjs-layers/index.ts';
import type { ExportFile } from '../files.ts';
import { ExportError } from '../files.ts';
import { activationStats, mixedConfig } from '../../testing/export-configs.ts';
import { images as smallImages, smallGraph } from '../../testing/small-graph.ts';
import { demoModel, haveDemo, haveMnistKeras, mnistKeras } from '../../testing/models.ts';
import { dequantizedGraph, writeTfjs } from './writer.ts';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  await tf.ready();
});

async function load(files: ExportFile[]): Promise<tf.LayersModel> {
  const json = JSON.parse(files.find((f) => f.name === 'model.json')!.data as string);
  const bin = files.find((f) => f.name === json.weightsManifest[0].paths[0])!.data as Uint8Array;
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
  }));
}

/** tfjs predictions against the float reference on the dequantized graph. */
async function compare(graph: Graph, config: QuantConfig, inputs: Float32Array[]) {
  const files = writeTfjs(graph, config);
  const model = await load(files);
  const shape = graph.nodes[0].shape;
  const n = elementCount(shape);
  const flat = new Float32Array(inputs.length * n);
  inputs.forEach((x, i) => flat.set(x, i * n));
  const out = tf.tidy(() => (model.predict(tf.tensor4d(flat, [inputs.length, ...shape])) as tf.Tensor).dataSync().slice());
  model.dispose();
  const dq = dequantizedGraph(graph, config);
  const k = elementCount(graph.nodes[graph.output].shape);
  let top1 = 0;
  let maxErr = 0;
  inputs.forEach((x, i) => {
    const ref = forwardFloat(dq, x)[graph.output];
    const got = out.subarray(i * k, (i + 1) * k);
    const scale = Math.max(1e-3, ...Array.from(ref, Math.abs));
    for (let j = 0; j < k; j++) maxErr = Math.max(maxErr, Math.abs(got[j] - ref[j]) / scale);
    if (argmax(got) === argmax(ref)) top1++;
  });
  return { files, top1, maxErr, outputs: out };
}

describe('TensorFlow.js export', () => {
  it('writes model.json, the weights and a README that says activations are not quantized', () => {
    const g = smallGraph(['in', 'c o n v', 'pool', 'mix', 'fc']);
    const c = mixedConfig(g, activationStats(g, smallImages(g, 20, 1)));
    const files = writeTfjs(g, c);
    expect(files.map((f) => f.name)).toEqual(['model.json', 'model.weights.bin', 'README.md']);
    const readme = files[2].data as string;
    expect(readme).toContain('**Activation quantization is not in this model.**');
    expect(readme).toMatch(/\| c_o_n_v \| conv2d \| weights Q\(\d+,\d+\), bias Q\(\d+,\d+\) \|/);
    const json = JSON.parse(files[0].data as string);
    const names = json.modelTopology.config.layers.map((l: { name: string }) => l.name);
    expect(names).toEqual(['in', 'c_o_n_v__pad', 'c_o_n_v', 'pool', 'mix', 'mix__act', 'mix__bn', 'fc__flatten', 'fc']);
    // The weights are exactly the dequantized integers.
    const w = new Float32Array((files[1].data as Uint8Array).slice().buffer, 0, 54);
    const f = c.nodes[1].weights!;
    for (const v of w) expect(Number.isInteger(v * 2 ** f.frac)).toBe(true);
  });

  it('predicts like the float reference with dequantized weights (small graph)', async () => {
    const g = smallGraph();
    const c = mixedConfig(g, activationStats(g, smallImages(g, 20, 1)));
    const r = await compare(g, c, smallImages(g, 50, 5));
    expect(r.top1).toBe(50);
    expect(r.maxErr).toBeLessThan(1e-5);
  });

  it('handles every node kind of random graphs', async () => {
    const kinds = new Set<string>();
    let exported = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const g = randomGraph(r, { maxNodes: 8 });
      const imgs = randomImages(r, g, 6);
      const n = elementCount(g.nodes[0].shape);
      const inputs = Array.from({ length: 6 }, (_, k) => imgs.subarray(k * n, (k + 1) * n));
      const maxAbs = forwardFloat(g, inputs[0]).map((o) => o.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
      const c = randomConfig(r, g, maxAbs, { floatProb: 0.2 });
      let res: Awaited<ReturnType<typeof compare>>;
      try {
        res = await compare(g, c, inputs);
      } catch (err) {
        // Only what TensorFlow.js layers cannot express is refused.
        expect(err).toBeInstanceOf(ExportError);
        expect((err as Error).message).toMatch(/pooling with pads [\d,]+ is neither 'valid' nor TensorFlow's 'same'/);
        continue;
      }
      exported++;
      g.nodes.forEach((x) => kinds.add(x.kind));
      expect(res.maxErr, `seed ${seed}`).toBeLessThan(1e-4);
      expect(res.top1, `seed ${seed}`).toBe(6);
    }
    expect(exported).toBeGreaterThan(40);
    expect([...kinds].sort()).toEqual(['activation', 'add', 'affine', 'avgPool', 'concat', 'conv2d', 'dense', 'depthwiseConv2d', 'input', 'maxPool', 'pad', 'reshape']);
  });

  it.skipIf(!haveDemo())('demo LeNet-5: top-1 identical on 300 digits, and our importer reads it back', async () => {
    const { graph, images } = await demoModel();
    const c = mixedConfig(graph, activationStats(graph, images.slice(0, 100)));
    const some = images.slice(0, 300);
    const r = await compare(graph, c, some);
    expect(r.top1).toBe(300);
    expect(r.maxErr).toBeLessThan(1e-5);
    const back = await tfjsLayersFormat.open(r.files.map((f) => ({ path: f.name, data: typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data })));
    const dq = dequantizedGraph(graph, c);
    for (const x of some.slice(0, 20)) expect(argmax(forwardFloat(back, x)[back.output])).toBe(argmax(forwardFloat(dq, x)[dq.output]));
  });

  it.skipIf(!haveMnistKeras())('mnist_keras.h5 (BatchNormalization epilogues): top-1 identical on 50 digits', async () => {
    const { graph, images } = await mnistKeras(50);
    const c = mixedConfig(graph, activationStats(graph, images.slice(0, 20)));
    const r = await compare(graph, c, images);
    expect(r.top1).toBe(50);
    expect(r.maxErr).toBeLessThan(1e-4);
  });
});
