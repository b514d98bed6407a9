// `fixpoint eval`: float accuracy of a model on the data (DESIGN.md §8); with --config, also
// the accuracy of a configuration from a report.json.
import { readFileSync } from 'node:fs';
import { graphTotals } from '../core/graph.ts';
import { configFromReport } from '../core/report-config.ts';
import { type ParsedArgs, UsageError, stringFlag } from './args.ts';
import { INPUT_FLAGS, loadInputs } from './inputs.ts';
import { writeErr, writeOut } from './terminal.ts';

export const EVAL_FLAGS = { ...INPUT_FLAGS, config: 'value', json: 'switch' } as const;

function readReport(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config ${path} cannot be read as JSON (${e instanceof Error ? e.message : String(e)}); pass the report.json written by fixpoint quantize`);
  }
}

export async function evalCommand(args: ParsedArgs): Promise<number> {
  const configPath = stringFlag(args.flags, 'config');
  const report = configPath ? readReport(configPath) : null;
  const { workspace } = await loadInputs(args, writeErr);
  const data = workspace.data!;
  const graph = workspace.graph;
  // float_acc is on the held-out images (for the demo: its 1,000 test digits), the set every
  // result is finally judged on; the calibration figure is reported beside it.
  const images = data.validation.labels.length;
  const floatAcc = data.floatAcc.validation;
  const totals = graphTotals(graph);
  const out: Record<string, unknown> = {
    float_acc: floatAcc,
    images,
    calibration_acc: data.floatAcc.calibration,
    calibration_images: data.calibration.labels.length,
    labels: data.labelsFrom,
    model: { name: graph.name, nodes: totals.nodes, params: totals.params, macs: totals.macs },
  };
  if (report) {
    const budget = typeof (report as { budget?: unknown }).budget === 'number' ? (report as { budget: number }).budget : 0.01;
    const point = await workspace.point(configFromReport(graph, report as Parameters<typeof configFromReport>[1]), budget);
    Object.assign(out, {
      quantized_acc: point.validation_acc,
      quantized_calibration_acc: point.calibration_acc,
      quantized_loss: point.validation_loss,
      memory_kb: point.memory_kb,
      mult_cost: point.mult_cost,
      mult_cost_paper: point.mult_cost_paper,
    });
  }
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify(out) + '\n');
  } else {
    writeOut(`${graph.name}: float accuracy ${(floatAcc * 100).toFixed(2)}% on ${images} held-out images (${(data.floatAcc.calibration * 100).toFixed(2)}% on ${data.calibration.labels.length} calibration images)` +
      (data.labelsFrom === 'float-model' ? ' (unlabeled: agreement with the float model)' : ''));
    if (report) {
      writeOut(`configuration ${configPath}: accuracy ${((out.quantized_acc as number) * 100).toFixed(2)}% on the held-out images ` +
        `(relative loss ${((out.quantized_loss as number) * 100).toFixed(2)}%), ${(out.memory_kb as number).toFixed(1)} KB`);
    }
    for (const note of graph.notes) writeOut(`  note: ${note}`);
  }
  return 0;
}
