// TensorFlow.js for tests and benchmarks (Node and browser alike): the CPU backend as the
// reference, models saved through tfjs's own IO into dropped-file form, models rebuilt from file
// bytes independently of our importers (src/app/bench/tfjs-models.ts), and output comparison
// against our float reference.
import * as tf from '@tensorflow/tfjs';
import { argmax, forwardFloat } from '../core/float-reference.ts';
import type { Graph } from '../core/graph.ts';
import type { FileEntry } from '../formats/types.ts';

export { tf };

export async function useTfjsCpu(): Promise<void> {
  // IS_TEST silences the "install tfjs-node" banner (backend_util.warn checks it).
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  await tf.ready();
}

export interface SaveOptions {
  /** Folder the files appear in (paths `dir/model.json`). */
  dir?: string;
  /** Split the weights into shards of at most this many bytes. */
  shardBytes?: number;
  /** Rewrites model.json before it is serialised (old layouts, injected layers, broken files). */
  edit?: (json: Record<string, unknown>) => void;
}

/** Saves a model through tf.io.withSaveHandler and returns model.json + shards as dropped files. */
export async function saveLayersModel(model: tf.LayersModel, o: SaveOptions = {}): Promise<FileEntry[]> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = artifacts!;
  const weights = new Uint8Array(a.weightData as ArrayBuffer);
  const shardBytes = o.shardBytes ?? Math.max(1, weights.length);
  const shards: Uint8Array[] = [];
  for (let s = 0; s < Math.max(1, weights.length); s += shardBytes) shards.push(weights.slice(s, s + shardBytes));
  const names = shards.map((_, i) => `group1-shard${i + 1}of${shards.length}.bin`);
  const json: Record<string, unknown> = {
    format: 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: names, weights: a.weightSpecs }],
  };
  o.edit?.(json);
  const dir = o.dir ? `${o.dir}/` : '';
  return [
    { path: `${dir}model.json`, data: new TextEncoder().encode(JSON.stringify(json)) },
    ...shards.map((d, i) => ({ path: `${dir}${names[i]}`, data: d })),
  ];
}

export function randomInputs(shape: number[], count: number, seed = 1): Float32Array[] {
  return Array.from({ length: count }, (_, i) => tf.tidy(() => tf.randomUniform(shape, -1, 1, 'float32', seed + i).dataSync() as Float32Array));
}

export function tfjsPredict(model: tf.LayersModel, input: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => {
    const y = model.predict(tf.tensor(input, [1, ...shape])) as tf.Tensor;
    return Float32Array.from(y.dataSync());
  });
}

export interface Agreement {
  /** Largest |ours - reference| / max|reference| over all images. */
  maxRelError: number;
  top1Agree: number;
  count: number;
}

/** Our float reference against reference outputs on the same inputs. */
export function agreement(graph: Graph, inputs: Float32Array[], reference: (x: Float32Array) => Float32Array): Agreement {
  let maxRelError = 0;
  let top1Agree = 0;
  for (const x of inputs) {
    const ours = forwardFloat(graph, x)[graph.output];
    const ref = reference(x);
    if (ours.length !== ref.length) throw new Error(`output sizes differ: ours ${ours.length}, reference ${ref.length}`);
    let scale = 0;
    for (const v of ref) scale = Math.max(scale, Math.abs(v));
    let err = 0;
    for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(ours[i] - ref[i]));
    maxRelError = Math.max(maxRelError, scale > 0 ? err / scale : err);
    if (argmax(ours) === argmax(ref)) top1Agree++;
  }
  return { maxRelError, top1Agree, count: inputs.length };
}

/** TensorFlow.js logits for N×28×28×1 images, in batches. */
export function tfjsLogits(model: tf.LayersModel, images: Float32Array, shape: [number, number, number], batch = 100): Float32Array {
  const E = shape[0] * shape[1] * shape[2];
  const count = images.length / E;
  const parts: Float32Array[] = [];
  for (let b = 0; b < count; b += batch) {
    const n = Math.min(batch, count - b);
    parts.push(tf.tidy(() => (model.predict(tf.tensor4d(images.subarray(b * E, (b + n) * E), [n, ...shape])) as tf.Tensor).dataSync() as Float32Array));
  }
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
