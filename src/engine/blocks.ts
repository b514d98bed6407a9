// Byte offsets of the Wasm control blocks declared in assembly/blocks.ts (IntEpiBlock,
// FloatEpiBlock), named once here for the writers below; blocks.test.ts checks them against the
// compiled module's own offsetof.
import type { ParamRegion } from './layout.ts';
import type { FloatEpilogue, IntEpilogue } from './prepare.ts';

export const INT_EPI_BLOCK = {
  act: 0, alpha: 4, hasEpi: 8, S: 12, lo: 16, hi: 20,
  bt64: 24, qs: 28, st64: 32, bt32: 36, st32: 40, maxQ32: 44, maxQ64: 48,
  size: 56,
} as const;

export const FLOAT_EPI_BLOCK = {
  act: 0, alpha: 4, maxV: 8, hasEpi: 12, bias: 16, scale: 20, shift: 24,
  size: 28,
} as const;

const I31 = 2 ** 31 - 1;

/** Writes a node's integer epilogue block (per-channel arrays already in the region). */
export function writeIntEpiBlock(buf: ArrayBuffer, region: ParamRegion, e: IntEpilogue): void {
  const B = INT_EPI_BLOCK;
  const dv = new DataView(buf, region.blkInt, B.size);
  dv.setInt32(B.act, e.act, true);
  dv.setInt32(B.alpha, e.alpha, true);
  dv.setInt32(B.hasEpi, e.hasEpi ? 1 : 0, true);
  dv.setInt32(B.S, e.S, true);
  dv.setInt32(B.lo, e.lo, true);
  dv.setInt32(B.hi, e.hi, true);
  dv.setUint32(B.bt64, region.bt64, true);
  dv.setUint32(B.qs, region.qs, true);
  dv.setUint32(B.st64, region.st64, true);
  dv.setUint32(B.bt32, region.bt32, true);
  dv.setUint32(B.st32, region.st32, true);
  dv.setInt32(B.maxQ32, e.maxQ > BigInt(I31) ? I31 : Number(e.maxQ), true);
  dv.setBigInt64(B.maxQ64, e.maxQ, true);
}

/** Writes a node's float epilogue block. */
export function writeFloatEpiBlock(buf: ArrayBuffer, region: ParamRegion, e: FloatEpilogue): void {
  const B = FLOAT_EPI_BLOCK;
  const dv = new DataView(buf, region.blkF, B.size);
  dv.setInt32(B.act, e.act, true);
  dv.setFloat32(B.alpha, e.alpha, true);
  dv.setFloat32(B.maxV, e.maxV, true);
  dv.setInt32(B.hasEpi, e.hasEpi ? 1 : 0, true);
  dv.setUint32(B.bias, region.fbias, true);
  dv.setUint32(B.scale, region.fscale, true);
  dv.setUint32(B.shift, region.fshift, true);
}
