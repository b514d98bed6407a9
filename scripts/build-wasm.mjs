// Compiles assembly/ to two engines: build/engine-simd.wasm (plain SIMD, for Node 20 and any
// SIMD browser) and build/engine-relaxed.wasm (adds relaxed SIMD, for Chromium). Never committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
mkdirSync(join(root, 'build'), { recursive: true });
const common = ['assembly/index.ts', '--optimizeLevel', '3', '--shrinkLevel', '0', '--noAssert',
  '--runtime', 'stub', '--initialMemory', '16', '--exportRuntime'];
const builds = [
  ['build/engine-simd.wasm', ['--enable', 'simd']],
  ['build/engine-relaxed.wasm', ['--enable', 'simd,relaxed-simd']],
];
for (const [out, flags] of builds) {
  execFileSync(process.execPath, [asc, ...common, ...flags, '--outFile', out], { cwd: root, stdio: 'inherit' });
  console.log('built', out);
}
