// The downloads of DESIGN.md §9 for the workspace's current result. The same function serves
// the browser worker (the page zips or saves the files) and `fixpoint quantize --export`.
import type { QuantConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import type { ReportJson } from '../core/report.ts';
import { elementCount } from '../core/graph.ts';
import { quantizeTensor } from '../core/quantize.ts';
import { type ExportFile, ExportError, type TestVectors, cSizes, dequantizedGraph, writeC, writeFxp, writeReport, writeTfjs } from '../export/index.ts';
import type { CMemory } from '../worker/contract.ts';
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


const TEST_VECTORS = 16;

/** The first held-out images, quantized, and the exact integer logits the engine computes for them. */
function engineTestVectors(ws: Workspace, graph: Graph, config: QuantConfig): TestVectors {
  const input = config.nodes[0]?.output;
  if (!input) throw new ExportError('the C export needs a fixed-point input format; this configuration keeps the input in float');
  const set = ws.data!.validation;
  const elems = elementCount(graph.nodes[0].shape);
  const n = Math.min(TEST_VECTORS, set.labels.length);
  const images = set.images.slice(0, n * elems);
  ws.engine.setConfig(config);
  const out = ws.engine.trace(images, [graph.output])[graph.output];
  if (out?.kind !== 'fixed') throw new ExportError('the C export needs a fixed-point output format; this configuration keeps the logits in float');
  const per = elementCount(graph.nodes[graph.output].shape);
  return {
    inputs: Array.from({ length: n }, (_, i) => quantizeTensor(images.subarray(i * elems, (i + 1) * elems), input)),
    logits: Array.from({ length: n }, (_, i) => out.q.slice(i * per, (i + 1) * per)),
  };
}

/**
 * Held-out accuracy of what the TensorFlow.js export computes: the graph with dequantized
 * weights and biases, run in float by an engine of its own (the workspace's keeps its model,
 * configuration and caches; the export's tests check tfjs agrees).
 */
export function tfjsAccuracy(ws: Workspace, graph: Graph, config: QuantConfig): { acc: number; floatAcc: number; images: number } {
  const data = ws.data!;
  const set = data.validation;
  const engine = ws.engine.sibling();
  engine.load(dequantizedGraph(graph, config));
  const r = engine.run(set.images, set.labels);
  return { acc: r.correct / set.labels.length, floatAcc: data.floatAcc.validation, images: set.labels.length };
}

/** Memory of the C download of the current result (what its model_q.h states). */
export function cMemory(ws: Workspace): CMemory {
  const { graph, config } = ws.result();
  const z = cSizes(graph, config);
  return { flash: z.weightBytes, arena: z.activationBytes, input: z.inputBytes, stack: z.unpackBytes };
}

/** Files of the given kinds; names may contain a folder (c/model_q.c, tfjs/model.json). */
export async function writeExports(ws: Workspace, kinds: readonly string[], reportOverride?: ReportJson): Promise<ExportFile[]> {
  const { graph, config, report: built } = ws.result();
  const report = reportOverride ?? built;
  const out: ExportFile[] = [];
  for (const kind of kinds) {
    switch (kind) {
      case 'json':
        out.push(...writeFxp(graph, config, { summary: { quantized: report.quantized, baseline8: report.baseline8, float: report.float } }));
        break;
      case 'report':
        out.push(...writeReport(report, graph));
        break;
      case 'tfjs': {
        const acc = tfjsAccuracy(ws, graph, config);
        const note = `Accuracy of this model (quantized weights and biases, float activations) on the ${acc.images} held-out images: ` +
          `${(acc.acc * 100).toFixed(2)}% (float model ${(acc.floatAcc * 100).toFixed(2)}%; with activations quantized too, as on the device: ${(report.quantized.validation_acc * 100).toFixed(2)}%).`;
        out.push(...writeTfjs(graph, config, { readmeNotes: [note] }).map((f) => ({ ...f, name: `tfjs/${f.name}` })));
        break;
      }
      case 'c':
        out.push(...writeC(graph, config, { testVectors: engineTestVectors(ws, graph, config) }).map((f) => ({ ...f, name: `c/${f.name}` })));
        break;
      default:
        throw new ExportError(`unknown export kind ${kind}`);
    }
  }
  return out;
}
