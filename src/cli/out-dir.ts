// The --out folder of `fixpoint quantize`, checked before the search starts. Fixpoint writes
// only into a folder that is new, empty or marked as its own (the marker lists what it wrote),
// so a user's files are never overwritten by surprise; --force writes beside other files.
// Files are written under a temporary name and renamed into place (atomic), links are never
// followed, and the files an earlier run listed in the marker are removed first (no stale c/
// or tfjs/ beside a new report).
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './args.ts';

export const MARKER = '.fixpoint-out';

interface Marker { tool: 'fixpoint'; files: string[] }

const problem = (e: unknown) => ((e as NodeJS.ErrnoException).code ?? String(e)).toLowerCase().replace(/^e/, '');

function lstat(p: string) {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`--out ${p} cannot be inspected (${problem(e)})`);
  }
}

/** A plain relative path: what Fixpoint itself writes (a hand-edited marker cannot point outside). */
const isClean = (f: string) => f !== '' && !f.startsWith('/') && !f.split(/[\\/]/).some((p) => p === '..' || p === '.' || p === '');

function readMarker(dir: string): Marker | null {
  const s = lstat(join(dir, MARKER));
  if (!s?.isFile()) return null;
  try {
    const m = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
    return m?.tool === 'fixpoint' && Array.isArray(m.files) ? { tool: 'fixpoint', files: m.files.filter((f) => typeof f === 'string' && isClean(f)) } : null;
  } catch {
    return null;
  }
}

/** Every file below `dir`, relative, links included as themselves (not followed). */
function listFiles(dir: string, base = dir, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = lstatSync(p);
    if (s.isDirectory()) listFiles(p, base, out);
    else out.push(relative(base, p).split(sep).join('/'));
  }
  return out;
}

/**
 * mkdir -p one level at a time. Node's own recursive mkdir loops forever where a parent exists
 * but refuses children (`/proc/x`: ENOENT, the parent exists, retry…).
 */
function mkdirChain(path: string): void {
  const parent = dirname(path);
  if (parent !== path && !lstat(parent)) mkdirChain(parent);
  mkdirSync(path);
}

export class OutDir {
  private constructor(readonly path: string, private readonly previous: string[]) {}

  /**
   * Checks --out before any work: a link, a file, or a folder holding files Fixpoint did not
   * write is refused with one line (the latter unless `force`). Creates a new folder.
   */
  static prepare(given: string, force: boolean): OutDir {
    const path = resolve(given);
    const s = lstat(path);
    if (s?.isSymbolicLink()) throw new UsageError(`--out ${given} is a link; give the folder itself (Fixpoint does not follow links when writing)`);
    if (s && !s.isDirectory()) throw new UsageError(`--out ${given} is a file, not a folder; give a new or empty folder`);
    if (!s) {
      try {
        mkdirChain(path);
      } catch (e) {
        throw new UsageError(`--out ${given} cannot be created (${problem(e)}); give a folder you can write to`);
      }
      return new OutDir(path, []);
    }
    const marker = readMarker(path);
    const present = listFiles(path).filter((f) => f !== MARKER);
    const foreign = present.filter((f) => !marker?.files.includes(f));
    if (foreign.length > 0 && !force) {
      const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, … (${foreign.length} files)` : '');
      throw new UsageError(`--out ${given} already holds files Fixpoint did not write (${shown}); give a new or empty folder, or add --force to write Fixpoint's files beside them`);
    }
    return new OutDir(path, marker?.files ?? []);
  }

  private target(name: string): string {
    const p = resolve(this.path, name);
    if (!p.startsWith(this.path + sep)) throw new UsageError(`refusing to write ${name} outside --out`);
    return p;
  }

  /** Whether every folder from --out down to `dir` is a real folder (no link to follow). */
  private realChain(dir: string): boolean {
    for (let d = dir; d !== this.path; d = dirname(d)) {
      const s = lstat(d);
      if (!s?.isDirectory() || s.isSymbolicLink()) return false;
    }
    return true;
  }

  /** A sub-folder chain created without following links. */
  private ensureDir(dir: string): void {
    if (dir === this.path) return;
    this.ensureDir(dirname(dir));
    const s = lstat(dir);
    if (s?.isSymbolicLink() || (s && !s.isDirectory())) throw new UsageError(`--out: ${relative(this.path, dir)} is a link or a file where Fixpoint writes a folder; remove it`);
    if (!s) mkdirSync(dir);
  }

  /** Writes `data` to a temporary name beside the target (created exclusively), then renames it in place. */
  private writeAtomic(name: string, data: Uint8Array | string): void {
    const p = this.target(name);
    this.ensureDir(dirname(p));
    const tmp = `${p}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'wx'); // O_EXCL: never through a link planted at the temporary name
    try {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      for (let o = 0; o < bytes.length;) o += writeSync(fd, bytes, o, bytes.length - o);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, p); // replaces a link at the target itself, never what it points to
  }

  private writeMarker(files: string[]): void {
    this.writeAtomic(MARKER, JSON.stringify({ tool: 'fixpoint', files: [...new Set(files)].sort() } satisfies Marker, null, 1) + '\n');
  }

  /** Replaces the previous run's files with `files`; returns the paths written. */
  writeAll(files: Array<{ name: string; data: Uint8Array | string }>): string[] {
    // Marked first with old and new names, so an interrupted run still leaves a folder Fixpoint owns.
    this.writeMarker([...this.previous, ...files.map((f) => f.name)]);
    for (const old of this.previous) {
      if (files.some((f) => f.name === old)) continue;
      const p = this.target(old);
      if (!this.realChain(dirname(p))) continue;
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
      this.removeEmptyDirs(dirname(this.target(old)));
    }
    for (const f of files) this.writeAtomic(f.name, f.data);
    this.writeMarker(files.map((f) => f.name));
    return files.map((f) => join(this.path, f.name));
  }

  private removeEmptyDirs(dir: string): void {
    while (dir !== this.path && dir.startsWith(this.path + sep)) {
      try {
        rmdirSync(dir);
      } catch {
        return;
      }
      dir = dirname(dir);
    }
  }
}
