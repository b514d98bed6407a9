// Tensor-level quantization helpers shared by the engine (src/engine) and the reference
// (reference.ts): one definition of every rounding, so both agree to the bit (DESIGN.md §4).
import type { Activation } from './graph.ts';
import type { Format } from './format.ts';
import { formatRange, quantizeValue } from './format.ts';

/** q = sat(floor(x·2^frac + 0.5)) for every element. */
export function quantizeTensor(x: ArrayLike<number>, f: Format): Int32Array {
  const q = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) q[i] = quantizeValue(x[i], f);
  return q;
}

/** float32(q·2^-frac): exact for |q| < 2^24 (every ≤ 16-bit format), rounded for wider biases. */
export function dequantizeTensor(q: ArrayLike<number>, f: Format): Float32Array {
  const scale = 2 ** -f.frac;
  const x = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) x[i] = q[i] * scale;
  return x;
}

/** The float32 values a float-mode node uses for a parameter: dequantized when it has a format. */
export function effectiveParam(x: Float32Array, f: Format | null | undefined): Float32Array {
  return f ? dequantizeTensor(quantizeTensor(x, f), f) : x;
}

/** shiftRound(a, s) exactly (DESIGN.md §4): s > 0 rounds half up, s ≤ 0 shifts left. */
export function shiftRoundBig(a: bigint, s: number): bigint {
  if (s > 0) return (a + (1n << BigInt(s - 1))) >> BigInt(s);
  return a << BigInt(-s);
}

export function saturateBig(a: bigint, f: Format): number {
  const [lo, hi] = formatRange(f);
  return a < BigInt(lo) ? lo : a > BigInt(hi) ? hi : Number(a);
}

/** Leaky-ReLU slope as Q(16, 15) (DESIGN.md §4). */
export const SLOPE_FORMAT: Format = { bits: 16, frac: 15, signed: true };
export const slopeQ = (alpha: number): number => quantizeValue(alpha, SLOPE_FORMAT);

/** relu ceiling at `frac` fractional bits: round-half-up(max·2^frac), or null without a ceiling. */
export function reluCeilQ(a: Activation, frac: number): bigint | null {
  if (a.type !== 'relu' || a.max === undefined || !Number.isFinite(a.max)) return null;
  return BigInt(Math.floor(a.max * 2 ** frac + 0.5));
}

/** The activation applied to an exact integer accumulator with `frac` fractional bits. */
export function activateBig(v: bigint, a: Activation, frac: number): bigint {
  if (a.type === 'relu') {
    let r = v < 0n ? 0n : v;
    const ceil = reluCeilQ(a, frac);
    if (ceil !== null && r > ceil) r = ceil;
    return r;
  }
  if (a.type === 'leakyRelu') return v < 0n ? shiftRoundBig(v * BigInt(slopeQ(a.alpha)), 15) : v;
  return v;
}

/** The activation in float32, in the engine's order (relu ceiling and slope as float32). */
export function activateF32(v: number, a: Activation): number {
  if (a.type === 'relu') {
    const r = v > 0 ? v : 0;
    if (a.max === undefined || !Number.isFinite(a.max)) return r;
    const m = Math.fround(a.max);
    return m < r ? m : r;
  }
  if (a.type === 'leakyRelu') return v < 0 ? Math.fround(v * Math.fround(a.alpha)) : v;
  return v;
}
