// Splits the search images across several engines (worker threads, Web Workers): each shard
// scores its images and the pool adds them up. Images are dealt round-robin, so the proxy (the
// first proxyTotal images) is spread evenly and is the same subset whatever the shard count.
import type { QuantConfig } from '../core/config.ts';
import type { EvalOptions, EvalResult, Evaluator } from './evaluator.ts';
import type { FloatPass } from './float-pass.ts';

/** One shard: an evaluator over its own images, behind any transport. */
export interface Shard {
  /** `set`: which of the shard's image sets (0, the default: the search images). */
  evaluate(config: QuantConfig, opts: Omit<EvalOptions, 'signal'>, set?: number): Promise<EvalResult>;
  /** By set: the float pass the shard ran of its images when it started (null: the set came with one). */
  readonly floatPasses: readonly (FloatPass | null)[];
  close(): void;
}

export interface ShardSet {
  images: Float32Array;
  labels: Int32Array;
  floatPredictions: Int32Array;
  /** The float model's outputs, image-major, when known (engine-evaluator.ts ImageSet). */
  floatLogits?: Float32Array;
  proxyTotal: number;
}

/** Rows k, k+n, k+2n, … of `a` (rows of `width` values): shard k's part of an image-major array. */
export function dealRows<T extends Float32Array | Int32Array>(a: T, width: number, k: number, n: number): T {
  const rows = a.length / Math.max(1, width);
  const out = new (a.constructor as new (length: number) => T)(Math.max(0, Math.ceil((rows - k) / n)) * width);
  for (let i = k, j = 0; i < rows; i += n, j++) out.set(a.subarray(i * width, (i + 1) * width), j * width);
  return out;
}

/** The inverse of dealRows over all n shards: their parts back in the set's order. */
export function gatherRows<T extends Float32Array | Int32Array>(parts: T[], width: number): T {
  const n = parts.length;
  const out = new (parts[0].constructor as new (length: number) => T)(parts.reduce((k, p) => k + p.length, 0));
  parts.forEach((p, k) => {
    for (let j = 0; j * width < p.length; j++) out.set(p.subarray(j * width, (j + 1) * width), (k + j * n) * width);
  });
  return out;
}

/** Shard k of n: images k, k+n, k+2n, …; its proxy is those among the first proxyTotal. */
export function dealShard(set: ShardSet, k: number, n: number): ShardSet {
  const total = set.labels.length;
  const elems = set.images.length / Math.max(1, total);
  const logits = set.floatLogits;
  return {
    images: dealRows(set.images, elems, k, n),
    ...(logits ? { floatLogits: dealRows(logits, logits.length / Math.max(1, total), k, n) } : {}),
    labels: dealRows(set.labels, 1, k, n),
    floatPredictions: dealRows(set.floatPredictions, 1, k, n),
    proxyTotal: Math.max(0, Math.ceil((Math.min(total, set.proxyTotal) - k) / n)),
  };
}

export class PoolEvaluator implements Evaluator {
  readonly total: number;
  readonly proxyTotal: number;
  readonly floatCorrect: number;
  readonly floatProxyCorrect: number;

  /**
   * `sharedErrors`: the shards' common count of wrong answers (engine RunOptions.sharedErrors), if
   * any. `index`: which of the shards' image sets this scores. `sets`: evaluators on the other
   * sets the same shards hold (shard-protocol.ts startPool), by name. `floatPasses`: the float
   * passes of those sets the shards ran, gathered in each set's order.
   */
  constructor(
    private readonly shards: Shard[], set: ShardSet, private readonly sharedErrors?: Int32Array, private readonly index = 0,
    readonly sets: Readonly<Record<string, PoolEvaluator>> = {}, readonly floatPasses: Readonly<Record<string, FloatPass>> = {},
  ) {
    this.total = set.labels.length;
    this.proxyTotal = Math.max(1, Math.min(this.total, set.proxyTotal));
    let full = 0, proxy = 0;
    for (let i = 0; i < this.total; i++) {
      if (set.labels[i] !== set.floatPredictions[i]) continue;
      full++;
      if (i < this.proxyTotal) proxy++;
    }
    this.floatCorrect = full;
    this.floatProxyCorrect = proxy;
  }

  async evaluate(config: QuantConfig, opts: EvalOptions = {}): Promise<EvalResult> {
    opts.signal?.throwIfAborted();
    const { signal: _s, ...rest } = opts;
    if (this.sharedErrors) Atomics.store(this.sharedErrors, 0, 0);
    // A shard stops once the wrong answers of all of them pass the limit (or, without a shared
    // counter, its own do): never too early, and the sum of what they saw is over the limit.
    const parts = await Promise.all(this.shards.map((s) => s.evaluate(config, rest, this.index)));
    opts.signal?.throwIfAborted();
    const sum = parts.reduce((a, p) => ({
      correct: a.correct + p.correct, agree: a.agree + p.agree, gained: (a.gained ?? 0) + (p.gained ?? 0), total: a.total + p.total,
      stoppedEarly: a.stoppedEarly || p.stoppedEarly,
    }), { correct: 0, agree: 0, gained: 0, total: 0, stoppedEarly: false });
    // Each shard's distortion is a mean over its own images: weight by their share.
    if (!parts.every((p) => p.distortion !== undefined)) return sum;
    return { ...sum, distortion: parts.reduce((d, p) => d + p.distortion! * p.total, 0) / Math.max(1, sum.total) };
  }

  close(): void {
    for (const s of this.shards) s.close();
  }
}
