// A run's final scores (Workspace.adopt) ask for the pick and the 8-bit baseline on every image
// set, but the search has usually scored them already on its own images (the baseline, the pick)
// and frontier on the confirmation images (the pick). An exact score of a configuration is the
// same whenever it is taken, so those come back from memory instead of a second pass.
import type { QuantConfig } from '../core/config.ts';
import { configKey } from '../core/tensors.ts';
import type { EvalOptions, EvalResult, Evaluator } from '../search/evaluator.ts';

type Counts = Pick<EvalResult, 'correct' | 'agree' | 'gained' | 'total'>;

/**
 * `inner` with a memory of its exact whole-set scores, by configuration (as evaluated: locks
 * applied). Only a question such a score answers as the evaluator would is answered from it:
 * the whole set, no early stop, no distortion. Everything else goes to `inner`.
 */
export class ExactScores implements Evaluator {
  private readonly seen = new Map<string, Counts>();
  /** Evaluations answered from memory. */
  reused = 0;

  constructor(private readonly inner: Evaluator) {}

  get total(): number {
    return this.inner.total;
  }

  get proxyTotal(): number {
    return this.inner.proxyTotal;
  }

  get floatCorrect(): number {
    return this.inner.floatCorrect;
  }

  get floatProxyCorrect(): number {
    return this.inner.floatProxyCorrect;
  }

  async evaluate(config: QuantConfig, opts: EvalOptions = {}): Promise<EvalResult> {
    const whole = (opts.subset ?? 'full') === 'full';
    const key = whole ? configKey(config) : '';
    const known = whole && opts.maxErrors === undefined && !opts.distortion ? this.seen.get(key) : undefined;
    if (known) {
      opts.signal?.throwIfAborted();
      this.reused++;
      return { ...known, stoppedEarly: false };
    }
    const r = await this.inner.evaluate(config, opts);
    if (whole && !r.stoppedEarly) {
      this.seen.set(key, { correct: r.correct, agree: r.agree, total: r.total, ...(r.gained !== undefined ? { gained: r.gained } : {}) });
    }
    return r;
  }
}
