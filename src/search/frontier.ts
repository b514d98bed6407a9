// frontier (ours, DESIGN.md §6): walks the whole accuracy/cost trade-off from a safe
// high-precision configuration down, one single-tensor step at a time, and records every
// configuration it scores; the budget slider then picks among them.
//
// 1. safe: every tensor at its widest format (16 bits, biases 32) with the no-clipping
//    fractional length; provably non-negative activations unsigned (a free bit).
// 2. descend: for each tensor alone (the rest safe), binary-search the fewest bits, keeping the
//    integer part, that change no answer on the proxy images; keep `margin` bits more than
//    that, combine, and widen the margin until the combination is nearly lossless.
// 3. greedy: lazy greedy over single-tensor steps — one bit fewer with frac one lower (same
//    range, less precision) or with frac kept (same precision, the top clips) — ranked by cost
//    saved per distortion added (mean KL from the float outputs; changed answers when the
//    evaluator has no distortion) on the proxy images, the best confirmed on all search images,
//    until no step keeps the loss bound under `maxBudget`. Stale scores are re-measured only
//    when they reach the top (steps hurt more as the rest gets coarser, so a stale score is
//    optimistic).
// 4. polish: the same greedy from the cheapest recorded configuration within the run's budget,
//    stopping at that budget: spends whatever the coarse walk left unused.
// Budgets are compared with the loss bound (scorer.ts EvaluationRecord.loss_bound), not the
// bare calibration loss, so the pick holds up on held-out images. Cost is the weighted sum of
// memory and both multiplication costs relative to 8-bit (scorer.ts ObjectiveWeights), so the
// pick is cheap on each measure, not on one alone.
import type { QuantConfig } from '../core/config.ts';
import { floatConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import type { TensorRef } from '../core/tensors.ts';
import { getFormat, noClipFormat, withFormat } from '../core/tensors.ts';
import type { MethodResult, SearchContext, TraceStep } from './context.ts';
import type { EvaluationRecord, Score } from './scorer.ts';

/** Where the walk stops by default: the largest budget the slider offers. */
export const DEFAULT_MAX_BUDGET = 0.05;

export interface FrontierOptions {
  /** Stop the walk once the loss would pass this (default max(DEFAULT_MAX_BUDGET, budget)). */
  maxBudget?: number;
  /** Extra bits over the lossless point of step 2 (default 1). */
  margin?: number;
  /**
   * Run the polish step (default true). Off when a confirmation set picks: polish spends the
   * budget on the search images, which the confirmation's margin never lets a pick reach.
   */
  polish?: boolean;
}

type Move = 'diag' | 'clip';

interface Candidate {
  t: number;
  move: Move;
  config: QuantConfig;
  saved: number;
  score: number;
  /** stale: scored under an older state; proxy / full: scored under the current one. */
  state: 'stale' | 'proxy' | 'full';
  version: number;
  proxy: Measure;
  full: Measure;
  fullCorrect: number;
  fullAgree: number;
  dead: boolean;
}

/** A configuration's distance from the float model on one subset (see `measure`). */
type Measure = number;

interface State {
  config: QuantConfig;
  fullCorrect: number;
  fullAgree: number;
  full: Measure;
  proxy: Measure;
}

/** Float slack when comparing losses and objectives. */
const EPS = 1e-12;

export async function frontierSearch(ctx: SearchContext, opts: FrontierOptions = {}): Promise<MethodResult> {
  const { scorer, tensors } = ctx;
  const maxBudget = Math.max(opts.maxBudget ?? DEFAULT_MAX_BUDGET, ctx.budget);
  const trace: TraceStep[] = [];
  const rank = scorer.rankSubset;
  const signedOf = (t: TensorRef) => !t.nonNegative;

  // 1. safe
  scorer.phase = 'safe';
  let safe = floatConfig(ctx.graph.nodes.length);
  for (const t of tensors) safe = withFormat(safe, t, noClipFormat(t, t.maxBits, signedOf(t)));
  const safeFull = await scorer.score(safe, 'full');
  const safeRank = await scorer.score(safe, rank);
  trace.push(step('safe', '*', -1, null, maxBudget, safeFull.loss, true));

  // 2. descend: per tensor, the fewest lossless bits with the rest safe.
  const lossless: number[] = [];
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    scorer.phase = 'descend';
    scorer.tensor = t;
    scorer.fraction = 0.15 * (i / tensors.length);
    scorer.report();
    let lo = 1, hi = t.maxBits; // hi is lossless (the safe format)
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = await scorer.score(withFormat(safe, t, noClipFormat(t, mid, signedOf(t))), rank, safeRank.disagreements, 'float');
      if (s.exact && s.agree >= safeRank.agree) hi = mid;
      else lo = mid + 1;
    }
    lossless.push(hi);
  }
  scorer.tensor = undefined;
  const nearlyLossless = ctx.budget / 2;
  let state: State | null = null;
  for (let margin = opts.margin ?? 1; margin <= 4; margin++) {
    let c = safe;
    tensors.forEach((t, i) => {
      c = withFormat(c, t, noClipFormat(t, Math.min(t.maxBits, lossless[i] + margin), signedOf(t)));
    });
    scorer.phase = 'descend';
    const full = await scorer.score(c, 'full', undefined, 'labels', true);
    trace.push(step('descend', `margin ${margin}`, -1, null, nearlyLossless, full.loss, true));
    if (full.bound <= Math.max(nearlyLossless, safeFull.bound) || margin === 4) {
      const prox = await scorer.score(c, rank, undefined, 'float', true);
      state = { config: c, fullCorrect: full.correct, fullAgree: full.agree, full: measure(full), proxy: measure(prox) };
      break;
    }
  }

  // 3. greedy
  const path: QuantConfig[] = [safe, state!.config];
  state = await greedy(ctx, state!, maxBudget, 'greedy', [0.15, 0.85], trace, path);

  // 4. polish at the run's budget
  if (opts.polish !== false) {
    const start = cheapestWithin(scorer.records, ctx.budget);
    if (start) {
      const full = await scorer.score(start.config, 'full', undefined, 'labels', true);
      const prox = await scorer.score(start.config, rank, undefined, 'float', true);
      const state0 = { config: start.config, fullCorrect: full.correct, fullAgree: full.agree, full: measure(full), proxy: measure(prox) };
      await greedy(ctx, state0, ctx.budget, 'polish', [0.85, 1], trace, []);
    }
  }
  scorer.fraction = 1;
  const pick = cheapestWithin(scorer.records, ctx.budget) ?? { config: safe };
  return { config: pick.config, trace, path };
}

function step(phase: string, tensor: string, node: number, format: Format | null, budget: number, loss: number, exact: boolean): TraceStep {
  return { phase, tensor, node, format, budget, loss, exact };
}

/** Cheapest (by objective) exactly scored full-set record whose loss bound fits `budget`. */
export function cheapestWithin(records: EvaluationRecord[], budget: number): EvaluationRecord | null {
  let best: EvaluationRecord | null = null;
  for (const r of records) {
    if (r.subset !== 'full' || !r.exact || r.loss_bound === null || r.loss_bound > budget + EPS) continue;
    if (!best || r.objective < best.objective - EPS || (Math.abs(r.objective - best.objective) <= EPS && r.loss_bound < best.loss_bound!)) best = r;
  }
  return best;
}

function moved(f: Format, move: Move): Format | null {
  if (f.bits <= 1) return null;
  return move === 'diag' ? { bits: f.bits - 1, frac: f.frac - 1, signed: f.signed } : { bits: f.bits - 1, frac: f.frac, signed: f.signed };
}

/**
 * What steps are ranked by: the mean KL from the float outputs when the evaluator measures it,
 * else the share of answers that differ from the float model's (right→wrong and wrong→right
 * alike, a steadier signal than accuracy, where the two cancel). The budget itself is accuracy.
 */
function measure(s: Score): Measure {
  return s.distortion ?? s.disagreements / s.total;
}

async function greedy(
  ctx: SearchContext,
  start: State,
  stopLoss: number,
  phase: string,
  [f0, f1]: [number, number],
  trace: TraceStep[],
  path: QuantConfig[],
): Promise<State> {
  const { scorer, tensors } = ctx;
  const rank = scorer.rankSubset;
  const rankSize = scorer.size(rank);
  const stopErrors = scorer.errorsWithin('full', stopLoss);
  // Disagreements beyond this mean more wrong answers than the stop allows (each disagreement
  // on an image the float model got right is a wrong answer, on the full set too): sound kill.
  const killDisagreements = stopErrors + (rankSize.total - rankSize.floatCorrect);
  // A step that does not move the measure at all still ranks by what it saves.
  const eps = (m: Measure, s: Score) => (s.distortion !== undefined ? 1e-9 + 1e-3 * m : 0.5 / s.total);
  const startLoss = scorer.loss('full', start.fullCorrect);
  let state = start;
  let version = 0;
  const cands: Candidate[] = [];
  tensors.forEach((_, t) => {
    for (const move of ['diag', 'clip'] as const) {
      cands.push({
        t, move, config: state.config, saved: 0, score: Infinity, state: 'stale', version: -1,
        proxy: 0, full: 0, fullCorrect: 0, fullAgree: 0, dead: false,
      });
    }
  });
  const build = (c: Candidate): boolean => {
    const f = getFormat(state.config, tensors[c.t]);
    const g = f && moved(f, c.move);
    if (!g) return false;
    c.config = withFormat(state.config, tensors[c.t], g);
    c.saved = scorer.cost(state.config).objective - scorer.cost(c.config).objective;
    return true;
  };
  const order = (a: Candidate, b: Candidate) => b.score - a.score || b.saved - a.saved || a.t - b.t || (a.move < b.move ? -1 : a.move > b.move ? 1 : 0);

  scorer.phase = phase;
  for (;;) {
    scorer.signal?.throwIfAborted();
    const live = cands.filter((c) => !c.dead).sort(order);
    if (!live.length) break;
    const top = live[0];
    const current = top.version === version;
    if (current && top.state === 'full') {
      state = { config: top.config, fullCorrect: top.fullCorrect, fullAgree: top.fullAgree, full: top.full, proxy: top.proxy };
      path.push(state.config);
      version++;
      const loss = scorer.loss('full', state.fullCorrect);
      const t = tensors[top.t];
      trace.push(step(phase, t.name, t.node, getFormat(state.config, t), stopLoss, loss, true));
      for (const c of cands) {
        if (c.t !== top.t) continue;
        c.state = 'stale';
        c.version = -1;
        c.dead = false;
        c.score = top.score; // optimistic: the next bit of the same tensor usually costs more
      }
      scorer.fraction = f0 + (f1 - f0) * Math.max(0, Math.min(1, (loss - startLoss) / Math.max(EPS, stopLoss - startLoss)));
      continue;
    }
    scorer.tensor = tensors[top.t];
    if (current && top.state === 'proxy') {
      const s = await scorer.score(top.config, 'full', stopErrors, 'labels', true);
      if (!s.exact || s.bound > stopLoss + EPS) {
        top.dead = true;
        continue;
      }
      top.full = measure(s);
      top.fullCorrect = s.correct;
      top.fullAgree = s.agree;
      top.score = top.saved / (Math.max(0, top.full - state.full) + eps(state.full, s));
      top.state = 'full';
      continue;
    }
    // Stale: score on the ranking subset under the current state.
    if (!build(top)) {
      top.dead = true;
      continue;
    }
    const s = await scorer.score(top.config, rank, killDisagreements, 'float', true);
    top.version = version;
    if (!s.exact || s.errors > stopErrors) {
      top.dead = true;
      continue;
    }
    top.proxy = measure(s);
    top.score = top.saved / (Math.max(0, top.proxy - state.proxy) + eps(state.proxy, s));
    top.state = 'proxy';
  }
  scorer.tensor = undefined;
  return state;
}
