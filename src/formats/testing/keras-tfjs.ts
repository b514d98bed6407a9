// Test and script support: a Keras 2 .h5 model rebuilt in TensorFlow.js from its own
// model_config (tf.models.modelFromJSON reads Keras 2.2.4 configs), weights set layer by layer
// from the HDF5 groups — an implementation independent of our importer.
import * as tf from '@tensorflow/tfjs';
import { attrString, attrStrings, datasetFloats, h5get, isDataset, openHdf5 } from '../keras-h5/hdf5.ts';

/** The file's model in TensorFlow.js, with the final softmax turned into linear so logits compare. */
export async function tfjsModelFromH5(data: Uint8Array): Promise<tf.LayersModel> {
  const h5 = openHdf5(data, 'model.h5');
  const config = JSON.parse(attrString(h5.attrs.model_config)!);
  for (const l of config.config.layers) {
    if (l.config.activation === 'softmax') l.config.activation = 'linear';
  }
  const model = await tf.models.modelFromJSON({ modelTopology: config } as never);
  for (const layer of model.layers) {
    const g = h5get(h5, `model_weights/${layer.name}`);
    if (!g || isDataset(g)) continue;
    const names = attrStrings(g.attrs.weight_names);
    if (names.length === 0) continue;
    layer.setWeights(names.map((n) => {
      const d = h5get(g, n);
      if (!d || !isDataset(d)) throw new Error(`missing ${n}`);
      return tf.tensor(datasetFloats(d), d.shape);
    }));
  }
  return model;
}
