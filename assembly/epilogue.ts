// Epilogues: bias, activation, batch-norm epilogue and requantisation of GEMM / depthwise /
// affine accumulators, written out as an NHWC tensor (row r, channel n → dst[r·ldd + n]).
//
// Each kernel reads its node's control block (IntEpiBlock / FloatEpiBlock, assembly/blocks.ts).
import { ACT_LEAKY, ACT_RELU, ACT_RELU_MAX, act64, requant64 } from './arith';
import { FloatEpiBlock, IntEpiBlock } from './blocks';

/**
 * The i32x4 epilogue of one vector of 4 channels at byte offset `o` of the per-channel arrays
 * (the fast path's bounds hold), for kernels that apply it right after their sums
 * (gemm_i16_conv_epi): the same arithmetic as epi_int_fast. `t` = fastShift(S).
 */
@inline export function epiFastVec(acc: v128, o: usize, e: IntEpiBlock, t: i32): v128 {
  const act = e.act, S = e.S;
  const zero = i32x4.splat(0);
  let v = i32x4.add(acc, v128.load(e.bt32 + o));
  if (act == ACT_RELU) v = i32x4.max_s(v, zero);
  else if (act == ACT_RELU_MAX) v = i32x4.min_s(i32x4.max_s(v, zero), i32x4.splat(e.maxQ32));
  else if (act == ACT_LEAKY) {
    const l = i32x4.shr_s(i32x4.add(i32x4.mul(v, i32x4.splat(e.alpha)), i32x4.splat(16384)), 15);
    v = v128.bitselect(l, v, i32x4.lt_s(v, zero));
  }
  if (e.hasEpi) v = i32x4.add(i32x4.mul(v, v128.load(e.qs + o)), v128.load(e.st32 + o));
  if (S > 0) v = i32x4.shr_s(i32x4.add(v, i32x4.splat(1 << (S - 1))), S);
  else {
    const b = 1 << (17 - t);
    v = i32x4.shl(i32x4.min_s(i32x4.max_s(v, i32x4.splat(-b)), i32x4.splat(b)), t);
  }
  return i32x4.min_s(i32x4.max_s(v, i32x4.splat(e.lo)), i32x4.splat(e.hi));
}

/** epiFastVec for 4 values of one channel c (its per-channel parameters splatted). */
@inline export function epiFastSplat(acc: v128, c: i32, e: IntEpiBlock, t: i32): v128 {
  const act = e.act, S = e.S;
  const o = <usize>c << 2;
  const zero = i32x4.splat(0);
  let v = i32x4.add(acc, i32x4.splat(load<i32>(e.bt32 + o)));
  if (act == ACT_RELU) v = i32x4.max_s(v, zero);
  else if (act == ACT_RELU_MAX) v = i32x4.min_s(i32x4.max_s(v, zero), i32x4.splat(e.maxQ32));
  else if (act == ACT_LEAKY) {
    const l = i32x4.shr_s(i32x4.add(i32x4.mul(v, i32x4.splat(e.alpha)), i32x4.splat(16384)), 15);
    v = v128.bitselect(l, v, i32x4.lt_s(v, zero));
  }
  if (e.hasEpi) v = i32x4.add(i32x4.mul(v, i32x4.splat(load<i32>(e.qs + o))), i32x4.splat(load<i32>(e.st32 + o)));
  if (S > 0) v = i32x4.shr_s(i32x4.add(v, i32x4.splat(1 << (S - 1))), S);
  else {
    const b = 1 << (17 - t);
    v = i32x4.shl(i32x4.min_s(i32x4.max_s(v, i32x4.splat(-b)), i32x4.splat(b)), t);
  }
  return i32x4.min_s(i32x4.max_s(v, i32x4.splat(e.lo)), i32x4.splat(e.hi));
}

/** Left shift of the fast epilogue when S ≤ 0 (values are clamped first so it cannot overflow). */
@inline export function fastShift(S: i32): i32 {
  return S > 0 ? 0 : (-S < 17 ? -S : 17);
}

/** Stores the first min(count, 4) lanes. */
@inline export function storeLanes(d: usize, v: v128, count: i32): void {
  if (count >= 4) { v128.store(d, v); return; }
  store<i32>(d, i32x4.extract_lane(v, 0));
  if (count > 1) store<i32>(d, i32x4.extract_lane(v, 1), 4);
  if (count > 2) store<i32>(d, i32x4.extract_lane(v, 2), 8);
}

/** Exact generic epilogue in i64 (scalar). C holds i32 (is64 = 0) or i64 (is64 = 1) sums. */
export function epi_int(blk: usize, C: usize, is64: i32, ldc: i32, rows: i32, N: i32, dst: usize, ldd: i32): void {
  const e = changetype<IntEpiBlock>(blk);
  const act = e.act;
  const alpha = e.alpha;
  const hasEpi = e.hasEpi;
  const S = e.S;
  const lo = e.lo;
  const hi = e.hi;
  const bt = e.bt64;
  const qs = e.qs;
  const st = e.st64;
  const maxQ = e.maxQ64;
  for (let r = 0; r < rows; r++) {
    const d = dst + (<usize>r * ldd << 2);
    for (let n = 0; n < N; n++) {
      const idx = <usize>r * ldc + n;
      let v: i64 = is64 ? load<i64>(C + (idx << 3)) : <i64>load<i32>(C + (idx << 2));
      v = act64(v + load<i64>(bt + (<usize>n << 3)), act, maxQ, alpha);
      if (hasEpi) v = v * <i64>load<i32>(qs + (<usize>n << 2)) + load<i64>(st + (<usize>n << 3));
      store<i32>(d + (<usize>n << 2), requant64(v, S, lo, hi));
    }
  }
}

/**
 * The same in i32x4 lanes, for nodes whose bounds (src/engine/prepare.ts) keep every
 * intermediate, rounding constant included, below 2^31, and 1 ≤ S ≤ 30 or -14 ≤ S ≤ 0.
 */
export function epi_int_fast(blk: usize, C: usize, ldc: i32, rows: i32, N: i32, dst: usize, ldd: i32): void {
  const e = changetype<IntEpiBlock>(blk);
  const act = e.act;
  const alpha = e.alpha;
  const hasEpi = e.hasEpi;
  const S = e.S;
  const lo = e.lo;
  const hi = e.hi;
  const qs = e.qs;
  const bt = e.bt32;
  const st = e.st32;
  const maxQ = e.maxQ32;
  const zero = i32x4.splat(0);
  const vmax = i32x4.splat(maxQ);
  const valpha = i32x4.splat(alpha);
  const vhalf15 = i32x4.splat(16384);
  const vlo = i32x4.splat(lo);
  const vhi = i32x4.splat(hi);
  const round = i32x4.splat(S > 0 ? 1 << (S - 1) : 0);
  const t = fastShift(S);
  const clampB = i32x4.splat(1 << (17 - (t < 17 ? t : 17)));
  const clampNB = i32x4.neg(clampB);
  // Whole vectors per row: lanes past N write into the next row (rewritten next) or into the
  // buffer's slack; the per-channel arrays hold Np ≥ N + 3 entries.
  for (let r = 0; r < rows; r++) {
    const c = C + (<usize>r * ldc << 2);
    const d = dst + (<usize>r * ldd << 2);
    for (let n = 0; n < N; n += 4) {
      const o = <usize>n << 2;
      let v = i32x4.add(v128.load(c + o), v128.load(bt + o));
      if (act == ACT_RELU) v = i32x4.max_s(v, zero);
      else if (act == ACT_RELU_MAX) v = i32x4.min_s(i32x4.max_s(v, zero), vmax);
      else if (act == ACT_LEAKY) {
        const l = i32x4.shr_s(i32x4.add(i32x4.mul(v, valpha), vhalf15), 15);
        v = v128.bitselect(l, v, i32x4.lt_s(v, zero));
      }
      if (hasEpi) v = i32x4.add(i32x4.mul(v, v128.load(qs + o)), v128.load(st + o));
      if (S > 0) v = i32x4.shr_s(i32x4.add(v, round), S);
      else v = i32x4.shl(i32x4.min_s(i32x4.max_s(v, clampNB), clampB), t);
      v128.store(d + o, i32x4.min_s(i32x4.max_s(v, vlo), vhi));
    }
  }
}

@inline function actF32(v: f32, act: i32, maxV: f32, alpha: f32): f32 {
  if (act == ACT_RELU) return v > 0 ? v : 0;
  if (act == ACT_RELU_MAX) { const r: f32 = v > 0 ? v : 0; return maxV < r ? maxV : r; }
  if (act == ACT_LEAKY) return v < 0 ? v * alpha : v;
  return v;
}

@inline function actF32x4(v: v128, act: i32, vmax: v128, valpha: v128): v128 {
  const zero = f32x4.splat(0);
  if (act == ACT_RELU) return f32x4.pmax(zero, v);
  if (act == ACT_RELU_MAX) return f32x4.pmin(f32x4.pmax(zero, v), vmax);
  if (act == ACT_LEAKY) return v128.bitselect(f32x4.mul(v, valpha), v, f32x4.lt(v, zero));
  return v;
}

/** Float epilogue: v = C + bias, activation, then v·scale + shift with an epilogue; f32 out (whole vectors, as epi_int_fast). */
export function epi_f32(blk: usize, C: usize, ldc: i32, rows: i32, N: i32, dst: usize, ldd: i32): void {
  const e = changetype<FloatEpiBlock>(blk);
  const act = e.act;
  const alpha = e.alpha;
  const maxV = e.maxV;
  const hasEpi = e.hasEpi;
  const bias = e.bias;
  const scale = e.scale;
  const shift = e.shift;
  const vmax = f32x4.splat(maxV);
  const valpha = f32x4.splat(alpha);
  for (let r = 0; r < rows; r++) {
    const c = C + (<usize>r * ldc << 2);
    const d = dst + (<usize>r * ldd << 2);
    for (let n = 0; n < N; n += 4) {
      const o = <usize>n << 2;
      let v = actF32x4(f32x4.add(v128.load(c + o), v128.load(bias + o)), act, vmax, valpha);
      if (hasEpi) v = f32x4.add(f32x4.mul(v, v128.load(scale + o)), v128.load(shift + o));
      v128.store(d + o, v);
    }
  }
}

export function epi_f32_scalar(blk: usize, C: usize, ldc: i32, rows: i32, N: i32, dst: usize, ldd: i32): void {
  const e = changetype<FloatEpiBlock>(blk);
  const act = e.act;
  const alpha = e.alpha;
  const maxV = e.maxV;
  const hasEpi = e.hasEpi;
  const bias = e.bias;
  const scale = e.scale;
  const shift = e.shift;
  for (let r = 0; r < rows; r++) {
    const c = C + (<usize>r * ldc << 2);
    const d = dst + (<usize>r * ldd << 2);
    for (let n = 0; n < N; n++) {
      const o = <usize>n << 2;
      let v = actF32(load<f32>(c + o) + load<f32>(bias + o), act, maxV, alpha);
      if (hasEpi) v = v * load<f32>(scale + o) + load<f32>(shift + o);
      store<f32>(d + o, v);
    }
  }
}

/** Standalone activation on a float tensor. */
export function act_f32(src: usize, dst: usize, count: i32, act: i32, maxV: f32, alpha: f32): void {
  const vmax = f32x4.splat(maxV);
  const valpha = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), actF32x4(v128.load(src + (<usize>i << 2)), act, vmax, valpha));
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), actF32(load<f32>(src + (<usize>i << 2)), act, maxV, alpha));
}

export function act_f32_scalar(src: usize, dst: usize, count: i32, act: i32, maxV: f32, alpha: f32): void {
  for (let i = 0; i < count; i++) store<f32>(dst + (<usize>i << 2), actF32(load<f32>(src + (<usize>i << 2)), act, maxV, alpha));
}

/** Standalone activation on a fixed tensor, in its own format (|q| ≤ 2^16, so i32 is exact). */
export function act_int(src: usize, dst: usize, count: i32, act: i32, maxQ: i32, alpha: i32): void {
  const zero = i32x4.splat(0);
  const vmax = i32x4.splat(maxQ);
  const valpha = i32x4.splat(alpha);
  const half = i32x4.splat(16384);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    let v = v128.load(src + (<usize>i << 2));
    if (act == ACT_RELU) v = i32x4.max_s(v, zero);
    else if (act == ACT_RELU_MAX) v = i32x4.min_s(i32x4.max_s(v, zero), vmax);
    else if (act == ACT_LEAKY) v = v128.bitselect(i32x4.shr_s(i32x4.add(i32x4.mul(v, valpha), half), 15), v, i32x4.lt_s(v, zero));
    v128.store(dst + (<usize>i << 2), v);
  }
  for (; i < count; i++) store<i32>(dst + (<usize>i << 2), <i32>act64(<i64>load<i32>(src + (<usize>i << 2)), act, <i64>maxQ, alpha));
}

export function act_int_scalar(src: usize, dst: usize, count: i32, act: i32, maxQ: i32, alpha: i32): void {
  for (let i = 0; i < count; i++) store<i32>(dst + (<usize>i << 2), <i32>act64(<i64>load<i32>(src + (<usize>i << 2)), act, <i64>maxQ, alpha));
}
