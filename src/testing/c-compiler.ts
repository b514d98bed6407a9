// Test support: writes an export's files into a temporary folder and builds and runs them with
// the system C compiler (`cc`), with the flags of the generated Makefile and stricter ones.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportFile } from '../export/files.ts';

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

/** `make size` in an export's folder: bytes of each section of the compiled model_q.o (`size -A`). */
export function objectSections(dir: string): Map<string, number> {
  const sections = new Map<string, number>();
  for (const m of make(dir, 'size').matchAll(/^(\.\S+)\s+(\d+)\s+\d+\s*$/gm)) sections.set(m[1], Number(m[2]));
  return sections;
}

/** Constant data of an object: its .rodata sections (gcc splits out .rodata.cst16 and the like). */
export const rodataBytes = (sections: Map<string, number>): number =>
  [...sections].filter(([name]) => name === '.rodata' || name.startsWith('.rodata.')).reduce((s, [, n]) => s + n, 0);

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

const BATCH_MAIN = new URL('./batch_main.c', import.meta.url).pathname;

/**
 * Builds batch_main.c against an export in `dir` and returns the C program's answers for
 * `inputs` (quantized images, one Int32Array each).
 */
export function cAnswers(dir: string, model: string, inputs: Int32Array[], flags = CFLAGS): Int32Array {
  const size = inputs[0].length;
  const r = spawnSync('cc', [
    ...flags, `-I${dir}`, `-DFXP_PREDICT=fixpoint_${model}_predict`, `-DFXP_IN_T=fxp_${model}_input_t`, `-DFXP_IN_SIZE=${size}`,
    '-o', join(dir, 'batch_main'), BATCH_MAIN, join(dir, 'model_q.c'),
  ], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cc failed for batch_main:\n${r.stderr}`);
  const all = new Int32Array(size * inputs.length);
  inputs.forEach((x, i) => all.set(x, i * size));
  writeFileSync(join(dir, 'images.i32'), new Uint8Array(all.buffer));
  const o = spawnSync(join(dir, 'batch_main'), [join(dir, 'images.i32'), join(dir, 'answers.i32')], { encoding: 'utf8' });
  if (o.status !== 0) throw new Error(`batch_main failed: ${o.stderr}`);
  const bytes = readFileSync(join(dir, 'answers.i32'));
  return new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * Compiles several exports (each in its own sub-folder of a new folder) into one program that
 * checks every model's test vectors, and runs it: one compiler run instead of one per model.
 * Returns the program's output; throws when compiling fails.
 */
export function checkModels(exports: Array<{ model: string; files: ExportFile[] }>, flags: string[]): { status: number | null; stdout: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fxp-many-'));
  const main: string[] = ['#include <stdio.h>', ''];
  for (const e of exports) {
    const sub = join(dir, e.model);
    mkdirSync(sub);
    writeFiles(e.files, sub);
    main.push(`#include "${e.model}/test_vectors.h"`);
  }
  for (const e of exports) {
    const m = e.model;
    const P = `FXP_${m.toUpperCase()}`;
    main.push(
      '',
      `static int check_${m}(void)`,
      '{',
      '    int bad = 0;',
      `    for (int t = 0; t < ${P}_TEST_COUNT; ++t) {`,
      `        fxp_${m}_output_t logits[${P}_OUTPUT_SIZE];`,
      `        fixpoint_${m}_run(fxp_${m}_test_inputs[t], logits);`,
      `        for (int i = 0; i < ${P}_OUTPUT_SIZE; ++i) {`,
      `            if (logits[i] != fxp_${m}_test_logits[t][i]) {`,
      `                printf("MISMATCH ${m} vector %d logit %d: got %ld, expected %ld\\n", t, i, (long)logits[i], (long)fxp_${m}_test_logits[t][i]);`,
      '                ++bad;',
      '            }',
      '        }',
      '    }',
      '    return bad;',
      '}',
    );
  }
  main.push('', 'int main(void)', '{', '    int bad = 0;', ...exports.map((e) => `    bad += check_${e.model}();`));
  main.push(`    printf("checked ${exports.length} models, %d mismatches\\n", bad);`, '    return bad != 0;', '}', '');
  writeFileSync(join(dir, 'main.c'), main.join('\n'));
  const sources = ['main.c', ...exports.map((e) => `${e.model}/model_q.c`)];
  compile(dir, sources, 'main', flags);
  const r = run(dir, 'main');
  return { status: r.status, stdout: r.stdout, dir };
}
