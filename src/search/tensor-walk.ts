// The paper's search for one tensor (DESIGN.md §6): start wide with the no-clipping fractional
// length (+4 bits if already over budget), walk bits and frac down together, then bits alone,
// then look at the 3×3 neighbourhood. Shared by `paper` and `naive`.
import type { QuantConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import type { TensorRef } from '../core/tensors.ts';
import { noClipFormat, withFormat } from '../core/tensors.ts';
import { DEFAULT_CONFIDENCE, type Scorer } from './scorer.ts';

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
  /** `neighbourStop: false` scores neighbours as before that stop (only to test what it saves). */
  opts: { neighbourStop?: boolean } = {},
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
  // Over the budget even so: the neighbourhood below compares with this point's loss, and a
  // stopped score gives only a bound, which in a pool depends on where the shards noticed the
  // excess. Score it whole, so the walk is the same with any number of workers.
  if (!cur.exact) cur = await scorer.score(at(fmt.bits, fmt.frac), 'full');
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
  // A point with as many bits as the current one or more can only be adopted by the gain rule.
  // While nothing found so far would be adopted, it changes the outcome only if it gains, and
  // one with at least the current point's wrong answers cannot. Nor is it on the recorded
  // frontier (run.ts frontierOf): it costs no less than the current point, scored earlier, and
  // is no better. So its scoring stops there. This needs the current score exact and the
  // frontier ordered by plain losses (no confidence margin).
  const plain = (scorer.opts.confidence ?? DEFAULT_CONFIDENCE) === 0;
  const dominated = opts.neighbourStop !== false && cur.exact && plain ? Math.max(0, cur.errors - 1) : Infinity;
  let best: { fmt: Format; loss: number; exact: boolean; errors: number } | null = null;
  for (const db of [-1, 0, 1]) {
    for (const df of [-1, 0, 1]) {
      const b = fmt.bits + db;
      if ((db === 0 && df === 0) || b < 1 || b > t.maxBits) continue;
      const f: Format = { bits: b, frac: fmt.frac + df, signed };
      let beat = best ? (f.bits < best.fmt.bits ? best.errors : best.errors - 1) : limit;
      if (f.bits >= fmt.bits && !(best && adoptable(best))) beat = Math.min(beat, dominated);
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
