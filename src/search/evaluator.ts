// What the search needs from an engine: the number of right answers of a configuration on the
// search images. engine-evaluator.ts adapts the Wasm engine to this (the app and the search
// tests alike); pool-evaluator.ts splits the images across workers.
import type { QuantConfig } from '../core/config.ts';

export type Subset = 'proxy' | 'full';

/** What a wrong answer is for `maxErrors`: a miss against the labels, or a disagreement with the float model. */
export type Target = 'labels' | 'float';

export interface EvalOptions {
  /** 'proxy': the first `proxyTotal` images of the search set; 'full' (default): all of them. */
  subset?: Subset;
  /**
   * Stop once more than this many images are answered wrong; the result is then only a bound
   * (stoppedEarly). Undefined: score every image.
   */
  maxErrors?: number;
  /** What maxErrors counts (default 'labels'). */
  target?: Target;
  /** Also measure `distortion` (evaluators without it leave it undefined). */
  distortion?: boolean;
  /**
   * Every node before this index has the same formats as in the previous call with the same
   * subset, so activations cached at that boundary are still valid. Absent or 0: no promise.
   * Evaluators may also work it out themselves (core/tensors.ts firstDifference).
   */
  firstChangedNode?: number;
  signal?: AbortSignal;
}

export interface EvalResult {
  /**
   * Right answers. When stoppedEarly this is `total - wrong answers seen`, an upper bound on
   * the true count (so a loss computed from it is a lower bound, already over the limit).
   */
  correct: number;
  /**
   * Answers equal to the float model's top-1 (on the same images); when stoppedEarly,
   * `total - disagreements seen`. Search rankings use it: it moves with every changed answer,
   * right or wrong, so it is a steadier signal than accuracy on a few hundred images.
   */
  agree: number;
  total: number;
  /**
   * Images the float model answers wrong that this configuration answers right (a lower bound
   * when stoppedEarly). With `correct` it gives the answers that changed each way, which is
   * what a loss's interval comes from (interval.ts). Absent: the evaluator does not count it.
   */
  gained?: number;
  stoppedEarly: boolean;
  /**
   * When asked for: Σ over the images scored of KL(softmax(float logits) ‖ softmax(logits)),
   * divided by `total` (so a lower bound when stoppedEarly, and shards add up by weighting
   * with their totals). distortion.ts. The search ranks steps by it when it is there.
   */
  distortion?: number;
}

export interface Evaluator {
  /** Images in the full search set and in its proxy prefix (proxyTotal ≤ total). */
  readonly total: number;
  readonly proxyTotal: number;
  /** Right answers of the float model on the full set and on the proxy prefix. */
  readonly floatCorrect: number;
  readonly floatProxyCorrect: number;
  /** Rejects with the signal's reason when aborted. */
  evaluate(config: QuantConfig, opts?: EvalOptions): Promise<EvalResult>;
}

/** Relative accuracy loss (acc_float - acc_q) / acc_float with both on the same images. */
export function relativeLoss(floatCorrect: number, correct: number): number {
  return floatCorrect > 0 ? (floatCorrect - correct) / floatCorrect : 0;
}

/** Largest number of wrong answers that keeps the relative loss within `budget`. */
export function maxErrorsFor(total: number, floatCorrect: number, budget: number): number {
  const needed = Math.ceil(floatCorrect * (1 - budget) - 1e-9);
  return Math.max(0, Math.min(total, total - needed));
}

/** Held-out re-scoring: accuracy of configurations (null = float) on the validation images. */
export interface HeldOutScore {
  correct: number;
  gained: number;
  total: number;
  acc: number;
  /** Relative to the float model on the same images. */
  loss: number;
}

export async function heldOutScores(
  validation: Evaluator,
  configs: QuantConfig[],
  signal?: AbortSignal,
): Promise<HeldOutScore[]> {
  const out: HeldOutScore[] = [];
  for (const c of configs) {
    signal?.throwIfAborted();
    const r = await validation.evaluate(c, { subset: 'full', signal });
    out.push({ correct: r.correct, gained: r.gained ?? 0, total: r.total, acc: r.correct / r.total, loss: relativeLoss(validation.floatCorrect, r.correct) });
  }
  return out;
}
