// The skeleton's SIMD dot product against its scalar reference and a plain JS sum, on random
// int16 vectors of every length from 0 to 70 (so every tail length of the 8-lane loop occurs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const wasm = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL('../../build/engine-simd.wasm', import.meta.url))), {
  env: { abort: () => { throw new Error('abort'); } },
}).exports as unknown as {
  memory: WebAssembly.Memory;
  alloc(n: number): number;
  dot_i16_simd(a: number, b: number, n: number): number;
  dot_i16_scalar(a: number, b: number, n: number): number;
};

describe('dot_i16', () => {
  it('SIMD equals scalar and JS on random vectors of every tail length', () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const a = wasm.alloc(2 * 128);
    const b = wasm.alloc(2 * 128);
    for (let n = 0; n <= 70; n++) {
      for (let rep = 0; rep < 20; rep++) {
        const va = new Int16Array(wasm.memory.buffer, a, n);
        const vb = new Int16Array(wasm.memory.buffer, b, n);
        // Keep n·max|a|·max|b| < 2^31 as the engine guarantees: |values| < 2^12.
        for (let i = 0; i < n; i++) {
          va[i] = Math.floor(rand() * 8192) - 4096;
          vb[i] = Math.floor(rand() * 8192) - 4096;
        }
        let expected = 0;
        for (let i = 0; i < n; i++) expected += va[i] * vb[i];
        expect(wasm.dot_i16_scalar(a, b, n)).toBe(expected);
        expect(wasm.dot_i16_simd(a, b, n)).toBe(expected);
      }
    }
  });
});
