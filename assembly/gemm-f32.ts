// Float GEMM: C[m][n] = Σ_k A[m][k]·B[k][n], vectorised across output channels so that every
// output still adds its products one by one in k order, with a separate multiply and add (no
// fused multiply-add). That order is the canonical float order of the TypeScript reference,
// which makes the float path bit-exact across SIMD, scalar and reference.
//
// Blocking: 4 rows × 8 channels (8 accumulators). M must be a multiple of 4, N of 8.

export function gemm_f32(A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, M: i32, N: i32, K: i32): void {
  const aStride = <usize>lda << 2;
  const bStride = <usize>ldb << 2;
  for (let m = 0; m < M; m += 4) {
    const a0 = A + <usize>m * aStride;
    const a1 = a0 + aStride;
    const a2 = a1 + aStride;
    const a3 = a2 + aStride;
    for (let n = 0; n < N; n += 8) {
      let b = B + (<usize>n << 2);
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0);
      let s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        const kb = <usize>k << 2;
        const w0 = v128.load(b);
        const w1 = v128.load(b, 16);
        b += bStride;
        const x0 = f32x4.splat(load<f32>(a0 + kb));
        const x1 = f32x4.splat(load<f32>(a1 + kb));
        const x2 = f32x4.splat(load<f32>(a2 + kb));
        const x3 = f32x4.splat(load<f32>(a3 + kb));
        s00 = f32x4.add(s00, f32x4.mul(x0, w0));
        s01 = f32x4.add(s01, f32x4.mul(x0, w1));
        s10 = f32x4.add(s10, f32x4.mul(x1, w0));
        s11 = f32x4.add(s11, f32x4.mul(x1, w1));
        s20 = f32x4.add(s20, f32x4.mul(x2, w0));
        s21 = f32x4.add(s21, f32x4.mul(x2, w1));
        s30 = f32x4.add(s30, f32x4.mul(x3, w0));
        s31 = f32x4.add(s31, f32x4.mul(x3, w1));
      }
      const c0 = C + (<usize>(m * ldc + n) << 2);
      const cs = <usize>ldc << 2;
      v128.store(c0, s00); v128.store(c0, s01, 16);
      v128.store(c0 + cs, s10); v128.store(c0 + cs, s11, 16);
      v128.store(c0 + 2 * cs, s20); v128.store(c0 + 2 * cs, s21, 16);
      v128.store(c0 + 3 * cs, s30); v128.store(c0 + 3 * cs, s31, 16);
    }
  }
}

export function gemm_f32_scalar(A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, M: i32, N: i32, K: i32): void {
  for (let m = 0; m < M; m++) {
    const a = A + (<usize>m * lda << 2);
    for (let n = 0; n < N; n++) {
      let s: f32 = 0;
      for (let k = 0; k < K; k++) s = s + load<f32>(a + (<usize>k << 2)) * load<f32>(B + (<usize>(k * ldb + n) << 2));
      store<f32>(C + (<usize>(m * ldc + n) << 2), s);
    }
  }
}
