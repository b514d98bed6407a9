// One memory budget for all of an engine's caches: the prefix caches (activations entering a
// node, prefix-cache.ts) and the accumulator caches (a node's sums, acc-cache.ts) compete for
// the same bytes, and the least recently used entry of either kind goes first. One number then
// says what an engine may hold, which is what a pool of engines must divide between its workers.

/** A cached thing a store keeps under the budget. */
export interface BudgetEntry {
  readonly bytes: number;
  /** Budget clock at the last use (least recently used go first). */
  used: number;
}

/** A cache store under the budget: what it holds, and how to drop one entry. */
export interface BudgetedStore {
  entries(): Iterable<BudgetEntry>;
  evict(e: BudgetEntry): void;
}

/** Default for EngineOptions.cacheBytes. */
export const DEFAULT_CACHE_BYTES = 448 * 2 ** 20;

export class CacheBudget {
  private clock = 0;
  private readonly stores: BudgetedStore[] = [];

  constructor(public maxBytes: number) {}

  register(store: BudgetedStore): void {
    this.stores.push(store);
  }

  touch(e: BudgetEntry): void {
    e.used = ++this.clock;
  }

  /** Bytes held by every store. */
  get bytes(): number {
    let n = 0;
    for (const s of this.stores) for (const e of s.entries()) n += e.bytes;
    return n;
  }

  /**
   * Evicts least recently used entries of every store (never `keep`) until `extra` more bytes
   * fit; false when they cannot (then what was evicted stays evicted).
   */
  fit(extra: number, keep?: BudgetEntry): boolean {
    if (extra > this.maxBytes) return false;
    const all = this.stores.flatMap((s) => [...s.entries()].map((e) => ({ s, e }))).sort((a, b) => a.e.used - b.e.used);
    let used = extra + all.reduce((n, x) => n + x.e.bytes, 0);
    for (const { s, e } of all) {
      if (used <= this.maxBytes) break;
      if (e === keep) continue;
      s.evict(e);
      used -= e.bytes;
    }
    return used <= this.maxBytes;
  }
}
