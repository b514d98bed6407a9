// Placement of activations in the static arena: values live at once never share bytes, 16-bit
// values sit at even offsets, and on chains the arena is exactly the most bytes live at once.
import { describe, expect, it } from 'vitest';
import type { ArenaValue } from './arena.ts';
import { planArena } from './arena.ts';

const chain = (sizes: number[]): ArenaValue[] => sizes.map((bytes, i) => ({ bytes, align: 1, from: i, to: i === sizes.length - 1 ? sizes.length : i + 1 }));

function checkDisjoint(values: ArenaValue[], offsets: number[]) {
  values.forEach((a, i) => values.forEach((b, j) => {
    if (i >= j || a.to < b.from || b.to < a.from) return;
    const apart = offsets[i] + a.bytes <= offsets[j] || offsets[j] + b.bytes <= offsets[i];
    expect(apart, `values ${i} and ${j} overlap in time and in bytes`).toBe(true);
  }));
}

describe('planArena', () => {
  it('reaches the lower bound on a chain where alternating two buffers would not', () => {
    // Two buffers used in turn need 100 + 100; at most 101 bytes are ever live.
    const v = chain([100, 1, 1, 100]);
    const p = planArena(v);
    expect(p.lowerBound).toBe(101);
    expect(p.bytes).toBe(101);
    checkDisjoint(v, p.offsets);
  });

  it('keeps a branch alive across its sibling and aligns 16-bit values', () => {
    // 0 feeds 1 and 3 (a residual add at 3); 2-byte values at odd positions would misalign.
    const v: ArenaValue[] = [
      { bytes: 7, align: 1, from: 0, to: 3 },
      { bytes: 10, align: 2, from: 1, to: 2 },
      { bytes: 6, align: 2, from: 2, to: 3 },
      { bytes: 8, align: 2, from: 3, to: 4 },
    ];
    const p = planArena(v);
    checkDisjoint(v, p.offsets);
    v.forEach((x, i) => expect(p.offsets[i] % x.align).toBe(0));
    expect(p.bytes % 2).toBe(0);
    expect(p.bytes).toBeGreaterThanOrEqual(p.lowerBound);
    expect(p.lowerBound).toBe(7 + 10 + 6);
  });

  it('is empty for no values', () => {
    expect(planArena([])).toEqual({ offsets: [], bytes: 0, lowerBound: 0 });
  });
});
