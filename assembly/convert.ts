// Conversions at tensor boundaries: float → fixed (quantize / fake-quantize, round half up and
// saturate, computed in f64 so x·2^f + 0.5 is exact), fixed → float (dequantize), fixed →
// fixed (requantize), plain copies. All work on column slices of row-major tensors so concat
// and pad can use them: `rows` rows, `cols` values per row, source and destination strides in
// elements. Every tensor element is 4 bytes (i32 or f32).
import { requant64 } from './arith';

/** q = sat(floor(x·2^frac + 0.5)); `scale` is 2^frac. */
export function quantize_cols(src: usize, srcLd: i32, dst: usize, dstLd: i32, rows: i32, cols: i32, scale: f64, lo: i32, hi: i32): void {
  const vs = f64x2.splat(scale);
  const half = f64x2.splat(0.5);
  const vlo = f64x2.splat(<f64>lo);
  const vhi = f64x2.splat(<f64>hi);
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>r * srcLd << 2);
    const d = dst + (<usize>r * dstLd << 2);
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const x = v128.load(s + (<usize>c << 2));
      let a = f64x2.floor(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(x), vs), half));
      let b = f64x2.floor(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), vs), half));
      a = f64x2.pmin(vhi, f64x2.pmax(vlo, a));
      b = f64x2.pmin(vhi, f64x2.pmax(vlo, b));
      const qa = i32x4.trunc_sat_f64x2_s_zero(a);
      const qb = i32x4.trunc_sat_f64x2_s_zero(b);
      v128.store(d + (<usize>c << 2), i32x4.shuffle(qa, qb, 0, 1, 4, 5));
    }
    for (; c < cols; c++) store<i32>(d + (<usize>c << 2), quantizeOne(load<f32>(s + (<usize>c << 2)), scale, lo, hi));
  }
}

@inline function quantizeOne(x: f32, scale: f64, lo: i32, hi: i32): i32 {
  const q = Math.floor(<f64>x * scale + 0.5);
  return q < <f64>lo ? lo : q > <f64>hi ? hi : <i32>q;
}

export function quantize_cols_scalar(src: usize, srcLd: i32, dst: usize, dstLd: i32, rows: i32, cols: i32, scale: f64, lo: i32, hi: i32): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>r * srcLd << 2);
    const d = dst + (<usize>r * dstLd << 2);
    for (let c = 0; c < cols; c++) store<i32>(d + (<usize>c << 2), quantizeOne(load<f32>(s + (<usize>c << 2)), scale, lo, hi));
  }
}

/** x = f32(q)·2^-frac, exact for |q| < 2^24; `scale` is 2^-frac as f32. */
export function dequantize_cols(src: usize, srcLd: i32, dst: usize, dstLd: i32, rows: i32, cols: i32, scale: f32): void {
  const vs = f32x4.splat(scale);
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>r * srcLd << 2);
    const d = dst + (<usize>r * dstLd << 2);
    let c = 0;
    for (; c + 4 <= cols; c += 4) v128.store(d + (<usize>c << 2), f32x4.mul(f32x4.convert_i32x4_s(v128.load(s + (<usize>c << 2))), vs));
    for (; c < cols; c++) store<f32>(d + (<usize>c << 2), <f32>load<i32>(s + (<usize>c << 2)) * scale);
  }
}

export function dequantize_cols_scalar(src: usize, srcLd: i32, dst: usize, dstLd: i32, rows: i32, cols: i32, scale: f32): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>r * srcLd << 2);
    const d = dst + (<usize>r * dstLd << 2);
    for (let c = 0; c < cols; c++) store<f32>(d + (<usize>c << 2), <f32>load<i32>(s + (<usize>c << 2)) * scale);
  }
}

/** q' = sat(shiftRound(q, s)). */
export function requant_cols(src: usize, srcLd: i32, dst: usize, dstLd: i32, rows: i32, cols: i32, s: i32, lo: i32, hi: i32): void {
  if (s == 0) {
    // Same fractional length: only saturation, which i32x4 min/max do exactly.
    const vlo = i32x4.splat(lo);
    const vhi = i32x4.splat(hi);
    for (let r = 0; r < rows; r++) {
      const a = src + (<usize>r * srcLd << 2);
      const d = dst + (<usize>r * dstLd << 2);
      let c = 0;
      for (; c + 4 <= cols; c += 4) v128.store(d + (<usize>c << 2), i32x4.min_s(vhi, i32x4.max_s(vlo, v128.load(a + (<usize>c << 2)))));
      for (; c < cols; c++) store<i32>(d + (<usize>c << 2), requant64(<i64>load<i32>(a + (<usize>c << 2)), 0, lo, hi));
    }
    return;
  }
  requant_cols_scalar(src, srcLd, dst, dstLd, rows, cols, s, lo, hi);
}

export function requant_cols_scalar(src: usize, srcLd: i32, dst: usize, dstLd: i32, rows: i32, cols: i32, s: i32, lo: i32, hi: i32): void {
  for (let r = 0; r < rows; r++) {
    const a = src + (<usize>r * srcLd << 2);
    const d = dst + (<usize>r * dstLd << 2);
    for (let c = 0; c < cols; c++) store<i32>(d + (<usize>c << 2), requant64(<i64>load<i32>(a + (<usize>c << 2)), s, lo, hi));
  }
}

/** Copies 4-byte values (i32 or f32 alike). */
export function copy_cols(src: usize, srcLd: i32, dst: usize, dstLd: i32, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + (<usize>r * dstLd << 2), src + (<usize>r * srcLd << 2), <usize>cols << 2);
  }
}

/** Zero-fills `bytes` bytes (integer 0 and float +0 alike). */
export function zero_fill(dst: usize, bytes: usize): void {
  memory.fill(dst, 0, bytes);
}

/** Index of the largest value per row, lowest index on ties. */
export function argmax_i32(src: usize, rows: i32, cols: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>r * cols << 2);
    let best = load<i32>(s);
    let bi = 0;
    for (let c = 1; c < cols; c++) {
      const v = load<i32>(s + (<usize>c << 2));
      if (v > best) { best = v; bi = c; }
    }
    store<i32>(out + (<usize>r << 2), bi);
  }
}

export function argmax_f32(src: usize, rows: i32, cols: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>r * cols << 2);
    let best = load<f32>(s);
    let bi = 0;
    for (let c = 1; c < cols; c++) {
      const v = load<f32>(s + (<usize>c << 2));
      if (v > best) { best = v; bi = c; }
    }
    store<i32>(out + (<usize>r << 2), bi);
  }
}
