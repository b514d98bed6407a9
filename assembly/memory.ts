// Linear-memory allocation for the TypeScript side. Buffers are laid out once per graph and
// batch size, so a bump allocator with an explicit reset is all the engine needs.

/** Allocates `bytes` bytes aligned to 16 (for v128 loads) and returns the address. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/** 1 when this module was compiled with relaxed SIMD. */
export function relaxedSimd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
