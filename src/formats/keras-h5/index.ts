// Keras models: Keras 2 `.h5` (model_config attribute + model_weights group, optimizer weights
// ignored) and Keras 3 `.keras` (zip of config.json + model.weights.h5).
import type { Graph } from '../../core/graph.ts';
import { LimitError, checkJsonDepth } from '../../core/limits.ts';
import { baseName, decodeText, isZip, lowerExt, unzipEntries } from '../files.ts';
import { kerasToGraph } from '../keras/translate.ts';
import type { NamedEntry } from '../keras/weights.ts';
import { NamedWeightStore } from '../keras/weights.ts';
import type { FileEntry, ModelFormat, ModelOptions } from '../types.ts';
import { FormatError } from '../types.ts';
import type { H5Group } from './hdf5.ts';
import { attrs, attrString, attrStrings, datasetFloats, datasetShape, h5get, h5keys, isDataset, isGroup, isHdf5, openHdf5 } from './hdf5.ts';
import { Keras3WeightStore } from './keras3.ts';

export class KerasH5Error extends FormatError {
  constructor(message: string) {
    super('keras-h5', message);
    this.name = 'KerasH5Error';
  }
}

const fail = (m: string): never => {
  throw new KerasH5Error(m);
};

const stem = (p: string) => baseName(p).replace(/\.(h5|hdf5|keras)$/i, '');

function pickFile(files: FileEntry[]): FileEntry | undefined {
  return files.find((f) => lowerExt(f.path) === 'keras') ??
    files.find((f) => ['h5', 'hdf5'].includes(lowerExt(f.path)) && !/\.weights\.h5$/i.test(f.path)) ??
    files.find((f) => isHdf5(f.data) && !/\.weights\.h5$/i.test(f.path)) ??
    (files.some((f) => baseName(f.path) === 'config.json') ? files.find((f) => baseName(f.path) === 'model.weights.h5') : undefined);
}

function openH5(file: FileEntry) {
  const name = baseName(file.path);
  if (!isHdf5(file.data)) {
    return fail(`${name} is not an HDF5 file (it lacks the HDF5 signature): it is damaged or not a Keras .h5 model`);
  }
  try {
    return openHdf5(file.data, name);
  } catch (err) {
    return fail(`${name} could not be read as HDF5 (${String(err)}): the file is truncated, corrupt or uses an HDF5 feature this reader lacks`);
  }
}

function parseConfig(text: string, what: string): unknown {
  checkJsonDepth(text, fail, what);
  try {
    return JSON.parse(text);
  } catch (err) {
    return fail(`${what} is not valid JSON (${String(err).replace(/^SyntaxError: /, '')}): the file is corrupt`);
  }
}

/** Keras 2: model_weights/<layer>/ with a weight_names attribute naming datasets below it. */
function keras2Entries(root: H5Group, fileBytes: number): NamedEntry[] {
  const entries: NamedEntry[] = [];
  const layerNames = attrStrings(attrs(root).layer_names);
  for (const layer of layerNames.length ? layerNames : h5keys(root)) {
    const g = h5get(root, layer);
    if (!g || !isGroup(g)) continue;
    for (const wn of attrStrings(attrs(g).weight_names)) {
      const d = h5get(g, wn);
      if (d && isDataset(d)) entries.push({ name: wn, group: layer, shape: datasetShape(d), load: () => datasetFloats(d, fileBytes) });
    }
  }
  return entries;
}

function openKeras2(file: FileEntry, options?: ModelOptions): Graph {
  const name = baseName(file.path);
  const h5 = openH5(file);
  const top = attrs(h5);
  const configText = attrString(top.model_config);
  if (configText === undefined) {
    if (attrStrings(top.layer_names).length > 0) {
      fail(`${name} holds only weights (saved with save_weights), not the model's layers: save the whole model with model.save('${stem(name)}.h5')`);
    }
    const groups = h5keys(h5);
    fail(`${name} is an HDF5 file but not a Keras model: it has no model_config attribute ` +
      `(top-level groups: ${groups.length ? groups.join(', ') : 'none'}). Save the model with Keras model.save().`);
  }
  const version = attrString(top.keras_version) ?? '';
  if (/^1\./.test(version)) fail(`${name} was saved by Keras ${version}; Keras 1 layer configurations are not supported: load it in Keras 2 and save it again`);
  const config = parseConfig(configText!, `the model_config of ${name}`);
  const mw = h5get(h5, 'model_weights');
  const root = mw && isGroup(mw) ? mw : h5;
  return kerasToGraph({
    topology: config, store: new NamedWeightStore(keras2Entries(root, file.data.length)),
    makeError: (m) => new KerasH5Error(m), name: stem(name),
  }, options);
}

function openKeras3(files: FileEntry[], archiveName: string, options?: ModelOptions): Graph {
  const find = (n: string) => files.find((f) => baseName(f.path) === n);
  const configFile = find('config.json');
  const weightsFile = find('model.weights.h5');
  if (!configFile || !weightsFile) {
    if (configFile && find('model.weights.npz')) fail(`${archiveName} stores its weights as .npz; save with the default h5 weights format`);
    fail(`${archiveName} is a zip archive without config.json and model.weights.h5, so it is not a Keras 3 .keras model ` +
      `(it holds: ${files.slice(0, 8).map((f) => f.path).join(', ') || 'nothing'}). Save the model with model.save('model.keras').`);
  }
  const config = parseConfig(decodeText(configFile!.data), `config.json in ${archiveName}`);
  const h5 = openH5(weightsFile!);
  return kerasToGraph({
    topology: config, store: new Keras3WeightStore(h5, weightsFile!.data.length),
    makeError: (m) => new KerasH5Error(m), name: stem(archiveName),
  }, options);
}

export const kerasH5Format: ModelFormat = {
  id: 'keras-h5',
  match: (files) => pickFile(files) !== undefined,
  async open(files: FileEntry[], options?: ModelOptions): Promise<Graph> {
    const file = pickFile(files);
    if (!file) return fail('no .h5 or .keras file among the files');
    const name = baseName(file.path);
    if (lowerExt(file.path) === 'keras') {
      if (!isZip(file.data)) {
        return fail(`${name} is not a zip archive, so not a Keras 3 .keras file${isHdf5(file.data) ? ' (it is HDF5: rename it to .h5)' : ''}`);
      }
      let inner: FileEntry[];
      try {
        inner = unzipEntries(file.data, '', name);
      } catch (err) {
        if (err instanceof LimitError) return fail(err.message);
        return fail(`${name} is a damaged zip archive (${String(err)}): download or save it again`);
      }
      return openKeras3(inner, name, options);
    }
    if (baseName(file.path) === 'model.weights.h5') return openKeras3(files, 'the dropped files', options);
    return openKeras2(file, options);
  },
};
