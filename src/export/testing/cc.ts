// Test support: writes an export's files into a temporary folder and builds and runs them with
// the system C compiler (`cc`), with the flags of the generated Makefile and stricter ones.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportFile } from '../files.ts';

export const CFLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-O2'];
/** Also checked: ISO C without extensions, shadowing, and conversions that change a value's sign. */
export const STRICT_CFLAGS = [...CFLAGS, '-pedantic-errors', '-Wshadow', '-Wsign-conversion', '-Wcast-qual', '-Wstrict-prototypes', '-Wmissing-prototypes'];

export const hasCC = (): boolean => spawnSync('cc', ['--version']).status === 0;

export function writeFiles(files: ExportFile[], dir = mkdtempSync(join(tmpdir(), 'fxp-c-'))): string {
  for (const f of files) writeFileSync(join(dir, f.name), f.data);
  return dir;
}

export function compile(dir: string, sources: string[], out: string, flags = CFLAGS): void {
  const r = spawnSync('cc', [...flags, '-o', join(dir, out), ...sources.map((s) => join(dir, s))], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cc failed (${flags.join(' ')}):\n${r.stderr}`);
}

export function run(dir: string, exe: string, input?: Uint8Array): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(dir, exe), [], { cwd: dir, input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function make(dir: string, target = 'test'): string {
  return execFileSync('make', ['-s', '-C', dir, target], { encoding: 'utf8' });
}

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });
