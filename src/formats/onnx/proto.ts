// Reading ONNX protobuf messages through onnx-proto: the model, its tensors as numbers and node
// attributes. onnx-proto is CommonJS, so it is imported whole (a named import fails in Node ESM).
import { LIMITS, declaredElements, describeCount } from '../../core/limits.ts';
import onnxProto from 'onnx-proto';
import { halfToFloat } from '../files.ts';
import { OnnxFormatError, dimsText } from './errors.ts';
import { looksLikeOnnx } from './signature.ts';

export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

type LongLike = number | { toNumber(): number };

/** int64 fields arrive as Long objects when long.js is present, as numbers otherwise. */
export function num(x: LongLike | null | undefined): number {
  if (x === null || x === undefined) return 0;
  return typeof x === 'number' ? x : x.toNumber();
}

export function decodeModel(data: Uint8Array, fileName: string): ModelProto {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(data);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (!looksLikeOnnx(data)) throw notOnnx(fileName);
    const detail = why.startsWith('index out of range') ? 'its protobuf data ends inside a field' : 'its protobuf data cannot be read';
    throw new OnnxFormatError(`ONNX file "${fileName}" is truncated or damaged: ${detail} (${why}).`);
  }
  if (!model.graph?.node || model.graph.node.length === 0) {
    if (!looksLikeOnnx(data)) throw notOnnx(fileName);
    throw new OnnxFormatError(`ONNX file "${fileName}" holds no graph nodes; the file is truncated or empty.`);
  }
  return model;
}

const notOnnx = (fileName: string): OnnxFormatError =>
  new OnnxFormatError(`"${fileName}" is not an ONNX model: it does not start like an ONNX protobuf (ModelProto).`);

/** A tensor's values as numbers (float64 holds every float32, int32 and realistic int64). */
export interface NumTensor {
  dims: number[];
  data: Float64Array;
  float: boolean;
}

/** Weights must be finite: NaN or infinity cannot be quantized and means a broken model. */
export function checkFinite(t: NumTensor, what: string): void {
  if (!t.float) return;
  let bad = 0;
  for (const x of t.data) if (!Number.isFinite(x)) bad++;
  if (bad) throw new OnnxFormatError(`ONNX ${what} holds ${bad} NaN or infinite value${bad > 1 ? 's' : ''} (of ${t.data.length}); the model cannot be quantized.`);
}

const DT = onnx.TensorProto.DataType;
const typeNames: Record<number, string> = Object.fromEntries(Object.entries(DT).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k]));
const byteSize: Partial<Record<number, number>> = {
  [DT.FLOAT]: 4, [DT.DOUBLE]: 8, [DT.FLOAT16]: 2, [DT.BFLOAT16]: 2, [DT.INT8]: 1, [DT.UINT8]: 1, [DT.INT16]: 2,
  [DT.UINT16]: 2, [DT.INT32]: 4, [DT.UINT32]: 4, [DT.INT64]: 8, [DT.UINT64]: 8, [DT.BOOL]: 1,
};
const floatTypes = new Set<number>([DT.FLOAT, DT.DOUBLE, DT.FLOAT16, DT.BFLOAT16]);

export function tensorValues(t: TensorProto, what: string): NumTensor {
  const dims = (t.dims ?? []).map(num);
  const count = declaredElements(dims);
  if (!Number.isFinite(count)) throw new OnnxFormatError(`ONNX ${what} has shape ${dimsText(dims)}: every size must be a whole number ≥ 0; the file is damaged.`);
  if (count > LIMITS.tensorElements) {
    throw new OnnxFormatError(`ONNX ${what} declares ${dimsText(dims)} = ${describeCount(count)} values; the limit is ${describeCount(LIMITS.tensorElements)} per tensor.`);
  }
  const type = t.dataType ?? 0;
  const size = byteSize[type];
  const typeName = typeNames[type] ?? `type ${type}`;
  if (size === undefined) throw new OnnxFormatError(`ONNX ${what} has data type ${typeName}, which Fixpoint cannot read.`);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0) {
    throw new OnnxFormatError(`ONNX ${what} keeps its values in an external data file; re-export the model with its weights inside the .onnx file.`);
  }
  if (t.segment) throw new OnnxFormatError(`ONNX ${what} is a segment of a larger tensor, which Fixpoint cannot read.`);
  const out = new Float64Array(count);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== count * size) {
      throw new OnnxFormatError(`ONNX ${what} holds ${raw.length} bytes of ${typeName}, but its shape ${dimsText(dims)} needs ${count * size}; the file is damaged.`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < count; i++) out[i] = readRaw(view, i, type);
  } else {
    const field: ArrayLike<LongLike> = pickField(t, type);
    if (field.length !== count) {
      throw new OnnxFormatError(`ONNX ${what} holds ${field.length} values, but its shape ${dimsText(dims)} needs ${count}; the file is damaged.`);
    }
    for (let i = 0; i < count; i++) {
      const v = num(field[i]);
      out[i] = type === DT.FLOAT16 ? halfToFloat(v) : type === DT.BFLOAT16 ? bfloat(v) : v;
    }
  }
  return { dims, data: out, float: floatTypes.has(type) };
}

function pickField(t: TensorProto, type: number): ArrayLike<LongLike> {
  switch (type) {
    case DT.FLOAT: return t.floatData ?? [];
    case DT.DOUBLE: return t.doubleData ?? [];
    case DT.INT64: return t.int64Data ?? [];
    case DT.UINT32: case DT.UINT64: return t.uint64Data ?? [];
    default: return t.int32Data ?? []; // int8..int32, uint8, uint16, bool, float16 bits
  }
}

function readRaw(v: DataView, i: number, type: number): number {
  switch (type) {
    case DT.FLOAT: return v.getFloat32(i * 4, true);
    case DT.DOUBLE: return v.getFloat64(i * 8, true);
    case DT.FLOAT16: return halfToFloat(v.getUint16(i * 2, true));
    case DT.BFLOAT16: return bfloat(v.getUint16(i * 2, true));
    case DT.INT8: return v.getInt8(i);
    case DT.UINT8: case DT.BOOL: return v.getUint8(i);
    case DT.INT16: return v.getInt16(i * 2, true);
    case DT.UINT16: return v.getUint16(i * 2, true);
    case DT.INT32: return v.getInt32(i * 4, true);
    case DT.UINT32: return v.getUint32(i * 4, true);
    case DT.INT64: return Number(v.getBigInt64(i * 8, true));
    case DT.UINT64: return Number(v.getBigUint64(i * 8, true));
    default: return NaN;
  }
}

function bfloat(bits: number): number {
  const b = new DataView(new ArrayBuffer(4));
  b.setUint32(0, (bits & 0xffff) << 16);
  return b.getFloat32(0);
}

/** Node attributes by name, with ONNX defaults supplied by the caller. */
export class Attrs {
  private readonly map = new Map<string, onnxProto.onnx.IAttributeProto>();
  constructor(node: NodeProto) {
    for (const a of node.attribute ?? []) if (a.name) this.map.set(a.name, a);
  }
  has(name: string): boolean { return this.map.has(name); }
  names(): string[] { return [...this.map.keys()]; }
  int(name: string, def: number): number {
    const a = this.map.get(name);
    return a ? num(a.i) : def;
  }
  float(name: string, def: number): number {
    const a = this.map.get(name);
    return a ? (a.f ?? 0) : def;
  }
  ints(name: string): number[] | undefined {
    const a = this.map.get(name);
    return a ? (a.ints ?? []).map(num) : undefined;
  }
  floats(name: string): number[] | undefined {
    const a = this.map.get(name);
    return a ? [...(a.floats ?? [])] : undefined;
  }
  string(name: string, def: string): string {
    const a = this.map.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : def;
  }
  tensor(name: string): TensorProto | undefined {
    return this.map.get(name)?.t ?? undefined;
  }
}
