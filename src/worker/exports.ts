// The downloads of DESIGN.md §9 for the workspace's current result. The same function serves
// the browser worker (the page zips or saves the files) and `fixpoint quantize --export`.
import { layerRows, layersCsv } from '../core/report.ts';
import type { QuantConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import { elementCount } from '../core/graph.ts';
import { quantizeTensor } from '../core/quantize.ts';
import { type TestVectors, writeC } from '../export/c/writer.ts';
import { ExportError } from '../export/files.ts';
import { writeFxp } from '../export/fxp-write.ts';
import type { ExportFile } from './contract.ts';
import type { Workspace } from './workspace.ts';

export const EXPORT_KINDS = ['json', 'c', 'tfjs', 'report'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** Parses "json,c,tfjs"; throws with the list of kinds on anything else. */
export function exportKinds(list: string | undefined): ExportKind[] {
  if (!list) return [];
  const kinds = list.split(',').map((k) => k.trim()).filter(Boolean);
  for (const k of kinds) {
    if (!(EXPORT_KINDS as readonly string[]).includes(k)) {
      throw Object.assign(new Error(`--export ${k} is unknown; use a comma-separated list of ${EXPORT_KINDS.join(', ')}`), { format: 'export' });
    }
  }
  return [...new Set(kinds)] as ExportKind[];
}

const MIME: Record<string, string> = { json: 'application/json', bin: 'application/octet-stream', csv: 'text/csv', h: 'text/x-c', c: 'text/x-c', md: 'text/markdown' };
const mimeOf = (name: string) => MIME[name.split('.').pop() ?? ''] ?? 'application/octet-stream';

const TEST_VECTORS = 16;

/** The first held-out images, quantized, and the exact integer logits the engine computes for them. */
function engineTestVectors(ws: Workspace, graph: Graph, config: QuantConfig): TestVectors {
  const input = config.nodes[0]?.output;
  if (!input) throw new ExportError('the C export needs a fixed-point input format; this configuration keeps the input in float');
  const set = ws.session.data!.validation;
  const elems = elementCount(graph.nodes[0].shape);
  const n = Math.min(TEST_VECTORS, set.labels.length);
  const images = set.images.slice(0, n * elems);
  ws.session.engine.setConfig(config);
  const out = ws.session.engine.trace(images, [graph.output])[graph.output];
  if (!out || out.kind !== 'fixed') throw new ExportError('the C export needs a fixed-point output format; this configuration keeps the logits in float');
  const per = elementCount(graph.nodes[graph.output].shape);
  return {
    inputs: Array.from({ length: n }, (_, i) => quantizeTensor(images.subarray(i * elems, (i + 1) * elems), input)),
    logits: Array.from({ length: n }, (_, i) => out.q.slice(i * per, (i + 1) * per)),
  };
}

/** Files of the given kinds; names may contain a folder (c/model_q.c, tfjs/model.json). */
export async function writeExports(ws: Workspace, kinds: readonly string[]): Promise<ExportFile[]> {
  const { graph, config, report } = ws.result();
  const out: { name: string; data: Uint8Array | string }[] = [];
  for (const kind of kinds) {
    switch (kind) {
      case 'json':
        out.push(...writeFxp(graph, config, { summary: { quantized: report.quantized, baseline8: report.baseline8, float: report.float } }));
        break;
      case 'report':
        out.push({ name: 'report.json', data: JSON.stringify(report, null, 2) + '\n' }, { name: 'layers.csv', data: layersCsv(layerRows(graph, config)) });
        break;
      case 'c':
        out.push(...writeC(graph, config, { testVectors: engineTestVectors(ws, graph, config) }).map((f) => ({ ...f, name: `c/${f.name}` })));
        break;
      default:
        throw new Error(`the ${kind} export is not available in this build yet`);
    }
  }
  return out.map((f) => ({ ...f, mime: mimeOf(f.name) }));
}
