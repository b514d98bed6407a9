// Models rebuilt in TensorFlow.js from file bytes, independently of our importers: the float
// reference the benchmarks race against and the tests compare with. A Layers model from
// model.json + shards; a Keras 2 .h5 from its model_config with weights set layer by layer, final
// softmax made linear (the engine's graphs drop it). Runtime dependencies only (tfjs, jsfive), so
// the bundled command line's `bench` can use it.
import * as tf from '@tensorflow/tfjs';
import { attrString, attrStrings, datasetFloats, h5get, isDataset, openHdf5 } from '../../formats/keras-h5/hdf5.ts';

export async function tfjsFromLayersFiles(modelJson: Uint8Array, shards: Map<string, Uint8Array>): Promise<tf.LayersModel> {
  const manifest = JSON.parse(new TextDecoder().decode(modelJson));
  const groups = manifest.weightsManifest as Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  const parts = groups.flatMap((g) => g.paths.map((p) => {
    const d = shards.get(p);
    if (!d) throw new Error(`missing weight shard ${p}`);
    return d;
  }));
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { all.set(p, o); o += p.length; }
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: manifest.modelTopology, weightSpecs: groups.flatMap((g) => g.weights), weightData: all.buffer }));
}

export async function tfjsFromH5(data: Uint8Array, name = 'model.h5'): Promise<tf.LayersModel> {
  const h5 = openHdf5(data, name);
  const config = JSON.parse(attrString(h5.attrs.model_config)!);
  for (const l of config.config.layers ?? config.config) {
    if (l.config.activation === 'softmax') l.config.activation = 'linear';
  }
  const model = await tf.models.modelFromJSON({ modelTopology: config } as never);
  for (const layer of model.layers) {
    const g = h5get(h5, `model_weights/${layer.name}`);
    if (!g || isDataset(g)) continue;
    const names = attrStrings(g.attrs.weight_names);
    if (names.length === 0) continue;
    layer.setWeights(names.map((n: string) => {
      const d = h5get(g, n);
      if (!d || !isDataset(d)) throw new Error(`missing ${n}`);
      return tf.tensor(datasetFloats(d), d.shape);
    }));
  }
  return model;
}
