// Integer GEMM: C[m][n] = Σ_k A[m][k]·B[n][k] over k in [k0, k0 + kLen). A is the im2col panel
// (one row per output pixel), B the packed weights (one row per output channel), both with the
// reduction axis contiguous so each lane accumulates a strided part of one dot product and a
// final horizontal add combines them. The caller (src/engine/prepare.ts) has proved that every
// partial sum fits in 31 bits before it picks a 32-bit kernel; otherwise it slices K so each
// slice fits (and adds the slices in 64 bits) or uses gemm_i64.
//
// Blocking: 2 rows × 4 channels per micro-kernel (8 accumulators + 6 operands in 16 xmm
// registers). M must be a multiple of 2 and N of 4 (the engine pads panels and weights).
// Channel groups are the outer loop: a group's weights (4·K values) stay in L1 while the
// panel's rows stream from L2.

@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = i32x4.add(i32x4.shuffle(a, b, 0, 4, 2, 6), i32x4.shuffle(a, b, 1, 5, 3, 7));
  const cd = i32x4.add(i32x4.shuffle(c, d, 0, 4, 2, 6), i32x4.shuffle(c, d, 1, 5, 3, 7));
  return i32x4.add(i32x4.shuffle(ab, cd, 0, 1, 4, 5), i32x4.shuffle(ab, cd, 2, 3, 6, 7));
}

import { IntEpiBlock } from './blocks';
import { epiFastVec, fastShift, storeLanes } from './epilogue';

// Weights are packed in groups of 4 output channels, chunk by chunk along K, so the
// micro-kernel streams one pointer: group g starts at g·Kp·4 values; its chunk c (8 values of
// K for i16, 16 for i8) holds channel 4g+j's values at j·chunk (see Engine.upload). K slices
// (k0, kLen) are multiples of 32. The k loops are not unrolled: V8 hoists the loads of an
// unrolled body and spills accumulators.

/** Index of weight (n, k) in the packed i16 layout, in elements. */
@inline function packedI16(n: i32, k: i32, ldb: i32): usize {
  return <usize>((n >> 2) * ldb * 4 + (k >> 3) * 32 + (n & 3) * 8 + (k & 7));
}

/** Index of weight (n, k) in the packed i8 layout, in elements. */
@inline function packedI8(n: i32, k: i32, ldb: i32): usize {
  return <usize>((n >> 2) * ldb * 4 + (k >> 4) * 64 + (n & 3) * 16 + (k & 15));
}

/** i16 × i16 with i32x4.dot_i16x8_s; ldb = Kp (the packed row length). */
export function gemm_i16(A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, M: i32, N: i32, k0: i32, kLen: i32): void {
  const aStride = <usize>lda << 1;
  const groupBytes = <usize>ldb << 3;
  const kBytes = <usize>kLen << 1;
  let b = B + (<usize>k0 << 3);
  for (let n = 0; n < N; n += 4) {
    for (let m = 0; m < M; m += 2) {
      const a0 = A + <usize>m * aStride + (<usize>k0 << 1);
      const c0 = C + (<usize>m * ldc << 2);
      const c1 = c0 + (<usize>ldc << 2);
      let s00 = i32x4.splat(0), s01 = i32x4.splat(0), s02 = i32x4.splat(0), s03 = i32x4.splat(0);
      let s10 = i32x4.splat(0), s11 = i32x4.splat(0), s12 = i32x4.splat(0), s13 = i32x4.splat(0);
      let pa = a0;
      let pb = b;
      const end = a0 + kBytes;
      while (pa < end) {
        const x0 = v128.load(pa);
        const x1 = v128.load(pa + aStride);
        const w0 = v128.load(pb);
        const w1 = v128.load(pb, 16);
        const w2 = v128.load(pb, 32);
        const w3 = v128.load(pb, 48);
        s00 = i32x4.add(s00, i32x4.dot_i16x8_s(x0, w0));
        s10 = i32x4.add(s10, i32x4.dot_i16x8_s(x1, w0));
        s01 = i32x4.add(s01, i32x4.dot_i16x8_s(x0, w1));
        s11 = i32x4.add(s11, i32x4.dot_i16x8_s(x1, w1));
        s02 = i32x4.add(s02, i32x4.dot_i16x8_s(x0, w2));
        s12 = i32x4.add(s12, i32x4.dot_i16x8_s(x1, w2));
        s03 = i32x4.add(s03, i32x4.dot_i16x8_s(x0, w3));
        s13 = i32x4.add(s13, i32x4.dot_i16x8_s(x1, w3));
        pa += 16;
        pb += 64;
      }
      v128.store(c0 + (<usize>n << 2), hsum4(s00, s01, s02, s03));
      v128.store(c1 + (<usize>n << 2), hsum4(s10, s11, s12, s13));
    }
    b += groupBytes;
  }
}

/**
 * gemm_i16 over the whole K with the fast epilogue applied to each 4-channel sum before it is
 * stored (no accumulator round trip), reading its rows as the windows of a convolution (dilation
 * 1 across, any stride) straight from the narrowed, zero-padded input (narrow_pad_i16: H × W ×
 * C, windows inside it), so no im2col panel is needed: output pixel row0 + m is row m; its K
 * runs over kh runs of kw·C values, one per kernel row, each read as runP values (kw·C rounded
 * up to 8). The values past a run belong to the next pixel or row (or the buffer's slack: < 8
 * past the end); the weights, packed like gemm_i16's with ldb = kh·runP, are zero there, so they
 * add nothing. An im2col panel (or a dense node's input) is the case H = OH = kh = 1, W = OW =
 * rows, C = runP = the row length. Writes dst[m][n] for m < rows, n < Nout.
 */
export function gemm_i16_conv_epi(src: usize, H: i32, W: i32, C: i32, kh: i32, sh: i32, sw: i32, dh: i32, OH: i32, OW: i32, row0: i32, rows: i32,
  runP: i32, B: usize, blk: usize, dst: usize, Nout: i32): void {
  const e = changetype<IntEpiBlock>(blk);
  const t = fastShift(e.S);
  const groupBytes = <usize>(kh * runP) << 3;
  const pixBytes = <usize>C << 1;
  const lineBytes = <usize>W * pixBytes;
  const kyStep = <usize>dh * lineBytes;
  const runBytes = <usize>runP << 1;
  const pix = OH * OW;
  const img0 = row0 / pix;
  const oy0 = (row0 - img0 * pix) / OW;
  const ox0 = row0 - img0 * pix - oy0 * OW;
  let b = B;
  for (let n = 0; n < Nout; n += 4) {
    let img = img0, oy = oy0, ox = ox0;
    for (let m = 0; m < rows; m += 2) {
      const a0 = src + <usize>((img * H + oy * sh) * W + ox * sw) * pixBytes;
      if (++ox == OW) { ox = 0; if (++oy == OH) { oy = 0; img++; } }
      const a1 = m + 1 < rows ? src + <usize>((img * H + oy * sh) * W + ox * sw) * pixBytes : a0;
      if (++ox == OW) { ox = 0; if (++oy == OH) { oy = 0; img++; } }
      let s00 = i32x4.splat(0), s01 = i32x4.splat(0), s02 = i32x4.splat(0), s03 = i32x4.splat(0);
      let s10 = i32x4.splat(0), s11 = i32x4.splat(0), s12 = i32x4.splat(0), s13 = i32x4.splat(0);
      let pb = b;
      let r0 = a0, r1 = a1;
      for (let ky = 0; ky < kh; ky++) {
        let pa = r0, pa1 = r1;
        const end = r0 + runBytes;
        while (pa < end) {
          const x0 = v128.load(pa);
          const x1 = v128.load(pa1);
          const w0 = v128.load(pb);
          const w1 = v128.load(pb, 16);
          const w2 = v128.load(pb, 32);
          const w3 = v128.load(pb, 48);
          s00 = i32x4.add(s00, i32x4.dot_i16x8_s(x0, w0));
          s10 = i32x4.add(s10, i32x4.dot_i16x8_s(x1, w0));
          s01 = i32x4.add(s01, i32x4.dot_i16x8_s(x0, w1));
          s11 = i32x4.add(s11, i32x4.dot_i16x8_s(x1, w1));
          s02 = i32x4.add(s02, i32x4.dot_i16x8_s(x0, w2));
          s12 = i32x4.add(s12, i32x4.dot_i16x8_s(x1, w2));
          s03 = i32x4.add(s03, i32x4.dot_i16x8_s(x0, w3));
          s13 = i32x4.add(s13, i32x4.dot_i16x8_s(x1, w3));
          pa += 16;
          pa1 += 16;
          pb += 64;
        }
        r0 += kyStep;
        r1 += kyStep;
      }
      const o = <usize>n << 2;
      const d0 = dst + ((<usize>m * Nout + n) << 2);
      storeLanes(d0, epiFastVec(hsum4(s00, s01, s02, s03), o, e, t), Nout - n);
      if (m + 1 < rows) storeLanes(d0 + (<usize>Nout << 2), epiFastVec(hsum4(s10, s11, s12, s13), o, e, t), Nout - n);
    }
    b += groupBytes;
  }
}

/**
 * gemm_i8r with the fast epilogue, reading windows (or a panel) as gemm_i16_conv_epi does, runs
 * padded to 16 values: the bytes past a run are narrowed inputs of the next pixel (in [0, 127])
 * or the buffer's slack, against zero weights, so they add 0 whichever way the relaxed
 * instruction reads them.
 */
export function gemm_i8r_conv_epi(src: usize, H: i32, W: i32, C: i32, kh: i32, sh: i32, sw: i32, dh: i32, OH: i32, OW: i32, row0: i32, rows: i32,
  runP: i32, B: usize, blk: usize, dst: usize, Nout: i32): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const e = changetype<IntEpiBlock>(blk);
    const t = fastShift(e.S);
    const groupBytes = <usize>(kh * runP) << 2;
    const pixBytes = <usize>C;
    const lineBytes = <usize>W * pixBytes;
    const kyStep = <usize>dh * lineBytes;
    const runBytes = <usize>runP;
    const pix = OH * OW;
    const img0 = row0 / pix;
    const oy0 = (row0 - img0 * pix) / OW;
    const ox0 = row0 - img0 * pix - oy0 * OW;
    let b = B;
    for (let n = 0; n < Nout; n += 4) {
      let img = img0, oy = oy0, ox = ox0;
      for (let m = 0; m < rows; m += 2) {
        const a0 = src + <usize>((img * H + oy * sh) * W + ox * sw) * pixBytes;
        if (++ox == OW) { ox = 0; if (++oy == OH) { oy = 0; img++; } }
        const a1 = m + 1 < rows ? src + <usize>((img * H + oy * sh) * W + ox * sw) * pixBytes : a0;
        if (++ox == OW) { ox = 0; if (++oy == OH) { oy = 0; img++; } }
        let s00 = i32x4.splat(0), s01 = i32x4.splat(0), s02 = i32x4.splat(0), s03 = i32x4.splat(0);
        let s10 = i32x4.splat(0), s11 = i32x4.splat(0), s12 = i32x4.splat(0), s13 = i32x4.splat(0);
        let pb = b;
        let r0 = a0, r1 = a1;
        for (let ky = 0; ky < kh; ky++) {
          let pa = r0, pa1 = r1;
          const end = r0 + runBytes;
          while (pa < end) {
            const x0 = v128.load(pa);
            const x1 = v128.load(pa1);
            const w0 = v128.load(pb);
            const w1 = v128.load(pb, 16);
            const w2 = v128.load(pb, 32);
            const w3 = v128.load(pb, 48);
            s00 = dot7(w0, x0, s00);
            s10 = dot7(w0, x1, s10);
            s01 = dot7(w1, x0, s01);
            s11 = dot7(w1, x1, s11);
            s02 = dot7(w2, x0, s02);
            s12 = dot7(w2, x1, s12);
            s03 = dot7(w3, x0, s03);
            s13 = dot7(w3, x1, s13);
            pa += 16;
            pa1 += 16;
            pb += 64;
          }
          r0 += kyStep;
          r1 += kyStep;
        }
        const o = <usize>n << 2;
        const d0 = dst + ((<usize>m * Nout + n) << 2);
        storeLanes(d0, epiFastVec(hsum4(s00, s01, s02, s03), o, e, t), Nout - n);
        if (m + 1 < rows) storeLanes(d0 + (<usize>Nout << 2), epiFastVec(hsum4(s10, s11, s12, s13), o, e, t), Nout - n);
      }
      b += groupBytes;
    }
  } else {
    unreachable();
  }
}

export function gemm_i16_scalar(A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, M: i32, N: i32, k0: i32, kLen: i32): void {
  for (let m = 0; m < M; m++) {
    const a = A + (<usize>(m * lda) << 1);
    for (let n = 0; n < N; n++) {
      let s: i32 = 0;
      for (let k = k0; k < k0 + kLen; k++) s += <i32>load<i16>(a + (<usize>k << 1)) * <i32>load<i16>(B + (packedI16(n, k, ldb) << 1));
      store<i32>(C + (<usize>(m * ldc + n) << 2), s);
    }
  }
}

// i16x8.relaxed_dot (pmaddubsw on x64) then a pairwise widening add: what the fused
// i32x4.relaxed_dot_i8x16_i7x16_add_s lowers to without AVX-VNNI, and Node 20's V8 (11.3)
// miscompiles the fused form when many vectors are live.
@inline function dot7(w: v128, x: v128, acc: v128): v128 {
  return i32x4.add(acc, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(w, x)));
}

/**
 * Relaxed SIMD: A holds activations in [0, 127] (the i7 operand, so every implementation of
 * the relaxed instruction agrees), B weights in i8. Pairwise i16 sums stay below
 * 2·128·127 < 2^15, so no implementation saturates.
 */
export function gemm_i8r(A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, M: i32, N: i32, k0: i32, kLen: i32): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const aStride = <usize>lda;
    const groupBytes = <usize>ldb << 2;
    let b = B + (<usize>k0 << 2);
    for (let n = 0; n < N; n += 4) {
      for (let m = 0; m < M; m += 2) {
        const a0 = A + <usize>m * aStride + <usize>k0;
        const c0 = C + (<usize>m * ldc << 2);
        const c1 = c0 + (<usize>ldc << 2);
        let s00 = i32x4.splat(0), s01 = i32x4.splat(0), s02 = i32x4.splat(0), s03 = i32x4.splat(0);
        let s10 = i32x4.splat(0), s11 = i32x4.splat(0), s12 = i32x4.splat(0), s13 = i32x4.splat(0);
        let pa = a0;
        let pb = b;
        const end = a0 + <usize>kLen;
        while (pa < end) {
          const x0 = v128.load(pa);
          const x1 = v128.load(pa + aStride);
          const w0 = v128.load(pb);
          const w1 = v128.load(pb, 16);
          const w2 = v128.load(pb, 32);
          const w3 = v128.load(pb, 48);
          s00 = dot7(w0, x0, s00);
          s10 = dot7(w0, x1, s10);
          s01 = dot7(w1, x0, s01);
          s11 = dot7(w1, x1, s11);
          s02 = dot7(w2, x0, s02);
          s12 = dot7(w2, x1, s12);
          s03 = dot7(w3, x0, s03);
          s13 = dot7(w3, x1, s13);
          pa += 16;
          pb += 64;
        }
        v128.store(c0 + (<usize>n << 2), hsum4(s00, s01, s02, s03));
        v128.store(c1 + (<usize>n << 2), hsum4(s10, s11, s12, s13));
      }
      b += groupBytes;
    }
  } else {
    unreachable();
  }
}

export function gemm_i8_scalar(A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, M: i32, N: i32, k0: i32, kLen: i32): void {
  for (let m = 0; m < M; m++) {
    const a = A + <usize>(m * lda);
    for (let n = 0; n < N; n++) {
      let s: i32 = 0;
      for (let k = k0; k < k0 + kLen; k++) s += <i32>load<i8>(a + k) * <i32>load<i8>(B + packedI8(n, k, ldb));
      store<i32>(C + (<usize>(m * ldc + n) << 2), s);
    }
  }
}

/**
 * Exact 64-bit path: i32 × i32 products summed in i64 lanes; kLen a multiple of 4. Blocks of
 * 2 rows × 2 channels (M and N are even: the engine pads rows to 4 and channels to 8).
 */
export function gemm_i64(A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, M: i32, N: i32, k0: i32, kLen: i32): void {
  const kBytes = <usize>kLen << 2;
  const aStride = <usize>lda << 2;
  const bStride = <usize>ldb << 2;
  for (let m = 0; m < M; m += 2) {
    const a0 = A + (<usize>(m * lda + k0) << 2);
    for (let n = 0; n < N; n += 2) {
      const b0 = B + (<usize>(n * ldb + k0) << 2);
      let s00 = i64x2.splat(0), s01 = i64x2.splat(0), s10 = i64x2.splat(0), s11 = i64x2.splat(0);
      for (let k: usize = 0; k < kBytes; k += 16) {
        const x0 = v128.load(a0 + k);
        const x1 = v128.load(a0 + aStride + k);
        const w0 = v128.load(b0 + k);
        const w1 = v128.load(b0 + bStride + k);
        s00 = i64x2.add(s00, i64x2.add(i64x2.extmul_low_i32x4_s(x0, w0), i64x2.extmul_high_i32x4_s(x0, w0)));
        s01 = i64x2.add(s01, i64x2.add(i64x2.extmul_low_i32x4_s(x0, w1), i64x2.extmul_high_i32x4_s(x0, w1)));
        s10 = i64x2.add(s10, i64x2.add(i64x2.extmul_low_i32x4_s(x1, w0), i64x2.extmul_high_i32x4_s(x1, w0)));
        s11 = i64x2.add(s11, i64x2.add(i64x2.extmul_low_i32x4_s(x1, w1), i64x2.extmul_high_i32x4_s(x1, w1)));
      }
      const c0 = C + (<usize>(m * ldc + n) << 3);
      const c1 = c0 + (<usize>ldc << 3);
      store<i64>(c0, i64x2.extract_lane(s00, 0) + i64x2.extract_lane(s00, 1));
      store<i64>(c0, i64x2.extract_lane(s01, 0) + i64x2.extract_lane(s01, 1), 8);
      store<i64>(c1, i64x2.extract_lane(s10, 0) + i64x2.extract_lane(s10, 1));
      store<i64>(c1, i64x2.extract_lane(s11, 0) + i64x2.extract_lane(s11, 1), 8);
    }
  }
}

export function gemm_i64_scalar(A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, M: i32, N: i32, k0: i32, kLen: i32): void {
  for (let m = 0; m < M; m++) {
    const a = A + (<usize>(m * lda + k0) << 2);
    for (let n = 0; n < N; n++) {
      const b = B + (<usize>(n * ldb + k0) << 2);
      let s: i64 = 0;
      for (let k = 0; k < kLen; k++) s += <i64>load<i32>(a + (<usize>k << 2)) * <i64>load<i32>(b + (<usize>k << 2));
      store<i64>(C + (<usize>(m * ldc + n) << 3), s);
    }
  }
}

/** C64 (=|+=) C32 over rows × N, both with row stride ldc: adds one K slice exactly. */
export function accumulate_i64(C32: usize, C64: usize, ldc: i32, rows: i32, N: i32, first: i32): void {
  for (let m = 0; m < rows; m++) {
    const a = C32 + (<usize>m * ldc << 2);
    const d = C64 + (<usize>m * ldc << 3);
    for (let n = 0; n < N; n++) {
      const p = d + (<usize>n << 3);
      const v = <i64>load<i32>(a + (<usize>n << 2));
      store<i64>(p, first ? v : load<i64>(p) + v);
    }
  }
}

/** C64[r][n] (=|+=) 256·C32[r][2n] + C32[r][2n+1]: one K slice of the i16-split path, exactly. */
export function accumulate_split_i64(C32: usize, ldc32: i32, C64: usize, ldc64: i32, rows: i32, N: i32, first: i32): void {
  const N2 = N & ~1;
  for (let m = 0; m < rows; m++) {
    const a = C32 + (<usize>m * ldc32 << 2);
    const d = C64 + (<usize>m * ldc64 << 3);
    let n = 0;
    for (; n < N2; n += 2) {
      const v = v128.load(a + (<usize>n << 3)); // h0 l0 h1 l1
      const hl = i32x4.shuffle(v, v, 0, 2, 1, 3);
      let r = i64x2.add(i64x2.shl(i64x2.extend_low_i32x4_s(hl), 8), i64x2.extend_high_i32x4_s(hl));
      const p = d + (<usize>n << 3);
      if (!first) r = i64x2.add(r, v128.load(p));
      v128.store(p, r);
    }
    for (; n < N; n++) {
      const p = d + (<usize>n << 3);
      const v = (<i64>load<i32>(a + (<usize>n << 3)) << 8) + <i64>load<i32>(a + (<usize>n << 3), 4);
      store<i64>(p, first ? v : load<i64>(p) + v);
    }
  }
}
