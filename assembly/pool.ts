// Max and average pooling over NHWC tensors of `batch` images. Only taps inside the image take
// part (padding is never a value), like TensorFlow; average pooling divides by that count.
// Integer average: floor((2·sum + n) / (2·n)), half up (DESIGN.md §4). Float: f32(sum / n).
import { floorDiv64 } from './arith';

@inline function windowRange(o: i32, s: i32, p: i32, k: i32, size: i32): u64 {
  let a = o * s - p;
  let b = a + k;
  if (a < 0) a = 0;
  if (b > size) b = size;
  return (<u64>a << 32) | <u64><u32>b;
}

// kind: 0 max, 1 avg; ty: 0 int, 1 float.
@inline function poolGeneric(kind: i32, ty: i32, simd: bool, src: usize, H: i32, W: i32, C: i32, ph: i32, pw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  // SIMD: whole vectors per pixel; lanes past C read the next pixel (or the buffer's slack)
  // and write into the next output pixel, which is written after.
  const C4 = simd ? (C + 3) & ~3 : 0;
  if (simd && kind == 0 && ph == 2 && pw == 2 && sh == 2 && sw == 2 && pt == 0 && pl == 0 && 2 * OH <= H && 2 * OW <= W) {
    maxPool2x2(ty, src, H, W, C, C4, OH, OW, batch, dst);
    return;
  }
  for (let n = 0; n < batch; n++) {
    const img = src + (<usize>n * H * W * C << 2);
    for (let oy = 0; oy < OH; oy++) {
      const ry = windowRange(oy, sh, pt, ph, H);
      const y0 = <i32>(ry >> 32), y1 = <i32>ry;
      for (let ox = 0; ox < OW; ox++) {
        const rx = windowRange(ox, sw, pl, pw, W);
        const x0 = <i32>(rx >> 32), x1 = <i32>rx;
        const count = (y1 - y0) * (x1 - x0);
        const out = dst + (<usize>((n * OH + oy) * OW + ox) * C << 2);
        for (let c = 0; c < C4; c += 4) {
          let s = kind == 0 ? (ty == 0 ? i32x4.splat(i32.MIN_VALUE) : f32x4.splat(-Infinity)) : i32x4.splat(0);
          for (let y = y0; y < y1; y++) {
            for (let x = x0; x < x1; x++) {
              const v = v128.load(img + (<usize>((y * W + x) * C + c) << 2));
              if (kind == 0) s = ty == 0 ? i32x4.max_s(s, v) : f32x4.pmax(s, v);
              else s = ty == 0 ? i32x4.add(s, v) : f32x4.add(s, v);
            }
          }
          if (kind == 1) {
            if (ty == 1) s = f32x4.div(s, f32x4.splat(<f32>count));
            else {
              const d = <i64>(2 * count);
              s = i32x4.replace_lane(s, 0, <i32>floorDiv64(2 * <i64>i32x4.extract_lane(s, 0) + count, d));
              s = i32x4.replace_lane(s, 1, <i32>floorDiv64(2 * <i64>i32x4.extract_lane(s, 1) + count, d));
              s = i32x4.replace_lane(s, 2, <i32>floorDiv64(2 * <i64>i32x4.extract_lane(s, 2) + count, d));
              s = i32x4.replace_lane(s, 3, <i32>floorDiv64(2 * <i64>i32x4.extract_lane(s, 3) + count, d));
            }
          }
          v128.store(out + (<usize>c << 2), s);
        }
        for (let c = C4; c < C; c++) {
          if (ty == 0) {
            let s: i64 = kind == 0 ? i64.MIN_VALUE : 0;
            for (let y = y0; y < y1; y++) {
              for (let x = x0; x < x1; x++) {
                const v = <i64>load<i32>(img + (<usize>((y * W + x) * C + c) << 2));
                if (kind == 0) s = v > s ? v : s;
                else s += v;
              }
            }
            if (kind == 1) s = floorDiv64(2 * s + count, <i64>(2 * count));
            store<i32>(out + (<usize>c << 2), <i32>s);
          } else {
            let s: f32 = kind == 0 ? -Infinity : 0;
            for (let y = y0; y < y1; y++) {
              for (let x = x0; x < x1; x++) {
                const v = load<f32>(img + (<usize>((y * W + x) * C + c) << 2));
                if (kind == 0) s = s < v ? v : s;
                else s = s + v;
              }
            }
            if (kind == 1) s = s / <f32>count;
            store<f32>(out + (<usize>c << 2), s);
          }
        }
      }
    }
  }
}

/**
 * 2×2 max pooling, stride 2, every window inside the image (LeNet's, VGG's): the windows of
 * poolGeneric unrolled, the taps in its order (row by row) so float NaN and ±0 come out the same.
 */
@inline function maxPool2x2(ty: i32, src: usize, H: i32, W: i32, C: i32, C4: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  const pix = <usize>C << 2;
  const line = <usize>W * pix;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < OH; oy++) {
      let s = src + <usize>(n * H + 2 * oy) * line;
      let d = dst + <usize>((n * OH + oy) * OW) * pix;
      for (let ox = 0; ox < OW; ox++) {
        for (let c = 0; c < C4; c += 4) {
          const o = <usize>c << 2;
          const a = v128.load(s + o), b = v128.load(s + pix + o), e = v128.load(s + line + o), f = v128.load(s + line + pix + o);
          const m = ty == 0 ? i32x4.max_s(i32x4.max_s(i32x4.max_s(a, b), e), f)
            : f32x4.pmax(f32x4.pmax(f32x4.pmax(f32x4.pmax(f32x4.splat(-Infinity), a), b), e), f);
          v128.store(d + o, m);
        }
        s += pix << 1;
        d += pix;
      }
    }
  }
}

export function maxpool_i32(src: usize, H: i32, W: i32, C: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32, pl: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  poolGeneric(0, 0, true, src, H, W, C, ph, pw, sh, sw, pt, pl, OH, OW, batch, dst);
}
export function maxpool_i32_scalar(src: usize, H: i32, W: i32, C: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32, pl: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  poolGeneric(0, 0, false, src, H, W, C, ph, pw, sh, sw, pt, pl, OH, OW, batch, dst);
}
/** SIMD sums in i32: the caller proved window·max|q| < 2^31 (else it uses the scalar, i64 version). */
export function avgpool_i32(src: usize, H: i32, W: i32, C: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32, pl: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  poolGeneric(1, 0, true, src, H, W, C, ph, pw, sh, sw, pt, pl, OH, OW, batch, dst);
}
export function avgpool_i32_scalar(src: usize, H: i32, W: i32, C: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32, pl: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  poolGeneric(1, 0, false, src, H, W, C, ph, pw, sh, sw, pt, pl, OH, OW, batch, dst);
}
export function maxpool_f32(src: usize, H: i32, W: i32, C: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32, pl: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  poolGeneric(0, 1, true, src, H, W, C, ph, pw, sh, sw, pt, pl, OH, OW, batch, dst);
}
export function maxpool_f32_scalar(src: usize, H: i32, W: i32, C: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32, pl: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  poolGeneric(0, 1, false, src, H, W, C, ph, pw, sh, sw, pt, pl, OH, OW, batch, dst);
}
export function avgpool_f32(src: usize, H: i32, W: i32, C: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32, pl: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  poolGeneric(1, 1, true, src, H, W, C, ph, pw, sh, sw, pt, pl, OH, OW, batch, dst);
}
export function avgpool_f32_scalar(src: usize, H: i32, W: i32, C: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32, pl: i32, OH: i32, OW: i32, batch: i32, dst: usize): void {
  poolGeneric(1, 1, false, src, H, W, C, ph, pw, sh, sw, pt, pl, OH, OW, batch, dst);
}

/** Zero padding: dst is batch × (H+pt+pb) × (W+pl+pr) × C; 4-byte values (int 0 = float +0). */
export function pad_copy(src: usize, H: i32, W: i32, C: i32, pt: i32, pl: i32, pb: i32, pr: i32, batch: i32, dst: usize): void {
  const OH = H + pt + pb;
  const OW = W + pl + pr;
  memory.fill(dst, 0, <usize>batch * OH * OW * C << 2);
  const rowBytes = <usize>W * C << 2;
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < H; y++) {
      memory.copy(dst + (<usize>(((n * OH + y + pt) * OW + pl) * C) << 2), src + (<usize>((n * H + y) * W * C) << 2), rowBytes);
    }
  }
}
