// Accumulator caches: a conv2d/dense node's sums Σ x·w before its epilogue, kept for one
// image set. A search step that changes only the node's bias, scale, shift or output format
// (the paper method's bias walk, its epilogue scales, frontier's steps on those tensors) leaves
// the node's inputs and weights, hence these sums, unchanged: the run then restores them and
// applies the epilogue alone, skipping the node's im2col and GEMM. Valid while the formats of
// every earlier node and the node's weight format are those the sums were computed under.

import type { BudgetedStore, BudgetEntry, CacheBudget } from './cache-budget.ts';

/**
 * One node's accumulators (float32, int32 or int64, as its kernel path leaves them) for the first
 * `count` images of a set, as raw bytes: `imageBytes` per image.
 */
export interface AccCache {
  readonly node: number;
  key: string;
  count: number;
  readonly imageBytes: number;
  readonly data: Uint8Array;
}

/** Caches by image set and node, under the engine's cache budget (cache-budget.ts). */
export class AccCacheStore implements BudgetedStore {
  private readonly all: { images: Float32Array; c: AccCache; used: number; bytes: number }[] = [];

  constructor(private readonly budget: CacheBudget) {
    budget.register(this);
  }

  entries(): Iterable<BudgetEntry> {
    return this.all;
  }

  evict(e: BudgetEntry): void {
    const at = this.all.indexOf(e as (typeof this.all)[number]);
    if (at >= 0) this.all.splice(at, 1);
  }

  get(images: Float32Array, node: number): AccCache | undefined {
    const e = this.all.find((x) => x.images === images && x.c.node === node);
    if (e) this.budget.touch(e);
    return e?.c;
  }

  /**
   * A cache for `node` on `images` to fill from image 0, reusing that node's buffer when it has
   * the size; null when it cannot fit in the budget.
   */
  start(images: Float32Array, node: number, key: string, imageBytes: number, count: number): AccCache | null {
    const bytes = imageBytes * count;
    if (bytes > this.budget.maxBytes) return null;
    const at = this.all.findIndex((x) => x.images === images && x.c.node === node);
    if (at >= 0 && this.all[at].c.data.length === bytes) {
      const e = this.all[at];
      this.budget.touch(e);
      return Object.assign(e.c, { key, count: 0 });
    }
    if (at >= 0) this.all.splice(at, 1);
    if (!this.budget.fit(bytes)) return null;
    const c: AccCache = { node, key, count: 0, imageBytes, data: new Uint8Array(bytes) };
    const e = { images, c, used: 0, bytes };
    this.budget.touch(e);
    this.all.push(e);
    return c;
  }

  clear(): void {
    this.all.length = 0;
  }
}
