// The kernels one engine runs, chosen once: the SIMD kernels or their scalar twins (identical
// results; the scalar ones are the reference the SIMD ones are tested against). Kernels with a
// single implementation are called on the exports directly.
import type { KernelExports } from './kernels.ts';

export interface KernelTable {
  simd: boolean;
  quantizeCols: KernelExports['quantize_cols'];
  dequantizeCols: KernelExports['dequantize_cols'];
  requantCols: KernelExports['requant_cols'];
  im2colI8: KernelExports['im2col_i8'];
  im2colI16: KernelExports['im2col_i16'];
  im2colX32: KernelExports['im2col_x32'];
  gemmI8: KernelExports['gemm_i8r'];
  gemmI16: KernelExports['gemm_i16'];
  gemmI64: KernelExports['gemm_i64'];
  gemmF32: KernelExports['gemm_f32'];
  epiF32: KernelExports['epi_f32'];
  actF32: KernelExports['act_f32'];
  actInt: KernelExports['act_int'];
  dwI32: KernelExports['dw_i32'];
  dwF32: KernelExports['dw_f32'];
  maxpoolF32: KernelExports['maxpool_f32'];
  avgpoolF32: KernelExports['avgpool_f32'];
  maxpoolI32: KernelExports['maxpool_i32'];
  /** avgpool_i32 needs i32 sums (PreparedNode.fast); the scalar one is exact in any case. */
  avgpoolI32: KernelExports['avgpool_i32'];
  addF32: KernelExports['add_f32'];
  affineMulI32: KernelExports['affine_mul_i32'];
  affineMulF32: KernelExports['affine_mul_f32'];
  /** Kernels that exist only as SIMD (null in the scalar table: the general route runs instead). */
  simdOnly: SimdOnlyKernels | null;
}

export type SimdOnlyKernels = Pick<KernelExports,
  'narrow_pad_i16' | 'narrow_pad_i8' | 'im2col_i16n' | 'im2col_i8n' | 'gemm_f32_conv' | 'gemm_i16_conv_epi' | 'gemm_i8r_conv_epi' | 'pad_pairs_i16' | 'conv_c1_i16' | 'conv_c1_f32' | 'epi_int_fast' | 'add_int_fast'>;

export function kernelTable(k: KernelExports, simd: boolean): KernelTable {
  if (!simd) {
    return {
      simd,
      quantizeCols: k.quantize_cols_scalar, dequantizeCols: k.dequantize_cols_scalar, requantCols: k.requant_cols_scalar,
      im2colI8: k.im2col_i8_scalar, im2colI16: k.im2col_i16_scalar, im2colX32: k.im2col_x32_scalar,
      gemmI8: k.gemm_i8_scalar, gemmI16: k.gemm_i16_scalar, gemmI64: k.gemm_i64_scalar, gemmF32: k.gemm_f32_scalar,
      epiF32: k.epi_f32_scalar, actF32: k.act_f32_scalar, actInt: k.act_int_scalar,
      dwI32: k.dw_i32_scalar, dwF32: k.dw_f32_scalar,
      maxpoolF32: k.maxpool_f32_scalar, avgpoolF32: k.avgpool_f32_scalar, maxpoolI32: k.maxpool_i32_scalar, avgpoolI32: k.avgpool_i32_scalar,
      addF32: k.add_f32_scalar, affineMulI32: k.affine_mul_i32_scalar, affineMulF32: k.affine_mul_f32_scalar,
      simdOnly: null,
    };
  }
  return {
    simd,
    quantizeCols: k.quantize_cols, dequantizeCols: k.dequantize_cols, requantCols: k.requant_cols,
    im2colI8: k.im2col_i8, im2colI16: k.im2col_i16, im2colX32: k.im2col_x32,
    gemmI8: k.gemm_i8r, gemmI16: k.gemm_i16, gemmI64: k.gemm_i64, gemmF32: k.gemm_f32,
    epiF32: k.epi_f32, actF32: k.act_f32, actInt: k.act_int,
    dwI32: k.dw_i32, dwF32: k.dw_f32,
    maxpoolF32: k.maxpool_f32, avgpoolF32: k.avgpool_f32, maxpoolI32: k.maxpool_i32, avgpoolI32: k.avgpool_i32,
    addF32: k.add_f32, affineMulI32: k.affine_mul_i32, affineMulF32: k.affine_mul_f32,
    simdOnly: {
      narrow_pad_i16: k.narrow_pad_i16, narrow_pad_i8: k.narrow_pad_i8, im2col_i16n: k.im2col_i16n, im2col_i8n: k.im2col_i8n,
      gemm_f32_conv: k.gemm_f32_conv, gemm_i16_conv_epi: k.gemm_i16_conv_epi, gemm_i8r_conv_epi: k.gemm_i8r_conv_epi, pad_pairs_i16: k.pad_pairs_i16, conv_c1_i16: k.conv_c1_i16, conv_c1_f32: k.conv_c1_f32, epi_int_fast: k.epi_int_fast,
      add_int_fast: k.add_int_fast,
    },
  };
}
