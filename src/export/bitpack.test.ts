import { describe, expect, it } from 'vitest';
import type { Format } from '../core/format.ts';
import { formatRange } from '../core/format.ts';
import { seededRandom } from '../core/random.ts';
import { packBits, packedBytes, unpackBits } from './bitpack.ts';

function randomValues(f: Format, n: number, seed: number): number[] {
  const r = seededRandom(seed);
  const [lo, hi] = formatRange(f);
  // Extremes, zero and ±1 first, then uniform values over the whole range.
  const fixed = [lo, hi, 0, Math.min(1, hi), Math.max(-1, lo)];
  return Array.from({ length: n }, (_, i) => (i < fixed.length ? fixed[i] : lo + Math.floor(r() * (hi - lo + 1))));
}

describe('bit packing', () => {
  it('packs LSB-first, little-endian, two\'s complement', () => {
    const out = new Uint8Array(2);
    // 3-bit signed: -1 → 111 in bits 0–2, 2 → 010 in bits 3–5, -4 → 100 in bits 6–8, 1 → 001 in bits 9–11.
    packBits([-1, 2, -4, 1], { bits: 3, frac: 0, signed: true }, out);
    expect(Array.from(out)).toEqual([0b00010111, 0b00000011]);
    // 12-bit unsigned 0xABC then 0x123: bytes BC 3A 12.
    const b = new Uint8Array(3);
    packBits([0xabc, 0x123], { bits: 12, frac: 0, signed: false }, b);
    expect(Array.from(b)).toEqual([0xbc, 0x3a, 0x12]);
  });

  for (let bits = 1; bits <= 32; bits++) {
    for (const signed of [true, false]) {
      it(`round-trips ${bits}-bit ${signed ? 'signed' : 'unsigned'} values at an odd offset`, () => {
        const f = { bits, frac: 3, signed };
        const n = 37; // odd count: the last byte is partial for most widths
        const v = randomValues(f, n, bits * 2 + (signed ? 1 : 0));
        const bytes = packedBytes(bits, n);
        expect(bytes).toBe(Math.ceil((bits * n) / 8));
        const buf = new Uint8Array(bytes + 5);
        expect(packBits(v, f, buf, 3)).toBe(bytes);
        expect(buf[0] | buf[1] | buf[2]).toBe(0);
        const back = unpackBits(buf, 3, n, f);
        expect(Array.from(back)).toEqual(v);
      });
    }
  }

  it('refuses values outside the format and widths beyond 32 bits', () => {
    expect(() => packBits([4], { bits: 3, frac: 0, signed: true }, new Uint8Array(1))).toThrow(/outside/);
    expect(() => packBits([-1], { bits: 3, frac: 0, signed: false }, new Uint8Array(1))).toThrow(/outside/);
    expect(() => packBits([0], { bits: 33, frac: 0, signed: true }, new Uint8Array(8))).toThrow(/1 to 32/);
  });
});
