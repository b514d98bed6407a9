// Depthwise convolution, direct: output channel o = c·mult + j reads input channel c. Weights
// are packed [kh][kw][C·mult]. Accumulators go to a [rows][ldc] buffer (rows = output pixels
// row0 … row0+rows-1 of the batch) for the shared epilogue. Taps outside the image are
// skipped; in float that equals adding zero products, since sums start at +0.


// Integer, i32 lanes (the caller proved kh·kw·max|q_in|·max|q_w| < 2^31).
export function dw_i32(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, mult: i32, row0: i32, rows: i32, wts: usize, acc: usize, ldc: i32): void {
  if (mult != 1) { dw_i32_scalar(src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, mult, row0, rows, wts, acc, ldc); return; }
  const pix = OH * OW;
  const C4 = C & ~3;
  for (let r = 0; r < rows; r++) {
    const m = row0 + r;
    const n = m / pix;
    const rem = m - n * pix;
    const oy = rem / OW;
    const ox = rem - oy * OW;
    const img = src + (<usize>n * H * W * C << 2);
    const out = acc + (<usize>r * ldc << 2);
    for (let c = 0; c < C4; c += 4) {
      let s = i32x4.splat(0);
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh - pt + ky * dh;
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * sw - pl + kx * dw;
          if (ix < 0 || ix >= W) continue;
          const x = v128.load(img + (<usize>((iy * W + ix) * C + c) << 2));
          const w = v128.load(wts + (<usize>((ky * kw + kx) * C + c) << 2));
          s = i32x4.add(s, i32x4.mul(x, w));
        }
      }
      v128.store(out + (<usize>c << 2), s);
    }
    for (let c = C4; c < C; c++) store<i32>(out + (<usize>c << 2), dwOneI32(img, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, oy, ox, 1, c, wts));
  }
}

@inline function dwOneI32(img: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, oy: i32, ox: i32, mult: i32, o: i32, wts: usize): i32 {
  const c = o / mult;
  const Co = C * mult;
  let s: i32 = 0;
  for (let ky = 0; ky < kh; ky++) {
    const iy = oy * sh - pt + ky * dh;
    if (iy < 0 || iy >= H) continue;
    for (let kx = 0; kx < kw; kx++) {
      const ix = ox * sw - pl + kx * dw;
      if (ix < 0 || ix >= W) continue;
      s += load<i32>(img + (<usize>((iy * W + ix) * C + c) << 2)) * load<i32>(wts + (<usize>((ky * kw + kx) * Co + o) << 2));
    }
  }
  return s;
}

export function dw_i32_scalar(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, mult: i32, row0: i32, rows: i32, wts: usize, acc: usize, ldc: i32): void {
  const pix = OH * OW;
  const Co = C * mult;
  for (let r = 0; r < rows; r++) {
    const m = row0 + r;
    const n = m / pix;
    const rem = m - n * pix;
    const oy = rem / OW;
    const ox = rem - oy * OW;
    const img = src + (<usize>n * H * W * C << 2);
    const out = acc + (<usize>r * ldc << 2);
    for (let o = 0; o < Co; o++) store<i32>(out + (<usize>o << 2), dwOneI32(img, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, oy, ox, mult, o, wts));
  }
}

/** Exact 64-bit path (scalar; depthwise is a small share of the work). */
export function dw_i64(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, mult: i32, row0: i32, rows: i32, wts: usize, acc: usize, ldc: i32): void {
  const pix = OH * OW;
  const Co = C * mult;
  for (let r = 0; r < rows; r++) {
    const m = row0 + r;
    const n = m / pix;
    const rem = m - n * pix;
    const oy = rem / OW;
    const ox = rem - oy * OW;
    const img = src + (<usize>n * H * W * C << 2);
    const out = acc + (<usize>r * ldc << 3);
    for (let o = 0; o < Co; o++) {
      const c = o / mult;
      let s: i64 = 0;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh - pt + ky * dh;
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * sw - pl + kx * dw;
          if (ix < 0 || ix >= W) continue;
          s += <i64>load<i32>(img + (<usize>((iy * W + ix) * C + c) << 2)) * <i64>load<i32>(wts + (<usize>((ky * kw + kx) * Co + o) << 2));
        }
      }
      store<i64>(out + (<usize>o << 3), s);
    }
  }
}

@inline function dwOneF32(img: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, oy: i32, ox: i32, mult: i32, o: i32, wts: usize): f32 {
  const c = o / mult;
  const Co = C * mult;
  let s: f32 = 0;
  for (let ky = 0; ky < kh; ky++) {
    const iy = oy * sh - pt + ky * dh;
    if (iy < 0 || iy >= H) continue;
    for (let kx = 0; kx < kw; kx++) {
      const ix = ox * sw - pl + kx * dw;
      if (ix < 0 || ix >= W) continue;
      s = s + load<f32>(img + (<usize>((iy * W + ix) * C + c) << 2)) * load<f32>(wts + (<usize>((ky * kw + kx) * Co + o) << 2));
    }
  }
  return s;
}

export function dw_f32(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, mult: i32, row0: i32, rows: i32, wts: usize, acc: usize, ldc: i32): void {
  if (mult != 1) { dw_f32_scalar(src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, mult, row0, rows, wts, acc, ldc); return; }
  const pix = OH * OW;
  const C4 = C & ~3;
  for (let r = 0; r < rows; r++) {
    const m = row0 + r;
    const n = m / pix;
    const rem = m - n * pix;
    const oy = rem / OW;
    const ox = rem - oy * OW;
    const img = src + (<usize>n * H * W * C << 2);
    const out = acc + (<usize>r * ldc << 2);
    for (let c = 0; c < C4; c += 4) {
      let s = f32x4.splat(0);
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh - pt + ky * dh;
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * sw - pl + kx * dw;
          if (ix < 0 || ix >= W) continue;
          const x = v128.load(img + (<usize>((iy * W + ix) * C + c) << 2));
          const w = v128.load(wts + (<usize>((ky * kw + kx) * C + c) << 2));
          s = f32x4.add(s, f32x4.mul(x, w));
        }
      }
      v128.store(out + (<usize>c << 2), s);
    }
    for (let c = C4; c < C; c++) store<f32>(out + (<usize>c << 2), dwOneF32(img, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, oy, ox, 1, c, wts));
  }
}

export function dw_f32_scalar(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, mult: i32, row0: i32, rows: i32, wts: usize, acc: usize, ldc: i32): void {
  const pix = OH * OW;
  const Co = C * mult;
  for (let r = 0; r < rows; r++) {
    const m = row0 + r;
    const n = m / pix;
    const rem = m - n * pix;
    const oy = rem / OW;
    const ox = rem - oy * OW;
    const img = src + (<usize>n * H * W * C << 2);
    const out = acc + (<usize>r * ldc << 2);
    for (let o = 0; o < Co; o++) store<f32>(out + (<usize>o << 2), dwOneF32(img, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, oy, ox, mult, o, wts));
  }
}
