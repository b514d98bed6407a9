// What a trade-off chart draws, computed apart from the drawing so it can be tested: the
// non-dominated points for one cost measure, and axis ranges that always hold the float and
// 8-bit markers, the budget line and the chosen point.
import type { ScoredPoint } from '../../worker/contract.ts';

export type CostMeasure = 'memory_kb' | 'mult_cost' | 'mult_cost_paper';

export interface Marker {
  cost: number;
  /** Relative loss on the search images (fraction). */
  loss: number;
}

/**
 * The points no other point beats on both this cost and the search loss, cheapest first. Along
 * it cost rises and loss falls strictly, so the line never zigzags.
 */
export function nonDominated(points: readonly ScoredPoint[], measure: CostMeasure): ScoredPoint[] {
  const sorted = [...points].sort((a, b) => a[measure] - b[measure] || a.calibration_loss - b.calibration_loss);
  const out: ScoredPoint[] = [];
  let best = Infinity;
  for (const p of sorted) {
    if (p.calibration_loss < best - 1e-12) {
      out.push(p);
      best = p.calibration_loss;
    }
  }
  return out;
}

export interface Axes {
  /** Log-scale cost range: float costs 4 to 16 times uniform 8-bit, and must stay in view. */
  x: [number, number];
  /** Loss range in percent, from 0. */
  y: [number, number];
  /** Points above y[1] (drawn at the top edge, counted in the caption). */
  hiddenAbove: number;
}

/**
 * Loss axis: up to 2.5 budgets, widened so the 8-bit marker and the chosen point (an over-budget
 * naive pick included) are always inside. Points far above would squash the useful region; they
 * are counted instead.
 */
export function axesFor(points: readonly ScoredPoint[], measure: CostMeasure, budget: number, fixed: Marker[]): Axes {
  const top = niceCeil(Math.max(budget * 2.5, 0.01, ...fixed.map((m) => m.loss * 1.15)) * 100, TOPS) / 100;
  const costs = [...points.map((p) => p[measure]), ...fixed.map((m) => m.cost)].filter((c) => c > 0);
  const lo = costs.length ? Math.min(...costs) : 1;
  const hi = costs.length ? Math.max(...costs) : 10;
  return {
    x: [lo / 1.25, hi * 1.25],
    y: [0, top * 100],
    hiddenAbove: points.filter((p) => p.calibration_loss > top).length,
  };
}

const NICE = [1, 2, 2.5, 5, 10];
/** Finer steps for the top of the loss axis, so a 5.25% point does not get a 10% axis. */
const TOPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest m × 10^k at least x, m from `nice`. */
function niceCeil(x: number, nice = NICE): number {
  const e = 10 ** Math.floor(Math.log10(x));
  return nice.find((m) => m * e >= x - 1e-12)! * e;
}

/** About five round loss ticks (percent) from 0 to top. */
export function lossTicks(topPercent: number): number[] {
  const step = niceCeil(topPercent / 5);
  const out: number[] = [];
  for (let k = 0; k * step <= topPercent + 1e-9; k++) out.push(+(k * step).toPrecision(6));
  return out;
}

/** 1, 2, 5 × 10^k ticks inside [lo, hi] for a log axis (1 and 10 only when there are many). */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const decades = Math.log10(hi / lo);
  const mantissas = decades > 3 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi; e++) for (const m of mantissas) if (m * 10 ** e >= lo && m * 10 ** e <= hi) out.push(m * 10 ** e);
  return out;
}

export const MEASURE_LABEL: Record<CostMeasure, string> = {
  memory_kb: 'memory (KB)',
  mult_cost: 'multiplication cost Σ MACs·bw·bi',
  mult_cost_paper: "multiplication cost, paper's Σ MACs·bw·bo",
};
