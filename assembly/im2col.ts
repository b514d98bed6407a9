// im2col: one row per output pixel, holding the receptive field in (ky, kx, c) order (the
// HWIO kernel order), then zeros up to `ld` values. Values get `offset` added (the zero point
// of the relaxed-SIMD path, which makes activations non-negative); out-of-image taps hold
// `offset` alone. Rows from `rows` to `rowsPad` are zero-filled so GEMM micro-kernels can run on
// whole register blocks. Sources are NHWC tensors of 4-byte values.
//
// The SIMD versions expect windows inside the image (the engine zero-pads the input first, one
// cheap pass) and copy whole runs — kw·C contiguous values per kernel row when dilation is 1 —
// with vector loads and stores that may run up to 15 values past a run: reads stay inside the
// slack the engine leaves after every buffer, and writes past a run are overwritten by the next
// run, the zero tail or the padding rows, all written later. Branch-free copies matter: per-tap
// bounds checks mispredict and cost more than the GEMM on first layers.

// lanes: 1 = i8, 2 = i16, 4 = i32 or f32 (copied as-is).

/** Copies `len` values (+ offset) with vector stores, overrunning by up to 15 lanes. */
@inline function copyRun(lanes: i32, s: usize, d: usize, len: i32, offset: i32): void {
  if (lanes == 4) {
    for (let c = 0; c < len; c += 4) v128.store(d + (<usize>c << 2), v128.load(s + (<usize>c << 2)));
  } else if (lanes == 2) {
    const off = i16x8.splat(<i16>offset);
    for (let c = 0; c < len; c += 8) {
      const p = s + (<usize>c << 2);
      v128.store(d + (<usize>c << 1), i16x8.add(i16x8.narrow_i32x4_s(v128.load(p), v128.load(p, 16)), off));
    }
  } else {
    const off = i16x8.splat(<i16>offset);
    for (let c = 0; c < len; c += 16) {
      const p = s + (<usize>c << 2);
      const lo = i16x8.add(i16x8.narrow_i32x4_s(v128.load(p), v128.load(p, 16)), off);
      const hi = i16x8.add(i16x8.narrow_i32x4_s(v128.load(p, 32), v128.load(p, 48)), off);
      v128.store(d + <usize>c, i8x16.narrow_i16x8_s(lo, hi));
    }
  }
}

@inline function zeroBytes(d: usize, bytes: usize): void {
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(d + i, i32x4.splat(0));
  for (; i + 4 <= bytes; i += 4) store<i32>(d + i, 0);
  for (; i < bytes; i++) store<u8>(d + i, 0);
}

@inline function storeLane(lanes: i32, d: usize, v: i32): void {
  if (lanes == 1) store<i8>(d, <i8>v);
  else if (lanes == 2) store<i16>(d, <i16>v);
  else store<i32>(d, v);
}

// The plain version: any padding, one value at a time (the scalar twin, and the fallback).
@inline function im2colPlain(lanes: i32, src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  const pix = OH * OW;
  for (let r = 0; r < rowsPad; r++) {
    let d = dst + <usize>r * ld * lanes;
    if (r >= rows) { zeroBytes(d, <usize>ld * lanes); continue; }
    const m = row0 + r;
    const n = m / pix;
    const rem = m - n * pix;
    const oy = rem / OW;
    const ox = rem - oy * OW;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - pt + ky * dh;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * sw - pl + kx * dw;
        const inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
        for (let c = 0; c < C; c++) {
          const v = inside ? load<i32>(src + (<usize>(((n * H + iy) * W + ix) * C + c) << 2)) : 0;
          storeLane(lanes, d, v + offset);
          d += lanes;
        }
      }
    }
    for (let k = kh * kw * C; k < ld; k++) { storeLane(lanes, d, 0); d += lanes; }
  }
}

// Windows inside the image: whole runs, no bounds checks.
@inline function im2colRuns(lanes: i32, src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  if (pt != 0 || pl != 0 || (OH - 1) * sh + (kh - 1) * dh >= H || (OW - 1) * sw + (kw - 1) * dw >= W) {
    im2colPlain(lanes, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, offset);
    return;
  }
  const K = kh * kw * C;
  const rowBytes = <usize>ld * lanes;
  const pix = OH * OW;
  const lineBytes = <usize>W * C << 2;
  const kyStep = <usize>dh * lineBytes;
  const kxStep = <usize>dw * C << 2;
  const tapBytes = <usize>C * lanes;
  const runBytes = <usize>kw * tapBytes;
  let n = row0 / pix;
  const rem = row0 - n * pix;
  let oy = rem / OW;
  let ox = rem - oy * OW;
  for (let r = 0; r < rows; r++) {
    const base = src + (<usize>((n * H + oy * sh) * W + ox * sw) * C << 2);
    let d = dst + <usize>r * rowBytes;
    let s = base;
    for (let ky = 0; ky < kh; ky++) {
      if (dw == 1) {
        copyRun(lanes, s, d, kw * C, offset);
      } else {
        let t = s;
        let e = d;
        for (let kx = 0; kx < kw; kx++) {
          copyRun(lanes, t, e, C, offset);
          t += kxStep;
          e += tapBytes;
        }
      }
      d += runBytes;
      s += kyStep;
    }
    // The zero tail in whole vectors (overrunning into the next row, written after).
    const tailEnd = dst + <usize>r * rowBytes + rowBytes;
    for (; d < tailEnd; d += 16) v128.store(d, i32x4.splat(0));
    if (++ox == OW) {
      ox = 0;
      if (++oy == OH) { oy = 0; n++; }
    }
  }
  if (rowsPad > rows) zeroBytes(dst + <usize>rows * rowBytes, <usize>(rowsPad - rows) * rowBytes);
}

export function im2col_i8(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  im2colRuns(1, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, offset);
}
export function im2col_i8_scalar(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  im2colPlain(1, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, offset);
}
export function im2col_i16(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  im2colRuns(2, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, offset);
}
export function im2col_i16_scalar(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32, offset: i32): void {
  im2colPlain(2, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, offset);
}
/** 4-byte lanes: i32 for the exact 64-bit path, f32 for the float path. */
export function im2col_x32(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32): void {
  im2colRuns(4, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, 0);
}
export function im2col_x32_scalar(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32): void {
  im2colPlain(4, src, H, W, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, row0, rows, rowsPad, dst, ld, 0);
}

// Narrowed sources: the engine first writes the (zero-padded) input once as int16 / int8 lanes
// (offset included), so each kernel row of the panel is a plain vector copy — half the work of
// narrowing every tap again (a value is read kh·kw times by im2col).

/** dst = zero-padded src narrowed to i16 (lanes = 2) or to i8 with `offset` added (lanes = 1). */
@inline function narrowPad(lanes: i32, src: usize, H: i32, W: i32, C: i32, pt: i32, pl: i32, pb: i32, pr: i32, batch: i32, dst: usize, offset: i32): void {
  const OH = H + pt + pb;
  const OW = W + pl + pr;
  const lineOut = <usize>OW * C * lanes;
  const lineIn = <usize>W * C;
  const off = i16x8.splat(<i16>offset);
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < OH; y++) {
      const d = dst + (<usize>(n * OH + y) * lineOut);
      const iy = y - pt;
      if (iy < 0 || iy >= H) { fillOffset(lanes, d, OW * C, offset); continue; }
      fillOffset(lanes, d, pl * C, offset);
      const s = src + ((<usize>(n * H + iy) * lineIn) << 2);
      const e = d + <usize>pl * C * lanes;
      const len = <i32>lineIn;
      let c = 0;
      if (lanes == 2) {
        for (; c + 8 <= len; c += 8) {
          const p = s + (<usize>c << 2);
          v128.store(e + (<usize>c << 1), i16x8.add(i16x8.narrow_i32x4_s(v128.load(p), v128.load(p, 16)), off));
        }
        for (; c < len; c++) store<i16>(e + (<usize>c << 1), <i16>(load<i32>(s + (<usize>c << 2)) + offset));
      } else {
        for (; c + 16 <= len; c += 16) {
          const p = s + (<usize>c << 2);
          const lo = i16x8.add(i16x8.narrow_i32x4_s(v128.load(p), v128.load(p, 16)), off);
          const hi = i16x8.add(i16x8.narrow_i32x4_s(v128.load(p, 32), v128.load(p, 48)), off);
          v128.store(e + <usize>c, i8x16.narrow_i16x8_s(lo, hi));
        }
        for (; c < len; c++) store<i8>(e + <usize>c, <i8>(load<i32>(s + (<usize>c << 2)) + offset));
      }
      fillOffset(lanes, e + <usize>len * lanes, pr * C, offset);
    }
  }
}

@inline function fillOffset(lanes: i32, d: usize, count: i32, offset: i32): void {
  let i = 0;
  if (lanes == 2) {
    const v = i16x8.splat(<i16>offset);
    for (; i + 8 <= count; i += 8) v128.store(d + (<usize>i << 1), v);
    for (; i < count; i++) store<i16>(d + (<usize>i << 1), <i16>offset);
  } else {
    const v = i8x16.splat(<i8>offset);
    for (; i + 16 <= count; i += 16) v128.store(d + <usize>i, v);
    for (; i < count; i++) store<i8>(d + <usize>i, <i8>offset);
  }
}

export function narrow_pad_i16(src: usize, H: i32, W: i32, C: i32, pt: i32, pl: i32, pb: i32, pr: i32, batch: i32, dst: usize): void {
  narrowPad(2, src, H, W, C, pt, pl, pb, pr, batch, dst, 0);
}
export function narrow_pad_i8(src: usize, H: i32, W: i32, C: i32, pt: i32, pl: i32, pb: i32, pr: i32, batch: i32, dst: usize, offset: i32): void {
  narrowPad(1, src, H, W, C, pt, pl, pb, pr, batch, dst, offset);
}

/** im2col from a narrowed source (windows inside it): kernel rows copied as vectors. */
@inline function im2colNarrow(lanes: i32, src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32,
  OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32): void {
  const rowBytes = <usize>ld * lanes;
  const pix = OH * OW;
  const lineBytes = <usize>W * C * lanes;
  const kyStep = <usize>dh * lineBytes;
  const kxStep = <usize>dw * C * lanes;
  const tapBytes = <usize>C * lanes;
  const runBytes = <usize>kw * tapBytes;
  const copyBytes = dw == 1 ? runBytes : tapBytes;
  let n = row0 / pix;
  const rem = row0 - n * pix;
  let oy = rem / OW;
  let ox = rem - oy * OW;
  for (let r = 0; r < rows; r++) {
    let s = src + (<usize>((n * H + oy * sh) * W + ox * sw) * C * lanes);
    const rowStart = dst + <usize>r * rowBytes;
    let d = rowStart;
    if (dw == 1 && copyBytes <= 16) {
      // Short kernel rows (first layers): one vector each.
      for (let ky = 0; ky < kh; ky++) {
        v128.store(d, v128.load(s));
        d += runBytes;
        s += kyStep;
      }
    } else for (let ky = 0; ky < kh; ky++) {
      if (dw == 1) {
        for (let b: usize = 0; b < copyBytes; b += 16) v128.store(d + b, v128.load(s + b));
      } else {
        let t = s;
        let e = d;
        for (let kx = 0; kx < kw; kx++) {
          for (let b: usize = 0; b < copyBytes; b += 16) v128.store(e + b, v128.load(t + b));
          t += kxStep;
          e += tapBytes;
        }
      }
      d += runBytes;
      s += kyStep;
    }
    const tailEnd = rowStart + rowBytes;
    for (; d < tailEnd; d += 16) v128.store(d, i32x4.splat(0));
    if (++ox == OW) {
      ox = 0;
      if (++oy == OH) { oy = 0; n++; }
    }
  }
  if (rowsPad > rows) zeroBytes(dst + <usize>rows * rowBytes, <usize>(rowsPad - rows) * rowBytes);
}

export function im2col_i16n(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32): void {
  im2colNarrow(2, src, H, W, C, kh, kw, sh, sw, dh, dw, OH, OW, row0, rows, rowsPad, dst, ld);
}
export function im2col_i8n(src: usize, H: i32, W: i32, C: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, OH: i32, OW: i32, row0: i32, rows: i32, rowsPad: i32, dst: usize, ld: i32): void {
  im2colNarrow(1, src, H, W, C, kh, kw, sh, sw, dh, dw, OH, OW, row0, rows, rowsPad, dst, ld);
}
