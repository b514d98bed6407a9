// Entry of the Wasm engine: re-exports every kernel module. Kernels only: no file formats,
// no UI, no search; the TypeScript side (src/engine) owns memory layout and scheduling.
export * from './memory';
export * from './dot';
