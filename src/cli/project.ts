// Locates the Fixpoint checkout (for the demo model and data in public/ and the Wasm builds in
// build/) from wherever this module runs: src/cli under tsx, or dist-cli after the build.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function projectRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'fixpoint') {
      cached = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Fixpoint checkout (package.json named "fixpoint") above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const demoModelPath = (): string => join(projectRoot(), 'public', 'models', 'lenet5-mnist', 'model.json');
export const demoDataPath = (): string => join(projectRoot(), 'public', 'data', 'mnist-demo');
