// Adapts the Wasm engine to the search's Evaluator: scores a configuration on a fixed image set
// with the engine's prefix cache at the first changed node and its early stop on wrong answers.
import type { QuantConfig } from '../core/config.ts';
import { firstDifference } from '../core/tensors.ts';
import { ConfigRangeError, type Engine } from '../engine/engine.ts';
import { FloatOutputs } from './distortion.ts';
import type { EvalOptions, EvalResult, Evaluator } from './evaluator.ts';

export interface ImageSet {
  /** N×H×W×C preprocessed floats. */
  images: Float32Array;
  /** Class per image (the float model's answers when the data is unlabeled). */
  labels: Int32Array;
  /** The float model's top-1 per image. */
  floatPredictions: Int32Array;
}

const countEqual = (a: ArrayLike<number>, b: ArrayLike<number>, n: number): number => {
  let k = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) k++;
  return k;
};

/** Images among the first n where the float model is wrong and `pred` is right. */
const countGained = (pred: ArrayLike<number>, labels: ArrayLike<number>, floatPred: ArrayLike<number>, n: number): number => {
  let k = 0;
  for (let i = 0; i < n; i++) if (pred[i] === labels[i] && floatPred[i] !== labels[i]) k++;
  return k;
};

interface Part {
  images: Float32Array;
  labels: Int32Array;
  floatPredictions: Int32Array;
  floatCorrect: number;
  /** The configuration the engine's cache for this part was last built under. */
  last: QuantConfig | null;
  /** The float model's outputs, computed on the first request for distortion. */
  floatOutputs: FloatOutputs | null;
}

export class EngineEvaluator implements Evaluator {
  readonly total: number;
  readonly proxyTotal: number;
  readonly floatCorrect: number;
  readonly floatProxyCorrect: number;
  /** Whether to use prefix caches and early stops (off only to measure what they save). */
  optimised = true;
  private readonly parts: Record<'full' | 'proxy', Part>;
  private readonly elems: number;

  constructor(private readonly engine: Engine, set: ImageSet, proxyTotal: number) {
    this.total = set.labels.length;
    this.elems = set.images.length / Math.max(1, this.total);
    this.proxyTotal = Math.max(1, Math.min(this.total, proxyTotal));
    const part = (n: number, images: Float32Array): Part => ({
      images,
      labels: set.labels.subarray(0, n),
      floatPredictions: set.floatPredictions.subarray(0, n),
      floatCorrect: countEqual(set.floatPredictions, set.labels, n),
      last: null,
      floatOutputs: null,
    });
    // The proxy gets its own array: the engine keys prefix caches by array identity.
    this.parts = {
      full: part(this.total, set.images),
      proxy: part(this.proxyTotal, set.images.slice(0, this.proxyTotal * this.elems)),
    };
    this.floatCorrect = this.parts.full.floatCorrect;
    this.floatProxyCorrect = this.parts.proxy.floatCorrect;
  }

  async evaluate(config: QuantConfig, opts: EvalOptions = {}): Promise<EvalResult> {
    const p = this.parts[opts.subset ?? 'full'];
    const n = p.labels.length;
    if (opts.distortion && !p.floatOutputs) {
      this.engine.setConfig({ nodes: config.nodes.map(() => ({})) });
      const logits = this.engine.logits(p.images);
      p.floatOutputs = new FloatOutputs(logits, logits.length / n);
    }
    try {
      this.engine.setConfig(config);
    } catch (e) {
      // A configuration whose exact sums would need more than 64 bits cannot run: to the search
      // it is simply unusable (every answer counted wrong), never a crash.
      if (e instanceof ConfigRangeError) return { correct: 0, agree: 0, gained: 0, total: n, stoppedEarly: true };
      throw e;
    }
    // Nothing before the first node whose formats changed since this part's last run can differ.
    const boundary = this.optimised ? Math.max(opts.firstChangedNode ?? 0, p.last ? firstDifference(p.last, config) : 0) : 0;
    const byFloat = opts.target === 'float';
    const r = this.engine.run(p.images, byFloat ? p.floatPredictions : p.labels, {
      startAt: this.optimised ? boundary : undefined,
      cacheAt: this.optimised && boundary > 0 ? boundary : undefined,
      maxErrors: this.optimised ? opts.maxErrors : undefined,
      signal: opts.signal,
      outputs: !!opts.distortion,
    });
    p.last = config;
    const seen = r.evaluated;
    const right = countEqual(r.predictions, p.labels, seen);
    const agree = countEqual(r.predictions, p.floatPredictions, seen);
    // Unseen images count as right: an upper bound, so the loss is a lower bound (EvalResult).
    const distortion = opts.distortion && r.outputs ? p.floatOutputs!.klSum(r.outputs, 0, seen) / n : undefined;
    return {
      correct: right + (n - seen), agree: agree + (n - seen), gained: countGained(r.predictions, p.labels, p.floatPredictions, seen),
      total: n, stoppedEarly: r.stoppedEarly,
      ...(distortion !== undefined ? { distortion } : {}),
    };
  }
}
