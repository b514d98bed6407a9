// The TypeScript offsets of the control blocks equal the compiled module's offsetof, in both
// builds (a field added on one side only fails here, not as a wrong answer somewhere later).
import { describe, expect, it } from 'vitest';
import { FLOAT_EPI_BLOCK, INT_EPI_BLOCK } from './blocks.ts';
import { runsRelaxedBuild } from './wasm-support.ts';
import { instantiateKernels } from './kernels.ts';
import { allowRelaxedSimd, loadEngineWasmNode } from './load-node.ts';

const INT_FIELDS = ['act', 'alpha', 'hasEpi', 'S', 'lo', 'hi', 'bt64', 'qs', 'st64', 'bt32', 'st32', 'maxQ32', 'maxQ64', 'size'] as const;
const FLOAT_FIELDS = ['act', 'alpha', 'maxV', 'hasEpi', 'bias', 'scale', 'shift', 'size'] as const;

// Node 20 compiles the relaxed build only behind a V8 flag, as `fixpoint quantize` sets it.
allowRelaxedSimd();

describe('control blocks', () => {
  const wasm = loadEngineWasmNode();
  for (const [build, bytes] of [['simd', wasm.simd], ['relaxed', wasm.relaxed]] as const) {
    it.runIf(bytes && (build === 'simd' || runsRelaxedBuild()))(`match assembly/blocks.ts (${build} build)`, () => {
      const k = instantiateKernels(new WebAssembly.Module(bytes!));
      const at = k.alloc(4 * (INT_FIELDS.length + FLOAT_FIELDS.length));
      k.block_layout(at);
      const got = Array.from(new Int32Array(k.memory.buffer, at, INT_FIELDS.length + FLOAT_FIELDS.length));
      expect(got).toEqual([...INT_FIELDS.map((f) => INT_EPI_BLOCK[f]), ...FLOAT_FIELDS.map((f) => FLOAT_EPI_BLOCK[f])]);
    });
  }
});
