// The pick the search cannot fool (src/search/README.md): the frontier walk's configurations,
// in the order the walk's own images put them (search loss ascending, cost descending), are
// scored on confirmation images the walk never saw, and a budget takes the last configuration
// before the first whose one-sided upper bound on the confirmation loss passes it. Testing in
// an order fixed in advance and stopping at the first failure is the fixed-sequence procedure:
// however many configurations there are, the chance that the pick's true loss is over the budget
// stays at the one-sided level of one test. The slider uses the same rule for every budget.
import type { QuantConfig } from '../core/config.ts';
import type { Evaluator } from './evaluator.ts';
import { maxErrorsFor, relativeLoss } from './evaluator.ts';
import { changesOf, lossUpper } from '../core/interval.ts';

/**
 * One-sided z of the upper bound (1.28: 90%). Chosen by measurement (src/search/README.md): the
 * held-out loss stayed within budget in ≥ 90% of seeded trials while frontier stayed cheaper
 * than paper on average; 1.645 (95%) cost more than paper on the demo's 700 confirmation images.
 */
export const CONFIRM_Z = 1.28;

export interface Confirmation {
  correct: number;
  gained: number;
  total: number;
  floatCorrect: number;
  /** Relative loss on the confirmation images. */
  loss: number;
  /** One-sided upper bound of that loss at CONFIRM_Z (or the run's z): what budgets compare. */
  upper: number;
}

export interface Confirmable {
  config: QuantConfig;
  confirmation?: Confirmation | null;
}

/**
 * Scores `points` (already in the walk's order) on `evaluator` until one's upper bound passes
 * `maxBudget`: no budget up to it can take a later point. Points after that stay unconfirmed.
 * Returns the number of evaluations.
 */
export async function confirmInOrder(
  points: Confirmable[],
  evaluator: Evaluator,
  maxBudget: number,
  z: number,
  signal?: AbortSignal,
  onEach?: (done: number) => void,
): Promise<number> {
  const { total, floatCorrect } = evaluator;
  // More wrong answers than this put the loss itself, a lower bound of `upper`, over maxBudget.
  const maxErrors = maxErrorsFor(total, floatCorrect, maxBudget);
  let n = 0;
  for (const p of points) {
    signal?.throwIfAborted();
    const r = await evaluator.evaluate(p.config, { subset: 'full', maxErrors, signal });
    n++;
    onEach?.(n);
    const gained = r.gained ?? 0;
    const loss = relativeLoss(floatCorrect, r.correct);
    // Stopped early: the loss seen so far is already over maxBudget, and so is any bound of it.
    const upper = r.stoppedEarly ? loss : lossUpper(changesOf({ correct: r.correct, gained, total: r.total }, floatCorrect), z);
    p.confirmation = { correct: r.correct, gained, total: r.total, floatCorrect, loss, upper };
    if (upper > maxBudget) break;
  }
  return n;
}

/**
 * The fixed-sequence pick for `budget`: the last point before the first whose confirmation
 * bound exceeds it (or that was never confirmed). Null when even the first fails.
 */
export function pickConfirmed<T extends Confirmable>(points: T[], budget: number): T | null {
  let pick: T | null = null;
  for (const p of points) {
    if (!p.confirmation || !(p.confirmation.upper <= budget + 1e-12)) break;
    pick = p;
  }
  return pick;
}
