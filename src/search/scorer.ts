// Bookkeeping shared by every search method: scores configurations through the Evaluator with
// the cache hint and an early-stop limit, never scores the same configuration twice, records
// every evaluation with its costs, and reports progress.
import type { QuantConfig } from '../core/config.ts';
import type { CostReport, RecordedCosts } from '../core/cost.ts';
import { configCost } from '../core/cost.ts';
import type { Graph } from '../core/graph.ts';
import { configKey, firstDifference } from '../core/tensors.ts';
import type { Evaluator, Subset, Target } from './evaluator.ts';
import { maxErrorsFor, relativeLoss } from './evaluator.ts';
import { applyLocks, type LockedFormat } from './locks.ts';

export type Method = 'uniform' | 'paper' | 'naive' | 'frontier';

/** How the frontier search and the budget pick weigh the cost measures (relative to 8-bit). */
export interface ObjectiveWeights {
  memory: number;
  mult_cost: number;
  mult_cost_paper: number;
}

/**
 * Standard errors added to a search-image loss before it is compared with a budget on the search
 * images: the walk's own stop and the in-sample picks of the other methods. Frontier's pick for a
 * budget is made on confirmation images instead (confirm.ts, src/search/README.md), which is what
 * keeps the budget on new images; a margin here would only make the walk stop earlier.
 */
export const DEFAULT_CONFIDENCE = 0;

export const DEFAULT_OBJECTIVE: ObjectiveWeights = { memory: 0.5, mult_cost: 0.25, mult_cost_paper: 0.25 };

/** A configuration's recorded costs with its objective. */
export type CostSummary = RecordedCosts & {
  /** Weighted cost relative to the 8-bit baseline (1 = as costly as uniform 8-bit). */
  objective: number;
};

export interface EvaluationRecord extends CostSummary {
  config: QuantConfig;
  subset: Subset;
  correct: number;
  /** Answers equal to the float model's. */
  agree: number;
  total: number;
  /** What an early stop counted. */
  target: Target;
  /** False when scoring stopped early: the loss is then a lower bound. */
  exact: boolean;
  /** Relative loss on the subset scored. */
  loss: number;
  /** Relative loss on the whole search set, for full evaluations; null for proxy ones. */
  calibration_loss: number | null;
  /**
   * calibration_loss + confidence·√disagreements / floatCorrect: the loss plus `confidence`
   * (DEFAULT_CONFIDENCE, 0: none) standard errors of its estimate — each changed answer moves it by
   * ±1/floatCorrect. In-sample budget picks and the walk's stop compare this; frontier's pick
   * itself is made on confirmation images (confirm.ts). Null for proxy evaluations.
   */
  loss_bound: number | null;
  /** Mean KL from the float outputs, when measured. */
  distortion?: number;
  phase: string;
  tensor?: string;
}

export interface Progress {
  method: Method;
  phase: string;
  /** The tensor being searched, when there is one. */
  node?: number;
  nodeName?: string;
  tensor?: string;
  evaluations: number;
  /** 0..1, a method-specific estimate. */
  fraction: number;
  etaSeconds: number | null;
  /** Cheapest exactly scored full-set configuration within the budget so far. */
  best: (CostSummary & { calibration_loss: number; loss_bound: number }) | null;
  /** The configuration exactly scored on the whole search set since the last message, if any. */
  point?: ScoredPoint;
}

/** One exactly scored full-set configuration, as the live charts draw it. */
export interface ScoredPoint extends CostSummary {
  /** Index of its record in Scorer.records (SearchResult.records). */
  id: number;
  calibration_loss: number;
  loss_bound: number;
}

export interface Score {
  correct: number;
  agree: number;
  total: number;
  loss: number;
  exact: boolean;
  /** loss + confidence·√disagreements / floatCorrect (see EvaluationRecord.loss_bound). */
  bound: number;
  /** Wrong answers seen (a lower bound when not exact). */
  errors: number;
  /** Answers differing from the float model's seen (a lower bound when not exact). */
  disagreements: number;
  /** Mean KL from the float outputs (evaluator.ts EvalResult.distortion), when measured. */
  distortion?: number;
}

interface Memo {
  correct: number;
  agree: number;
  distortion?: number;
  total: number;
  stoppedEarly: boolean;
  maxErrors: number;
}

export interface ScorerOptions {
  method: Method;
  budget: number;
  baseline: CostReport;
  objective?: ObjectiveWeights;
  /** Standard errors added to a loss before comparing it with a budget (default DEFAULT_CONFIDENCE = 0: the raw loss). */
  confidence?: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class Scorer {
  evaluations = 0;
  readonly records: EvaluationRecord[] = [];
  phase = '';
  tensor: { node: number; name: string } | undefined;
  /** Set by the method before or after its evaluations. */
  fraction = 0;
  readonly started = now();
  private readonly memo = new Map<string, Memo>();
  private readonly costMemo = new Map<string, CostSummary>();
  private readonly last: Partial<Record<Subset, QuantConfig>> = {};
  private best: Progress['best'] = null;
  /** Set once the evaluator has answered a request for distortion without one. */
  private noDistortion = false;
  private pendingPoint: ScoredPoint | undefined;
  /** Formats fixed by hand, put into every configuration scored from now on. */
  locks: readonly LockedFormat[] = [];

  constructor(readonly graph: Graph, readonly evaluator: Evaluator, readonly opts: ScorerOptions) {
    if (evaluator.floatCorrect <= 0) throw new Error('the float model answers no search image right: check the labels and preprocessing');
  }

  get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  /** The subset used for ranking: the proxy prefix when the evaluator has a smaller one. */
  get rankSubset(): Subset {
    return this.evaluator.proxyTotal > 0 && this.evaluator.proxyTotal < this.evaluator.total ? 'proxy' : 'full';
  }

  size(subset: Subset): { total: number; floatCorrect: number } {
    return subset === 'proxy'
      ? { total: this.evaluator.proxyTotal, floatCorrect: this.evaluator.floatProxyCorrect }
      : { total: this.evaluator.total, floatCorrect: this.evaluator.floatCorrect };
  }

  /** Largest number of wrong answers on `subset` that keeps the loss within `budget`. */
  errorsWithin(subset: Subset, budget: number): number {
    const s = this.size(subset);
    return maxErrorsFor(s.total, s.floatCorrect, budget);
  }

  loss(subset: Subset, correct: number): number {
    return relativeLoss(this.size(subset).floatCorrect, correct);
  }

  cost(c: QuantConfig): CostSummary {
    const key = configKey(c);
    let s = this.costMemo.get(key);
    if (!s) {
      const r = configCost(this.graph, c);
      const b = this.opts.baseline;
      const w = this.opts.objective ?? DEFAULT_OBJECTIVE;
      const rel = (x: number, y: number) => (y > 0 ? x / y : 0);
      s = {
        memory_kb: r.memory_kb, weights_kb: r.weights_kb, peak_activation_kb: r.peak_activation_kb,
        mult_cost: r.mult_cost, mult_cost_paper: r.mult_cost_paper,
        objective: w.memory * rel(r.memory_kb, b.memory_kb) + w.mult_cost * rel(r.mult_cost, b.mult_cost) +
          w.mult_cost_paper * rel(r.mult_cost_paper, b.mult_cost_paper),
      };
      this.costMemo.set(key, s);
    }
    return s;
  }

  /**
   * Scores `c` on `subset`, stopping once more than `maxErrors` answers are wrong against
   * `target` (undefined: score all). A configuration already scored is answered from memory
   * when that is enough: a complete score answers anything, a stopped one the same question
   * with a limit no larger.
   */
  async score(config: QuantConfig, subset: Subset, maxErrors?: number, target: Target = 'labels', distortion = false): Promise<Score> {
    this.opts.signal?.throwIfAborted();
    const c = applyLocks(config, this.locks);
    const { total } = this.size(subset);
    const limit = maxErrors === undefined || maxErrors >= total ? total : Math.max(0, Math.floor(maxErrors));
    const wantDistortion = distortion && !this.noDistortion;
    const enough = (m: Memo | undefined) => m && (!wantDistortion || m.distortion !== undefined);
    const key = configKey(c);
    const done = this.memo.get(`${subset}:${key}`);
    if (enough(done)) return this.toScore(subset, done!);
    const stopped = this.memo.get(`${subset}:${target}:${key}`);
    if (enough(stopped) && limit <= stopped!.maxErrors) return this.toScore(subset, stopped!);
    const prev = this.last[subset];
    const firstChangedNode = prev ? firstDifference(prev, c) : 0;
    this.last[subset] = c;
    const r = await this.evaluator.evaluate(c, {
      subset, maxErrors: limit < total ? limit : undefined, target, distortion: wantDistortion, firstChangedNode, signal: this.opts.signal,
    });
    this.evaluations++;
    if (wantDistortion && r.distortion === undefined) this.noDistortion = true;
    const memo: Memo = {
      correct: r.correct, agree: r.agree, distortion: r.distortion, total: r.total, stoppedEarly: r.stoppedEarly, maxErrors: limit,
    };
    this.memo.set(r.stoppedEarly ? `${subset}:${target}:${key}` : `${subset}:${key}`, memo);
    const s = this.toScore(subset, memo);
    const cost = this.cost(c);
    const rec: EvaluationRecord = {
      ...cost, config: c, subset, correct: r.correct, agree: r.agree, total: r.total, target, exact: !r.stoppedEarly, loss: s.loss,
      calibration_loss: subset === 'full' ? s.loss : null, loss_bound: subset === 'full' ? s.bound : null,
      ...(r.distortion !== undefined ? { distortion: r.distortion } : {}), phase: this.phase, tensor: this.tensor?.name,
    };
    this.records.push(rec);
    if (subset === 'full' && rec.exact) this.pendingPoint = { ...cost, id: this.records.length - 1, calibration_loss: s.loss, loss_bound: s.bound };
    if (subset === 'full' && rec.exact && s.bound <= this.opts.budget + 1e-12 && (!this.best || cost.objective < this.best.objective)) {
      this.best = { ...cost, calibration_loss: s.loss, loss_bound: s.bound };
    }
    this.report();
    return s;
  }

  /** The loss plus `confidence` standard errors (see EvaluationRecord.loss_bound). */
  bound(subset: Subset, correct: number, agree: number): number {
    const { total, floatCorrect } = this.size(subset);
    return relativeLoss(floatCorrect, correct) + (this.opts.confidence ?? DEFAULT_CONFIDENCE) * Math.sqrt(Math.max(0, total - agree)) / floatCorrect;
  }

  private toScore(subset: Subset, m: Memo): Score {
    return {
      correct: m.correct, agree: m.agree, total: m.total, loss: this.loss(subset, m.correct), exact: !m.stoppedEarly,
      bound: this.bound(subset, m.correct, m.agree), errors: m.total - m.correct, disagreements: m.total - m.agree,
      distortion: m.distortion,
    };
  }

  /** Emits a progress event now (methods call it when their phase or tensor changes). */
  report(): void {
    const cb = this.opts.onProgress;
    if (!cb || this.opts.signal?.aborted) return;
    const f = Math.min(1, Math.max(0, this.fraction));
    const elapsed = (now() - this.started) / 1000;
    cb({
      method: this.opts.method, phase: this.phase, node: this.tensor?.node,
      nodeName: this.tensor !== undefined ? this.graph.nodes[this.tensor.node]?.name : undefined,
      tensor: this.tensor?.name, evaluations: this.evaluations, fraction: f,
      etaSeconds: f > 0.01 ? (elapsed * (1 - f)) / f : null, best: this.best,
      ...(this.pendingPoint ? { point: this.pendingPoint } : {}),
    });
    this.pendingPoint = undefined;
  }
}
