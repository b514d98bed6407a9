// What `fixpoint bench` measures on, found the way a built or installed command line can: the
// demo in public/, and beside the checkout the paper's Sequential CNN and the official MNIST test
// set (../shared/fixtures), or whatever --model / --data point at. Everything is read with our
// own importers (src/formats), so no dev dependency is needed.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { BenchImages, ModelUnderTest } from '../../app/bench/engine-core.ts';
import { tfjsFromH5, tfjsFromLayersFiles } from '../../app/bench/tfjs-models.ts';
import { preprocessFor } from '../../app/load-data.ts';
import type { Graph } from '../../core/graph.ts';
import { preprocessImages } from '../../core/preprocess.ts';
import { openDataset, openModel } from '../../formats/index.ts';
import { readPathAsFiles } from '../../formats/node-files.ts';
import { type ParsedArgs, UsageError, stringFlag } from '../args.ts';
import { demoDataPath, projectRoot } from '../project.ts';

export const fixturesDir = (): string => join(projectRoot(), '..', 'shared', 'fixtures');
/** The paper's Sequential CNN (DESIGN.md §10), the default larger model. */
export const seqLargePath = (): string => join(fixturesDir(), 'paper', 'mnist_seq_large.h5');
/** The official MNIST test set (IDX), the default images. */
export const mnistTestPath = (): string => join(fixturesDir(), 'mnist');

export interface BenchInputs {
  /** The larger model (engine, workers and float-pass figures), or null when it is absent. */
  model: string | null;
  /** Why the larger model is left out (one line), when it is. */
  modelMissing: string | null;
  /** Images: --data, else the MNIST test set, else the demo's digits. */
  data: string;
}

/** --model / --data, or the defaults; a path given but absent is a usage error. */
export function benchInputs(flags: ParsedArgs['flags']): BenchInputs {
  const given = (name: string) => {
    const p = stringFlag(flags, name);
    if (p !== undefined && !existsSync(p)) throw new UsageError(`--${name} ${p} does not exist`);
    return p;
  };
  const model = given('model') ?? (existsSync(seqLargePath()) ? seqLargePath() : null);
  const data = given('data') ?? (existsSync(mnistTestPath()) ? mnistTestPath() : demoDataPath());
  return {
    model, data,
    modelMissing: model ? null : `mnist_seq_large left out: ${seqLargePath()} is absent (give --model PATH to the paper's mnist_seq_large.h5, or another .h5 or model.json)`,
  };
}

/** A model's name in the results: the file's, or its folder's for a model.json. */
export const modelName = (path: string): string =>
  basename(path).toLowerCase() === 'model.json' ? basename(dirname(path)) : basename(path).replace(/\.(h5|hdf5|keras|onnx|json)$/i, '');

/** Model files TensorFlow.js can run as well (the float side of the engine bench): a Keras 2 .h5 or a model.json. */
export function checkTfjsTwin(path: string): void {
  if (!/\.(h5|hdf5|json)$/i.test(path)) {
    throw new UsageError(`--model ${path}: the engine bench races TensorFlow.js, which reads a Keras 2 .h5 or a TensorFlow.js model.json; give one of those, or --skip engine`);
  }
}

/** The TensorFlow.js twin of a model file. */
async function tfjsTwin(path: string): Promise<tf.LayersModel> {
  checkTfjsTwin(path);
  if (/\.(h5|hdf5)$/i.test(path)) return tfjsFromH5(new Uint8Array(readFileSync(path)), basename(path));
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { weightsManifest?: Array<{ paths: string[] }> };
  const shards = new Map((manifest.weightsManifest ?? []).flatMap((g) => g.paths).map((p) => [p, new Uint8Array(readFileSync(join(dirname(path), p)))]));
  return tfjsFromLayersFiles(new Uint8Array(readFileSync(path)), shards);
}

/** A model as our importer reads it and as TensorFlow.js runs it. */
export async function loadBenchModel(path: string): Promise<ModelUnderTest & { name: string }> {
  const graph = await openModel(readPathAsFiles(path));
  return { name: modelName(path), graph, model: await tfjsTwin(path) };
}

/** The first `count` images of a data set, preprocessed for the model's input (0..1, resized). */
export async function benchImages(graph: Graph, dataPath: string, count: number): Promise<BenchImages> {
  const dataset = await openDataset(readPathAsFiles(dataPath));
  if (!dataset.labels) throw new UsageError(`--data ${dataPath}: the engine bench needs labelled images (class folders or an IDX pair)`);
  const n = Math.min(count, dataset.images.length);
  const images = preprocessImages(dataset.images.slice(0, n), preprocessFor(graph, dataset, {}));
  const source = dataPath === demoDataPath() ? 'demo digits' : dataPath === mnistTestPath() ? 'MNIST test digits' : `images of ${dataPath}`;
  return { images, labels: dataset.labels.slice(0, n), count: n, source: `the first ${n} ${source}` };
}
