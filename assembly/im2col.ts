// im2col: one row per output pixel, holding the receptive field in (ky, kx, c) order (the
// HWIO kernel order), padded to `ld` values with zeros. Out-of-image taps hold `offset` (the
// zero point of the packed lanes: integer 0 plus the offset the relaxed-SIMD path adds to make
// activations non-negative). Rows from `rows` to `rowsPad` are zero-filled so GEMM
// micro-kernels can run on whole register blocks. Sources are NHWC tensors of 4-byte values.

// lanes: 1 = i8, 2 = i16, 4 = i32 or f32 (copied as-is).
@inline function im2colGeneric(lanes: i32, simd: bool, src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  const rowBytes = <usize>ld * lanes;
  if (C < 8 || !simd) im2colSmallC(lanes, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, dst, ld, offset);
  else im2colWide(lanes, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, dst, ld, offset);
  if (rowsPad > rows) zeroBytes(dst + <usize>rows * rowBytes, <usize>(rowsPad - rows) * rowBytes);
}

/** First and one-past-last kx whose column ix = x0 + kx·dw lies in [0, W), packed in a u64. */
@inline function tapRange(x0: i32, dw: i32, kw: i32, W: i32): u64 {
  let k0 = x0 >= 0 ? 0 : (-x0 + dw - 1) / dw;
  let k1 = W - 1 - x0 < 0 ? 0 : (W - 1 - x0) / dw + 1;
  if (k0 > kw) k0 = kw;
  if (k1 > kw) k1 = kw;
  if (k1 < k0) k1 = k0;
  return (<u64>k0 << 32) | <u64><u32>k1;
}

// Many channels: each tap is a run of C values, copied (and narrowed) with SIMD.
@inline function im2colWide(lanes: i32, src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, dst: usize, ld: i32, offset: i32): void {
  const K = kh * kw * C;
  const pix = OH * OW;
  const rowStride = <usize>W * C << 2;
  const tapBytes = <usize>C * lanes;
  const step = <usize>dw * C << 2;
  for (let r = 0; r < rows; r++) {
    const m = row0 + r;
    const n = m / pix;
    const rem = m - n * pix;
    const oy = rem / OW;
    const ox = rem - oy * OW;
    const img = src + (<usize>n * H * W * C << 2);
    let d = dst + <usize>r * ld * lanes;
    const x0 = ox * sw - pl;
    const range = tapRange(x0, dw, kw, W);
    const kx0 = <i32>(range >> 32), kx1 = <i32>range;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - pt + ky * dh;
      if (iy < 0 || iy >= H) {
        padLanes(lanes, d, kw * C, offset);
        d += <usize>kw * tapBytes;
        continue;
      }
      padLanes(lanes, d, kx0 * C, offset);
      d += <usize>kx0 * tapBytes;
      let p = img + <usize>iy * rowStride + (<usize>(x0 + kx0 * dw) * C << 2);
      for (let kx = kx0; kx < kx1; kx++) {
        copyLanes(lanes, p, d, C, offset);
        d += tapBytes;
        p += step;
      }
      padLanes(lanes, d, (kw - kx1) * C, offset);
      d += <usize>(kw - kx1) * tapBytes;
    }
    zeroBytes(d, <usize>(ld - K) * lanes);
  }
}

// Few channels (first layers): per-value selects instead of per-tap copies, whose fixed cost
// dominates when a tap holds one or three values.
@inline function im2colSmallC(lanes: i32, src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, dst: usize, ld: i32, offset: i32): void {
  const K = kh * kw * C;
  const pix = OH * OW;
  const rowStride = <usize>W * C << 2;
  const tapBytes = <usize>C * lanes;
  for (let r = 0; r < rows; r++) {
    const m = row0 + r;
    const n = m / pix;
    const rem = m - n * pix;
    const oy = rem / OW;
    const ox = rem - oy * OW;
    const img = src + (<usize>n * H * W * C << 2);
    let d = dst + <usize>r * ld * lanes;
    const x0 = ox * sw - pl;
    const range = tapRange(x0, dw, kw, W);
    const kx0 = <i32>(range >> 32), kx1 = <i32>range;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - pt + ky * dh;
      if (iy < 0 || iy >= H) {
        padLanes(lanes, d, kw * C, offset);
        d += <usize>kw * tapBytes;
        continue;
      }
      padLanes(lanes, d, kx0 * C, offset);
      d += <usize>kx0 * tapBytes;
      let p = img + <usize>iy * rowStride + (<usize>(x0 + kx0 * dw) * C << 2);
      const step = <usize>dw * C << 2;
      for (let kx = kx0; kx < kx1; kx++) {
        for (let c = 0; c < C; c++) {
          const v = load<i32>(p + (<usize>c << 2)) + offset;
          if (lanes == 1) store<i8>(d, <i8>v);
          else if (lanes == 2) store<i16>(d, <i16>v);
          else store<i32>(d, v);
          d += lanes;
        }
        p += step;
      }
      padLanes(lanes, d, (kw - kx1) * C, offset);
      d += <usize>(kw - kx1) * tapBytes;
    }
    zeroBytes(d, <usize>(ld - K) * lanes);
  }
}

@inline function padLanes(lanes: i32, d: usize, count: i32, offset: i32): void {
  for (let i = 0; i < count; i++) {
    if (lanes == 1) store<i8>(d + i, <i8>offset);
    else if (lanes == 2) store<i16>(d + (<usize>i << 1), <i16>offset);
    else store<i32>(d + (<usize>i << 2), offset);
  }
}

// Small runs are written with plain stores: memory.fill / memory.copy are calls in V8.
@inline function zeroBytes(d: usize, bytes: usize): void {
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(d + i, i32x4.splat(0));
  for (; i + 4 <= bytes; i += 4) store<i32>(d + i, 0);
  for (; i < bytes; i++) store<u8>(d + i, 0);
}

@inline function copyLanes(lanes: i32, s: usize, d: usize, C: i32, offset: i32): void {
  let c = 0;
  if (lanes == 4) {
    for (; c + 4 <= C; c += 4) v128.store(d + (<usize>c << 2), v128.load(s + (<usize>c << 2)));
  } else if (lanes == 2) {
    const off = i16x8.splat(<i16>offset);
    for (; c + 8 <= C; c += 8) {
      const p = s + (<usize>c << 2);
      v128.store(d + (<usize>c << 1), i16x8.add(i16x8.narrow_i32x4_s(v128.load(p), v128.load(p, 16)), off));
    }
  } else {
    const off = i16x8.splat(<i16>offset);
    for (; c + 16 <= C; c += 16) {
      const p = s + (<usize>c << 2);
      const lo = i16x8.add(i16x8.narrow_i32x4_s(v128.load(p), v128.load(p, 16)), off);
      const hi = i16x8.add(i16x8.narrow_i32x4_s(v128.load(p, 32), v128.load(p, 48)), off);
      v128.store(d + <usize>c, i8x16.narrow_i16x8_s(lo, hi));
    }
  }
  for (; c < C; c++) {
    const v = load<i32>(s + (<usize>c << 2)) + offset;
    if (lanes == 1) store<i8>(d + c, <i8>v);
    else if (lanes == 2) store<i16>(d + (<usize>c << 1), <i16>v);
    else store<i32>(d + (<usize>c << 2), v);
  }
}

export function im2col_i8(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  im2colGeneric(1, true, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, offset);
}
export function im2col_i8_scalar(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  im2colGeneric(1, false, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, offset);
}
export function im2col_i16(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  im2colGeneric(2, true, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, offset);
}
export function im2col_i16_scalar(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  im2colGeneric(2, false, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, offset);
}
/** 4-byte lanes: i32 for the exact 64-bit path, f32 for the float path. */
export function im2col_x32(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32): void {
  im2colGeneric(4, true, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, 0);
}
