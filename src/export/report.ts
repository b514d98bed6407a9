// report.json and layers.csv (DESIGN.md §8–9). The report object and the layer rows come from
// core/report.ts; this only serialises them. Layer names are untrusted text: a CSV cell that a
// spreadsheet would run as a formula (starting with = + - @ or a control character) is
// prefixed with an apostrophe, the usual defence against CSV injection.
import type { Graph } from '../core/graph.ts';
import { LAYER_COLUMNS, type LayerJson, layerCsvRows, type ReportJson } from '../core/report.ts';
import type { ExportFile } from './files.ts';
import { jsonReplacer } from './files.ts';

type Cell = string | number | boolean | null | undefined;

/** Pretty JSON of any report object (typed arrays as arrays, non-finite numbers as null). */
export function reportJson(report: unknown): string {
  return `${JSON.stringify(report, jsonReplacer, 2)}\n`;
}

function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  const t = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** RFC 4180 CSV with a header row; numbers as they are, strings guarded and quoted as needed. */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<Readonly<Record<string, Cell>>>): string {
  return [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** layers.csv: report.json's layers as a table. */
export function layersCsv(layers: readonly LayerJson[], graph: Graph): string {
  return toCsv(LAYER_COLUMNS, layerCsvRows(layers, graph));
}

/** report.json (the given report, serialised) and layers.csv, its layer table. */
export function writeReport(report: ReportJson, graph: Graph): ExportFile[] {
  return [
    { name: 'report.json', data: reportJson(report) },
    { name: 'layers.csv', data: layersCsv(report.layers, graph) },
  ];
}
