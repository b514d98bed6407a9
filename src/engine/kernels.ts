// Typed view of the Wasm engine's exports (assembly/index.ts). Pointers are byte offsets into
// the instance's memory; i64 parameters take BigInt.

type P = number;
type Im2col = (src: P, H: number, W: number, C: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number,
  pt: number, pl: number, OH: number, OW: number, row0: number, rows: number, rowsPad: number, dst: P, ld: number, offset: number) => void;
type Im2colX32 = (src: P, H: number, W: number, C: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number,
  pt: number, pl: number, OH: number, OW: number, row0: number, rows: number, rowsPad: number, dst: P, ld: number) => void;
type Im2colN = (src: P, H: number, W: number, C: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number,
  OH: number, OW: number, row0: number, rows: number, rowsPad: number, dst: P, ld: number) => void;
type Gemm = (A: P, lda: number, B: P, ldb: number, C: P, ldc: number, M: number, N: number, k0: number, kLen: number) => void;
type GemmF = (A: P, lda: number, B: P, ldb: number, C: P, ldc: number, M: number, N: number, K: number) => void;
type Dw = (src: P, H: number, W: number, C: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw: number,
  pt: number, pl: number, OH: number, OW: number, mult: number, row0: number, rows: number, wts: P, acc: P, ldc: number) => void;
type Pool = (src: P, H: number, W: number, C: number, ph: number, pw: number, sh: number, sw: number, pt: number, pl: number,
  OH: number, OW: number, batch: number, dst: P) => void;
type Cols<E extends unknown[]> = (src: P, srcLd: number, dst: P, dstLd: number, rows: number, cols: number, ...extra: E) => void;
type Epi = (blk: P, C: P, ldc: number, rows: number, N: number, dst: P, ldd: number) => void;
/** gemm_i16_conv_epi / gemm_i8r_conv_epi: a convolution's windows read from the narrowed input. */
type GemmConv = (src: P, H: number, W: number, C: number, kh: number, sh: number, sw: number, dh: number, OH: number, OW: number, row0: number, rows: number,
  runP: number, B: P, blk: P, dst: P, Nout: number) => void;
/** One-input-channel convolutions (assembly/conv-c1.ts): Np = channels of the weight rows, N = output channels. */
type ConvC1 = (src: P, Hp: number, Wp: number, kh: number, kw: number, OH: number, OW: number, batch: number, wp: P, Np: number, N: number, blk: P, dst: P) => void;

export interface KernelExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): P;
  free(ptr: P): void;
  relaxedSimd(): number;
  /** Benchmark probes (assembly/peak.ts); peak_dot_i8 returns -1 in the plain SIMD build. */
  peak_dot_i16(iters: number, seed: number): number;
  peak_dot_i8(iters: number, seed: number): number;
  peak_f32(iters: number, seed: number): number;
  /** Field offsets and sizes of assembly/blocks.ts (22 i32 at dst). */
  block_layout(dst: P): void;

  quantize_cols: Cols<[scale: number, lo: number, hi: number]>;
  quantize_cols_scalar: Cols<[scale: number, lo: number, hi: number]>;
  dequantize_cols: Cols<[scale: number]>;
  dequantize_cols_scalar: Cols<[scale: number]>;
  requant_cols: Cols<[s: number, lo: number, hi: number]>;
  requant_cols_scalar: Cols<[s: number, lo: number, hi: number]>;
  copy_cols: Cols<[]>;
  zero_fill(dst: P, bytes: number): void;
  argmax_i32(src: P, rows: number, cols: number, out: P): void;
  argmax_f32(src: P, rows: number, cols: number, out: P): void;

  im2col_i8: Im2col;
  im2col_i8_scalar: Im2col;
  im2col_i16: Im2col;
  im2col_i16_scalar: Im2col;
  im2col_x32: Im2colX32;
  im2col_i16n: Im2colN;
  im2col_i8n: Im2colN;
  narrow_pad_i16(src: P, H: number, W: number, C: number, pt: number, pl: number, pb: number, pr: number, batch: number, dst: P): void;
  narrow_pad_i8(src: P, H: number, W: number, C: number, pt: number, pl: number, pb: number, pr: number, batch: number, dst: P, offset: number): void;
  im2col_x32_scalar: Im2colX32;

  gemm_i16: Gemm;
  gemm_i16_scalar: Gemm;
  pad_pairs_i16(src: P, H: number, W: number, pt: number, pl: number, pb: number, pr: number, batch: number, dst: P): void;
  conv_c1_i16: ConvC1;
  conv_c1_f32: ConvC1;
  gemm_i16_conv_epi: GemmConv;
  gemm_i8r_conv_epi: GemmConv;
  gemm_i8r: Gemm;
  gemm_i8_scalar: Gemm;
  gemm_i64: Gemm;
  gemm_i64_scalar: Gemm;
  accumulate_i64(C32: P, C64: P, ldc: number, rows: number, N: number, first: number): void;
  accumulate_split_i64(C32: P, ldc32: number, C64: P, ldc64: number, rows: number, N: number, first: number): void;
  gemm_f32: GemmF;
  gemm_f32_scalar: GemmF;
  gemm_f32_conv(src: P, H: number, W: number, C: number, kh: number, kw: number, sh: number, sw: number, dh: number, OH: number, OW: number, row0: number, rows: number,
    B: P, ldb: number, C32: P, ldc: number, N: number): void;

  epi_int(blk: P, C: P, is64: number, ldc: number, rows: number, N: number, dst: P, ldd: number): void;
  epi_int_fast: Epi;
  epi_f32: Epi;
  epi_f32_scalar: Epi;
  act_f32(src: P, dst: P, count: number, act: number, maxV: number, alpha: number): void;
  act_f32_scalar(src: P, dst: P, count: number, act: number, maxV: number, alpha: number): void;
  act_int(src: P, dst: P, count: number, act: number, maxQ: number, alpha: number): void;
  act_int_scalar(src: P, dst: P, count: number, act: number, maxQ: number, alpha: number): void;

  dw_i32: Dw;
  dw_i32_scalar: Dw;
  dw_i64: Dw;
  dw_f32: Dw;
  dw_f32_scalar: Dw;

  maxpool_i32: Pool;
  maxpool_i32_scalar: Pool;
  avgpool_i32: Pool;
  avgpool_i32_scalar: Pool;
  maxpool_f32: Pool;
  maxpool_f32_scalar: Pool;
  avgpool_f32: Pool;
  avgpool_f32_scalar: Pool;
  pad_copy(src: P, H: number, W: number, C: number, pt: number, pl: number, pb: number, pr: number, batch: number, dst: P): void;

  add_int(A: P, B: P, dst: P, count: number, sa: number, sb: number, act: number, maxQ: bigint, alpha: number, S: number, lo: number, hi: number): void;
  add_int_fast(A: P, B: P, dst: P, count: number, sa: number, sb: number, act: number, maxQ: number, alpha: number, S: number, lo: number, hi: number): void;
  add_f32(A: P, B: P, dst: P, count: number): void;
  add_f32_scalar(A: P, B: P, dst: P, count: number): void;
  add_acc_i64(src: P, acc: P, count: number, shift: number, first: number): void;
  act_requant_i64(acc: P, dst: P, count: number, act: number, maxQ: bigint, alpha: number, S: number, lo: number, hi: number): void;
  affine_mul_i32(src: P, qs: P, acc: P, rows: number, C: number): void;
  affine_mul_i32_scalar(src: P, qs: P, acc: P, rows: number, C: number): void;
  affine_mul_i64(src: P, qs: P, acc: P, rows: number, C: number): void;
  affine_mul_f32(src: P, sc: P, acc: P, rows: number, C: number): void;
  affine_mul_f32_scalar(src: P, sc: P, acc: P, rows: number, C: number): void;
}

/** Activation codes of assembly/arith.ts. */
export const ACT = { linear: 0, relu: 1, reluMax: 2, leaky: 3 } as const;

export function instantiateKernels(module: WebAssembly.Module): KernelExports {
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort: () => { throw new Error('Wasm engine aborted'); },
    },
  });
  return instance.exports as unknown as KernelExports;
}
