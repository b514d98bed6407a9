// Entry points: dropped or named files → Graph / Dataset, trying each format's match in turn.
import type { Graph } from '../core/graph.ts';
import { LimitError, graphProblem } from '../core/limits.ts';
import { dataFormats } from './data/index.ts';
import { baseName, isZip, lowerExt, plural, unzipEntries } from './files.ts';
import { kerasH5Format } from './keras-h5/index.ts';
import { onnxFormat } from './onnx/index.ts';
import { tfjsLayersFormat } from './tfjs-layers/index.ts';
import type { DataOptions, Dataset, FileEntry, ModelFormat, ModelOptions } from './types.ts';
import { FormatError } from './types.ts';

/** Model formats in the order they are tried. */
export const modelFormats: ModelFormat[] = [tfjsLayersFormat, kerasH5Format, onnxFormat];

export { dataFormats };

const describeFiles = (files: FileEntry[]) =>
  `${plural(files.length, 'file')}${files.length ? `: ${files.slice(0, 5).map((f) => baseName(f.path)).join(', ')}${files.length > 5 ? ', …' : ''}` : ''}`;

/** Opens a model and checks its shapes against what the engine can run (one line naming the layer if not). */
export async function openModel(files: FileEntry[], options?: ModelOptions): Promise<Graph> {
  const graph = await openAnyModel(files, options);
  const problem = graphProblem(graph);
  if (problem) throw new FormatError('model', problem);
  return graph;
}

async function openAnyModel(files: FileEntry[], options?: ModelOptions): Promise<Graph> {
  for (const format of modelFormats) {
    if (format.match(files)) return format.open(files, options);
  }
  // A zipped model folder (model.json + shards, an .h5): look inside.
  const zip = files.find((f) => lowerExt(f.path) === 'zip' && isZip(f.data));
  if (zip) {
    let inner: FileEntry[];
    try {
      inner = unzipEntries(zip.data, '', baseName(zip.path));
    } catch (err) {
      if (err instanceof LimitError) throw new FormatError('zip', err.message);
      throw new FormatError('zip', `${baseName(zip.path)} is a damaged zip archive (${String(err)})`);
    }
    for (const format of modelFormats) {
      if (format.match(inner)) return format.open(inner, options);
    }
  }
  throw new FormatError('model', `no model among ${describeFiles(files)}. Expected a TensorFlow.js Layers model.json with its ` +
    'weight files, a Keras .h5 or .keras file, or an ONNX .onnx file');
}

export async function openDataset(files: FileEntry[], options?: DataOptions): Promise<Dataset> {
  for (const format of dataFormats) {
    if (format.match(files)) return format.open(files, options);
  }
  throw new FormatError('data', `no data set among ${describeFiles(files)}. Expected a folder (or .zip) with one sub-folder of ` +
    'images per class, a flat folder of images, MNIST-style IDX files, or a fixpoint data set manifest');
}

export type { DataOptions, Dataset, FileEntry, ModelOptions };
export { FormatError };
