// Browser loader: Vite serves the built engines as assets; compileStreaming starts compiling
// while the bytes arrive. Relaxed SIMD is fetched only where the browser validates it.
import simdUrl from '../../build/engine-simd.wasm?url';
import relaxedUrl from '../../build/engine-relaxed.wasm?url';
import type { Engine, EngineOptions } from './engine.ts';
import { createEngine } from './engine.ts';
import { runsRelaxedBuild } from './wasm-support.ts';

export async function loadEngineWasmBrowser(options: EngineOptions = {}): Promise<{ simd: WebAssembly.Module; relaxed: WebAssembly.Module | null }> {
  const wantRelaxed = runsRelaxedBuild(options.relaxed);
  const compile = (url: string) => WebAssembly.compileStreaming(fetch(url));
  if (wantRelaxed) {
    const relaxed = await compile(relaxedUrl);
    return { simd: relaxed, relaxed };
  }
  return { simd: await compile(simdUrl), relaxed: null };
}

export async function createBrowserEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngine(await loadEngineWasmBrowser(options), options);
}
