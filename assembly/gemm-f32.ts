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

/**
 * gemm_f32 for a convolution (dilation 1 across, any stride), reading its windows straight from
 * the zero-padded input (H × W × C, windows inside it) instead of an im2col panel: output pixel
 * row0 + m is row m of A, its K = kh runs of kw·C values, in the panel's order, so every sum is
 * gemm_f32's bit for bit. Rows past `rows` (up to a multiple of 4) repeat the last pixel.
 */
export function gemm_f32_conv(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, OH: i32, OW: i32, row0: i32, rows: i32,
  B: usize, ldb: i32, Cacc: usize, ldc: i32, N: i32): void {
  const bStride = <usize>ldb << 2;
  const pixBytes = <usize>C << 2;
  const kyStep = <usize>dh * W * pixBytes;
  const runBytes = <usize>kw * pixBytes;
  const pix = OH * OW;
  let img = row0 / pix;
  let oy = (row0 - img * pix) / OW;
  let ox = row0 - img * pix - oy * OW;
  let last: usize = 0;
  for (let m = 0; m < rows; m += 4) {
    let a0: usize = 0, a1: usize = 0, a2: usize = 0, a3: usize = 0;
    for (let i = 0; i < 4; i++) {
      let a = last;
      if (m + i < rows) {
        a = src + <usize>((img * H + oy * sh) * W + ox * sw) * pixBytes;
        if (++ox == OW) { ox = 0; if (++oy == OH) { oy = 0; img++; } }
      }
      last = a;
      if (i == 0) a0 = a;
      else if (i == 1) a1 = a;
      else if (i == 2) a2 = a;
      else a3 = a;
    }
    for (let n = 0; n < N; n += 8) {
      let b = B + (<usize>n << 2);
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0);
      let s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      let off: usize = 0;
      for (let ky = 0; ky < kh; ky++) {
        const end = off + runBytes;
        for (let k = off; k < end; k += 4) {
          const w0 = v128.load(b);
          const w1 = v128.load(b, 16);
          b += bStride;
          const x0 = v128.load32_splat(a0 + k);
          const x1 = v128.load32_splat(a1 + k);
          const x2 = v128.load32_splat(a2 + k);
          const x3 = v128.load32_splat(a3 + k);
          s00 = f32x4.add(s00, f32x4.mul(x0, w0));
          s01 = f32x4.add(s01, f32x4.mul(x0, w1));
          s10 = f32x4.add(s10, f32x4.mul(x1, w0));
          s11 = f32x4.add(s11, f32x4.mul(x1, w1));
          s20 = f32x4.add(s20, f32x4.mul(x2, w0));
          s21 = f32x4.add(s21, f32x4.mul(x2, w1));
          s30 = f32x4.add(s30, f32x4.mul(x3, w0));
          s31 = f32x4.add(s31, f32x4.mul(x3, w1));
        }
        off += kyStep;
      }
      const c0 = Cacc + (<usize>(m * ldc + n) << 2);
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
