// The committed demo artifacts, checked with TensorFlow.js itself: the model loads through
// tfjs's own Layers loader and reaches at least 98% on the held-out demo digits.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

const dir = new URL('../public/', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, dir));

describe('demo model', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reaches at least 98% on the 1,000 held-out demo digits', async () => {
    const json = JSON.parse(read('models/lenet5-mnist/model.json').toString());
    const weights = read('models/lenet5-mnist/' + json.weightsManifest[0].paths[0]);
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
    const manifest = JSON.parse(read('data/mnist-demo/manifest.json').toString());
    const set = manifest.sets.test;
    expect(set.count).toBe(1000);
    const pixels = read('data/mnist-demo/' + set.images);
    const labels = read('data/mnist-demo/' + set.labels);
    expect(pixels.length).toBe(1000 * 28 * 28);
    const pred = tf.tidy(() => (model.predict(tf.tensor4d(new Float32Array(pixels), [1000, 28, 28, 1]).div(255)) as tf.Tensor).argMax(-1).dataSync());
    let correct = 0;
    for (let i = 0; i < 1000; i++) correct += pred[i] === labels[i] ? 1 : 0;
    expect(correct / 1000).toBeGreaterThanOrEqual(0.98);
  });

  it('keeps the documented split: calibration and test digits are disjoint real MNIST digits', () => {
    const cal = read('data/mnist-demo/calibration-images.u8');
    const test = read('data/mnist-demo/test-images.u8');
    const key = (b: Buffer, i: number) => b.subarray(i * 784, i * 784 + 784).toString('base64');
    const seen = new Set(Array.from({ length: 1000 }, (_, i) => key(cal, i)));
    let shared = 0;
    for (let i = 0; i < 1000; i++) shared += seen.has(key(test, i)) ? 1 : 0;
    expect(shared).toBe(0);
    const labels = read('data/mnist-demo/calibration-labels.u8');
    const perClass = new Array(10).fill(0);
    for (const l of labels) perClass[l]++;
    // A seeded shuffle of ~1,000 digits per class leaves every class with roughly 100.
    for (const n of perClass) expect(n).toBeGreaterThan(60);
  });
});
