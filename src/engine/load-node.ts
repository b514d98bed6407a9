// Node loader: reads the Wasm engines built by scripts/build-wasm.mjs from build/.
import { existsSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import type { EngineOptions } from './engine.ts';
import { type Engine, createEngine } from './engine.ts';

// build/ sits two levels above this source file, or one level above the bundled CLI (dist-cli/).
const buildDir = [new URL('../../build/', import.meta.url), new URL('../build/', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((d) => existsSync(`${d}/engine-simd.wasm`)) ?? fileURLToPath(new URL('../../build/', import.meta.url));

/** The engines' bytes; throws with the build command when they are missing. */
export function loadEngineWasmNode(dir = buildDir): { simd: Uint8Array<ArrayBuffer>; relaxed: Uint8Array<ArrayBuffer> | null } {
  const simdPath = `${dir}/engine-simd.wasm`;
  if (!existsSync(simdPath)) throw new Error(`${simdPath} is missing: run \`npm run build:wasm\` first`);
  const relaxedPath = `${dir}/engine-relaxed.wasm`;
  return { simd: new Uint8Array(readFileSync(simdPath)), relaxed: existsSync(relaxedPath) ? new Uint8Array(readFileSync(relaxedPath)) : null };
}

/**
 * Lets this process (every thread: V8 flags are process-wide) run the relaxed-SIMD build, which
 * Node 20 has only behind a V8 flag; engines compiled afterwards use it as the browser does. The
 * relaxed build gives the same results bit for bit (src/engine/engine-property.test.ts runs it).
 */
export function allowRelaxedSimd(): void {
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** An engine for Node (relaxed SIMD when the runtime supports it, e.g. with --experimental-wasm-relaxed-simd). */
export function createNodeEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngine(loadEngineWasmNode(), options);
}
