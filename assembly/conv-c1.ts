// Convolutions of one input channel, stride 1, no dilation (first layers of grey-image models):
// vectorised over neighbouring output pixels instead of over the reduction or the channels,
// because K = kh·kw is too short for the GEMM's blocks to pay off and a GEMM tiled for 8 (float)
// or 4 (integer) channels wastes lanes on the 6 channels of LeNet's first layer. No im2col: the
// taps are read straight from the zero-padded input. Each block is 16 output pixels of one row
// (4 vectors) × 2 output channels (8 accumulators); its results are interleaved into NHWC.
// The last block of a row may compute pixels past the row from whatever lies there (the next
// row, or the buffer's 64 bytes of slack: at most 15 values past its end); those are never stored.
//
// Both kernels compute exactly what the GEMM paths compute, so they equal every other route bit
// for bit: the integer one the exact sums (same bounds as the i16 GEMM) and the fast epilogue;
// the float one adds its products one by one in (ky, kx) order from +0 with a separate multiply
// and add, then the float epilogue of epi_f32.
import { ACT_LEAKY, ACT_RELU, ACT_RELU_MAX } from './arith';
import { FloatEpiBlock, IntEpiBlock } from './blocks';
import { epiFastSplat, fastShift } from './epilogue';

/**
 * dst = the zero-padded i32 input of one channel (batch × (H+pt+pb) × (W+pl+pr)), each value
 * stored as the i16 pair (x[q], x[q+1]) of itself and its right neighbour (0 past the row), so
 * one vector load gives i32x4.dot_i16x8_s two horizontal taps of 4 neighbouring pixels.
 */
export function pad_pairs_i16(src: usize, H: i32, W: i32, pt: i32, pl: i32, pb: i32, pr: i32, batch: i32, dst: usize): void {
  const Hp = H + pt + pb;
  const Wp = W + pl + pr;
  memory.fill(dst, 0, <usize>batch * Hp * Wp << 2);
  const low = i32x4.splat(0xffff);
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < H; y++) {
      const s = src + (<usize>(n * H + y) * W << 2);
      const d = dst + (<usize>((n * Hp + y + pt) * Wp + pl) << 2);
      if (pl > 0) store<i32>(d - 4, load<i32>(s) << 16);
      let x = 0;
      for (; x + 4 < W; x += 4) {
        const p = s + (<usize>x << 2);
        v128.store(d + (<usize>x << 2), v128.or(v128.and(v128.load(p), low), i32x4.shl(v128.load(p, 4), 16)));
      }
      for (; x < W; x++) {
        const p = s + (<usize>x << 2);
        store<i32>(d + (<usize>x << 2), (load<i32>(p) & 0xffff) | (x + 1 < W ? load<i32>(p, 4) << 16 : 0));
      }
    }
  }
}

/**
 * src: pad_pairs_i16 of the input (windows inside it); wp: per (ky, tap pair j, channel) the i16
 * pair (w[ky][2j][c], w[ky][2j+1][c]) (0 past kw), Np channels a pair (Np > N when N is odd);
 * output pixels (OH × OW) of `batch` images, N channels written as NHWC int32 to dst.
 */
export function conv_c1_i16(src: usize, Hp: i32, Wp: i32, kh: i32, kw: i32, OH: i32, OW: i32, batch: i32, wp: usize, Np: i32, N: i32, blk: usize, dst: usize): void {
  const pairs = (kw + 1) >> 1;
  const e = changetype<IntEpiBlock>(blk);
  const t = fastShift(e.S);
  const rowBytes = <usize>Wp << 2;
  const tapStride = <usize>Np << 2;
  const ps = <usize>N << 2;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < OH; oy++) {
      const rowIn = src + <usize>(n * Hp + oy) * rowBytes;
      const rowOut = dst + (<usize>((n * OH + oy) * OW) * N << 2);
      for (let ox = 0; ox < OW; ox += 16) {
        const valid = OW - ox < 16 ? OW - ox : 16;
        for (let c0 = 0; c0 < N; c0 += 2) {
          const r = rowIn + (<usize>ox << 2), w = wp + (<usize>c0 << 2), out = rowOut + (<usize>(ox * N + c0) << 2);
          // A row's last block of 12 or fewer pixels computes 3 vectors, not 4.
          if (valid > 12) blockI16(true, r, w, kh, pairs, rowBytes, tapStride, out, ps, valid, c0, N, e, t);
          else blockI16(false, r, w, kh, pairs, rowBytes, tapStride, out, ps, valid, c0, N, e, t);
        }
      }
    }
  }
}

/** One block of conv_c1_i16: pixels ox..ox+15 (or ..+11 without `four`) × channels c0, c0 + 1. */
@inline function blockI16(four: bool, r: usize, w: usize, kh: i32, pairs: i32, rowBytes: usize, tapStride: usize, out: usize, ps: usize, valid: i32,
  c0: i32, N: i32, e: IntEpiBlock, t: i32): void {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  let b0 = i32x4.splat(0), b1 = i32x4.splat(0), b2 = i32x4.splat(0), b3 = i32x4.splat(0);
  for (let ky = 0; ky < kh; ky++) {
    let p = r;
    for (let j = 0; j < pairs; j++) {
      const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32);
      const wa = v128.load32_splat(w), wb = v128.load32_splat(w, 4);
      a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x0, wa));
      b0 = i32x4.add(b0, i32x4.dot_i16x8_s(x0, wb));
      a1 = i32x4.add(a1, i32x4.dot_i16x8_s(x1, wa));
      b1 = i32x4.add(b1, i32x4.dot_i16x8_s(x1, wb));
      a2 = i32x4.add(a2, i32x4.dot_i16x8_s(x2, wa));
      b2 = i32x4.add(b2, i32x4.dot_i16x8_s(x2, wb));
      if (four) {
        const x3 = v128.load(p, 48);
        a3 = i32x4.add(a3, i32x4.dot_i16x8_s(x3, wa));
        b3 = i32x4.add(b3, i32x4.dot_i16x8_s(x3, wb));
      }
      p += 8;
      w += tapStride;
    }
    r += rowBytes;
  }
  const two = c0 + 1 < N;
  const c1 = two ? c0 + 1 : c0;
  storeBlock(out, ps, valid, two,
    epiFastSplat(a0, c0, e, t), epiFastSplat(a1, c0, e, t), epiFastSplat(a2, c0, e, t), four ? epiFastSplat(a3, c0, e, t) : a3,
    epiFastSplat(b0, c1, e, t), epiFastSplat(b1, c1, e, t), epiFastSplat(b2, c1, e, t), four ? epiFastSplat(b3, c1, e, t) : b3);
}

/**
 * src: the zero-padded f32 input (batch × Hp × Wp), windows inside it; w: the float weights as
 * the GEMM reads them ([kh·kw][Np]); N channels written as NHWC f32 to dst after the float
 * epilogue (bias, activation, epilogue scale and shift), as epi_f32 computes it.
 */
export function conv_c1_f32(src: usize, Hp: i32, Wp: i32, kh: i32, kw: i32, OH: i32, OW: i32, batch: i32, wp: usize, Np: i32, N: i32, blk: usize, dst: usize): void {
  const e = changetype<FloatEpiBlock>(blk);
  const rowBytes = <usize>Wp << 2;
  const tapStride = <usize>Np << 2;
  const ps = <usize>N << 2;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < OH; oy++) {
      const rowIn = src + <usize>(n * Hp + oy) * rowBytes;
      const rowOut = dst + (<usize>((n * OH + oy) * OW) * N << 2);
      for (let ox = 0; ox < OW; ox += 16) {
        const valid = OW - ox < 16 ? OW - ox : 16;
        for (let c0 = 0; c0 < N; c0 += 2) {
          const r = rowIn + (<usize>ox << 2), w = wp + (<usize>c0 << 2), out = rowOut + (<usize>(ox * N + c0) << 2);
          if (valid > 12) blockF32(true, r, w, kh, kw, rowBytes, tapStride, out, ps, valid, c0, N, e);
          else blockF32(false, r, w, kh, kw, rowBytes, tapStride, out, ps, valid, c0, N, e);
        }
      }
    }
  }
}

/** One block of conv_c1_f32: pixels ox..ox+15 (or ..+11 without `four`) × channels c0, c0 + 1. */
@inline function blockF32(four: bool, r: usize, w: usize, kh: i32, kw: i32, rowBytes: usize, tapStride: usize, out: usize, ps: usize, valid: i32,
  c0: i32, N: i32, e: FloatEpiBlock): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
  for (let ky = 0; ky < kh; ky++) {
    let p = r;
    for (let kx = 0; kx < kw; kx++) {
      const x0 = v128.load(p), x1 = v128.load(p, 16), x2 = v128.load(p, 32);
      const wa = v128.load32_splat(w), wb = v128.load32_splat(w, 4);
      a0 = f32x4.add(a0, f32x4.mul(x0, wa));
      b0 = f32x4.add(b0, f32x4.mul(x0, wb));
      a1 = f32x4.add(a1, f32x4.mul(x1, wa));
      b1 = f32x4.add(b1, f32x4.mul(x1, wb));
      a2 = f32x4.add(a2, f32x4.mul(x2, wa));
      b2 = f32x4.add(b2, f32x4.mul(x2, wb));
      if (four) {
        const x3 = v128.load(p, 48);
        a3 = f32x4.add(a3, f32x4.mul(x3, wa));
        b3 = f32x4.add(b3, f32x4.mul(x3, wb));
      }
      p += 4;
      w += tapStride;
    }
    r += rowBytes;
  }
  const two = c0 + 1 < N;
  const c1 = two ? c0 + 1 : c0;
  storeBlock(out, ps, valid, two,
    epiF32Splat(a0, c0, e), epiF32Splat(a1, c0, e), epiF32Splat(a2, c0, e), four ? epiF32Splat(a3, c0, e) : a3,
    epiF32Splat(b0, c1, e), epiF32Splat(b1, c1, e), epiF32Splat(b2, c1, e), four ? epiF32Splat(b3, c1, e) : b3);
}

/** epi_f32 for 4 values of one channel c (its parameters splatted): act(v + bias), then ·scale + shift. */
@inline function epiF32Splat(acc: v128, c: i32, e: FloatEpiBlock): v128 {
  const o = <usize>c << 2;
  const act = e.act;
  const zero = f32x4.splat(0);
  let v = f32x4.add(acc, v128.load32_splat(e.bias + o));
  if (act == ACT_RELU) v = f32x4.pmax(zero, v);
  else if (act == ACT_RELU_MAX) v = f32x4.pmin(f32x4.pmax(zero, v), f32x4.splat(e.maxV));
  else if (act == ACT_LEAKY) v = v128.bitselect(f32x4.mul(v, f32x4.splat(e.alpha)), v, f32x4.lt(v, zero));
  if (e.hasEpi) v = f32x4.add(f32x4.mul(v, v128.load32_splat(e.scale + o)), v128.load32_splat(e.shift + o));
  return v;
}

/**
 * Writes a block of 16 pixels (4 vectors a0..a3 of channel c, b0..b3 of channel c + 1) as NHWC:
 * pixel i at d + i·ps, the first `valid` pixels, channel c + 1 only when `two`.
 */
@inline function storeBlock(d: usize, ps: usize, valid: i32, two: bool,
  a0: v128, a1: v128, a2: v128, a3: v128, b0: v128, b1: v128, b2: v128, b3: v128): void {
  if (two && valid == 16) {
    const q = ps << 2;
    storeQuad(d, ps, a0, b0);
    storeQuad(d + q, ps, a1, b1);
    storeQuad(d + 2 * q, ps, a2, b2);
    storeQuad(d + 3 * q, ps, a3, b3);
    return;
  }
  storeTail(d, ps, valid, two, a0, b0);
  storeTail(d + (ps << 2), ps, valid - 4, two, a1, b1);
  storeTail(d + (ps << 3), ps, valid - 8, two, a2, b2);
  storeTail(d + 12 * ps, ps, valid - 12, two, a3, b3);
}

/** Pixels i = 0..3 of a quad: (a[i], b[i]) as two adjacent values at d + i·ps. */
@inline function storeQuad(d: usize, ps: usize, a: v128, b: v128): void {
  const lo = i32x4.shuffle(a, b, 0, 4, 1, 5);
  const hi = i32x4.shuffle(a, b, 2, 6, 3, 7);
  v128.store64_lane(d, lo, 0);
  v128.store64_lane(d + ps, lo, 1);
  v128.store64_lane(d + 2 * ps, hi, 0);
  v128.store64_lane(d + 3 * ps, hi, 1);
}

/** The first `valid` pixels of a quad (none when valid ≤ 0), channel b only when `two`. */
function storeTail(d: usize, ps: usize, valid: i32, two: bool, a: v128, b: v128): void {
  for (let i = 0; i < 4 && i < valid; i++) {
    const p = d + <usize>i * ps;
    store<i32>(p, i32x4.extract_lane(a, 0));
    if (two) store<i32>(p, i32x4.extract_lane(b, 0), 4);
    a = i32x4.shuffle(a, a, 1, 2, 3, 0);
    b = i32x4.shuffle(b, b, 1, 2, 3, 0);
  }
}
