// Accumulator caches: a conv2d/dense node's sums Σ x·w before its epilogue, kept for one
// image set. A search step that changes only the node's bias, scale, shift or output format
// (the paper method's bias walk, its epilogue scales, frontier's steps on those tensors) leaves
// the node's inputs and weights, hence these sums, unchanged: the run then restores them and
// applies the epilogue alone, skipping the node's im2col and GEMM. Valid while the formats of
// every earlier node and the node's weight format are those the sums were computed under.

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

/** At most one cache per image set, all of them within a memory budget. */
export class AccCacheStore {
  private readonly sets = new Map<Float32Array, AccCache>();

  constructor(private readonly maxBytes: number) {}

  get(images: Float32Array): AccCache | undefined {
    return this.sets.get(images);
  }

  /**
   * A cache for `node` on `images` to fill from image 0, reusing the set's buffer when it has
   * the same node; null when it would not fit in the budget (other sets' caches go first).
   */
  start(images: Float32Array, node: number, key: string, imageBytes: number, count: number): AccCache | null {
    if (imageBytes * count > this.maxBytes) return null; // never fits: keep the other sets' caches
    const old = this.sets.get(images);
    const c: AccCache = old && old.node === node && old.data.length === imageBytes * count
      ? Object.assign(old, { key, count: 0 })
      : { node, key, count: 0, imageBytes, data: new Uint8Array(0) };
    if (c !== old) {
      this.sets.delete(images);
      const bytes = imageBytes * count;
      let used = [...this.sets.values()].reduce((s, x) => s + x.data.byteLength, 0);
      for (const [set, x] of this.sets) {
        if (used + bytes <= this.maxBytes) break;
        this.sets.delete(set);
        used -= x.data.byteLength;
      }
      if (used + bytes > this.maxBytes) return null;
      (c as { data: Uint8Array }).data = new Uint8Array(bytes);
    }
    this.sets.set(images, c);
    return c;
  }

  clear(): void {
    this.sets.clear();
  }
}
