// The paper's search for one tensor (DESIGN.md §6): start wide with the no-clipping fractional
// length (+4 bits if already over budget), walk bits and frac down together, then bits alone,
// then look at the 3×3 neighbourhood. Shared by `paper` and `naive`.
import type { QuantConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import type { TensorRef } from '../core/tensors.ts';
import { noClipFormat, withFormat } from '../core/tensors.ts';
import type { Scorer } from './scorer.ts';

/** The neighbourhood winner must beat the current point by this much loss (0.15 points). */
export const NEIGHBOUR_GAIN = 0.0015;

export interface WalkResult {
  config: QuantConfig;
  format: Format;
  /** Loss of the final configuration on the whole search set (a lower bound when over budget). */
  loss: number;
  exact: boolean;
}

export async function walkTensor(
  scorer: Scorer,
  base: QuantConfig,
  t: TensorRef,
  budget: number,
  startBits: number,
  signed = true,
): Promise<WalkResult> {
  const at = (bits: number, frac: number): QuantConfig => withFormat(base, t, { bits, frac, signed });
  const within = scorer.errorsWithin('full', budget);
  const ok = (s: { exact: boolean; loss: number }) => s.exact && s.loss <= budget + 1e-12;

  let fmt = noClipFormat(t, Math.min(startBits, t.maxBits), signed);
  let cur = await scorer.score(at(fmt.bits, fmt.frac), 'full', within);
  if (!ok(cur) && fmt.bits + 4 <= t.maxBits) {
    fmt = { bits: fmt.bits + 4, frac: fmt.frac + 4, signed };
    cur = await scorer.score(at(fmt.bits, fmt.frac), 'full', within);
  }
  // Diagonal: fewer bits, same integer part.
  while (ok(cur) && fmt.bits > 1) {
    const s = await scorer.score(at(fmt.bits - 1, fmt.frac - 1), 'full', within);
    if (!ok(s)) break;
    fmt = { bits: fmt.bits - 1, frac: fmt.frac - 1, signed };
    cur = s;
  }
  // Bits alone: same precision, large values start to clip.
  while (ok(cur) && fmt.bits > 1) {
    const s = await scorer.score(at(fmt.bits - 1, fmt.frac), 'full', within);
    if (!ok(s)) break;
    fmt = { bits: fmt.bits - 1, frac: fmt.frac, signed };
    cur = s;
  }
  // 3×3 neighbourhood. Points over the budget (or, when the current point is itself over,
  // worse than it) can win neither rule, so their scoring stops early. Only the point with the
  // lowest loss decides, so a point that cannot beat the best so far (more wrong answers, or
  // as many without fewer bits) stops early too: the same point wins, for less work.
  const limit = scorer.errorsWithin('full', Math.max(budget, cur.loss));
  const gains = (loss: number) => cur.loss - loss >= NEIGHBOUR_GAIN - 1e-12;
  const adoptable = (p: { fmt: Format; loss: number }) => gains(p.loss) || (p.fmt.bits < fmt.bits && p.loss <= budget + 1e-12);
  // Most wrong answers a point may have and still win by the gain rule (-1: none can).
  let gainErrors = -1;
  for (let e = cur.errors; e >= 0; e--) {
    if (gains(scorer.loss('full', cur.total - e))) { gainErrors = e; break; }
  }
  let best: { fmt: Format; loss: number; exact: boolean; errors: number } | null = null;
  for (const db of [-1, 0, 1]) {
    for (const df of [-1, 0, 1]) {
      const b = fmt.bits + db;
      if ((db === 0 && df === 0) || b < 1 || b > t.maxBits) continue;
      const f: Format = { bits: b, frac: fmt.frac + df, signed };
      let beat = best ? (f.bits < best.fmt.bits ? best.errors : best.errors - 1) : limit;
      // A point no cheaper than the current one can only win by the gain rule. While no point
      // found so far would be adopted, it changes the outcome only if it gains, so its scoring
      // stops once it cannot (the cheaper points come first, so this is known when it is
      // scored). When none can gain it is not scored at all.
      if (f.bits >= fmt.bits && !(best && adoptable(best))) {
        if (gainErrors < 0) continue;
        beat = Math.min(beat, gainErrors);
      }
      const s = await scorer.score(at(f.bits, f.frac), 'full', Math.min(limit, beat));
      if (!s.exact) continue;
      if (!best || s.loss < best.loss || (s.loss === best.loss && f.bits < best.fmt.bits)) best = { fmt: f, loss: s.loss, exact: s.exact, errors: s.errors };
    }
  }
  if (best) {
    if (adoptable(best)) {
      fmt = best.fmt;
      cur = { ...cur, loss: best.loss, exact: true };
    }
  }
  return { config: at(fmt.bits, fmt.frac), format: fmt, loss: cur.loss, exact: cur.exact };
}
