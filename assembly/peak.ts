// Peak throughput probes for the benchmark (src/app/bench/engine-core.ts): the engine's inner
// instruction in a tight loop on registers, 8 independent accumulators, no memory traffic.
// Returns a checksum so the loop is not optimised away. MACs = iters · 8 · 8 (i16) or · 16 (i8).
// The four operand vectors rotate every iteration, so no product is loop-invariant: a compiler
// may hoist invariant ones out of the loop, and the probe would then time the adds alone (the
// f32 probe did: the engine's float GEMM ran at 1.2× its "peak" in Node).

export function peak_dot_i16(iters: i32, seed: i32): i32 {
  let x = i16x8.splat(<i16>seed), y = i16x8.splat(<i16>(seed + 1)), z = i16x8.splat(<i16>(seed + 2)), u = i16x8.splat(<i16>(seed + 3));
  let a0 = i32x4.splat(0), a1 = i32x4.splat(1), a2 = i32x4.splat(2), a3 = i32x4.splat(3);
  let a4 = i32x4.splat(4), a5 = i32x4.splat(5), a6 = i32x4.splat(6), a7 = i32x4.splat(7);
  for (let i = 0; i < iters; i++) {
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x, y));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(y, z));
    a2 = i32x4.add(a2, i32x4.dot_i16x8_s(z, u));
    a3 = i32x4.add(a3, i32x4.dot_i16x8_s(u, x));
    a4 = i32x4.add(a4, i32x4.dot_i16x8_s(x, z));
    a5 = i32x4.add(a5, i32x4.dot_i16x8_s(y, u));
    a6 = i32x4.add(a6, i32x4.dot_i16x8_s(x, x));
    a7 = i32x4.add(a7, i32x4.dot_i16x8_s(y, y));
    const t = x; x = y; y = z; z = u; u = t;
  }
  const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
  return i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 3);
}

export function peak_f32(iters: i32, seed: f32): f32 {
  let x = f32x4.splat(seed), y = f32x4.splat(seed * 0.5), z = f32x4.splat(seed * 0.25), u = f32x4.splat(seed * 0.75);
  let a0 = f32x4.splat(0), a1 = f32x4.splat(1), a2 = f32x4.splat(2), a3 = f32x4.splat(3);
  let a4 = f32x4.splat(4), a5 = f32x4.splat(5), a6 = f32x4.splat(6), a7 = f32x4.splat(7);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.add(a0, f32x4.mul(x, y));
    a1 = f32x4.add(a1, f32x4.mul(y, z));
    a2 = f32x4.add(a2, f32x4.mul(z, u));
    a3 = f32x4.add(a3, f32x4.mul(u, x));
    a4 = f32x4.add(a4, f32x4.mul(x, z));
    a5 = f32x4.add(a5, f32x4.mul(y, u));
    a6 = f32x4.add(a6, f32x4.mul(x, x));
    a7 = f32x4.add(a7, f32x4.mul(y, y));
    const t = x; x = y; y = z; z = u; u = t;
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return f32x4.extract_lane(s, 0);
}

/**
 * The relaxed build's inner step (gemm-int.ts dotI8: i16x8.relaxed_dot_i8x16_i7x16_s and a
 * pairwise widening add, 16 MACs) on registers; -1 in the plain SIMD build.
 */
export function peak_dot_i8(iters: i32, seed: i32): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    let x = i8x16.splat(<i8>(seed & 63)), y = i8x16.splat(<i8>((seed + 1) & 63)), z = i8x16.splat(<i8>((seed + 2) & 63)), u = i8x16.splat(<i8>((seed + 3) & 63));
    let a0 = i32x4.splat(0), a1 = i32x4.splat(1), a2 = i32x4.splat(2), a3 = i32x4.splat(3);
    let a4 = i32x4.splat(4), a5 = i32x4.splat(5), a6 = i32x4.splat(6), a7 = i32x4.splat(7);
    for (let i = 0; i < iters; i++) {
      // gemm-int.ts dot7: relaxed i8·i7 dot into i16 pairs, then a pairwise widening add.
      a0 = i32x4.add(a0, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(x, y)));
      a1 = i32x4.add(a1, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(y, z)));
      a2 = i32x4.add(a2, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(z, u)));
      a3 = i32x4.add(a3, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(u, x)));
      a4 = i32x4.add(a4, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(x, z)));
      a5 = i32x4.add(a5, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(y, u)));
      a6 = i32x4.add(a6, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(x, x)));
      a7 = i32x4.add(a7, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(y, y)));
      const t = x; x = y; y = z; z = u; u = t;
    }
    const s = i32x4.add(i32x4.add(i32x4.add(a0, a1), i32x4.add(a2, a3)), i32x4.add(i32x4.add(a4, a5), i32x4.add(a6, a7)));
    return i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 3);
  }
  return -1;
}
