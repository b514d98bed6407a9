// Real models: the engine's float path against TensorFlow.js (same top-1, outputs within 1e-4
// of the largest magnitude), and every tensor at 16 bits with no-clipping fractional lengths
// giving the float model's answer on ≥ 99.9% of images.
import { beforeAll, describe, expect, it } from 'vitest';
import { floatConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import type { Engine } from './engine.ts';
import { simdEngine } from '../testing/engines.ts';
import type { ImageSet } from '../testing/models.ts';
import { demoGraph, demoImages, h5Graph, hasDemoModel, hasPaperModel, mnistDigits, tfjsDemoModel, tfjsH5Model } from '../testing/models.ts';
import { tf, tfjsLogits } from '../testing/tfjs.ts';
import { uniformConfig } from '../core/cost.ts';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

function compareWithTfjs(engine: Engine, g: Graph, model: tf.LayersModel, set: ImageSet, n: number): void {
  const images = set.images.subarray(0, n * 784);
  engine.load(g, 16);
  const ours = engine.logits(images);
  const theirs = tfjsLogits(model, images, [28, 28, 1]);
  const classes = ours.length / n;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const a = ours.subarray(i * classes, (i + 1) * classes);
    const b = theirs.subarray(i * classes, (i + 1) * classes);
    const scale = Math.max(...Array.from(b, Math.abs));
    for (let c = 0; c < classes; c++) worst = Math.max(worst, Math.abs(a[c] - b[c]) / scale);
    expect(argmaxOf(a), `image ${i}`).toBe(argmaxOf(b));
  }
  expect(worst).toBeLessThan(1e-4);
  const run = engine.run(images, null);
  for (let i = 0; i < n; i++) expect(run.predictions[i]).toBe(argmaxOf(theirs.subarray(i * classes, (i + 1) * classes)));
}

function agreement16(engine: Engine, g: Graph, calib: Float32Array, test: Float32Array): { agree: number; count: number } {
  engine.load(g, 32);
  engine.setConfig(floatConfig(g.nodes.length));
  const stats = engine.activationStats(calib);
  const float = engine.run(test, null).predictions;
  engine.setConfig(uniformConfig(g, stats, 16));
  expect(engine.nodeDomains().every((d, i) => d.kind === 'fixed' || g.nodes[i].kind === 'reshape')).toBe(true);
  const fixed = engine.run(test, null).predictions;
  let agree = 0;
  for (let i = 0; i < float.length; i++) agree += float[i] === fixed[i] ? 1 : 0;
  return { agree, count: float.length };
}

const argmaxOf = (v: ArrayLike<number>): number => {
  let b = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[b]) b = i;
  return b;
};

describe.skipIf(!hasDemoModel())('demo LeNet-5', () => {
  const engine = simdEngine();
  it('float path = TensorFlow.js on 300 test digits', async () => {
    compareWithTfjs(engine, await demoGraph(), await tfjsDemoModel(), demoImages('test'), 300);
  });
  it('16-bit no-clipping config gives the float top-1 on ≥ 99.9% of 1,000 test digits', async () => {
    const { agree, count } = agreement16(engine, await demoGraph(), demoImages('calibration').images, demoImages('test').images);
    expect(count).toBe(1000);
    expect(agree / count).toBeGreaterThanOrEqual(0.999);
  });
});

describe.skipIf(!hasPaperModel('mnist_keras.h5'))('paper model mnist_keras.h5', () => {
  const engine = simdEngine();
  const digits = mnistDigits(10_000);
  it('float path = TensorFlow.js on 100 digits', async () => {
    compareWithTfjs(engine, await h5Graph('mnist_keras.h5'), await tfjsH5Model('mnist_keras.h5'), digits, 100);
  });
  it('16-bit no-clipping config gives the float top-1 on ≥ 99.9% of 2,000 digits', async () => {
    const calib = digits.images.subarray(0, 500 * 784);
    const sel = mnistDigits(2000).images;
    const { agree, count } = agreement16(engine, await h5Graph('mnist_keras.h5'), calib, sel);
    expect(count).toBe(2000);
    expect(agree / count).toBeGreaterThanOrEqual(0.999);
  });
});
