// Regression corpus of broken and unsupported inputs, kept as data: each entry builds its
// bytes and names the exact message a person gets (netron keeps its corpus the same way).
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDataset, openModel } from './index.ts';
import { floatDataset, writeH5 } from '../testing/h5-writer.ts';
import { saveLayersModel, tf, useTfjsCpu } from '../testing/tfjs.ts';
import type { FileEntry } from './types.ts';
import { FormatError } from './types.ts';

beforeAll(useTfjsCpu);

const L = tf.layers;
function small(extra: tf.layers.Layer[] = []): tf.Sequential {
  const m = tf.sequential({ name: 'small' });
  m.add(L.conv2d({ name: 'conv1', inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu' }));
  for (const l of extra) m.add(l);
  m.add(L.flatten({ name: 'flat' }));
  m.add(L.dense({ name: 'logits', units: 3 }));
  return m;
}
const json = (f: FileEntry) => JSON.parse(new TextDecoder().decode(f.data));
// biome-ignore lint/suspicious/noExplicitAny: tests edit arbitrary model.json fields
const withJson = (files: FileEntry[], edit: (j: any) => void): FileEntry[] => {
  const j = json(files[0]);
  edit(j);
  return [{ path: files[0].path, data: strToU8(JSON.stringify(j)) }, ...files.slice(1)];
};

interface Case { name: string; kind: 'model' | 'data'; format: string; build: () => Promise<FileEntry[]>; error: string }

const CASES: Case[] = [
  {
    name: 'truncated model.json', kind: 'model', format: 'tfjs-layers',
    build: async () => { const f = await saveLayersModel(small()); return [{ path: 'model.json', data: f[0].data.slice(0, 300) }, f[1]]; },
    error: 'model.json is not valid JSON: it ends abruptly after 300 bytes (truncated download or copy). Export or download the model again.',
  },
  {
    name: 'missing weight shard', kind: 'model', format: 'tfjs-layers',
    build: async () => (await saveLayersModel(small(), { dir: 'm' })).slice(0, 1),
    error: 'weight file group1-shard1of1.bin listed in model.json is missing: drop it together with model.json (all 1 shard of group 1: group1-shard1of1.bin)',
  },
  {
    name: 'shard size not matching the manifest', kind: 'model', format: 'tfjs-layers',
    build: async () => { const f = await saveLayersModel(small()); return [f[0], { path: f[1].path, data: f[1].data.slice(0, 100) }]; },
    error: 'the weight files of group 1 (group1-shard1of1.bin) hold 100 bytes but the manifest describes 476 bytes: a shard is truncated or belongs to another model; export or download the model again',
  },
  {
    name: 'unsupported layer', kind: 'model', format: 'tfjs-layers',
    build: async () => saveLayersModel(small([L.conv2dTranspose({ name: 'up', filters: 2, kernelSize: 2 })])),
    error: 'layer up has class Conv2DTranspose, which is not supported. Supported layers: Activation, ActivityRegularization, Add, AlphaDropout, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense, DepthwiseConv2D, Dropout, Flatten, Functional, GaussianDropout, GaussianNoise, GlobalAveragePooling2D, GlobalMaxPooling2D, InputLayer, LeakyReLU, MaxPooling2D, Model, ReLU, Rescaling, Reshape, Sequential, Softmax, SpatialDropout2D, ZeroPadding2D.',
  },
  {
    name: 'unsupported activation', kind: 'model', format: 'tfjs-layers',
    build: async () => saveLayersModel(small([L.activation({ name: 'act', activation: 'elu' })])),
    error: 'layer act (Activation): activation "elu" is not supported; supported: linear, relu, relu6, leaky_relu, softmax (as the last layer)',
  },
  {
    name: 'ReLU with a threshold', kind: 'model', format: 'tfjs-layers',
    build: async () => withJson(await saveLayersModel(small([L.reLU({ name: 'r' })])), (j) => {
      j.modelTopology.config.layers.find((l: { config: { name: string } }) => l.config.name === 'r').config.threshold = 0.5;
    }),
    error: 'layer r (ReLU): threshold = 0.5 is not supported; only 0',
  },
  {
    name: 'NaN in the weights', kind: 'model', format: 'tfjs-layers',
    build: async () => { const f = await saveLayersModel(small()); const d = f[1].data.slice(); new DataView(d.buffer).setFloat32(8, NaN, true); return [f[0], { path: f[1].path, data: d }]; },
    error: 'layer conv1 (Conv2D): weight conv1/kernel contains NaN (element 2): the file is corrupt or training diverged; re-export a model with finite weights',
  },
  {
    name: 'softmax before the last layer', kind: 'model', format: 'tfjs-layers',
    build: async () => {
      const m = tf.sequential();
      m.add(L.dense({ name: 'd1', inputShape: [4], units: 3 }));
      m.add(L.softmax({ name: 'sm' }));
      m.add(L.dense({ name: 'd2', units: 2 }));
      return saveLayersModel(m);
    },
    error: 'layer d2 takes the output of softmax sm; a softmax is only supported as the network\'s final layer',
  },
  {
    name: 'TensorFlow.js graph model', kind: 'model', format: 'tfjs-layers',
    build: async () => withJson(await saveLayersModel(small()), (j) => { j.format = 'graph-model'; }),
    error: 'model.json is a TensorFlow.js graph model (converted from a SavedModel or frozen graph); only Layers models are supported. Convert the Keras model with tensorflowjs_converter --input_format keras, or drop the Keras .h5 / .keras file itself.',
  },
  {
    name: 'two inputs', kind: 'model', format: 'tfjs-layers',
    build: async () => {
      const a = tf.input({ shape: [4], name: 'a' }), b = tf.input({ shape: [4], name: 'b' });
      const y = L.dense({ name: 'd', units: 2 }).apply(L.add({ name: 's' }).apply([a, b])) as tf.SymbolicTensor;
      return saveLayersModel(tf.model({ inputs: [a, b], outputs: y }));
    },
    error: 'the model has 2 inputs (a, b); only single-input models are supported',
  },
  {
    name: 'HDF5 file that is not a Keras model', kind: 'model', format: 'keras-h5',
    build: async () => [{ path: 'data.h5', data: await writeH5((f) => floatDataset(f.create_group('measurements'), 'x', new Float32Array(3), [3])) }],
    error: 'data.h5 is an HDF5 file but not a Keras model: it has no model_config attribute (top-level groups: measurements). Save the model with Keras model.save().',
  },
  {
    name: 'Keras weights-only HDF5', kind: 'model', format: 'keras-h5',
    build: async () => [{ path: 'w.h5', data: await writeH5((f) => { f.create_attribute('layer_names', ['dense_1']); f.create_group('dense_1'); }) }],
    error: "w.h5 holds only weights (saved with save_weights), not the model's layers: save the whole model with model.save('w.h5')",
  },
  {
    name: '.h5 that is not HDF5', kind: 'model', format: 'keras-h5',
    build: async () => [{ path: 'model.h5', data: strToU8('<html>404 Not Found</html>') }],
    error: 'model.h5 is not an HDF5 file (it lacks the HDF5 signature): it is damaged or not a Keras .h5 model',
  },
  {
    name: 'zip that is not a .keras file', kind: 'model', format: 'keras-h5',
    build: async () => [{ path: 'model.keras', data: zipSync({ 'notes.txt': strToU8('hello'), 'img/a.png': new Uint8Array(4) }) }],
    error: "model.keras is a zip archive without config.json and model.weights.h5, so it is not a Keras 3 .keras model (it holds: notes.txt, img/a.png). Save the model with model.save('model.keras').",
  },
  {
    name: '.keras that is not a zip', kind: 'model', format: 'keras-h5',
    build: async () => [{ path: 'model.keras', data: strToU8('{"class_name": "Sequential"}') }],
    error: 'model.keras is not a zip archive, so not a Keras 3 .keras file',
  },
  {
    name: 'no model at all', kind: 'model', format: 'model',
    build: async () => [{ path: 'readme.txt', data: strToU8('hi') }],
    error: 'no model among 1 file: readme.txt. Expected a TensorFlow.js Layers model.json with its weight files, a Keras .h5 or .keras file, or an ONNX .onnx file',
  },
  {
    name: 'IDX file with a wrong magic number', kind: 'data', format: 'idx',
    build: async () => [{ path: 't10k-images-idx3-ubyte', data: new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 7]) }],
    error: 't10k-images-idx3-ubyte is not an IDX images file: it starts with 0x00000801, expected 0x00000803 or 0x00000804 (unsigned bytes, 3 or 4 dimensions)',
  },
  {
    name: 'IDX labels not matching the images', kind: 'data', format: 'idx',
    build: async () => [
      { path: 'x-images-idx3-ubyte', data: new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 5, 6]) },
      { path: 'x-labels-idx1-ubyte', data: new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]) },
    ],
    error: 'x-labels-idx1-ubyte has 3 labels but x-images-idx3-ubyte has 2 images: they are not a pair',
  },
  {
    name: 'damaged image in a class folder', kind: 'data', format: 'image-folder',
    build: async () => [{ path: 'd/cat/a.png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) }, { path: 'd/dog/b.jpg', data: new Uint8Array([1, 2, 3]) }],
    error: 'cannot decode a.png as PNG: The input is not a PNG file! (damaged file?)',
  },
  {
    name: 'no data set at all', kind: 'data', format: 'data',
    build: async () => [{ path: 'notes.txt', data: strToU8('hi') }],
    error: 'no data set among 1 file: notes.txt. Expected a folder (or .zip) with one sub-folder of images per class, a flat folder of images, MNIST-style IDX files, or a fixpoint data set manifest',
  },
];

describe('broken files give one clear message each', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const files = await c.build();
      const err = await (c.kind === 'model' ? openModel(files) : openDataset(files)).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect((err as FormatError).format).toBe(c.format);
      expect((err as Error).message).toBe(c.error);
    });
  }
});
