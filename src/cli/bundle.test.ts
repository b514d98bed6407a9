// The command line as it ships: dist-cli, built here from the sources, run where no dev
// dependency (tsx, vitest, mnist, h5wasm, …) can be resolved and ../shared/fixtures is absent.
// `bench` must work there on the demo (issue 10 item 8), and say in one line that the paper's
// model is left out.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const dev = new Set(Object.keys(pkg.devDependencies));
let tmp = '';
let home = '';

/** A node_modules of symlinks to every installed package except the dev dependencies. */
function productionModules(into: string): void {
  mkdirSync(into);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      mkdirSync(join(into, entry));
      for (const sub of readdirSync(join(root, 'node_modules', entry))) {
        if (!dev.has(`${entry}/${sub}`)) symlinkSync(join(root, 'node_modules', entry, sub), join(into, entry, sub));
      }
    } else if (!dev.has(entry)) {
      symlinkSync(join(root, 'node_modules', entry), join(into, entry));
    }
  }
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'fixpoint-bundle-'));
  // One level down, so ../shared/fixtures (the paper models, MNIST) does not exist beside it.
  home = join(tmp, 'fixpoint');
  mkdirSync(join(home, 'bin'), { recursive: true });
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.cli.config.ts',
    '--outDir', join(home, 'dist-cli'), '--emptyOutDir', '--logLevel', 'error'], { cwd: root, stdio: 'pipe' });
  copyFileSync(join(root, 'bin', 'fixpoint.mjs'), join(home, 'bin', 'fixpoint.mjs'));
  copyFileSync(join(root, 'package.json'), join(home, 'package.json'));
  symlinkSync(join(root, 'public'), join(home, 'public'));
  symlinkSync(join(root, 'build'), join(home, 'build'));
  productionModules(join(home, 'node_modules'));
});

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

const fixpoint = (...args: string[]) =>
  spawnSync(process.execPath, [join(home, 'bin', 'fixpoint.mjs'), ...args], { cwd: home, encoding: 'utf8', timeout: 110_000 });

describe('the bundled command line', () => {
  it('imports only Node built-ins and runtime dependencies', () => {
    const files = readdirSync(join(home, 'dist-cli'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const bare = new Set<string>();
    for (const f of files) {
      const js = readFileSync(join(home, 'dist-cli', f), 'utf8');
      for (const m of js.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s*["']([^"'.][^"']*)["']/g)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (!spec.startsWith('.') && !spec.startsWith('node:') && !builtinModules.includes(spec)) bare.add(spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/'));
      }
    }
    expect(bare.size).toBeGreaterThan(3); // tfjs, its wasm backend, jsfive, fflate, …: the scan sees imports
    expect([...bare].filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });

  it('runs bench on the demo without dev dependencies, leaving out the absent paper model in one line', () => {
    const r = fixpoint('bench', '--json', '--images', '10', '--repeats', '1', '--skip', 'search,workers');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j.models)).toEqual(['lenet5-mnist']);
    expect(j.models['lenet5-mnist'].images).toBe(10);
    expect(j.images_source).toContain('demo digits');
    expect(j.engine_int8_vs_tfjs['lenet5-mnist']).toBeGreaterThan(0);
    // The 8-bit engine and TensorFlow.js's float model agree on nearly every digit.
    expect(j.models['lenet5-mnist'].agreement_with_tfjs).toBeGreaterThanOrEqual(0.9);
    expect(r.stderr.split('\n').filter((l) => l.includes('mnist_seq_large left out'))).toHaveLength(1);
  });

  it.each([
    ['no-such.h5', 'does not exist'],
    ['model.onnx', 'races TensorFlow.js, which reads a Keras 2 .h5 or a TensorFlow.js model.json'],
  ])('refuses --model %s in one line, before measuring anything', (file, text) => {
    writeFileSync(join(tmp, 'model.onnx'), 'not read: refused by its name');
    const r = fixpoint('bench', '--model', join(tmp, file));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(text)]);
  });
});
