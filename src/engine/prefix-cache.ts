// Prefix caches: the activations entering a boundary node for one image set, kept between runs
// so a search that changes only node k and later can start there (DESIGN.md §6). A cache is
// valid while every node before its boundary has the formats it was built under (compared by
// their keys, so a node changed and changed back makes its caches valid again). An image set
// keeps caches at several boundaries: a greedy search that jumps between nodes starts each
// run at the deepest one that is valid.
import type { Graph } from '../core/graph.ts';
import { elementCount } from '../core/graph.ts';
import type { BudgetedStore, BudgetEntry, CacheBudget } from './cache-budget.ts';
import type { Layout } from './layout.ts';
import type { Domain } from './prepare.ts';

type CacheArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array;

export class PrefixCache {
  /** Images cached, from the first image of the set. */
  count = 0;
  private readonly tensors = new Map<number, { data: CacheArray; elems: number }>();

  /**
   * Room for `count` images of every tensor live at `boundary`, in the narrowest array its
   * domain allows; `versions` are the node versions the cached values were computed under.
   */
  /** Budget clock at the last use (least recently used caches go first). */
  used = 0;

  constructor(readonly boundary: number, private readonly keys: readonly string[], g: Graph, layout: Layout, domains: readonly Domain[], count: number) {
    for (const r of liveAt(layout, boundary)) {
      const elems = elementCount(g.nodes[r].shape);
      this.tensors.set(r, { data: cacheArray(domains[r], count * elems), elems });
    }
  }

  /** True while every node before the boundary has the formats (keys) it was cached under. */
  valid(keys: readonly string[]): boolean {
    for (let i = 0; i < this.boundary; i++) if (keys[i] !== this.keys[i]) return false;
    return true;
  }

  get bytes(): number {
    let b = 0;
    for (const t of this.tensors.values()) b += t.data.byteLength;
    return b;
  }

  /** Copies the live tensors of batch images b0 … b0+nb-1 out of Wasm memory. */
  save(mem: ArrayBuffer, layout: Layout, b0: number, nb: number): void {
    for (const [r, t] of this.tensors) {
      const ptr = layout.buffer[r] >> 2;
      const src = t.data instanceof Float32Array ? new Float32Array(mem) : new Int32Array(mem);
      t.data.set(src.subarray(ptr, ptr + nb * t.elems), b0 * t.elems);
    }
  }

  /** Puts them back into the batch buffers. */
  restore(mem: ArrayBuffer, layout: Layout, b0: number, nb: number): void {
    for (const [r, t] of this.tensors) {
      const ptr = layout.buffer[r] >> 2;
      const dst = t.data instanceof Float32Array ? new Float32Array(mem) : new Int32Array(mem);
      dst.set(t.data.subarray(b0 * t.elems, (b0 + nb) * t.elems), ptr);
    }
  }
}

/** Every image set's caches, under the engine's cache budget (cache-budget.ts) and at most `maxPerSet` a set. */
export class PrefixCacheStore implements BudgetedStore {
  private readonly sets = new Map<Float32Array, PrefixCache[]>();

  constructor(private readonly budget: CacheBudget, private readonly maxPerSet = 8) {
    budget.register(this);
  }

  *entries(): Iterable<BudgetEntry> {
    for (const list of this.sets.values()) yield* list;
  }

  evict(e: BudgetEntry): void {
    for (const [set, list] of this.sets) {
      if (list.includes(e as PrefixCache)) this.sets.set(set, list.filter((x) => x !== e));
    }
  }

  /** Valid caches of a set with boundary ≤ startAt, deepest first. */
  usable(images: Float32Array, keys: readonly string[], startAt: number): PrefixCache[] {
    return (this.sets.get(images) ?? []).filter((c) => c.boundary <= startAt && c.valid(keys)).sort((a, b) => b.boundary - a.boundary);
  }

  /** The valid cache at exactly `boundary` holding at least `count` images, if any. */
  complete(images: Float32Array, keys: readonly string[], boundary: number, count: number): PrefixCache | undefined {
    return this.sets.get(images)?.find((c) => c.boundary === boundary && c.count >= count && c.valid(keys));
  }

  touch(c: PrefixCache): void {
    this.budget.touch(c);
  }

  /** Adds a cache (replacing the set's other one at its boundary), then evicts down to the budget. */
  add(images: Float32Array, c: PrefixCache): void {
    const list = (this.sets.get(images) ?? []).filter((x) => x.boundary !== c.boundary);
    list.push(c);
    this.touch(c);
    list.sort((a, b) => b.used - a.used);
    this.sets.set(images, list.slice(0, this.maxPerSet));
    if (!this.budget.fit(0, c)) this.evict(c);
  }

  clear(images?: Float32Array): void {
    if (images) this.sets.delete(images);
    else this.sets.clear();
  }
}

/** Bytes a PrefixCache at `boundary` would hold for `count` images (its arrays are made at once). */
export function prefixCacheBytes(boundary: number, g: Graph, layout: Layout, domains: readonly Domain[], count: number): number {
  let bytes = 0;
  for (const r of liveAt(layout, boundary)) bytes += count * elementCount(g.nodes[r].shape) * elementBytes(domains[r]);
  return bytes;
}

function elementBytes(d: Domain): number {
  if (d.kind === 'float') return 4;
  return d.format.bits <= 8 ? 1 : d.format.bits <= 16 ? 2 : 4;
}

/** Root tensors computed before node c and read at or after it. */
function liveAt(layout: Layout, c: number): number[] {
  const { root, lastUse } = layout;
  const out: number[] = [];
  for (let p = 0; p < c; p++) if (root[p] === p && lastUse[p] >= c) out.push(p);
  return out;
}

function cacheArray(d: Domain, len: number): CacheArray {
  if (d.kind === 'float') return new Float32Array(len);
  const { bits, signed } = d.format;
  if (bits <= 8) return signed ? new Int8Array(len) : new Uint8Array(len);
  if (bits <= 16) return signed ? new Int16Array(len) : new Uint16Array(len);
  return new Int32Array(len);
}
