// Feature detection by validating tiny modules: the only reliable test, since browsers that
// lack an instruction set reject the module at compile time rather than at run time.

// (module (func (result v128) (v128.const i32x4 0 0 0 0)))
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]);

// (module (func (result v128) (i32x4.relaxed_dot_i8x16_i7x16_add_s (v128.const 0) (v128.const 0) (v128.const 0))))
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 61, 1, 59, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 147, 2, 11]);

export interface WasmSupport {
  wasm: boolean;
  simd: boolean;
  relaxedSimd: boolean;
}

export function detectWasmSupport(): WasmSupport {
  const wasm = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
  return {
    wasm,
    simd: wasm && WebAssembly.validate(SIMD_PROBE),
    relaxedSimd: wasm && WebAssembly.validate(RELAXED_PROBE),
  };
}

/** Whether to run the relaxed-SIMD engine build: wanted (the default) and validated here. */
export function runsRelaxedBuild(wanted = true): boolean {
  return wanted && detectWasmSupport().relaxedSimd;
}
