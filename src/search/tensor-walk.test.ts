import { describe, expect, it } from 'vitest';
import { floatConfig, type QuantConfig } from '../core/config.ts';
import { configCost } from '../core/cost.ts';
import { seededRandom } from '../core/random.ts';
import type { TensorRef } from '../core/tensors.ts';
import { smallGraph } from '../testing/small-graph.ts';
import type { EvalOptions, EvalResult, Evaluator } from './evaluator.ts';
import { frontierOf } from './run.ts';
import { Scorer } from './scorer.ts';
import { walkTensor } from './tensor-walk.ts';

// The walk's early stops may skip work, never change a step: on random loss landscapes it must
// end where the same walk ends when every point is scored on every image, and the neighbourhood's
// stop must leave the recorded frontier (what report.json and the slider use) as it was.
const FLOAT_WRONG = 10;

/** Scores images in order; the wrong ones of a format are a seeded draw, more of them as bits drop. */
class Landscape implements Evaluator {
  readonly proxyTotal: number;
  readonly floatCorrect: number;
  readonly floatProxyCorrect: number;
  imagesScored = 0;
  private readonly wrong = new Map<string, Uint8Array>();
  constructor(readonly t: TensorRef, readonly seed: number, readonly exhaustive: boolean, readonly total: number) {
    this.proxyTotal = total;
    this.floatCorrect = this.floatProxyCorrect = total - FLOAT_WRONG;
  }

  private wrongOf(config: QuantConfig): Uint8Array {
    const N = this.total;
    const f = config.nodes[this.t.node][this.t.slot];
    const key = f ? `${f.bits}.${f.frac}` : 'float';
    let w = this.wrong.get(key);
    if (!w) {
      const r = seededRandom(this.seed * 7919 + (f ? f.bits * 97 + f.frac + 50 : 0));
      // Around the 1% budget (4 answers) for mid bitwidths, far over it for few bits.
      const count = f ? Math.max(0, Math.round(FLOAT_WRONG - 3 + 2.5 * Math.max(0, 9 - f.bits) + r() * 9)) : FLOAT_WRONG;
      w = new Uint8Array(N);
      let placed = 0;
      // Hard images first, as the real evaluators order them.
      while (placed < Math.min(count, N)) {
        const i = Math.floor((r() ** 3) * N);
        if (!w[i]) { w[i] = 1; placed++; }
      }
      this.wrong.set(key, w);
    }
    return w;
  }

  async evaluate(config: QuantConfig, opts: EvalOptions = {}): Promise<EvalResult> {
    const N = this.total;
    const w = this.wrongOf(config);
    const max = this.exhaustive ? Infinity : (opts.maxErrors ?? Infinity);
    let wrong = 0;
    let i = 0;
    for (; i < N; i++) {
      wrong += w[i];
      if (wrong > max) { i++; break; }
    }
    this.imagesScored += i;
    return { correct: N - wrong, agree: N - wrong, total: N, stoppedEarly: i < N || wrong > max };
  }
}

describe('walkTensor', () => {
  it('ends on the same format and loss as a walk that scores every point on every image, and records the same frontier', async () => {
    const g = smallGraph();
    const t: TensorRef = { node: 1, slot: 'weights', role: 'weights', name: 'conv.weights', count: 54, maxAbs: 0.6, nonNegative: false, maxBits: 16 };
    const baseline = configCost(g, floatConfig(g.nodes.length));
    let fast = 0, full = 0, withStop = 0, withoutStop = 0;
    for (let trial = 0; trial < 300; trial++) {
      const budget = [0.005, 0.01, 0.02][trial % 3];
      const startBits = 4 + (trial % 9);
      // At 1,000 images a gain needs two fewer wrong answers, at 400 one.
      const N = trial % 2 ? 400 : 1000;
      const walk = async (exhaustive: boolean, neighbourStop = true) => {
        const ev = new Landscape(t, trial, exhaustive, N);
        const scorer = new Scorer(g, ev, { method: 'paper', budget, baseline });
        const r = await walkTensor(scorer, floatConfig(g.nodes.length), t, budget, startBits, true, { neighbourStop });
        return { format: r.format, loss: r.loss, images: ev.imagesScored, frontier: frontierOf(scorer.records).map((p) => [p.calibration_loss, p.objective]) };
      };
      const a = await walk(false);
      const b = await walk(true);
      const c = await walk(false, false);
      expect({ trial, format: a.format, loss: a.loss }).toEqual({ trial, format: b.format, loss: b.loss });
      expect({ trial, format: a.format, frontier: a.frontier }).toEqual({ trial, format: c.format, frontier: c.frontier });
      fast += a.images;
      full += b.images;
      withStop += a.images;
      withoutStop += c.images;
    }
    // The early stops save work on these landscapes (not a timing: images scored), the
    // neighbourhood's own stop too.
    expect(fast).toBeLessThan(0.8 * full);
    expect(withStop).toBeLessThan(withoutStop);
  });
});
