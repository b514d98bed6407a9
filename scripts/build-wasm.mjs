// Compiles assembly/ to two engines: build/engine-simd.wasm (plain SIMD, for Node 20 and any
// SIMD browser) and build/engine-relaxed.wasm (adds relaxed SIMD, for Chromium). Never committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
mkdirSync(join(root, 'build'), { recursive: true });
// AS112 ("exchange of v128 values is not supported by all embeddings") fires only for @inline
// lane helpers that `export *` in assembly/index.ts also exports; nothing outside the module
// calls them (src/engine/kernels.ts lists what JavaScript calls, all scalar signatures).
// AS235 ("only variables, functions and enums become exports") is the same `export *` meeting
// the @unmanaged control-block classes of assembly/blocks.ts, which are layouts, not exports.
const common = ['assembly/index.ts', '--optimizeLevel', '3', '--shrinkLevel', '0', '--noAssert',
  '--runtime', 'stub', '--initialMemory', '16', '--exportRuntime', '--disableWarning', '112', '--disableWarning', '235'];
const builds = [
  ['build/engine-simd.wasm', ['--enable', 'simd']],
  ['build/engine-relaxed.wasm', ['--enable', 'simd,relaxed-simd']],
];
for (const [out, flags] of builds) {
  execFileSync(process.execPath, [asc, ...common, ...flags, '--outFile', out], { cwd: root, stdio: 'inherit' });
  console.log('built', out);
}
