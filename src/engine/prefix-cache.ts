// Prefix caches: the activations entering a boundary node for one image set, kept between runs
// so a search that changes only node k and later can start there (DESIGN.md §6). A cache is
// valid while no node before its boundary changed formats (per-node versions).
import type { Graph } from '../core/graph.ts';
import { elementCount } from '../core/graph.ts';
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
  constructor(readonly boundary: number, private readonly versions: readonly number[], g: Graph, layout: Layout, domains: readonly Domain[], count: number) {
    for (const r of liveAt(layout, boundary)) {
      const elems = elementCount(g.nodes[r].shape);
      this.tensors.set(r, { data: cacheArray(domains[r], count * elems), elems });
    }
  }

  /** True while every node before the boundary still has the version it was cached under. */
  valid(versions: readonly number[]): boolean {
    for (let i = 0; i < this.boundary; i++) if (versions[i] !== this.versions[i]) return false;
    return true;
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
