// Adapts the Wasm engine to the search's Evaluator: scores a configuration on a fixed image set
// with the engine's prefix cache at the first changed node and its early stop on wrong answers.
//
// Hard images first: the full set is scored in an order that puts the images the float model
// gets wrong, then those it answers with the smallest margin, first. A rejected candidate then
// shows its surplus of wrong answers after a few batches instead of most of the set. Only the
// work changes: a complete score counts the same images (and sums distortion in the original
// order), and a stopped one still only says "more than maxErrors wrong", which every search
// reads as a rejection. The proxy keeps its order (it is the first proxyTotal images).
//
// The proxy is a prefix of the full set, and a search usually ranks a configuration on the proxy
// before it scores it on the whole set (frontier's greedy). The per-image answers (and
// distortions) of recent complete proxy scores are kept, and a full score of the same
// configuration runs only the other images: the same counts, and the same distortion sum (added
// image by image in the original order, as always). An early stop then counts the proxy's wrong
// answers first; it still only says "more than maxErrors wrong".
import type { QuantConfig } from '../core/config.ts';
import { configKey, firstDifference } from '../core/tensors.ts';
import { ConfigRangeError, type Engine, type RunResult } from '../engine/engine.ts';
import { FloatOutputs } from './distortion.ts';
import type { EvalOptions, EvalResult, Evaluator } from './evaluator.ts';

export interface ImageSet {
  /** N×H×W×C preprocessed floats. */
  images: Float32Array;
  /** Class per image (the float model's answers when the data is unlabeled). */
  labels: Int32Array;
  /** The float model's top-1 per image. */
  floatPredictions: Int32Array;
  /**
   * The float model's outputs, image-major, when already computed (app/load-data.ts): the
   * evaluator then needs no float pass of its own to order the images or measure distortion.
   */
  floatLogits?: Float32Array;
}

/** Nodes whose formats differ between two configurations (firstDifference, every one). */
function changedNodes(a: QuantConfig, b: QuantConfig): number[] {
  const out: number[] = [];
  for (let i = firstDifference(a, b); i < b.nodes.length; i = i + 1 + firstDifference(slice(a, i + 1), slice(b, i + 1))) out.push(i);
  return out;
}

const slice = (c: QuantConfig, from: number): QuantConfig => ({ nodes: c.nodes.slice(from) });

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
  /** Original index of each image when the part was reordered hard-first (null: original order). */
  order: Int32Array | null;
  /** The configuration the engine's cache for this part was last built under. */
  last: QuantConfig | null;
  /** The float model's outputs, computed on the first request for distortion. */
  floatOutputs: FloatOutputs | null;
  /** The float model's logits of the part's images in its order, when the set came with them. */
  floatLogits: Float32Array | null;
}

/** A complete proxy score's answers and, when measured, each image's distortion. */
interface ProxyAnswers {
  predictions: Int32Array;
  kl: Float64Array | null;
}

/** Complete proxy scores kept for reuse (a few KB each). */
const PROXY_ANSWERS_KEPT = 256;

export class EngineEvaluator implements Evaluator {
  readonly total: number;
  readonly proxyTotal: number;
  readonly floatCorrect: number;
  readonly floatProxyCorrect: number;
  /** Whether to use prefix caches and early stops (off only to measure what they save). */
  optimised = true;
  /** Whether to score the full set hard images first (see above; off to measure what it saves). */
  hardFirst = true;
  private readonly parts: Record<'full' | 'proxy', Part>;
  /** The full set's images after the proxy, built on the first full score that reuses a proxy score. */
  private rest: Part | null = null;
  private readonly proxyAnswers = new Map<string, ProxyAnswers>();
  private readonly elems: number;

  /**
   * `sharedErrors`: a counter of wrong answers shared with the other shards of a pool (reset by
   * the pool before each evaluation), so early stops look at the whole set's errors.
   */
  constructor(private readonly engine: Engine, set: ImageSet, proxyTotal: number, private readonly sharedErrors?: Int32Array) {
    this.total = set.labels.length;
    this.elems = set.images.length / Math.max(1, this.total);
    this.proxyTotal = Math.max(1, Math.min(this.total, proxyTotal));
    const classes = set.floatLogits ? set.floatLogits.length / Math.max(1, this.total) : 0;
    const part = (n: number, images: Float32Array): Part => ({
      images,
      labels: set.labels.subarray(0, n),
      floatPredictions: set.floatPredictions.subarray(0, n),
      floatCorrect: countEqual(set.floatPredictions, set.labels, n),
      order: null,
      last: null,
      floatOutputs: null,
      floatLogits: set.floatLogits ? set.floatLogits.subarray(0, n * classes) : null,
    });
    // A smaller proxy gets its own array: the engine keys prefix caches by array identity. One
    // as large as the set shares it (no copy of a large set): the same images, so the same caches.
    this.parts = {
      full: part(this.total, set.images),
      proxy: part(this.proxyTotal, this.proxyTotal < this.total ? set.images.slice(0, this.proxyTotal * this.elems) : set.images),
    };
    this.floatCorrect = this.parts.full.floatCorrect;
    this.floatProxyCorrect = this.parts.proxy.floatCorrect;
  }

  async evaluate(config: QuantConfig, opts: EvalOptions = {}): Promise<EvalResult> {
    const subset = opts.subset ?? 'full';
    // Reorder once, when an early stop is first asked for (held-out scoring never asks).
    if (subset === 'full' && this.optimised && this.hardFirst && opts.maxErrors !== undefined && !this.parts.full.order) this.reorder(this.parts.full);
    const key = this.optimised && this.proxyTotal < this.total ? configKey(config) : null;
    const known = key !== null && subset === 'full' ? this.proxyAnswers.get(key) : undefined;
    if (known && (known.kl || !opts.distortion)) return this.evaluateRest(config, opts, known);
    const p = this.parts[subset];
    const n = p.labels.length;
    this.prepareOutputs(p, !!opts.distortion);
    try {
      this.engine.setConfig(config);
    } catch (e) {
      // A configuration whose exact sums would need more than 64 bits cannot run: to the search
      // it is simply unusable (every answer counted wrong), never a crash.
      if (e instanceof ConfigRangeError) return { correct: 0, agree: 0, gained: 0, total: n, stoppedEarly: true };
      throw e;
    }
    const r = this.runPart(p, config, opts, opts.maxErrors);
    if (key !== null && subset === 'proxy' && r.evaluated === n) this.keepProxyAnswers(key, r.predictions, r.outputs);
    return this.result(p, r, opts, { right: 0, agree: 0, gained: 0, total: n });
  }

  /**
   * Runs the part's images under `config` (already set). The engine starts at the deepest of the
   * part's caches that is still valid, and keeps new ones at the nodes where this configuration
   * departs from the part's last one: a search that tries one change after another (at node s,
   * then t) finds a cache at each later.
   */
  private runPart(p: Part, config: QuantConfig, opts: EvalOptions, maxErrors: number | undefined): RunResult {
    const boundaries = !this.optimised ? [] : p.last ? changedNodes(p.last, config) : opts.firstChangedNode ? [opts.firstChangedNode] : [];
    const r = this.engine.run(p.images, opts.target === 'float' ? p.floatPredictions : p.labels, {
      startAt: this.optimised ? config.nodes.length : undefined,
      cacheAt: boundaries.length ? boundaries : undefined,
      maxErrors: this.optimised ? maxErrors : undefined,
      sharedErrors: this.sharedErrors,
      signal: opts.signal,
      outputs: !!opts.distortion,
    });
    p.last = config;
    return r;
  }

  /**
   * The score of a run over part `p`, added to counts already known (`before`: the proxy's, when
   * only the rest ran; `total` is the whole set's size). Unseen images count as right: an upper
   * bound, so the loss is a lower bound (EvalResult).
   */
  private result(p: Part, r: Pick<RunResult, 'predictions' | 'evaluated' | 'stoppedEarly' | 'outputs'>, opts: EvalOptions,
    before: { right: number; agree: number; gained: number; total: number; kl?: Float64Array }): EvalResult {
    const seen = r.evaluated, unseen = p.labels.length - seen, n = before.total;
    const distortion = opts.distortion ? this.klSum(p, r.outputs ?? new Float32Array(0), seen, before.kl) / n : undefined;
    return {
      correct: before.right + countEqual(r.predictions, p.labels, seen) + unseen,
      agree: before.agree + countEqual(r.predictions, p.floatPredictions, seen) + unseen,
      gained: before.gained + countGained(r.predictions, p.labels, p.floatPredictions, seen),
      total: n, stoppedEarly: r.stoppedEarly,
      ...(distortion !== undefined ? { distortion } : {}),
    };
  }

  /**
   * A full score when the proxy's answers under `config` are known: runs the images after the
   * proxy only (see the top of the file).
   */
  private evaluateRest(config: QuantConfig, opts: EvalOptions, known: ProxyAnswers): EvalResult {
    const rest = this.restPart();
    const proxy = this.parts.proxy;
    const P = this.proxyTotal;
    const before = {
      right: countEqual(known.predictions, proxy.labels, P),
      agree: countEqual(known.predictions, proxy.floatPredictions, P),
      gained: countGained(known.predictions, proxy.labels, proxy.floatPredictions, P),
      total: this.total,
      kl: known.kl ?? undefined,
    };
    const wrong0 = P - (opts.target === 'float' ? before.agree : before.right);
    if (this.sharedErrors) Atomics.add(this.sharedErrors, 0, wrong0);
    this.prepareOutputs(rest, !!opts.distortion);
    if (opts.maxErrors !== undefined && wrong0 > opts.maxErrors) {
      return this.result(rest, { predictions: new Int32Array(0), evaluated: 0, stoppedEarly: true }, opts, before);
    }
    this.engine.setConfig(config);
    // A pool's shared count already holds the proxy's wrong answers.
    const limit = opts.maxErrors === undefined || this.sharedErrors ? opts.maxErrors : opts.maxErrors - wrong0;
    return this.result(rest, this.runPart(rest, config, opts, limit), opts, before);
  }

  /**
   * The full set's images after the proxy, in the full set's order; `order` maps them to their
   * original index. Made once: if the first reuse comes before the set is put hard images first,
   * the rest keeps the original order (only the early stops' head start is lost).
   */
  private restPart(): Part {
    if (this.rest) return this.rest;
    const full = this.parts.full;
    const P = this.proxyTotal;
    const original = full.order ?? Int32Array.from({ length: this.total }, (_, i) => i);
    const at: number[] = [];
    original.forEach((src, j) => { if (src >= P) at.push(j); });
    const E = this.elems;
    const images = new Float32Array(at.length * E);
    at.forEach((j, k) => images.set(full.images.subarray(j * E, (j + 1) * E), k * E));
    const C = full.floatLogits ? full.floatLogits.length / Math.max(1, this.total) : 0;
    this.rest = {
      images,
      labels: Int32Array.from(at, (j) => full.labels[j]),
      floatPredictions: Int32Array.from(at, (j) => full.floatPredictions[j]),
      floatCorrect: 0,
      order: Int32Array.from(at, (j) => original[j]),
      last: null,
      floatOutputs: null,
      floatLogits: null,
    };
    if (full.floatLogits) {
      const logits = new Float32Array(at.length * C);
      at.forEach((j, k) => logits.set(full.floatLogits!.subarray(j * C, (j + 1) * C), k * C));
      this.rest.floatLogits = logits;
    }
    return this.rest;
  }

  private keepProxyAnswers(key: string, predictions: Int32Array, outputs: Float32Array | undefined): void {
    const p = this.parts.proxy;
    let kl: Float64Array | null = null;
    if (outputs && p.floatOutputs) {
      const C = p.floatOutputs.classes;
      kl = Float64Array.from({ length: p.labels.length }, (_, i) => p.floatOutputs!.klSum(outputs.subarray(i * C, (i + 1) * C), i, 1));
    }
    this.proxyAnswers.delete(key);
    this.proxyAnswers.set(key, { predictions, kl });
    if (this.proxyAnswers.size > PROXY_ANSWERS_KEPT) this.proxyAnswers.delete(this.proxyAnswers.keys().next().value!);
  }

  /** The float model's output distributions of the part, when distortion is asked for. */
  private prepareOutputs(p: Part, distortion: boolean): void {
    if (!distortion || p.floatOutputs) return;
    const logits = p.floatLogits ?? this.floatLogits(p.images);
    p.floatOutputs = new FloatOutputs(logits, logits.length / p.labels.length);
  }

  /**
   * Σ KL over the first `seen` images of the part, added in the images' original order; `known`
   * holds the per-image values of images scored before (the proxy's, ahead of the rest).
   */
  private klSum(p: Part, outputs: Float32Array, seen: number, known?: Float64Array): number {
    const fo = p.floatOutputs!;
    if (!p.order && !known) return fo.klSum(outputs, 0, seen);
    const C = fo.classes;
    const kl = new Float64Array(known ? this.total : p.labels.length).fill(NaN);
    if (known) kl.set(known);
    for (let j = 0; j < seen; j++) kl[p.order![j]] = fo.klSum(outputs.subarray(j * C, (j + 1) * C), j, 1);
    let sum = 0;
    for (let i = 0; i < kl.length; i++) if (!Number.isNaN(kl[i])) sum += kl[i];
    return sum;
  }

  /** The float model's outputs for `images` (engine.logits under the all-float configuration). */
  private floatLogits(images: Float32Array): Float32Array {
    this.engine.setConfig({ nodes: this.engine.nodeDomains().map(() => ({})) });
    return this.engine.logits(images);
  }

  /** Float-wrong images first, then by the float model's top-1 margin, smallest first (stable). */
  private reorder(p: Part): void {
    const n = p.labels.length;
    const logits = p.floatLogits ?? this.floatLogits(p.images);
    const C = logits.length / Math.max(1, n);
    const margin = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let top = -Infinity, second = -Infinity;
      for (let c = 0; c < C; c++) {
        const v = logits[i * C + c];
        if (v > top) { second = top; top = v; } else if (v > second) second = v;
      }
      margin[i] = (p.floatPredictions[i] !== p.labels[i] ? -Infinity : 0) + (top - second);
    }
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => margin[a] - margin[b] || a - b);
    const images = new Float32Array(p.images.length);
    order.forEach((src, j) => images.set(p.images.subarray(src * this.elems, (src + 1) * this.elems), j * this.elems));
    p.images = images;
    p.labels = Int32Array.from(order, (i) => p.labels[i]);
    p.floatPredictions = Int32Array.from(order, (i) => p.floatPredictions[i]);
    p.floatOutputs = null;
    const reordered = new Float32Array(logits.length);
    order.forEach((src, j) => reordered.set(logits.subarray(src * C, (src + 1) * C), j * C));
    p.floatLogits = reordered;
    p.last = null;
    p.order = order;
  }
}
