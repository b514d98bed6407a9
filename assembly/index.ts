// Entry of the Wasm engine: re-exports every kernel module. Kernels only: no file formats,
// no UI, no search; the TypeScript side (src/engine) owns memory layout and scheduling.
export * from './memory';
export * from './blocks';
export * from './convert';
export * from './im2col';
export * from './gemm-int';
export * from './gemm-f32';
export * from './epilogue';
export * from './depthwise';
export * from './pool';
export * from './elementwise';
export * from './peak';
export * from './conv-c1';
