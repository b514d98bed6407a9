// Builds small ONNX models in tests: a ModelProto from a plain description, encoded to bytes
// with onnx-proto, exactly as an exporter would write it.
import onnxProto from 'onnx-proto';
import { seededRandom } from '../core/random.ts';

const { onnx } = onnxProto;

/** Attribute values: integers and integer lists by default; wrap floats and tensors explicitly. */
export type AttrValue = number | number[] | string | { f: number } | { fs: number[] } | { t: InitSpec };
export const f = (v: number): { f: number } => ({ f: v });
export const fs = (v: number[]): { fs: number[] } => ({ fs: v });

export interface InitSpec {
  dims: number[];
  data: ArrayLike<number>;
  /** float (default, raw little-endian bytes), float-field (float_data), int64 */
  type?: 'float' | 'float-field' | 'int64';
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, AttrValue>;
}

export interface ModelSpec {
  opset?: number;
  input: { name: string; dims: (number | string)[] };
  inits?: Record<string, InitSpec>;
  nodes: NodeSpec[];
  outputs: string[];
  /** List every initializer among the graph inputs too, as older exporters do. */
  initsAsInputs?: boolean;
  /** Further declared graph inputs without initializers. */
  extraInputs?: { name: string; dims: number[] }[];
}

const AT = onnx.AttributeProto.AttributeType;
const DT = onnx.TensorProto.DataType;

export function tensorProto(name: string, s: InitSpec): onnxProto.onnx.ITensorProto {
  if (s.type === 'int64') return { name, dims: s.dims, dataType: DT.INT64, int64Data: Array.from(s.data) };
  if (s.type === 'float-field') return { name, dims: s.dims, dataType: DT.FLOAT, floatData: Array.from(s.data) };
  return { name, dims: s.dims, dataType: DT.FLOAT, rawData: new Uint8Array(Float32Array.from(s.data).buffer) };
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  if (typeof v === 'number') return { name, type: AT.INT, i: v };
  if (typeof v === 'string') return { name, type: AT.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: AT.INTS, ints: v };
  if ('f' in v) return { name, type: AT.FLOAT, f: v.f };
  if ('fs' in v) return { name, type: AT.FLOATS, floats: v.fs };
  return { name, type: AT.TENSOR, t: tensorProto('', v.t) };
}

const valueInfo = (name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType: DT.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});

export function modelProto(spec: ModelSpec): onnxProto.onnx.IModelProto {
  const inits = Object.entries(spec.inits ?? {});
  return {
    irVersion: 7,
    producerName: 'fixpoint-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'test',
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `${n.op.toLowerCase()}_${i}`, opType: n.op, domain: n.domain ?? '', input: n.inputs, output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: inits.map(([name, s]) => tensorProto(name, s)),
      input: [
        valueInfo(spec.input.name, spec.input.dims),
        ...(spec.extraInputs ?? []).map((x) => valueInfo(x.name, x.dims)),
        ...(spec.initsAsInputs ? inits.map(([name, s]) => valueInfo(name, s.dims)) : []),
      ],
      output: spec.outputs.map((o) => ({ name: o })),
    },
  };
}

export const encodeModel = (m: onnxProto.onnx.IModelProto): Uint8Array => onnx.ModelProto.encode(m).finish();
export const buildModel = (spec: ModelSpec): Uint8Array => encodeModel(modelProto(spec));

/** Seeded values in [-scale, scale), rounded to float32 so tests and importer see the same numbers. */
export function randomValues(n: number, seed: number, scale = 1): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}
