// A loss as a person should read it: the figure, its 95% interval and the counts behind it, and
// the plain warnings when a result misses its budget or the images cannot judge the budget.
import { changesOf, lossInterval, lossUpper } from './interval.ts';

export interface LossFigure {
  /** Relative accuracy loss against the float model on the same images. */
  loss: number;
  /** 95% interval of the loss (interval.ts). */
  ci: [number, number];
  /** Right answers of the configuration and of the float model, gains (wrong→right), images. */
  correct: number;
  floatCorrect: number;
  gained: number;
  total: number;
}

export function lossFigure(r: { correct: number; gained: number; total: number }, floatCorrect: number): LossFigure {
  const loss = floatCorrect > 0 ? (floatCorrect - r.correct) / floatCorrect : 0;
  return { loss, ci: lossInterval(changesOf(r, floatCorrect)), correct: r.correct, floatCorrect, gained: r.gained, total: r.total };
}

/** Fewer changed answers than this within the budget and a loss figure cannot tell it from noise. */
export const MEANINGFUL_ANSWERS = 5;

export interface BudgetCheck {
  /** The held-out loss is above the budget. */
  overBudget: boolean;
  warnings: string[];
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * What a person must be told about a result at `budget`: a held-out loss over it, and image
 * counts too small for the budget to mean anything (with 100 held-out images, 1% is one answer).
 */
export function checkBudget(budget: number, heldOut: LossFigure, confirmation: LossFigure | null, confirmZ: number | null): BudgetCheck {
  const warnings: string[] = [];
  const overBudget = heldOut.loss > budget + 1e-12;
  if (overBudget) {
    warnings.push(`Over budget: the held-out loss ${pct(heldOut.loss)} (95% interval ${pct(heldOut.ci[0])} to ${pct(heldOut.ci[1])}) is above the ${pct(budget)} budget.`);
  }
  const answers = budget * heldOut.floatCorrect;
  if (answers < MEANINGFUL_ANSWERS) {
    warnings.push(`Too few held-out images to judge a ${pct(budget)} budget: it allows ${answers.toFixed(1)} of ${heldOut.floatCorrect} right answers to change, ` +
      `inside the noise. Use more images (at least ${Math.ceil(MEANINGFUL_ANSWERS / Math.max(budget, 1e-9) / (heldOut.floatCorrect / Math.max(1, heldOut.total)))} held out) or a larger budget.`);
  }
  if (confirmation && confirmZ !== null) {
    const best = lossUpper(changesOf({ correct: confirmation.floatCorrect, gained: 0, total: confirmation.total }, confirmation.floatCorrect), confirmZ);
    if (best > budget) {
      warnings.push(`Too few confirmation images for a ${pct(budget)} budget: with ${confirmation.total} of them even a configuration that changes no answer ` +
        `cannot be confirmed within it (its bound is ${pct(best)}). The safest configuration is shown.`);
    }
  }
  return { overBudget, warnings };
}

