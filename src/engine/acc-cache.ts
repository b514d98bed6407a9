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

/** Caches by image set and node, within a memory budget (least recently used go first). */
export class AccCacheStore {
  private readonly all: { images: Float32Array; c: AccCache; used: number }[] = [];
  private clock = 0;

  constructor(private readonly maxBytes: number) {}

  get(images: Float32Array, node: number): AccCache | undefined {
    const e = this.all.find((x) => x.images === images && x.c.node === node);
    if (e) e.used = ++this.clock;
    return e?.c;
  }

  /**
   * A cache for `node` on `images` to fill from image 0, reusing that node's buffer when it has
   * the size; null when it cannot fit in the budget (then nothing is evicted).
   */
  start(images: Float32Array, node: number, key: string, imageBytes: number, count: number): AccCache | null {
    const bytes = imageBytes * count;
    if (bytes > this.maxBytes) return null;
    const at = this.all.findIndex((x) => x.images === images && x.c.node === node);
    if (at >= 0 && this.all[at].c.data.length === bytes) {
      const e = this.all[at];
      e.used = ++this.clock;
      return Object.assign(e.c, { key, count: 0 });
    }
    if (at >= 0) this.all.splice(at, 1);
    this.all.sort((a, b) => a.used - b.used);
    let used = this.all.reduce((s, x) => s + x.c.data.byteLength, 0);
    while (used + bytes > this.maxBytes && this.all.length) used -= this.all.shift()!.c.data.byteLength;
    const c: AccCache = { node, key, count: 0, imageBytes, data: new Uint8Array(bytes) };
    this.all.push({ images, c, used: ++this.clock });
    return c;
  }

  clear(): void {
    this.all.length = 0;
  }
}
