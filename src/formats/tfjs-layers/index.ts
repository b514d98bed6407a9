// TensorFlow.js Layers models: model.json (format "layers-model", or older files without a
// format key whose modelTopology may wrap the Keras JSON in model_config) plus weight shards.
import { checkJsonDepth } from '../../core/limits.ts';
import type { Graph } from '../../core/graph.ts';
import { baseName, decodeText, lowerExt } from '../files.ts';
import { kerasToGraph } from '../keras/translate.ts';
import { NamedWeightStore } from '../keras/weights.ts';
import type { FileEntry, ModelFormat, ModelOptions } from '../types.ts';
import { FormatError } from '../types.ts';
import { manifestEntries } from './manifest.ts';

export class TfjsLayersError extends FormatError {
  constructor(message: string) {
    super('tfjs-layers', message);
    this.name = 'TfjsLayersError';
  }
}

const HEAD = 4096;

/** The model.json among the files: a JSON file naming a modelTopology (or called model.json). */
export function findModelJson(files: FileEntry[]): FileEntry | undefined {
  const json = files.filter((f) => lowerExt(f.path) === 'json');
  return json.find((f) => decodeText(f.data.subarray(0, HEAD)).includes('"modelTopology"')) ??
    json.find((f) => baseName(f.path).toLowerCase() === 'model.json');
}

/** Where JSON.parse stopped, as a readable hint. */
function jsonProblem(text: string, err: unknown): string {
  const m = /position (\d+)/.exec(String(err));
  const at = m ? Number(m[1]) : -1;
  if (at >= text.trimEnd().length - 1 || /end of (JSON|data) input|Unterminated/i.test(String(err))) {
    return `it ends abruptly after ${text.length} bytes (truncated download or copy)`;
  }
  return at >= 0 ? `invalid JSON at byte ${at}` : `invalid JSON (${String(err).replace(/^SyntaxError: /, '')})`;
}

export const tfjsLayersFormat: ModelFormat = {
  id: 'tfjs-layers',
  match: (files) => findModelJson(files) !== undefined,
  async open(files: FileEntry[], options?: ModelOptions): Promise<Graph> {
    const fail = (m: string): never => { throw new TfjsLayersError(m); };
    const file = findModelJson(files);
    if (!file) return fail('no model.json among the files');
    const fname = baseName(file.path);
    const text = decodeText(file.data);
    let json: Record<string, unknown>;
    checkJsonDepth(text, fail, fname);
    try {
      json = JSON.parse(text);
    } catch (err) {
      return fail(`${fname} is not valid JSON: ${jsonProblem(text, err)}. Export or download the model again.`);
    }
    if (typeof json !== 'object' || json === null) return fail(`${fname} does not hold a JSON object`);
    if (json.format === 'graph-model') {
      fail(`${fname} is a TensorFlow.js graph model (converted from a SavedModel or frozen graph); only Layers models are supported. ` +
        'Convert the Keras model with tensorflowjs_converter --input_format keras, or drop the Keras .h5 / .keras file itself.');
    }
    const topo = json.modelTopology as Record<string, unknown> | undefined;
    if (!topo || typeof topo !== 'object') {
      fail(`${fname} has no modelTopology: it is not a TensorFlow.js Layers model`);
    }
    // Converter 1.x and tfjs-layers 0.x wrap the Keras JSON as {keras_version, backend, model_config}.
    const config = topo!.model_config ?? topo;
    const entries = manifestEntries(json.weightsManifest, files, file.path, fail);
    return kerasToGraph({ topology: config, store: new NamedWeightStore(entries), makeError: (m) => new TfjsLayersError(m) }, options);
  },
};
