// Elementwise kernels: add (align to the larger fractional length, add exactly, activation,
// requantise), the per-element products of affine nodes (their bias, activation and
// requantisation go through the shared epilogue), and float add.
import { act64, requant64 } from './arith';
import { ACT_LEAKY, ACT_RELU, ACT_RELU_MAX } from './arith';

/** Exact: s = (a << sa) + (b << sb), activation at the aligned frac, sat(shiftRound(s, S)). */
export function add_int(A: usize, B: usize, dst: usize, count: i32, sa: i32, sb: i32, act: i32, maxQ: i64, alpha: i32, S: i32, lo: i32, hi: i32): void {
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2;
    const s = (<i64>load<i32>(A + o) << sa) + (<i64>load<i32>(B + o) << sb);
    store<i32>(dst + o, requant64(act64(s, act, maxQ, alpha), S, lo, hi));
  }
}

/** i32x4 version for bounds that keep every intermediate below 2^31 (src/engine/prepare.ts). */
export function add_int_fast(A: usize, B: usize, dst: usize, count: i32, sa: i32, sb: i32, act: i32, maxQ: i32, alpha: i32, S: i32, lo: i32, hi: i32): void {
  const zero = i32x4.splat(0);
  const vmax = i32x4.splat(maxQ);
  const valpha = i32x4.splat(alpha);
  const half = i32x4.splat(16384);
  const vlo = i32x4.splat(lo);
  const vhi = i32x4.splat(hi);
  const round = i32x4.splat(S > 0 ? 1 << (S - 1) : 0);
  const t = S > 0 ? 0 : (-S < 17 ? -S : 17);
  const clampB = i32x4.splat(1 << (17 - (t < 17 ? t : 17)));
  const clampNB = i32x4.neg(clampB);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    let v = i32x4.add(i32x4.shl(v128.load(A + o), sa), i32x4.shl(v128.load(B + o), sb));
    if (act == ACT_RELU) v = i32x4.max_s(v, zero);
    else if (act == ACT_RELU_MAX) v = i32x4.min_s(i32x4.max_s(v, zero), vmax);
    else if (act == ACT_LEAKY) v = v128.bitselect(i32x4.shr_s(i32x4.add(i32x4.mul(v, valpha), half), 15), v, i32x4.lt_s(v, zero));
    if (S > 0) v = i32x4.shr_s(i32x4.add(v, round), S);
    else v = i32x4.shl(i32x4.min_s(i32x4.max_s(v, clampNB), clampB), t);
    v128.store(dst + o, i32x4.min_s(i32x4.max_s(v, vlo), vhi));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    const s = (<i64>load<i32>(A + o) << sa) + (<i64>load<i32>(B + o) << sb);
    store<i32>(dst + o, requant64(act64(s, act, <i64>maxQ, alpha), S, lo, hi));
  }
}

/** Float add; the activation and any fake quantisation follow as separate passes. */
export function add_f32(A: usize, B: usize, dst: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(A + o), v128.load(B + o)));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(A + o) + load<f32>(B + o));
  }
}

export function add_f32_scalar(A: usize, B: usize, dst: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(A + o) + load<f32>(B + o));
  }
}

/** acc[r][c] = q[r][c]·qs[c] in i32 (the caller proved max|q|·max|qs| < 2^31). */
export function affine_mul_i32(src: usize, qs: usize, acc: usize, rows: i32, C: i32): void {
  const C4 = C & ~3;
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>r * C << 2);
    let c = 0;
    for (; c < C4; c += 4) v128.store(acc + (<usize>(r * C + c) << 2), i32x4.mul(v128.load(s + (<usize>c << 2)), v128.load(qs + (<usize>c << 2))));
    for (; c < C; c++) store<i32>(acc + (<usize>(r * C + c) << 2), load<i32>(s + (<usize>c << 2)) * load<i32>(qs + (<usize>c << 2)));
  }
}

export function affine_mul_i32_scalar(src: usize, qs: usize, acc: usize, rows: i32, C: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < C; c++) store<i32>(acc + (<usize>(r * C + c) << 2), load<i32>(src + (<usize>(r * C + c) << 2)) * load<i32>(qs + (<usize>c << 2)));
  }
}

export function affine_mul_i64(src: usize, qs: usize, acc: usize, rows: i32, C: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < C; c++) store<i64>(acc + (<usize>(r * C + c) << 3), <i64>load<i32>(src + (<usize>(r * C + c) << 2)) * <i64>load<i32>(qs + (<usize>c << 2)));
  }
}

/** acc[r][c] = f32(x·s[c]); bias, activation and rounding follow in epi_f32. */
export function affine_mul_f32(src: usize, sc: usize, acc: usize, rows: i32, C: i32): void {
  const C4 = C & ~3;
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>r * C << 2);
    let c = 0;
    for (; c < C4; c += 4) v128.store(acc + (<usize>(r * C + c) << 2), f32x4.mul(v128.load(s + (<usize>c << 2)), v128.load(sc + (<usize>c << 2))));
    for (; c < C; c++) store<f32>(acc + (<usize>(r * C + c) << 2), load<f32>(s + (<usize>c << 2)) * load<f32>(sc + (<usize>c << 2)));
  }
}

export function affine_mul_f32_scalar(src: usize, sc: usize, acc: usize, rows: i32, C: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < C; c++) store<f32>(acc + (<usize>(r * C + c) << 2), load<f32>(src + (<usize>(r * C + c) << 2)) * load<f32>(sc + (<usize>c << 2)));
  }
}

/** acc (=|+=) q << shift in i64: the exact sum of an add with more than two inputs. */
export function add_acc_i64(src: usize, acc: usize, count: i32, shift: i32, first: i32): void {
  for (let i = 0; i < count; i++) {
    const p = acc + (<usize>i << 3);
    const v = <i64>load<i32>(src + (<usize>i << 2)) << shift;
    store<i64>(p, first ? v : load<i64>(p) + v);
  }
}

/** dst = sat(shiftRound(act(acc), S)) from an i64 sum. */
export function act_requant_i64(acc: usize, dst: usize, count: i32, act: i32, maxQ: i64, alpha: i32, S: i32, lo: i32, hi: i32): void {
  for (let i = 0; i < count; i++) {
    store<i32>(dst + (<usize>i << 2), requant64(act64(load<i64>(acc + (<usize>i << 3)), act, maxQ, alpha), S, lo, hi));
  }
}
