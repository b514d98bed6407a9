// Where a Keras layer's variables come from. Keras 2 .h5 files and TensorFlow.js manifests
// name every variable (`conv1/kernel`, `sequential_1/dense/kernel:0`), so they are matched by
// name, never by position; Keras 3 files address variables by the layer's saving path and the
// variable's index in the layer (see keras-h5/keras3.ts).

export interface WeightTensor {
  /** As stored in the file, for error messages. */
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A layer as the weight files know it. */
export interface LayerRef {
  name: string;
  className: string;
  /** Names of the enclosing (nested) models, outermost first; empty at the top level. */
  scope: string[];
  /** Keras 3 saving path, e.g. `layers/sequential/layers/conv2d_1`. */
  path: string;
}

export interface WeightStore {
  /**
   * Candidates for one variable of a layer. `names` are accepted short names (`kernel`,
   * `depthwise_kernel`), `index` the variable's position in the layer's own variable list.
   * Returns every plausible match; the caller insists on exactly one.
   */
  find(layer: LayerRef, names: string[], index: number): WeightTensor[];
  /** How many variables the store holds, for a message when nothing matched. */
  readonly size: number;
}

export interface NamedEntry {
  /** Full variable name, e.g. `sequential_1/dense/kernel:0`. */
  name: string;
  /** The top-level layer group it was found in (Keras 2 .h5 model_weights/<group>), if any. */
  group?: string;
  shape: number[];
  load(): Float32Array;
}

const splitName = (name: string): string[] => name.replace(/:\d+$/, '').split('/').filter((s) => s !== '');

/** Name-matching store for Keras 2 .h5 and TensorFlow.js manifests. */
export class NamedWeightStore implements WeightStore {
  private readonly parts: string[][];
  private readonly cache = new Map<NamedEntry, Float32Array>();
  // Indexes instead of a scan per lookup: import stays linear in the number of layers.
  private readonly byLayerAndShort = new Map<string, number[]>();
  private readonly byGroup = new Map<string, number[]>();
  private readonly hasGroups: boolean;

  constructor(private readonly entries: NamedEntry[]) {
    this.parts = entries.map((e) => splitName(e.name));
    const add = (m: Map<string, number[]>, k: string, i: number) => { const l = m.get(k); if (l) l.push(i); else m.set(k, [i]); };
    this.parts.forEach((p, i) => {
      if (p.length >= 2) add(this.byLayerAndShort, `${p[p.length - 2]}\u0000${p[p.length - 1]}`, i);
      const g = entries[i].group;
      if (g !== undefined) add(this.byGroup, g, i);
    });
    this.hasGroups = entries.some((e) => e.group !== undefined);
  }

  get size(): number {
    return this.entries.length;
  }

  find(layer: LayerRef, names: string[], _index: number): WeightTensor[] {
    const top = layer.scope[0] ?? layer.name;
    const hasGroups = this.hasGroups;
    const inGroup = (i: number) => !hasGroups || this.entries[i].group === top;
    for (const short of names) {
      let hits: number[] = (this.byLayerAndShort.get(`${layer.name}\u0000${short}`) ?? []).filter(inGroup);
      if (hits.length > 1) {
        // Same layer name in two nested models: keep those whose path mentions the enclosing models.
        const scoped = hits.filter((i) => layer.scope.every((s) => this.parts[i].includes(s)));
        if (scoped.length > 0) hits = scoped;
      }
      if (hits.length === 0 && hasGroups && layer.scope.length === 0) {
        // A layer renamed after it was built keeps its old variable names (`binary` holding
        // `dense_5/kernel:0`); its group in the file still carries the layer's name.
        hits = (this.byGroup.get(layer.name) ?? []).filter((i) => { const p = this.parts[i]; return p[p.length - 1] === short; });
      }
      if (hits.length > 0) return hits.map((i) => this.tensor(this.entries[i]));
    }
    return [];
  }

  private tensor(e: NamedEntry): WeightTensor {
    let values = this.cache.get(e);
    if (!values) {
      values = e.load();
      this.cache.set(e, values);
    }
    return { name: e.name, shape: e.shape, values };
  }
}
