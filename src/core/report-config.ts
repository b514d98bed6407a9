// Reads a configuration back from a report.json (DESIGN.md §8): layers are matched to graph
// nodes by name, so `fixpoint eval --config` and a report dropped into the app re-create
// exactly the formats the search chose.
import type { NodeFormats, QuantConfig } from './config.ts';
import type { Format } from './format.ts';
import type { Graph } from './graph.ts';
import { isParamNode, ownsOutputFormat } from './graph.ts';
import type { NamedConfig } from './report.ts';

export class ReportConfigError extends Error {
  readonly format = 'report';
  constructor(message: string) {
    super(message);
    this.name = 'ReportConfigError';
  }
}

function format(f: Format | null | undefined, where: string): Format | null {
  if (f === null || f === undefined) return null;
  const ok = Number.isInteger(f.bits) && f.bits >= 1 && f.bits <= 32 && Number.isInteger(f.frac) && typeof f.signed === 'boolean';
  if (!ok) throw new ReportConfigError(`${where} has an invalid format ${JSON.stringify(f)}; expected {"bits": 1..32, "frac": integer, "signed": true|false}`);
  return { bits: f.bits, frac: f.frac, signed: f.signed };
}

/** The configuration by node index a NamedConfig (e.g. a report.json) describes for this graph. */
export function configFromReport(graph: Graph, report: NamedConfig): QuantConfig {
  if (!Array.isArray(report?.layers)) throw new ReportConfigError('the report has no "layers" list; pass the report.json that fixpoint quantize wrote');
  const byName = new Map(report.layers.map((l) => [l.name, l]));
  const nodes: NodeFormats[] = graph.nodes.map((n, i) => {
    if (i === 0) return { output: format(report.input, 'input') };
    if (!ownsOutputFormat(n)) return {};
    const l = byName.get(n.name);
    if (!l) throw new ReportConfigError(`the report has no layer "${n.name}" of this model; was it written for another model?`);
    if (l.kind !== n.kind) throw new ReportConfigError(`layer "${n.name}" is a ${n.kind} in the model but a ${l.kind} in the report`);
    const f: NodeFormats = { output: format(l.output, `${n.name}.output`) };
    if (isParamNode(n)) {
      f.weights = format(l.weights, `${n.name}.weights`);
      f.bias = format(l.bias, `${n.name}.bias`);
      if (n.kind !== 'affine' && n.epilogue) {
        f.scale = format(l.scale, `${n.name}.scale`);
        f.shift = format(l.shift, `${n.name}.shift`);
      }
    }
    return f;
  });
  return { nodes };
}
