// im2col: one row per output pixel, holding the receptive field in (ky, kx, c) order (the
// HWIO kernel order), padded to `ld` values with zeros. Out-of-image taps hold `offset` (the
// zero point of the packed lanes: integer 0 plus the offset the relaxed-SIMD path adds to make
// activations non-negative). Rows from `rows` to `rowsPad` are zero-filled so GEMM
// micro-kernels can run on whole register blocks. Sources are NHWC tensors of 4-byte values.

// lanes: 1 = i8, 2 = i16, 4 = i32 or f32 (copied as-is).
@inline function im2colGeneric(lanes: i32, simd: bool, src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  const K = kh * kw * C;
  const rowBytes = <usize>ld * lanes;
  const pix = OH * OW;
  for (let r = 0; r < rows; r++) {
    const m = row0 + r;
    const n = m / pix;
    const rem = m - n * pix;
    const oy = rem / OW;
    const ox = rem - oy * OW;
    let d = dst + <usize>r * rowBytes;
    const img = src + (<usize>n * H * W * C << 2);
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - pt + ky * dh;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * sw - pl + kx * dw;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) {
          fillLanes(lanes, d, C, offset);
        } else {
          copyLanes(lanes, simd, img + (<usize>(iy * W + ix) * C << 2), d, C, offset);
        }
        d += <usize>C * lanes;
      }
    }
    memory.fill(d, 0, <usize>(ld - K) * lanes);
  }
  if (rowsPad > rows) memory.fill(dst + <usize>rows * rowBytes, 0, <usize>(rowsPad - rows) * rowBytes);
}

@inline function fillLanes(lanes: i32, d: usize, C: i32, offset: i32): void {
  if (offset == 0) { memory.fill(d, 0, <usize>C * lanes); return; }
  for (let c = 0; c < C; c++) {
    if (lanes == 1) store<i8>(d + c, <i8>offset);
    else if (lanes == 2) store<i16>(d + (<usize>c << 1), <i16>offset);
    else store<i32>(d + (<usize>c << 2), offset);
  }
}

@inline function copyLanes(lanes: i32, simd: bool, s: usize, d: usize, C: i32, offset: i32): void {
  if (lanes == 4) { memory.copy(d, s, <usize>C << 2); return; }
  let c = 0;
  if (simd) {
    if (lanes == 2) {
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
  }
  for (; c < C; c++) {
    const v = load<i32>(s + (<usize>c << 2)) + offset;
    if (lanes == 1) store<i8>(d + c, <i8>v);
    else store<i16>(d + (<usize>c << 1), <i16>v);
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
  im2colGeneric(4, false, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, 0);
}
