// The --out folder: only new, empty or Fixpoint-marked folders are written, links are never
// followed, files land atomically and an earlier run's files do not linger (issue 15, item 3).
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MARKER, OutDir } from './out-dir.ts';

let tmp: string;
beforeEach(() => { tmp = mkdtempSync(join(tmpdir(), 'fixpoint-out-')); });

const files = (names: string[]) => names.map((name) => ({ name, data: `${name} contents` }));

describe('--out', () => {
  it('creates a new folder, writes the files and a marker listing them', () => {
    const out = OutDir.prepare(join(tmp, 'new/deeper'), false);
    out.writeAll(files(['report.json', 'c/model_q.h']));
    expect(readFileSync(join(tmp, 'new/deeper/c/model_q.h'), 'utf8')).toBe('c/model_q.h contents');
    expect(JSON.parse(readFileSync(join(tmp, 'new/deeper', MARKER), 'utf8')).files).toEqual(['c/model_q.h', 'report.json']);
    expect(readdirSync(join(tmp, 'new/deeper')).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it("refuses a folder holding the user's own files, and --force writes beside them", () => {
    mkdirSync(join(tmp, 'mine/c'), { recursive: true });
    writeFileSync(join(tmp, 'mine/report.json'), 'my report');
    writeFileSync(join(tmp, 'mine/c/Makefile'), 'my makefile');
    const dir = join(tmp, 'mine');
    expect(() => OutDir.prepare(dir, false)).toThrow(`--out ${dir} already holds files Fixpoint did not write (c/Makefile, report.json); give a new or empty folder, or add --force to write Fixpoint's files beside them`);
    expect(readFileSync(join(tmp, 'mine/report.json'), 'utf8')).toBe('my report');
    OutDir.prepare(dir, true).writeAll(files(['report.json']));
    expect(readFileSync(join(tmp, 'mine/report.json'), 'utf8')).toBe('report.json contents');
    expect(readFileSync(join(tmp, 'mine/c/Makefile'), 'utf8')).toBe('my makefile');
  });

  it('reuses its own folder and removes the files of the earlier run (no stale c/ or tfjs/)', () => {
    const dir = join(tmp, 'run');
    OutDir.prepare(dir, false).writeAll(files(['report.json', 'layers.csv', 'c/model_q.c', 'tfjs/model.json']));
    OutDir.prepare(dir, false).writeAll(files(['report.json', 'layers.csv']));
    expect(existsSync(join(dir, 'c'))).toBe(false);
    expect(existsSync(join(dir, 'tfjs'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([MARKER, 'layers.csv', 'report.json']);
  });

  it('never writes through a link: a link named layers.csv is replaced, its target untouched', () => {
    const dir = join(tmp, 'run');
    OutDir.prepare(dir, false).writeAll(files(['report.json', 'layers.csv']));
    writeFileSync(join(tmp, 'victim.txt'), 'precious');
    const link = join(dir, 'layers.csv');
    unlinkSync(link);
    symlinkSync(join(tmp, 'victim.txt'), link);
    OutDir.prepare(dir, false).writeAll(files(['report.json', 'layers.csv']));
    expect(readFileSync(join(tmp, 'victim.txt'), 'utf8')).toBe('precious');
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
  });

  it('refuses a link, a file, an unmarked link inside, and a folder it cannot create, at once', () => {
    writeFileSync(join(tmp, 'file'), 'x');
    symlinkSync(tmp, join(tmp, 'link'));
    expect(() => OutDir.prepare(join(tmp, 'link'), false)).toThrow(`--out ${join(tmp, 'link')} is a link; give the folder itself (Fixpoint does not follow links when writing)`);
    expect(() => OutDir.prepare(join(tmp, 'file'), false)).toThrow(`--out ${join(tmp, 'file')} is a file, not a folder; give a new or empty folder`);
    mkdirSync(join(tmp, 'planted'));
    symlinkSync(join(tmp, 'file'), join(tmp, 'planted/layers.csv'));
    expect(() => OutDir.prepare(join(tmp, 'planted'), false)).toThrow('already holds files Fixpoint did not write (layers.csv)');
    const t0 = performance.now();
    expect(() => OutDir.prepare('/proc/x', false)).toThrow('--out /proc/x cannot be created (noent); give a folder you can write to');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('ignores marker entries that lead outside the folder', () => {
    const dir = join(tmp, 'run');
    mkdirSync(dir);
    writeFileSync(join(tmp, 'victim.txt'), 'precious');
    writeFileSync(join(dir, MARKER), JSON.stringify({ tool: 'fixpoint', files: ['../victim.txt'] }));
    OutDir.prepare(dir, true).writeAll(files(['report.json']));
    expect(readFileSync(join(tmp, 'victim.txt'), 'utf8')).toBe('precious');
  });
});
