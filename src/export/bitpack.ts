// Integers packed at exactly their bit width (DESIGN.md §9): value i of a tensor occupies stream
// bits [i·bits, (i+1)·bits), stream bit k being bit (k mod 8) of byte ⌊k/8⌋ — LSB first, little
// endian. Signed values are stored in two's complement. A tensor starts at a byte boundary and
// takes ceil(bits·count / 8) bytes. Plain arithmetic instead of bitwise operators keeps 32-bit
// unsigned values exact.
import type { Format } from '../core/format.ts';
import { formatRange } from '../core/format.ts';

export const packedBytes = (bits: number, count: number): number => Math.ceil((bits * count) / 8);

/**
 * The pieces of the `bits`-bit field at stream bit `bit`, lowest first, one per byte it touches:
 * the byte, the field piece's shift within it, and 2^width of the piece.
 */
function forEachPiece(bit: number, bits: number, visit: (byte: number, shift: number, p: number) => void): void {
  for (let left = bits; left > 0;) {
    const shift = bit % 8;
    const n = Math.min(8 - shift, left);
    visit(Math.floor(bit / 8), shift, 2 ** n);
    bit += n;
    left -= n;
  }
}

export function checkPackFormat(f: Format): void {
  if (!Number.isInteger(f.bits) || f.bits < 1 || f.bits > 32) throw new RangeError(`cannot pack ${f.bits}-bit values (1 to 32 bits)`);
}

/** Packs `values` (integers in f's range) into `out` from byte `offset`; returns the bytes used. */
export function packBits(values: ArrayLike<number>, f: Format, out: Uint8Array, offset = 0): number {
  checkPackFormat(f);
  const bytes = packedBytes(f.bits, values.length);
  if (offset + bytes > out.length) throw new RangeError(`packing ${values.length} values needs ${bytes} bytes at ${offset}, the buffer holds ${out.length}`);
  const [lo, hi] = formatRange(f);
  const wrap = 2 ** f.bits;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`value ${v} at ${i} is outside the ${f.bits}-bit ${f.signed ? 'signed' : 'unsigned'} range`);
    let u = v < 0 ? v + wrap : v;
    forEachPiece(offset * 8 + i * f.bits, f.bits, (byte, shift, p) => {
      const chunk = u % p;
      out[byte] |= chunk * 2 ** shift;
      u = (u - chunk) / p;
    });
  }
  return bytes;
}

/** `count` values of format f from byte `offset`: Int32Array, or Uint32Array for unsigned 32-bit. */
export function unpackBits(src: Uint8Array, offset: number, count: number, f: Format): Int32Array | Uint32Array {
  checkPackFormat(f);
  const bytes = packedBytes(f.bits, count);
  if (offset + bytes > src.length) throw new RangeError(`unpacking ${count} values of ${f.bits} bits needs ${bytes} bytes at ${offset}, the data holds ${src.length}`);
  const out = f.bits === 32 && !f.signed ? new Uint32Array(count) : new Int32Array(count);
  const wrap = 2 ** f.bits;
  const half = 2 ** (f.bits - 1);
  for (let i = 0; i < count; i++) {
    let u = 0;
    let scale = 1;
    forEachPiece(offset * 8 + i * f.bits, f.bits, (byte, shift, p) => {
      u += (Math.floor(src[byte] / 2 ** shift) % p) * scale;
      scale *= p;
    });
    out[i] = f.signed && u >= half ? u - wrap : u;
  }
  return out;
}
