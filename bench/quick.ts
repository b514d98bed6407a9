import * as tfw from '@tensorflow/tfjs-backend-wasm';
import { simdEngine } from '../src/engine/testing/engines.ts';
import { h5Graph, demoGraph, mnistDigits, tf, tfjsH5Model, tfjsDemoModel } from '../src/engine/testing/models.ts';
import { uniformConfig } from '../src/engine/testing/uniform.ts';

const which = process.argv[2] ?? 'seq';
const g = which === 'seq' ? await h5Graph('mnist_seq_large.h5') : await demoGraph();
const digits = mnistDigits(1000);
const engine = simdEngine();
engine.load(g, Number(process.argv[3] ?? 32));
const stats = engine.activationStats(digits.images.subarray(0, 200 * 784));
let t = performance.now();
const fl = engine.run(digits.images, digits.labels);
console.log('float', fl.correct, ((performance.now() - t) / 1000).toFixed(3), 's', (1000 / ((performance.now() - t) / 1000)).toFixed(0), 'img/s');
engine.setConfig(uniformConfig(g, stats, 8));
console.log(engine.nodePaths().join(' '));
for (let rep = 0; rep < 3; rep++) {
  t = performance.now();
  const r = engine.run(digits.images, digits.labels);
  const s = (performance.now() - t) / 1000;
  console.log('int8', r.correct, s.toFixed(3), 's', (1000 / s).toFixed(0), 'img/s');
}
if (process.argv[4] !== 'notf') {
  tf.env().set('IS_TEST', true);
  tfw.setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  const model = which === 'seq' ? await tfjsH5Model('mnist_seq_large.h5') : await tfjsDemoModel();
  const x = tf.tensor4d(digits.images, [1000, 28, 28, 1]);
  for (let rep = 0; rep < 2; rep++) {
    t = performance.now();
    const y = model.predict(x, { batchSize: 32 }) as tf.Tensor;
    await y.data();
    const s = (performance.now() - t) / 1000;
    console.log('tfjs wasm', s.toFixed(3), 's', (1000 / s).toFixed(0), 'img/s', 'threads', tfw.getThreadsCount());
    y.dispose();
  }
}
