// How sure a loss figure is. A relative accuracy loss on n images is (lost − gained) / floatCorrect,
// where `lost` answers the float model got right turned wrong and `gained` wrong ones turned
// right: a paired difference, so its uncertainty comes from the answers that changed, not from
// n. The interval is Agresti & Min's (2005) for matched proportions: add ½ to each cell of the
// 2×2 table (float right/wrong × quantized right/wrong) and take the Wald interval of the
// difference. The half counts keep it honest when no answer changed (a plain Wald interval
// would then claim certainty), which is exactly where small image sets live.

export interface Changes {
  /** Images the float model answers right and the configuration wrong. */
  lost: number;
  /** Images the float model answers wrong and the configuration right. */
  gained: number;
  total: number;
  floatCorrect: number;
}

/** z for a two-sided 95% interval. */
export const Z95 = 1.959964;

/** The interval's centre and half width, as relative losses. */
function centreAndHalf(c: Changes, z: number): [number, number] {
  const n = c.total + 2;
  const b = c.lost + 0.5;
  const g = c.gained + 0.5;
  const d = (b - g) / n;
  const se = Math.sqrt(Math.max(0, b + g - (b - g) ** 2 / n)) / n;
  // Differences of accuracy (per image) → relative loss (per float-correct image).
  const scale = c.floatCorrect > 0 ? c.total / c.floatCorrect : 0;
  return [d * scale, z * se * scale];
}

/** Two-sided interval of the relative loss (95% by default). */
export function lossInterval(c: Changes, z = Z95): [number, number] {
  const [m, h] = centreAndHalf(c, z);
  return [m - h, m + h];
}

/** One-sided upper bound of the relative loss: true loss ≤ this with the confidence `z` gives. */
export function lossUpper(c: Changes, z: number): number {
  const [m, h] = centreAndHalf(c, z);
  return m + h;
}

/** The changes of a scored configuration from its right answers and gains. */
export function changesOf(r: { correct: number; gained: number; total: number }, floatCorrect: number): Changes {
  return { lost: floatCorrect - r.correct + r.gained, gained: r.gained, total: r.total, floatCorrect };
}
