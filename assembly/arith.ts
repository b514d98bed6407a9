// Exact integer helpers shared by the integer kernels (DESIGN.md §4). The TypeScript side
// (src/engine/prepare.ts) proves the magnitude bounds these rely on before a kernel is chosen.

/** Activation codes shared with src/engine/kernels.ts. */
export const ACT_LINEAR = 0;
export const ACT_RELU = 1;
export const ACT_RELU_MAX = 2;
export const ACT_LEAKY = 3;

/**
 * sat(shiftRound(a, s)) to [lo, hi], for |a| < 2^62 and an output of at most 17 bits.
 * A left shift first clamps a to ±2^(17-t): anything larger saturates a ≤ 17-bit range after
 * the shift anyway, and the clamp keeps the shift from overflowing.
 */
@inline export function requant64(a: i64, s: i32, lo: i32, hi: i32): i32 {
  let r: i64;
  if (s > 0) {
    r = s > 62 ? 0 : (a + (<i64>1 << (s - 1))) >> s;
  } else {
    const t = -s < 17 ? -s : 17;
    const b = <i64>1 << (17 - t);
    const c = a < -b ? -b : a > b ? b : a;
    r = c << t;
  }
  return r < <i64>lo ? lo : r > <i64>hi ? hi : <i32>r;
}

/** Activation on an exact accumulator with `frac` fractional bits; maxQ is the relu ceiling. */
@inline export function act64(v: i64, act: i32, maxQ: i64, alpha: i32): i64 {
  if (act == ACT_RELU) return v < 0 ? 0 : v;
  if (act == ACT_RELU_MAX) return v < 0 ? 0 : v > maxQ ? maxQ : v;
  if (act == ACT_LEAKY) return v < 0 ? (v * <i64>alpha + 16384) >> 15 : v;
  return v;
}

/** floor(a / b) for b > 0. */
@inline export function floorDiv64(a: i64, b: i64): i64 {
  const q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}
