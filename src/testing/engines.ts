// Engines for tests: the plain SIMD build, and the relaxed-SIMD build (Node 20 needs V8's
// --experimental-wasm-relaxed-simd, set at run time before the module is compiled).
import type { Engine, EngineOptions } from '../engine/engine.ts';
import { createEngineSync } from '../engine/engine.ts';
import { allowRelaxedSimd, loadEngineWasmNode } from '../engine/load-node.ts';

export function simdEngine(options: EngineOptions = {}): Engine {
  return createEngineSync(loadEngineWasmNode(), { ...options, relaxed: false });
}

export function relaxedEngine(options: EngineOptions = {}): Engine {
  allowRelaxedSimd();
  return createEngineSync(loadEngineWasmNode(), { ...options, relaxed: true });
}
