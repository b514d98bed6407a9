// `fixpoint eval`: float accuracy of a model on a labelled set (DESIGN.md §8).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type ParsedArgs, UsageError, stringFlag } from './args.ts';
import { demoDataPath, demoModelPath } from './project.ts';
import { initTfjsNode } from './tfjs-node.ts';

export const EVAL_FLAGS = { model: 'value', data: 'value', config: 'value', json: 'switch', range: 'value', mean: 'value', std: 'value', resize: 'value' } as const;

export async function evalCommand(args: ParsedArgs): Promise<number> {
  if (stringFlag(args.flags, 'model') || stringFlag(args.flags, 'data')) throw new UsageError('--model and --data are not supported yet: this build evaluates the demo model on the demo test set');
  await initTfjsNode();
  const modelPath = demoModelPath();
  const json = JSON.parse(readFileSync(modelPath, 'utf8'));
  const weights = readFileSync(join(modelPath, '..', json.weightsManifest[0].paths[0]));
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }));
  const dir = demoDataPath();
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const set = manifest.sets.test;
  const pixels = readFileSync(join(dir, set.images));
  const labels = readFileSync(join(dir, set.labels));
  const predictions = tf.tidy(() => {
    const x = tf.tensor4d(new Float32Array(pixels), [set.count, manifest.height, manifest.width, manifest.channels]).div(255);
    return (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
  });
  let correct = 0;
  for (let i = 0; i < set.count; i++) correct += predictions[i] === labels[i] ? 1 : 0;
  const floatAcc = correct / set.count;
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify({ float_acc: floatAcc, images: set.count, model: { name: model.name } }) + '\n');
  } else {
    process.stdout.write(`${model.name}: float accuracy ${(floatAcc * 100).toFixed(2)}% on ${set.count} images (${dir})\n`);
  }
  return 0;
}
