// The one entry point of the search: runs a method, scores the 8-bit baseline, and gathers
// the chosen configuration with its costs and every recorded frontier point.
import type { QuantConfig } from '../core/config.ts';
import { floatConfig } from '../core/config.ts';
import type { CostReport } from '../core/cost.ts';
import { baselineConfig, configCost } from '../core/cost.ts';
import type { Graph } from '../core/graph.ts';
import type { ActivationStats } from '../core/tensors.ts';
import { configKey, quantTensors } from '../core/tensors.ts';
import { CONFIRM_Z, type Confirmation, confirmInOrder, pickConfirmed } from './confirm.ts';
import type { SearchContext, TraceStep } from './context.ts';
import type { Evaluator } from './evaluator.ts';
import type { FrontierOptions } from './frontier.ts';
import { DEFAULT_MAX_BUDGET, frontierSearch } from './frontier.ts';
import { applyLocks, checkLocks, type LockedFormat, unlockedTensors } from './locks.ts';
import { naiveSearch } from './naive.ts';
import { paperSearch } from './paper.ts';
import type { CostSummary, EvaluationRecord, Method, ObjectiveWeights, Progress } from './scorer.ts';
import { Scorer } from './scorer.ts';
import { uniformSearch } from './uniform.ts';

export interface SearchOptions {
  graph: Graph;
  /** Scores configurations on the search (calibration) images. */
  evaluator: Evaluator;
  /**
   * Confirmation images the walk never sees: frontier picks its configuration for a budget on
   * them (confirm.ts). Absent or empty: frontier picks on the search images like the others.
   */
  confirmation?: Evaluator | null;
  /** One-sided z of the confirmation bound (default CONFIRM_Z). */
  confirmZ?: number;
  /** Final relative loss allowed, as a fraction (0.01 = 1%). */
  budget: number;
  /** Float max |x| (and min) of every node's output on the search images. */
  stats: ActivationStats;
  seed?: number;
  /** uniform's bitwidth (default 8). */
  bits?: number;
  frontier?: FrontierOptions;
  objective?: ObjectiveWeights;
  /** Standard errors added to a search loss before it is compared with a budget on the search images (default 0). */
  confidence?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** Formats fixed by hand: kept in every configuration, never searched. */
  locked?: LockedFormat[];
}

export interface ScoredConfig {
  config: QuantConfig;
  correct: number;
  total: number;
  acc: number;
  calibration_loss: number;
  cost: CostReport;
}

export interface FrontierPoint extends CostSummary {
  calibration_loss: number;
  /** The search-image loss bound the walk orders points by (scorer.ts EvaluationRecord.loss_bound). */
  loss_bound: number;
  config: QuantConfig;
  /** Frontier with confirmation images: the point's score there (null: never confirmed). */
  confirmation?: Confirmation | null;
}

export interface SearchResult {
  method: Method;
  budget: number;
  seed: number;
  bits: number;
  chosen: ScoredConfig;
  float: { correct: number; total: number; acc: number; cost: CostReport };
  baseline8: ScoredConfig;
  /**
   * Frontier with confirmation images: the points in the order they were confirmed
   * (confirmationOrder). Otherwise the staircase: loss_bound ascending, objective strictly
   * descending, each point the pick for budgets from its bound up.
   */
  frontier: FrontierPoint[];
  /** Calls to evaluator.evaluate (proxy and full). */
  evaluations: number;
  /** The confirmation part frontier picked on (null: picked on the search images). */
  confirmation: { total: number; floatCorrect: number; z: number; evaluations: number } | null;
  records: EvaluationRecord[];
  trace: TraceStep[];
  seconds: number;
}

export async function runSearch(method: Method, o: SearchOptions): Promise<SearchResult> {
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const { graph, evaluator, stats } = o;
  const bits = o.bits ?? 8;
  if (!(o.budget >= 0)) throw new Error(`budget must be a fraction ≥ 0, got ${o.budget}`);
  const baseline = baselineConfig(graph, stats);
  const baselineCost = configCost(graph, baseline);
  const scorer = new Scorer(graph, evaluator, {
    method, budget: o.budget, baseline: baselineCost, objective: o.objective, confidence: o.confidence, signal: o.signal, onProgress: o.onProgress,
  });
  const all = quantTensors(graph, stats);
  const locks = o.locked ?? [];
  checkLocks(all, locks);
  const ctx: SearchContext = { graph, stats, tensors: unlockedTensors(all, locks), scorer, budget: o.budget };
  const scored = async (config: QuantConfig): Promise<ScoredConfig> => {
    const s = await scorer.score(config, 'full');
    return { config, correct: s.correct, total: s.total, acc: s.correct / s.total, calibration_loss: s.loss, cost: configCost(graph, config) };
  };
  // First, so the frontier search can never end up costlier than 8-bit within the budget.
  scorer.phase = 'baseline';
  const baseline8 = await scored(baseline);
  scorer.locks = locks;

  const confirming = !!o.confirmation && o.confirmation.total > 0;
  const r = method === 'uniform' ? await uniformSearch(ctx, bits)
    : method === 'paper' ? await paperSearch(ctx)
    : method === 'naive' ? await naiveSearch(ctx)
    : method === 'frontier' ? await frontierSearch(ctx, confirming ? { polish: false, ...o.frontier } : o.frontier)
    : failMethod(method);

  let confirmation: SearchResult['confirmation'] = null;
  let config = r.config;
  const conf = o.confirmation;
  const maxBudget = Math.max(o.frontier?.maxBudget ?? DEFAULT_MAX_BUDGET, o.budget);
  const frontier = r.path ? confirmationOrder(scorer.records, r.path) : [];
  if (method === 'frontier' && conf && confirming && frontier.length) {
    const z = o.confirmZ ?? CONFIRM_Z;
    scorer.phase = 'confirm';
    scorer.tensor = undefined;
    const evaluations = await confirmInOrder(frontier, conf, maxBudget, z, o.signal, () => scorer.report());
    confirmation = { total: conf.total, floatCorrect: conf.floatCorrect, z, evaluations };
    // Nothing confirmable within the budget: the safest point, which the report flags.
    config = (pickConfirmed(frontier, o.budget) ?? frontier[0]).config;
  }

  scorer.phase = 'done';
  scorer.tensor = undefined;
  const chosen = await scored(applyLocks(config, locks));
  scorer.fraction = 1;
  scorer.report();
  const seconds = ((typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0) / 1000;
  return {
    method, budget: o.budget, seed: o.seed ?? 0, bits, chosen,
    float: {
      correct: evaluator.floatCorrect, total: evaluator.total, acc: evaluator.floatCorrect / evaluator.total,
      cost: configCost(graph, floatConfig(graph.nodes.length)),
    },
    baseline8,
    // The confirmed points themselves (the walk's path never holds the baseline); other methods'
    // frontiers include the final scoring. With locks the 8-bit baseline (scored without them)
    // is no pick: it would drop a lock.
    frontier: confirmation ? frontier : frontierOf(locks.length ? scorer.records.filter((r) => r.phase !== 'baseline') : scorer.records),
    evaluations: scorer.evaluations,
    confirmation,
    records: scorer.records,
    trace: r.trace,
    seconds,
  };
}

function failMethod(m: never): never {
  throw new Error(`unknown search method ${String(m)}: use frontier, paper, naive or uniform`);
}

/** The staircase of exactly scored full-set records: each the cheapest for budgets ≥ its loss bound. */
export function frontierOf(records: EvaluationRecord[]): FrontierPoint[] {
  const full = records.filter((r) => r.subset === 'full' && r.exact && r.loss_bound !== null)
    .slice()
    .sort((a, b) => a.loss_bound! - b.loss_bound! || a.objective - b.objective);
  const out: FrontierPoint[] = [];
  for (const r of full) {
    if (out.length && r.objective >= out[out.length - 1].objective) continue;
    out.push(pointOf(r));
  }
  return out;
}

/** Each confirmed point is at least this much (relative) cheaper than the one before it. */
export const CONFIRM_STEP = 0.02;

/**
 * The order the confirmation tests in (confirm.ts): the walk's own path, from the safe start
 * down, each point cheaper than the last kept one by CONFIRM_STEP. Each step of the path
 * coarsens one tensor of the step before, so its true loss grows along it; search losses do
 * not order it as well (a configuration that was lucky on the search images would jump ahead
 * of safer ones and stop the sequence at its failure).
 */
export function confirmationOrder(records: EvaluationRecord[], path: QuantConfig[]): FrontierPoint[] {
  const byKey = new Map<string, EvaluationRecord>();
  for (const r of records) if (r.subset === 'full' && r.exact && r.loss_bound !== null) byKey.set(configKey(r.config), r);
  const out: FrontierPoint[] = [];
  for (const c of path) {
    const r = byKey.get(configKey(c));
    if (!r || (out.length && r.objective > out[out.length - 1].objective * (1 - CONFIRM_STEP))) continue;
    out.push(pointOf(r));
  }
  return out;
}

function pointOf(r: EvaluationRecord): FrontierPoint {
  return {
    calibration_loss: r.loss, loss_bound: r.loss_bound!, memory_kb: r.memory_kb, weights_kb: r.weights_kb,
    peak_activation_kb: r.peak_activation_kb, mult_cost: r.mult_cost, mult_cost_paper: r.mult_cost_paper,
    objective: r.objective, config: r.config,
  };
}

/**
 * The slider, by the rule the run picked with: on confirmed frontiers the fixed-sequence pick
 * (confirm.ts); otherwise the cheapest point whose search loss bound fits. Null if none fits.
 */
export function pickForBudget(frontier: FrontierPoint[], budget: number): FrontierPoint | null {
  if (frontier.some((p) => p.confirmation !== undefined)) return pickConfirmed(frontier, budget);
  let pick: FrontierPoint | null = null;
  for (const p of frontier) if (p.loss_bound <= budget + 1e-12) pick = p;
  return pick;
}
