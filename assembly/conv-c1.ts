// Convolutions of one input channel, stride 1, no dilation (first layers of grey-image models),
// with i16 operands and the fast epilogue: vectorised over 4 neighbouring output pixels instead
// of over the reduction, because K = kh·kw is too short for the GEMM's blocks to pay off.
// i32x4.dot_i16x8_s takes two horizontal taps at once: lanes (x[p+kx], x[p+kx+1]) for pixels
// p..p+3 come from one load and one shuffle of the input row; the weights are packed as the pair
// (w[ky][kx][c], w[ky][kx+1][c]) repeated four times, per (ky, pair, channel) — see
// Engine.upload. The sums are the exact integer sums (same bounds as the i16 GEMM), so the
// results equal every other path bit for bit.
import { IntEpiBlock } from './blocks';
import { epiFastSplat, fastShift } from './epilogue';

/**
 * src: the zero-padded input narrowed to i16 (batch × Hp × Wp), windows inside it; output
 * pixels (OH × OW) of `batch` images; N channels written as NHWC int32 to dst.
 */
export function conv_c1_i16(src: usize, Hp: i32, Wp: i32, kh: i32, kw: i32, OH: i32, OW: i32, batch: i32, wp: usize, N: i32, blk: usize, dst: usize): void {
  const pairs = (kw + 1) >> 1;
  const e = changetype<IntEpiBlock>(blk);
  const t = fastShift(e.S);
  const rowBytes = <usize>Wp << 1;
  const tapStride = <usize>N << 4; // bytes per (ky, pair): N vectors
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < OH; oy++) {
      const rowIn = src + <usize>(n * Hp + oy) * rowBytes;
      const rowOut = dst + (<usize>((n * OH + oy) * OW) * N << 2);
      for (let ox = 0; ox < OW; ox += 4) {
        const valid = OW - ox < 4 ? OW - ox : 4;
        for (let c0 = 0; c0 < N; c0 += 8) {
          const cn = N - c0 < 8 ? N - c0 : 8;
          let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
          let a4 = i32x4.splat(0), a5 = i32x4.splat(0), a6 = i32x4.splat(0), a7 = i32x4.splat(0);
          let r = rowIn + (<usize>ox << 1);
          let w = wp + (<usize>c0 << 4);
          for (let ky = 0; ky < kh; ky++) {
            let p = r;
            for (let j = 0; j < pairs; j++) {
              const v = v128.load(p);
              const x = i8x16.shuffle(v, v, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7, 6, 7, 8, 9);
              a0 = i32x4.add(a0, i32x4.dot_i16x8_s(x, v128.load(w)));
              if (cn > 1) a1 = i32x4.add(a1, i32x4.dot_i16x8_s(x, v128.load(w, 16)));
              if (cn > 2) a2 = i32x4.add(a2, i32x4.dot_i16x8_s(x, v128.load(w, 32)));
              if (cn > 3) a3 = i32x4.add(a3, i32x4.dot_i16x8_s(x, v128.load(w, 48)));
              if (cn > 4) a4 = i32x4.add(a4, i32x4.dot_i16x8_s(x, v128.load(w, 64)));
              if (cn > 5) a5 = i32x4.add(a5, i32x4.dot_i16x8_s(x, v128.load(w, 80)));
              if (cn > 6) a6 = i32x4.add(a6, i32x4.dot_i16x8_s(x, v128.load(w, 96)));
              if (cn > 7) a7 = i32x4.add(a7, i32x4.dot_i16x8_s(x, v128.load(w, 112)));
              p += 4;
              w += tapStride;
            }
            r += rowBytes;
          }
          const out = rowOut + (<usize>(ox * N + c0) << 2);
          const ps = <usize>N << 2;
          storeChannel(out, epiFastSplat(a0, c0, e, t), ps, valid);
          if (cn > 1) storeChannel(out + 4, epiFastSplat(a1, c0 + 1, e, t), ps, valid);
          if (cn > 2) storeChannel(out + 8, epiFastSplat(a2, c0 + 2, e, t), ps, valid);
          if (cn > 3) storeChannel(out + 12, epiFastSplat(a3, c0 + 3, e, t), ps, valid);
          if (cn > 4) storeChannel(out + 16, epiFastSplat(a4, c0 + 4, e, t), ps, valid);
          if (cn > 5) storeChannel(out + 20, epiFastSplat(a5, c0 + 5, e, t), ps, valid);
          if (cn > 6) storeChannel(out + 24, epiFastSplat(a6, c0 + 6, e, t), ps, valid);
          if (cn > 7) storeChannel(out + 28, epiFastSplat(a7, c0 + 7, e, t), ps, valid);
        }
      }
    }
  }
}

/** Lane p of v to d + p·stride, for the first `valid` pixels. */
@inline function storeChannel(d: usize, v: v128, stride: usize, valid: i32): void {
  store<i32>(d, i32x4.extract_lane(v, 0));
  if (valid > 1) store<i32>(d + stride, i32x4.extract_lane(v, 1));
  if (valid > 2) store<i32>(d + 2 * stride, i32x4.extract_lane(v, 2));
  if (valid > 3) store<i32>(d + 3 * stride, i32x4.extract_lane(v, 3));
}
