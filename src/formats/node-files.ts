// Node only: a path on disk → the FileEntry list a browser drop of the same thing would give.
// A folder → all files below it, paths relative to the folder's parent ("folder/sub/x.png").
// A file → itself, plus what it needs beside it: a model.json's weight shards, an IDX images
// file's labels file.
// Reading is bounded: only regular files (never /dev/zero or a FIFO, which would never end),
// each under LIMITS.fileBytes and all under LIMITS.totalBytes; a weight path named inside a
// model.json must stay inside the model's folder (no `..`, no absolute path, no link out).
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LIMITS, describeBytes, describeCount } from '../core/limits.ts';
import { isIdxPath } from './data/idx.ts';
import type { FileEntry } from './types.ts';
import { FormatError } from './types.ts';

export class InputFileError extends FormatError {
  constructor(message: string) {
    super('file', message);
    this.name = 'InputFileError';
  }
}

const fail = (m: string): never => { throw new InputFileError(m); };

/** Tracks the bytes read for one model or data set against LIMITS.totalBytes. */
class Budget {
  bytes = 0;
  files = 0;
  constructor(readonly root: string) {}
  take(n: number, shown: string): void {
    this.bytes += n;
    if (++this.files > LIMITS.files) fail(`${this.root} holds more than ${describeCount(LIMITS.files)} files, the limit for a model or data set`);
    if (this.bytes > LIMITS.totalBytes) fail(`${this.root} holds more than ${describeBytes(LIMITS.totalBytes)} (the limit for a model or data set) by ${shown}: use a part of it`);
  }
}

/** One regular file, read whole with its size checked first; `shown` names it in messages. */
function readRegular(p: string, shown: string, budget: Budget): Uint8Array {
  // stat before open: opening a FIFO blocks until a writer appears.
  const s = statSync(p);
  if (!s.isFile()) fail(`${shown} is not a regular file (a device, pipe or socket); give a file or folder`);
  if (s.size > LIMITS.fileBytes) fail(`${shown} is ${describeBytes(s.size)}; the limit is ${describeBytes(LIMITS.fileBytes)} per file`);
  // O_NONBLOCK: if the path was swapped for a FIFO since the stat, the open still returns.
  const fd = openSync(p, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const f = fstatSync(fd);
    if (!f.isFile()) fail(`${shown} is not a regular file (a device, pipe or socket); give a file or folder`);
    // Read at most one byte past the size seen, so a file growing meanwhile cannot run on.
    const cap = Math.min(f.size, LIMITS.fileBytes);
    const buf = new Uint8Array(cap + 1);
    let n = 0;
    for (;;) {
      const k = readSync(fd, buf, n, buf.length - n, null);
      if (k === 0) break;
      n += k;
      if (n > cap) fail(`${shown} grew while it was read; read it again once it is complete`);
    }
    budget.take(n, shown);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

const slashes = (p: string) => p.split('\\').join('/');

function walk(dir: string, base: string, out: FileEntry[], budget: Budget): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const l = lstatSync(p);
    // Links to folders are not followed (a link to a parent would never end); links to files are.
    const s = l.isSymbolicLink() ? statSync(p, { throwIfNoEntry: false }) : l;
    if (!s) continue;
    if (l.isDirectory()) walk(p, base, out, budget);
    else if (s.isFile()) out.push({ path: slashes(relative(base, p)), data: readRegular(p, slashes(relative(base, p)), budget) });
  }
}

/**
 * A weight path from a model.json, resolved inside the model's folder, or an error that says
 * why not. The error never mentions what lies outside (whether it exists, its size).
 */
export function confinedPath(dir: string, rel: unknown, model: string): string {
  if (typeof rel !== 'string' || rel === '') return fail(`${model} lists a weight path that is not a file name`);
  const parts = rel.split(/[\\/]/);
  if (isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || parts.includes('..')) {
    fail(`${model} lists the weight path "${rel}", which leads outside the model's folder; weight files must lie in the folder of ${model} or below it`);
  }
  const p = resolve(dir, rel);
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    return p; // missing: the importer reports the missing shard by its listed name
  }
  const realDir = realpathSync(dir);
  if (real !== realDir && !real.startsWith(realDir + sep)) {
    fail(`${model} lists the weight path "${rel}", which is a link leading outside the model's folder; copy the weight file into the folder`);
  }
  return p;
}

function siblingsOf(file: string, data: Uint8Array): string[] {
  const dir = dirname(file);
  const name = basename(file);
  if (/\.json$/i.test(name)) {
    let json: { weightsManifest?: unknown } | undefined;
    try {
      json = JSON.parse(new TextDecoder().decode(data));
    } catch {
      // Not JSON (or nested too deep): the format module reports that when it opens the file.
    }
    if (Array.isArray(json?.weightsManifest)) {
      const paths = json.weightsManifest.flatMap((g: { paths?: unknown }) => (Array.isArray(g?.paths) ? g.paths : []));
      return [...new Set(paths.map((p: unknown) => confinedPath(dir, p, name)))];
    }
    return [];
  }
  if (isIdxPath(name) && /image/i.test(name)) {
    const labels = readdirSync(dir).filter((n) => isIdxPath(n) && n.toLowerCase() === name.toLowerCase().replace(/images?/, (m) => (m === 'images' ? 'labels' : 'label')));
    return labels.map((n) => join(dir, n));
  }
  return [];
}

export function readPathAsFiles(given: string): FileEntry[] {
  const path = resolve(given);
  const s = statSync(path);
  const budget = new Budget(given);
  if (s.isDirectory()) {
    const out: FileEntry[] = [];
    walk(path, dirname(path), out, budget);
    return out;
  }
  const first = readRegular(path, given, budget);
  const files = [{ path: basename(path), data: first }];
  for (const extra of siblingsOf(path, first)) {
    const rel = slashes(relative(dirname(path), extra));
    let isFile = false;
    try {
      isFile = statSync(extra).isFile();
    } catch {
      // A missing shard is reported by the importer, which knows what it needed.
    }
    if (isFile) files.push({ path: rel, data: readRegular(extra, rel, budget) });
  }
  return files;
}
