// C integer types and literals for the generated code. Storage arrays use the smallest type that
// holds a format; arithmetic runs in int32_t or int64_t, chosen per value from a proven bound
// on its magnitude (exact BigInt arithmetic on the actual quantized parameters).
import type { Format } from '../../core/format.ts';
import { formatRange } from '../../core/format.ts';

export type StorageType = 'int8_t' | 'uint8_t' | 'int16_t' | 'uint16_t' | 'int32_t' | 'uint32_t';
export type ArithType = 'int32_t' | 'int64_t';

export const MAX32 = (1n << 31n) - 1n;
export const MAX64 = (1n << 63n) - 1n;

export function storageType(f: Format): StorageType {
  const width = f.bits <= 8 ? 8 : f.bits <= 16 ? 16 : 32;
  return `${f.signed ? '' : 'u'}int${width}_t` as StorageType;
}

export const typeMax = (t: ArithType): bigint => (t === 'int32_t' ? MAX32 : MAX64);

/** The narrower arithmetic type whose range holds ±bound, or null beyond 63 bits. */
export function arithFor(bound: bigint): ArithType | null {
  return bound <= MAX32 ? 'int32_t' : bound <= MAX64 ? 'int64_t' : null;
}

export const wider = (a: ArithType, b: ArithType): ArithType => (a === 'int64_t' || b === 'int64_t' ? 'int64_t' : 'int32_t');

export function formatBounds(f: Format): { lo: bigint; hi: bigint; maxAbs: bigint } {
  const [lo, hi] = formatRange(f);
  return { lo: BigInt(lo), hi: BigInt(hi), maxAbs: BigInt(Math.max(-lo, hi)) };
}

/**
 * A decimal literal whose value is exact in `t`. Plain decimals are never unsigned in C99, so
 * comparisons stay signed; the most negative values are written as expressions.
 */
export function lit(v: bigint, t: ArithType): string {
  if (t === 'int64_t') {
    if (v === -(1n << 63n)) return 'INT64_MIN';
    return v < 0n ? `-INT64_C(${-v})` : `INT64_C(${v})`;
  }
  if (v === -(1n << 31n)) return 'INT32_MIN';
  // Beyond ±32767 a plain decimal may be long on 16-bit-int targets; the value is the same.
  return `${v}`;
}

/** Array element literal for a storage type. */
export function elementLit(v: number, t: StorageType): string {
  if (t === 'int32_t' && v === -2147483648) return 'INT32_MIN';
  if (t === 'uint32_t' && v > 2147483647) return `${v}u`;
  return `${v}`;
}

export const big = (n: number): bigint => BigInt(n);
export const absBig = (v: bigint): bigint => (v < 0n ? -v : v);
export const maxBig = (xs: Iterable<bigint>): bigint => {
  let m = 0n;
  for (const x of xs) if (x > m) m = x;
  return m;
};

/** shiftRound(a, s) of DESIGN.md §4 on exact integers. */
export function shiftRoundExact(a: bigint, s: number): bigint {
  if (s > 0) return (a + (1n << BigInt(s - 1))) >> BigInt(s);
  return a << BigInt(-s);
}
