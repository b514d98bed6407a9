// The typed contract between the page and the engine worker. The UI imports only these types
// and the client; everything heavy lives behind the worker boundary.
import type { WasmSupport } from '../engine/wasm-support.ts';

export interface SelfTestResult {
  support: WasmSupport;
  /** Which engine build the worker instantiated. */
  build: 'relaxed-simd' | 'simd';
  images: number;
  /** Σ over the images of Σ pixel·pixel, by the SIMD kernel and by its scalar reference. */
  simdSum: number;
  scalarSum: number;
  millis: number;
}

export interface WorkerApi {
  /** Walking skeleton: instantiate the Wasm engine and run its SIMD kernel on the demo digits. */
  selfTest(): Promise<SelfTestResult>;
}
