// The one entry point of the search: runs a method, scores the 8-bit baseline, and gathers
// the chosen configuration with its costs and every recorded frontier point.
import type { QuantConfig } from '../core/config.ts';
import { floatConfig } from '../core/config.ts';
import type { CostReport } from '../core/cost.ts';
import { baselineConfig, configCost } from '../core/cost.ts';
import type { Graph } from '../core/graph.ts';
import type { ActivationStats } from '../core/tensors.ts';
import { quantTensors } from '../core/tensors.ts';
import type { SearchContext, TraceStep } from './context.ts';
import type { Evaluator } from './evaluator.ts';
import type { FrontierOptions } from './frontier.ts';
import { frontierSearch } from './frontier.ts';
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
  /** Final relative loss allowed, as a fraction (0.01 = 1%). */
  budget: number;
  /** Float max |x| (and min) of every node's output on the search images. */
  stats: ActivationStats;
  seed?: number;
  /** uniform's bitwidth (default 8). */
  bits?: number;
  frontier?: FrontierOptions;
  objective?: ObjectiveWeights;
  /** Standard errors added to a calibration loss before it is compared with a budget (default 2). */
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
  /** What budgets are compared with (scorer.ts EvaluationRecord.loss_bound). */
  loss_bound: number;
  config: QuantConfig;
}

export interface SearchResult {
  method: Method;
  budget: number;
  seed: number;
  bits: number;
  chosen: ScoredConfig;
  float: { correct: number; total: number; acc: number; cost: CostReport };
  baseline8: ScoredConfig;
  /** loss_bound ascending, objective strictly descending: each point the pick for budgets from its bound up. */
  frontier: FrontierPoint[];
  /** Calls to evaluator.evaluate (proxy and full). */
  evaluations: number;
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

  const r = method === 'uniform' ? await uniformSearch(ctx, bits)
    : method === 'paper' ? await paperSearch(ctx)
    : method === 'naive' ? await naiveSearch(ctx)
    : method === 'frontier' ? await frontierSearch(ctx, o.frontier)
    : failMethod(method);

  scorer.phase = 'done';
  scorer.tensor = undefined;
  const chosen = await scored(applyLocks(r.config, locks));
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
    // With locks the 8-bit baseline (scored without them) is no pick: it would drop a lock.
    frontier: frontierOf(locks.length ? scorer.records.filter((r) => r.phase !== 'baseline') : scorer.records),
    evaluations: scorer.evaluations,
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
    out.push({
      calibration_loss: r.loss, loss_bound: r.loss_bound!, memory_kb: r.memory_kb, weights_kb: r.weights_kb,
      peak_activation_kb: r.peak_activation_kb, mult_cost: r.mult_cost, mult_cost_paper: r.mult_cost_paper,
      objective: r.objective, config: r.config,
    });
  }
  return out;
}

/** The slider: cheapest frontier point whose loss bound fits the budget (null if none). */
export function pickForBudget(frontier: FrontierPoint[], budget: number): FrontierPoint | null {
  let pick: FrontierPoint | null = null;
  for (const p of frontier) if (p.loss_bound <= budget + 1e-12) pick = p;
  return pick;
}
