// Keras 3 weight files address a variable by its layer's saving path and its index in the
// layer: `layers/conv2d_1/vars/0` is that layer's kernel (Keras names layers there by class,
// numbered in model order, because user-facing names are not reproducible). Files written by
// tf.keras 2.13+ say `_layer_checkpoint_dependencies` where Keras 3 says `layers`.
import type { LayerRef, WeightStore, WeightTensor } from '../keras/weights.ts';
import type { H5Group } from './hdf5.ts';
import { datasetFloats, datasetShape, h5get, h5keys, isDataset, isGroup } from './hdf5.ts';

export class Keras3WeightStore implements WeightStore {
  private counted = -1;

  constructor(private readonly root: H5Group, private readonly fileBytes: number) {}

  get size(): number {
    if (this.counted < 0) {
      let n = 0;
      const walk = (g: H5Group, depth: number) => {
        if (depth > 12) return;
        for (const k of h5keys(g)) {
          const o = h5get(g, k);
          if (isDataset(o)) n++;
          else if (isGroup(o)) walk(o, depth + 1);
        }
      };
      walk(this.root, 0);
      this.counted = n;
    }
    return this.counted;
  }

  find(layer: LayerRef, _names: string[], index: number): WeightTensor[] {
    for (const path of [layer.path, layer.path.replace(/(^|\/)layers\//g, '$1_layer_checkpoint_dependencies/')]) {
      const name = `${path}/vars/${index}`;
      const d = h5get(this.root, name);
      if (d && isDataset(d)) return [{ name, shape: datasetShape(d), values: datasetFloats(d, this.fileBytes) }];
    }
    return [];
  }
}
