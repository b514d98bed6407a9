// `fixpoint quantize`: search a configuration and write DIR/report.json, DIR/layers.csv and,
// with --export, the downloads of DESIGN.md §9 (DESIGN.md §8).
import { relative } from 'node:path';
import type { Method, Progress } from '../search/scorer.ts';
import { exportKinds, writeExports } from '../app/exports.ts';
import { PROXY_IMAGES } from '../app/load-data.ts';
import { type ParsedArgs, UsageError, numberFlag, stringFlag } from './args.ts';
import { INPUT_FLAGS, loadInputs } from './inputs.ts';
import { workerPool } from './pool.ts';
import { OutDir } from './out-dir.ts';
import { writeErr } from './terminal.ts';

export const QUANTIZE_FLAGS = { ...INPUT_FLAGS, budget: 'value', method: 'value', bits: 'value', confidence: 'value', workers: 'value', out: 'value', export: 'value', force: 'switch' } as const;

const METHODS: Method[] = ['frontier', 'paper', 'naive', 'uniform'];

function progressLine(p: Progress): string {
  const eta = p.etaSeconds != null && Number.isFinite(p.etaSeconds) ? `, ~${Math.round(p.etaSeconds)} s left` : '';
  const best = p.best ? `, best ${p.best.memory_kb.toFixed(1)} KB at ${(p.best.calibration_loss * 100).toFixed(2)}%` : '';
  return `[${(p.fraction * 100).toFixed(0).padStart(3)}%] ${p.phase}${p.tensor ? ` ${p.tensor}` : ''}: ${p.evaluations} evaluations${best}${eta}`;
}

export async function quantizeCommand(args: ParsedArgs): Promise<number> {
  const f = args.flags;
  const method = (stringFlag(f, 'method') ?? 'frontier') as Method;
  if (!METHODS.includes(method)) throw new UsageError(`--method ${method} is unknown; use ${METHODS.join(', ')}`);
  const budget = numberFlag(f, 'budget', 1, (v) => v >= 0 && v <= 100) / 100;
  const bits = numberFlag(f, 'bits', 8, (v) => Number.isInteger(v) && v >= 1 && v <= 16);
  const confidence = numberFlag(f, 'confidence', 0, (v) => v >= 0 && v <= 5);
  const workers = numberFlag(f, 'workers', 1, (v) => Number.isInteger(v) && v >= 1 && v <= 64);
  const kinds = exportKinds(stringFlag(f, 'export'));
  const seed = numberFlag(f, 'seed', 0, Number.isInteger);
  // Checked (and created) before anything is read or searched: a bad --out costs nothing.
  const out = OutDir.prepare(stringFlag(f, 'out') ?? 'fixpoint-out', f.has('force'));
  const log = writeErr;

  const t0 = performance.now();
  const { workspace: ws, data } = await loadInputs(args, log);
  log(`${ws.graph.name}: float accuracy ${(data.floatAcc.calibration * 100).toFixed(2)}% on ${data.calibration.labels.length} calibration images, ${(data.floatAcc.validation * 100).toFixed(2)}% on ${data.validation.labels.length} held out`);
  const pool = workers > 1 ? await workerPool(ws.graph, data.calibration, PROXY_IMAGES, workers) : undefined;
  let lastLine = 0;
  const view = await ws.run({ method, budget, bits, confidence, seed }, (p) => {
    const now = performance.now();
    if (now - lastLine > 1000 || p.phase === 'done') {
      lastLine = now;
      log(progressLine(p));
    }
  }, undefined, pool).finally(() => pool?.close());
  const { report } = ws.result();
  report.seconds = (performance.now() - t0) / 1000;
  const files = await writeExports(ws, ['report', ...kinds.filter((k) => k !== 'report')], report);
  const written = out.writeAll(files);
  const tfjsReadme = files.find((file) => file.name === 'tfjs/README.md');
  if (tfjsReadme) log(String(tfjsReadme.data).split('\n').find((l) => l.includes('Accuracy of this model'))?.replace(/^- /, 'TensorFlow.js export: ') ?? '');
  const q = report.quantized;
  log(`${method}: held-out loss ${(q.validation_loss * 100).toFixed(2)}% (calibration ${(q.calibration_loss * 100).toFixed(2)}%), ` +
    `memory ${q.memory_kb.toFixed(1)} KB (${(report.reductions.memory * 100).toFixed(1)}% below 8-bit), ` +
    `mult_cost_paper ${(report.reductions.mult_cost_paper * 100).toFixed(1)}% below 8-bit; ${view.evaluations} evaluations in ${report.seconds.toFixed(1)} s`);
  log(`wrote ${written.map((w) => relative(process.cwd(), w) || w).join(', ')}`);
  return 0;
}
