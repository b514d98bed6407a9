// Integer dot product of two int16 vectors, the inner loop of the fixed-point engine.
// dot_i16_simd uses i32x4.dot_i16x8_s; dot_i16_scalar is its reference.
// The caller guarantees the sum fits in 32 bits (DESIGN.md §4: n·max|a|·max|b| < 2^31).

export function dot_i16_simd(a: usize, b: usize, n: i32): i32 {
  let acc = i32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const off = <usize>i << 1;
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(v128.load(a + off), v128.load(b + off)));
  }
  let sum = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; i < n; i++) {
    const off = <usize>i << 1;
    sum += <i32>load<i16>(a + off) * <i32>load<i16>(b + off);
  }
  return sum;
}

export function dot_i16_scalar(a: usize, b: usize, n: i32): i32 {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 1;
    sum += <i32>load<i16>(a + off) * <i32>load<i16>(b + off);
  }
  return sum;
}
