// Node only: a path on disk → the FileEntry list a browser drop of the same thing would give.
// A folder → all files below it, paths relative to the folder's parent ("folder/sub/x.png").
// A file → itself, plus what it needs beside it: a model.json's weight shards, an IDX images
// file's labels file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { isIdxPath } from './data/idx.ts';
import type { FileEntry } from './types.ts';

const read = (p: string, rel: string): FileEntry => ({ path: rel.split('\\').join('/'), data: new Uint8Array(readFileSync(p)) });

function walk(dir: string, base: string, out: FileEntry[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) walk(p, base, out);
    else if (s.isFile()) out.push(read(p, relative(base, p)));
  }
}

function siblingsOf(file: string): string[] {
  const dir = dirname(file);
  const name = basename(file);
  if (/\.json$/i.test(name)) {
    try {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (Array.isArray(json?.weightsManifest)) {
        return json.weightsManifest.flatMap((g: { paths?: string[] }) => g.paths ?? []).map((p: string) => join(dir, p));
      }
    } catch {
      // Not JSON: the format module reports that when it opens the file.
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
  if (s.isDirectory()) {
    const out: FileEntry[] = [];
    walk(path, dirname(path), out);
    return out;
  }
  const files = [read(path, basename(path))];
  for (const extra of siblingsOf(path)) {
    try {
      if (statSync(extra).isFile()) files.push(read(extra, relative(dirname(path), extra)));
    } catch {
      // A missing shard is reported by the importer, which knows what it needed.
    }
  }
  return files;
}
