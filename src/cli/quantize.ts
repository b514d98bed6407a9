// `fixpoint quantize`: search a configuration and write DIR/report.json, DIR/layers.csv and,
// with --export, the downloads of DESIGN.md §9 (DESIGN.md §8).
import { relative } from 'node:path';
import type { Method, Progress } from '../search/scorer.ts';
import { exportKinds, writeExports } from '../app/exports.ts';
import { PROXY_IMAGES } from '../app/load-data.ts';
import { poolScoring } from '../app/workspace.ts';
import { allowRelaxedSimd } from '../engine/load-node.ts';
import type { LossFigure } from '../core/loss-figure.ts';
import type { ResultPoint } from '../worker/contract.ts';
import { type ParsedArgs, UsageError, numberFlag, stringFlag } from './args.ts';
import { INPUT_FLAGS, loadInputs } from './inputs.ts';
import { workerPool } from './pool.ts';
import { OutDir } from './out-dir.ts';
import { writeErr } from './terminal.ts';

export const QUANTIZE_FLAGS = {
  ...INPUT_FLAGS, budget: 'value', method: 'value', bits: 'value', confidence: 'value', 'confirm-z': 'value', workers: 'value', out: 'value', export: 'value',
  force: 'switch', strict: 'switch',
} as const;

/** Exit status of `--strict` when the held-out loss is above the budget. */
export const OVER_BUDGET_EXIT = 3;

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
  const confirmZ = f.has('confirm-z') ? numberFlag(f, 'confirm-z', 0, (v) => v >= 0 && v <= 5) : undefined;
  const workers = numberFlag(f, 'workers', 1, (v) => Number.isInteger(v) && v >= 1 && v <= 64);
  const kinds = exportKinds(stringFlag(f, 'export'));
  const seed = numberFlag(f, 'seed', 0, Number.isInteger);
  // Checked (and created) before anything is read or searched: a bad --out costs nothing.
  const out = OutDir.prepare(stringFlag(f, 'out') ?? 'fixpoint-out', f.has('force'));
  const strict = f.has('strict');
  const log = writeErr;

  const t0 = performance.now();
  // The 8-bit dot products of the relaxed build, as in the page: same results, less time.
  allowRelaxedSimd();
  const { workspace: ws, ready } = await loadInputs(args, log);
  // The workers hold the confirmation and held-out images too: every phase scores on all of
  // them, and each runs the float pass of its part of them as it starts (one engine: ws.data does).
  const others = { confirmation: ready.confirmation, validation: ready.validation };
  const pool = workers > 1 ? await workerPool(ws.graph, ready.calibration, PROXY_IMAGES, workers, others) : undefined;
  let view: Awaited<ReturnType<typeof ws.run>>;
  // Closed whatever happens: live worker threads would keep the process from exiting.
  try {
    const data = pool ? ws.completeData(pool.floatPasses) : ws.data!;
    log(`${ws.graph.name}: float accuracy ${(data.floatAcc.calibration * 100).toFixed(2)}% on ${data.calibration.labels.length} search images, ` +
      `${(data.floatAcc.confirmation * 100).toFixed(2)}% on ${data.confirmation.labels.length} confirmation images, ${(data.floatAcc.validation * 100).toFixed(2)}% on ${data.validation.labels.length} held out`);
    let lastLine = 0;
    view = await ws.run({ method, budget, bits, confidence, confirmZ, seed }, (p) => {
      const now = performance.now();
      if (now - lastLine > 1000 || p.phase === 'done') {
        lastLine = now;
        log(progressLine(p));
      }
    }, undefined, pool && poolScoring(pool));
  } finally {
    pool?.close();
  }
  const { report } = ws.result();
  report.seconds = (performance.now() - t0) / 1000;
  const files = await writeExports(ws, ['report', ...kinds.filter((k) => k !== 'report')], report);
  const written = out.writeAll(files);
  const tfjsReadme = files.find((file) => file.name === 'tfjs/README.md');
  if (tfjsReadme) log(String(tfjsReadme.data).split('\n').find((l) => l.includes('Accuracy of this model'))?.replace(/^- /, 'TensorFlow.js export: ') ?? '');
  for (const line of summaryLines(view.chosen, method, view.pick.on)) log(line);
  log(`memory ${view.chosen.memory_kb.toFixed(1)} KB (${(report.reductions.memory * 100).toFixed(1)}% below 8-bit), ` +
    `mult_cost_paper ${(report.reductions.mult_cost_paper * 100).toFixed(1)}% below 8-bit; ${view.evaluations} evaluations in ${report.seconds.toFixed(1)} s`);
  for (const w of view.chosen.warnings) log(`warning: ${w}`);
  log(`wrote ${written.map((w) => relative(process.cwd(), w) || w).join(', ')}`);
  return strict && view.chosen.over_budget ? OVER_BUDGET_EXIT : 0;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const figure = (name: string, f: LossFigure) => `${name} loss ${pct(f.loss)} (95% ${pct(f.ci[0])} to ${pct(f.ci[1])}, ${f.total} images)`;

/** The losses of a result, each with its interval, and the held-out one judged against the budget. */
export function summaryLines(p: ResultPoint, method: Method, pickedOn: 'confirmation' | 'search'): string[] {
  const verdict = p.over_budget ? `OVER BUDGET: above the ${pct(p.budget)} budget` : `within the ${pct(p.budget)} budget`;
  return [
    `${method}: ${figure('held-out', p.validation)}: ${verdict}`,
    `  ${figure('search', p.search)}${pickedOn === 'search' ? ' (picked on these same images)' : ''}`,
    ...(p.confirmation ? [`  ${figure('confirmation', p.confirmation)}${pickedOn === 'confirmation' ? ' (picked on these)' : ''}`] : []),
  ];
}
