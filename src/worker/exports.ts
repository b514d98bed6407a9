// The downloads of DESIGN.md §9 for the workspace's current result. The same function serves
// the browser worker (the page zips or saves the files) and `fixpoint quantize --export`.
import { layerRows, layersCsv } from '../core/report.ts';
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
      default:
        throw new Error(`the ${kind} export is not available in this build yet`);
    }
  }
  return out.map((f) => ({ ...f, mime: mimeOf(f.name) }));
}
