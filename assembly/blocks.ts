// Control blocks: per-node parameters that src/engine/blocks.ts writes once per configuration
// and the epilogue kernels read on every call. Each is declared once here, as AssemblyScript's
// std declares its runtime blocks; src/engine/blocks.ts names the same byte offsets and a test
// (src/engine/blocks.test.ts) checks them against block_layout below.

/** Integer epilogue of a GEMM / depthwise / affine node (DESIGN.md §4 steps 2–4). */
@unmanaged export class IntEpiBlock {
  /** Activation code (arith.ts ACT_*). */
  act: i32;
  /** leakyRelu slope in Q(16,15). */
  alpha: i32;
  /** 1 when a batch-norm epilogue (scale, shift) follows the activation. */
  hasEpi: i32;
  /** Output shift: accumulator (or epilogue product) fractional bits minus the output's. */
  S: i32;
  lo: i32;
  hi: i32;
  /** Per channel: i64 bias term, i32 epilogue scale, i64 epilogue shift term. */
  bt64: usize;
  qs: usize;
  st64: usize;
  /** i32 copies of bt64 / st64 for the fast path (filled only when its bounds hold). */
  bt32: usize;
  st32: usize;
  /** relu6 ceiling at the accumulator's fractional length, clamped to i32 / exact. */
  maxQ32: i32;
  maxQ64: i64;
}

/** Float epilogue of a GEMM / depthwise / affine node. */
@unmanaged export class FloatEpiBlock {
  act: i32;
  alpha: f32;
  maxV: f32;
  hasEpi: i32;
  /** Per channel f32: bias, epilogue scale, epilogue shift. */
  bias: usize;
  scale: usize;
  shift: usize;
}

/** Writes the byte offset of every field of both blocks, in declaration order, each block followed by its size (i32 each). */
export function block_layout(dst: usize): void {
  store<i32>(dst, offsetof<IntEpiBlock>('act'), 0);
  store<i32>(dst, offsetof<IntEpiBlock>('alpha'), 4);
  store<i32>(dst, offsetof<IntEpiBlock>('hasEpi'), 8);
  store<i32>(dst, offsetof<IntEpiBlock>('S'), 12);
  store<i32>(dst, offsetof<IntEpiBlock>('lo'), 16);
  store<i32>(dst, offsetof<IntEpiBlock>('hi'), 20);
  store<i32>(dst, offsetof<IntEpiBlock>('bt64'), 24);
  store<i32>(dst, offsetof<IntEpiBlock>('qs'), 28);
  store<i32>(dst, offsetof<IntEpiBlock>('st64'), 32);
  store<i32>(dst, offsetof<IntEpiBlock>('bt32'), 36);
  store<i32>(dst, offsetof<IntEpiBlock>('st32'), 40);
  store<i32>(dst, offsetof<IntEpiBlock>('maxQ32'), 44);
  store<i32>(dst, offsetof<IntEpiBlock>('maxQ64'), 48);
  store<i32>(dst, offsetof<IntEpiBlock>(), 52);
  store<i32>(dst, offsetof<FloatEpiBlock>('act'), 56);
  store<i32>(dst, offsetof<FloatEpiBlock>('alpha'), 60);
  store<i32>(dst, offsetof<FloatEpiBlock>('maxV'), 64);
  store<i32>(dst, offsetof<FloatEpiBlock>('hasEpi'), 68);
  store<i32>(dst, offsetof<FloatEpiBlock>('bias'), 72);
  store<i32>(dst, offsetof<FloatEpiBlock>('scale'), 76);
  store<i32>(dst, offsetof<FloatEpiBlock>('shift'), 80);
  store<i32>(dst, offsetof<FloatEpiBlock>(), 84);
}
