// Engines for tests: the plain SIMD build, and the relaxed-SIMD build (Node 20 needs V8's
// --experimental-wasm-relaxed-simd, set here at run time before the module is compiled).
import v8 from 'node:v8';
import type { Engine } from '../engine/engine.ts';
import { createEngineSync } from '../engine/engine.ts';
import { loadEngineWasmNode } from '../engine/load-node.ts';

export function simdEngine(): Engine {
  return createEngineSync(loadEngineWasmNode(), { relaxed: false });
}

export function relaxedEngine(): Engine {
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return createEngineSync(loadEngineWasmNode(), { relaxed: true });
}
