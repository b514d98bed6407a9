// Reads model.fxp.json + model.fxp.bin back into a graph, its configuration and the exact
// integer tensors. The graph's float parameters are the dequantized integers (float32: exact up
// to 24-bit values; wider biases are rounded there, so use `tensors` for their exact values).
import type { NodeFormats, QuantConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import { dequantizeValue } from '../core/format.ts';
import type { Graph, GraphNode } from '../core/graph.ts';
import { packedBytes, unpackBits } from './bitpack.ts';
import type { FxpManifest, FxpNode, FxpTensor } from './fxp-types.ts';
import { FXP_FORMAT, FXP_VERSION } from './fxp-types.ts';
import type { ParamSlot } from './params.ts';
import { PARAM_SLOTS } from './params.ts';

export class FxpReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FxpReadError';
  }
}

/** Integers of a quantized tensor (Uint32Array for unsigned 32-bit), or the floats of an unquantized one. */
export type FxpValues = Int32Array | Uint32Array | Float32Array;

export interface FxpModel {
  graph: Graph;
  config: QuantConfig;
  /** Per node, its parameter tensors by slot. */
  tensors: Array<Partial<Record<ParamSlot, FxpValues>>>;
  summary?: unknown;
  manifest: FxpManifest;
}

const fail = (m: string): never => { throw new FxpReadError(m); };

function checkFormat(f: unknown, where: string): Format {
  const g = f as Format;
  if (!g || !Number.isInteger(g.bits) || g.bits < 1 || g.bits > 32 || !Number.isInteger(g.frac) || typeof g.signed !== 'boolean') {
    fail(`${where}: invalid format ${JSON.stringify(f)}`);
  }
  return { bits: g.bits, frac: g.frac, signed: g.signed };
}

function readTensor(t: FxpTensor, bin: Uint8Array, where: string): { values: FxpValues; format: Format | null } {
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (t.count !== count) fail(`${where}: count ${t.count} does not match shape ${JSON.stringify(t.shape)}`);
  if (!Number.isInteger(t.offset) || t.offset < 0 || t.offset + t.bytes > bin.length) fail(`${where}: bytes ${t.offset}..${t.offset + t.bytes} lie outside the ${bin.length}-byte .bin file`);
  if (t.dtype === 'float32') {
    if (t.bytes !== 4 * count) fail(`${where}: ${count} float32 values take ${4 * count} bytes, not ${t.bytes}`);
    const view = new DataView(bin.buffer, bin.byteOffset + t.offset, t.bytes);
    return { values: Float32Array.from({ length: count }, (_, k) => view.getFloat32(4 * k, true)), format: null };
  }
  if (t.dtype !== 'int') fail(`${where}: unknown dtype ${JSON.stringify(t.dtype)}`);
  const f = checkFormat(t.format, where);
  if (t.bytes !== packedBytes(f.bits, count)) fail(`${where}: ${count} values of ${f.bits} bits take ${packedBytes(f.bits, count)} bytes, not ${t.bytes}`);
  return { values: unpackBits(bin, t.offset, count, f), format: f };
}

const toFloat = (v: FxpValues, f: Format | null): Float32Array =>
  f ? Float32Array.from(v as ArrayLike<number>, (q) => dequantizeValue(q, f)) : (v as Float32Array);

export function readFxp(json: string | Uint8Array | FxpManifest, bin: Uint8Array): FxpModel {
  let m: FxpManifest;
  try {
    m = typeof json === 'string' ? JSON.parse(json) : json instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(json)) : json;
  } catch (err) {
    return fail(`model.fxp.json is not valid JSON (${String(err)})`);
  }
  if (m?.format !== FXP_FORMAT) fail(`not a Fixpoint model manifest (format ${JSON.stringify(m?.format)})`);
  if (m.version !== FXP_VERSION) fail(`manifest version ${m.version} is not supported (this reader knows version ${FXP_VERSION})`);
  if (bin.length !== m.bin.bytes) fail(`${m.bin.file} holds ${bin.length} bytes, the manifest says ${m.bin.bytes}`);
  const tensors: FxpModel['tensors'] = [];
  const formats: NodeFormats[] = [];
  const nodes: GraphNode[] = m.nodes.map((n: FxpNode, i) => {
    if (n.index !== i) fail(`node ${i} is listed with index ${n.index}`);
    const where = (slot: string) => `node ${i} (${n.name}) ${slot}`;
    const t: Partial<Record<ParamSlot, FxpValues>> = {};
    const f: NodeFormats = {};
    const floats: Partial<Record<ParamSlot, Float32Array>> = {};
    for (const slot of PARAM_SLOTS) {
      const entry = n.params?.[slot];
      if (!entry) continue;
      const r = readTensor(entry, bin, where(slot));
      t[slot] = r.values;
      f[slot] = r.format;
      floats[slot] = toFloat(r.values, r.format);
    }
    if (n.output) f.output = checkFormat(n.output, where('output'));
    tensors.push(t);
    formats.push(f);
    const base = { name: n.name, inputs: [...n.inputs], shape: [...n.shape] as GraphNode['shape'] };
    const need = (slot: ParamSlot): Float32Array => floats[slot] ?? fail(`${where(slot)} is missing`);
    switch (n.kind) {
      case 'input':
      case 'concat':
      case 'reshape':
        return { ...base, kind: n.kind } as GraphNode;
      case 'conv2d':
      case 'depthwiseConv2d':
        return {
          ...base, kind: n.kind, kernel: need('weights'), kernelShape: n.kernelShape as [number, number, number, number],
          strides: n.strides!, dilation: n.dilation!, pads: n.pads!, bias: floats.bias ?? null, activation: n.activation!,
          epilogue: n.epilogue ? { scale: need('scale'), shift: need('shift') } : null,
        };
      case 'dense':
        return {
          ...base, kind: 'dense', kernel: need('weights'), kernelShape: n.kernelShape as [number, number], bias: floats.bias ?? null,
          activation: n.activation!, epilogue: n.epilogue ? { scale: need('scale'), shift: need('shift') } : null,
        };
      case 'affine':
        return { ...base, kind: 'affine', scale: need('weights'), shift: need('bias'), activation: n.activation! };
      case 'maxPool':
      case 'avgPool':
        return { ...base, kind: n.kind, pool: n.pool!, strides: n.strides!, pads: n.pads! };
      case 'add':
      case 'activation':
        return { ...base, kind: n.kind, activation: n.activation! } as GraphNode;
      case 'pad':
        return { ...base, kind: 'pad', pads: n.pads! };
      default:
        return fail(`node ${i} (${n.name}) has unknown kind ${JSON.stringify((n as { kind: unknown }).kind)}`);
    }
  });
  const graph: Graph = { name: m.name, nodes, output: m.output.node, notes: [...(m.notes ?? [])] };
  return { graph, config: { nodes: formats }, tensors, summary: m.summary, manifest: m };
}
