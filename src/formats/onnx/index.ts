// ONNX model format (our issue 7): one .onnx file, opsets 7 to 21, NCHW converted to NHWC.
// The importer (and its protobuf decoder) loads only when an ONNX file is opened, keeping the
// worker's first download small.
import type { Graph } from '../../core/graph.ts';
import type { FileEntry, ModelFormat } from '../types.ts';
import { OnnxFormatError } from './errors.ts';
import { looksLikeOnnx } from './signature.ts';

export { OnnxFormatError } from './errors.ts';

const isOnnxName = (path: string): boolean => /\.onnx$/i.test(path);

function pick(files: FileEntry[]): FileEntry | undefined {
  return files.find((f) => isOnnxName(f.path)) ?? (files.length === 1 && looksLikeOnnx(files[0].data) ? files[0] : undefined);
}

export const onnxFormat: ModelFormat = {
  id: 'onnx',
  match(files: FileEntry[]): boolean {
    return pick(files) !== undefined;
  },
  async open(files: FileEntry[]): Promise<Graph> {
    const file = pick(files);
    if (!file) throw new OnnxFormatError('No .onnx file among the dropped files.');
    const base = file.path.replace(/^.*[\\/]/, '');
    const { onnxToGraph } = await import('./import.ts');
    return onnxToGraph(file.data, base);
  },
};
