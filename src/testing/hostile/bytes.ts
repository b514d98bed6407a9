// Byte builders for the hostile corpus: small valid files (BMP, PNG, JPEG, IDX, a tfjs Layers
// model, a Keras .h5) and the surgical edits that make them hostile. Test support only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zlibSync } from 'fflate';
import jpeg from 'jpeg-js';
import { writeH5 } from '../h5-writer.ts';
import { buildModel, type ModelSpec, type NodeSpec } from '../onnx-builder.ts';

// biome-ignore lint/suspicious/noExplicitAny: hostile files set arbitrary fields
export type Json = Record<string, any>;

const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const be32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

/** An 8-bit palette BMP of w×h grey pixels; `colors` is written as biClrUsed. */
export function bmp8(w: number, h: number, colors = 256): Uint8Array {
  const rowBytes = Math.ceil(w / 4) * 4;
  const paletteEntries = Math.min(colors || 256, 256);
  const offset = 14 + 40 + paletteEntries * 4;
  const size = offset + rowBytes * h;
  const out = new Uint8Array(size);
  out.set([0x42, 0x4d, ...le32(size), 0, 0, 0, 0, ...le32(offset)], 0);
  out.set([...le32(40), ...le32(w), ...le32(h), 1, 0, 8, 0, ...le32(0), ...le32(rowBytes * h), ...le32(2835), ...le32(2835), ...le32(colors), ...le32(0)], 14);
  for (let i = 0; i < paletteEntries; i++) out.set([i, i, i, 0], 54 + i * 4);
  for (let i = offset; i < size; i++) out[i] = (i * 7) & 0xff;
  return out;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): number[] {
  const td = new Uint8Array([...strToU8(type), ...data]);
  return [...be32(data.length), ...td, ...be32(crc32(td))];
}

/** A grey 8-bit PNG whose header says w×h; `rows` limits the pixel rows actually stored. */
export function png(w: number, h: number, rows = h): Uint8Array {
  const raw = new Uint8Array((w + 1) * rows);
  for (let y = 0; y < rows; y++) for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = (x * 9 + y * 5) & 0xff;
  const ihdr = new Uint8Array([...be32(w), ...be32(h), 8, 0, 0, 0, 0]);
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk('IHDR', ihdr), ...chunk('IDAT', zlibSync(raw)), ...chunk('IEND', new Uint8Array())]);
}

/** A small real JPEG whose start-of-frame then claims w×h. */
export function jpegClaiming(w: number, h: number): Uint8Array {
  const px = new Uint8Array(8 * 8 * 4).fill(128);
  const d = new Uint8Array(jpeg.encode({ data: px, width: 8, height: 8 }, 90).data);
  for (let o = 2; o + 9 < d.length;) {
    const m = d[o + 1];
    if (m === 0xc0 || m === 0xc2) {
      d.set([(h >> 8) & 0xff, h & 0xff, (w >> 8) & 0xff, w & 0xff], o + 5);
      return d;
    }
    o += 2 + ((d[o + 2] << 8) | d[o + 3]);
  }
  throw new Error('no SOF in the JPEG');
}

/** An IDX file: magic 0x0803/0x0801 and the given dims, then `bytes` (or the declared size). */
export function idx(dims: number[], bytes?: Uint8Array): Uint8Array {
  const size = bytes?.length ?? dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + size);
  out.set([0, 0, 8, dims.length]);
  dims.forEach((d, i) => out.set(be32(d), 4 + 4 * i));
  if (bytes) out.set(bytes, 4 + 4 * dims.length);
  else for (let i = 0; i < size; i++) out[4 + 4 * dims.length + i] = (i * 13) & 0xff;
  return out;
}

/** The demo model (LeNet-5) as shipped: model.json parsed, weights bytes. */
export function demoModel(root: string): { json: Json; weights: Uint8Array } {
  const dir = join(root, 'public', 'models', 'lenet5-mnist');
  return { json: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')), weights: new Uint8Array(readFileSync(join(dir, 'weights.bin'))) };
}

export interface LayerSpec {
  cls: string;
  config: Json;
  /** Weight shapes in the order Keras lists them, named `<layer>/<name>`. */
  weights?: Array<[string, number[]]>;
}

/** A Sequential tfjs Layers model.json + weights.bin from layer specs (weights small and deterministic). */
export function layersModel(name: string, inputShape: number[], layers: LayerSpec[], weightsPath = 'weights.bin'): { 'model.json': Uint8Array; [k: string]: Uint8Array } {
  const specs: Json[] = [];
  let count = 0;
  const cfgLayers = layers.map((l, i) => {
    const config = { ...l.config };
    if (i === 0) config.batch_input_shape = [null, ...inputShape];
    for (const [w, shape] of l.weights ?? []) {
      specs.push({ name: `${config.name}/${w}`, shape, dtype: 'float32' });
      count += shape.reduce((a, b) => a * b, 1);
    }
    return { class_name: l.cls, config };
  });
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (((i * 7919) % 201) - 100) / 500;
  const json = {
    format: 'layers-model', generatedBy: 'fixpoint hostile corpus', convertedBy: null,
    modelTopology: { class_name: 'Sequential', config: { name, layers: cfgLayers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
    weightsManifest: [{ paths: [weightsPath], weights: specs }],
  };
  return { 'model.json': strToU8(JSON.stringify(json)), [weightsPath]: new Uint8Array(values.buffer) };
}

export const conv = (name: string, filters: number, kernel: number, cin: number, extra: Json = {}): LayerSpec => ({
  cls: 'Conv2D',
  config: { name, filters, kernel_size: [kernel, kernel], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'relu', use_bias: true, ...extra },
  weights: [['kernel', [kernel, kernel, cin, filters]], ['bias', [filters]]],
});
export const dense = (name: string, units: number, fanIn: number): LayerSpec => ({
  cls: 'Dense', config: { name, units, activation: 'linear', use_bias: true }, weights: [['kernel', [fanIn, units]], ['bias', [units]]],
});
export const gap = (name = 'gap'): LayerSpec => ({ cls: 'GlobalAveragePooling2D', config: { name } });
export const flatten = (name = 'flat'): LayerSpec => ({ cls: 'Flatten', config: { name } });
export const maxPool = (name: string, size: number): LayerSpec => ({ cls: 'MaxPooling2D', config: { name, pool_size: [size, size], strides: [size, size], padding: 'valid' } });

/** A small valid ONNX model (Conv → Relu → GlobalAveragePool → Flatten) with one node appended, or the weight replaced. */
export function onnxWith(extra?: NodeSpec, weight?: { dims: number[]; data: number[] }): Uint8Array {
  const nodes: NodeSpec[] = [
    { op: 'Conv', name: 'conv1', inputs: ['x', 'W'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
    { op: 'Relu', name: 'relu1', inputs: ['c'], outputs: ['r'] },
  ];
  if (extra) nodes.push(extra);
  nodes.push({ op: 'GlobalAveragePool', name: 'gap', inputs: [extra ? extra.outputs[0] : 'r'], outputs: ['p'] }, { op: 'Flatten', name: 'flat', inputs: ['p'], outputs: ['logits'] });
  const spec: ModelSpec = {
    opset: 13, input: { name: 'x', dims: [1, 1, 28, 28] },
    inits: { W: weight ? { dims: weight.dims, data: weight.data, type: 'float-field' } : { dims: [10, 1, 3, 3], data: new Float32Array(90).map((_, i) => ((i % 7) - 3) / 10) } },
    nodes, outputs: ['logits'],
  };
  return buildModel(spec);
}

/** The demo model as a Keras 2 .h5 whose fc2 kernel is a chunked dataset resized to `declared` and never written. */
export async function kerasH5(root: string, declared: number[]): Promise<Uint8Array> {
  const { json: j, weights } = demoModel(root);
  const specs = j.weightsManifest[0].weights as Array<{ name: string; shape: number[] }>;
  let o = 0;
  const values = specs.map((w) => { const n = w.shape.reduce((a, b) => a * b, 1); const v = new Float32Array(weights.buffer.slice(o, o + 4 * n)); o += 4 * n; return v; });
  return writeH5((f) => {
    f.create_attribute('keras_version', '2.2.4');
    f.create_attribute('backend', 'tensorflow');
    f.create_attribute('model_config', JSON.stringify(j.modelTopology));
    const mw = f.create_group('model_weights');
    const layers = [...new Set(specs.map((w) => w.name.split('/')[0]))];
    mw.create_attribute('layer_names', layers);
    for (const layer of layers) {
      const g = mw.create_group(layer);
      const inner = g.create_group(layer);
      const names: string[] = [];
      specs.forEach((w, i) => {
        if (!w.name.startsWith(`${layer}/`)) return;
        const short = w.name.split('/')[1];
        names.push(`${layer}/${short}:0`);
        if (w.name === 'fc2/kernel') {
          const d = inner.create_dataset({ name: `${short}:0`, data: values[i], shape: w.shape, dtype: '<f4', maxshape: [null, null], chunks: w.shape });
          d.resize(declared);
        } else inner.create_dataset({ name: `${short}:0`, data: values[i], shape: w.shape, dtype: '<f4' });
      });
      g.create_attribute('weight_names', names);
    }
  });
}
