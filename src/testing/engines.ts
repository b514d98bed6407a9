// Engines for tests: the plain SIMD build, and the relaxed-SIMD build (Node 20 needs V8's
// --experimental-wasm-relaxed-simd, set at run time before the module is compiled).
import type { Engine } from '../engine/engine.ts';
import { createEngineSync } from '../engine/engine.ts';
import { allowRelaxedSimd, loadEngineWasmNode } from '../engine/load-node.ts';

export function simdEngine(): Engine {
  return createEngineSync(loadEngineWasmNode(), { relaxed: false });
}

export function relaxedEngine(): Engine {
  allowRelaxedSimd();
  return createEngineSync(loadEngineWasmNode(), { relaxed: true });
}
