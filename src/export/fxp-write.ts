// model.fxp.json + model.fxp.bin (DESIGN.md §9): the graph, every format and every parameter
// packed at its exact bit width. Tensors without a format (a configuration that leaves some
// float) are stored as float32, so any configuration can be downloaded.
import type { QuantConfig } from '../core/config.ts';
import type { Graph, GraphNode } from '../core/graph.ts';
import { ownsOutputFormat } from '../core/graph.ts';
import { packBits, packedBytes } from './bitpack.ts';
import type { ExportFile } from './files.ts';
import { ExportError, jsonReplacer } from './files.ts';
import type { FxpManifest, FxpNode, FxpTensor } from './fxp-types.ts';
import { FXP_FORMAT, FXP_LAYOUT, FXP_VERSION } from './fxp-types.ts';
import { formatOwnerOf } from './graph-walk.ts';
import { nodeParams, paramFormat, quantizeParam } from './params.ts';

export interface FxpOptions {
  /** Costs, accuracies, …: copied into the manifest's `summary` unchanged. */
  summary?: unknown;
  /** File names are `${base}.fxp.json` and `${base}.fxp.bin` (default "model"). */
  base?: string;
}

const ATTRIBUTES = ['kernelShape', 'strides', 'dilation', 'pads', 'pool'] as const;

function attributes(n: GraphNode): Partial<FxpNode> {
  const out: Record<string, unknown> = {};
  for (const key of ATTRIBUTES) {
    if (key in n) out[key] = [...(n as unknown as Record<string, number[]>)[key]];
  }
  if ('activation' in n) {
    const a = n.activation;
    // relu without a finite ceiling is plain relu (JSON has no Infinity).
    out.activation = a.type === 'relu' && a.max !== undefined && !Number.isFinite(a.max) ? { type: 'relu' } : { ...a };
  }
  if ('epilogue' in n) out.epilogue = n.epilogue !== null;
  return out as Partial<FxpNode>;
}

export function writeFxp(graph: Graph, config: QuantConfig, o: FxpOptions = {}): ExportFile[] {
  const base = o.base ?? 'model';
  const chunks: Array<{ offset: number; write: (bin: Uint8Array) => void }> = [];
  let offset = 0;
  const nodes: FxpNode[] = graph.nodes.map((n, i) => {
    const params: FxpNode['params'] = {};
    for (const p of nodeParams(n)) {
      const f = paramFormat(config, i, p.slot);
      const at = offset;
      let t: FxpTensor;
      if (f) {
        const q = quantizeParam(p.values, f);
        t = { shape: p.shape, count: q.length, dtype: 'int', format: { ...f }, offset: at, bytes: packedBytes(f.bits, q.length) };
        chunks.push({ offset: at, write: (bin) => packBits(q, f, bin, at) });
      } else {
        const v = p.values;
        t = { shape: p.shape, count: v.length, dtype: 'float32', format: null, offset: at, bytes: 4 * v.length };
        chunks.push({
          offset: at,
          write: (bin) => {
            const view = new DataView(bin.buffer, bin.byteOffset + at, 4 * v.length);
            for (let k = 0; k < v.length; k++) view.setFloat32(4 * k, v[k], true);
          },
        });
      }
      offset += t.bytes;
      params[p.slot] = t;
    }
    const own = config.nodes[i]?.output;
    return {
      index: i, name: n.name, kind: n.kind, inputs: [...n.inputs], shape: [...n.shape],
      ...attributes(n),
      output: ownsOutputFormat(n) && own ? { ...own } : null,
      params,
    } as FxpNode;
  });
  if (graph.nodes[0]?.kind !== 'input') throw new ExportError('the graph has no input node');
  const bin = new Uint8Array(offset);
  for (const c of chunks) c.write(bin);
  const outFormat = config.nodes[formatOwnerOf(graph, graph.output)]?.output ?? null;
  const manifest: FxpManifest = {
    format: FXP_FORMAT,
    version: FXP_VERSION,
    generator: 'Fixpoint',
    name: graph.name,
    layout: FXP_LAYOUT,
    bin: { file: `${base}.fxp.bin`, bytes: offset },
    input: { node: 0, shape: [...graph.nodes[0].shape], format: config.nodes[0]?.output ?? null },
    output: { node: graph.output, shape: [...graph.nodes[graph.output].shape], format: outFormat ? { ...outFormat } : null },
    nodes,
    notes: [...graph.notes],
    ...(o.summary !== undefined ? { summary: o.summary } : {}),
  };
  return [
    { name: `${base}.fxp.json`, data: `${JSON.stringify(manifest, jsonReplacer, 2)}\n` },
    { name: `${base}.fxp.bin`, data: bin },
  ];
}
