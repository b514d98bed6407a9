// Small helpers over dropped files shared by the format modules: path parts, magic bytes,
// text decoding and zip/gzip handling (fflate works the same in Node and the browser).
import { gunzipSync, unzipSync } from 'fflate';
import type { FileEntry } from './types.ts';

export const normPath = (p: string): string => p.replace(/\\/g, '/').replace(/^\.\//, '');
export const baseName = (p: string): string => normPath(p).split('/').pop() ?? '';
export const dirName = (p: string): string => {
  const parts = normPath(p).split('/');
  parts.pop();
  return parts.join('/');
};
export const lowerExt = (p: string): string => {
  const b = baseName(p).toLowerCase();
  const i = b.lastIndexOf('.');
  return i > 0 ? b.slice(i + 1) : '';
};
export const joinPath = (dir: string, rel: string): string => {
  const parts = (dir ? normPath(dir).split('/') : []).concat(normPath(rel).split('/'));
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
};

export function startsWithBytes(data: Uint8Array, magic: number[], offset = 0): boolean {
  if (data.length < offset + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (data[offset + i] !== magic[i]) return false;
  return true;
}

export const isZip = (d: Uint8Array): boolean => startsWithBytes(d, [0x50, 0x4b, 0x03, 0x04]) || startsWithBytes(d, [0x50, 0x4b, 0x05, 0x06]);
export const isGzip = (d: Uint8Array): boolean => startsWithBytes(d, [0x1f, 0x8b]);

const utf8 = new TextDecoder('utf-8');
export const decodeText = (d: Uint8Array): string => utf8.decode(d);

/** Files an OS adds to folders and archives that are never data. */
export function isJunkPath(p: string): boolean {
  const parts = normPath(p).split('/');
  return parts.some((s) => s === '__MACOSX' || s.startsWith('.')) || /^(thumbs\.db|desktop\.ini)$/i.test(parts[parts.length - 1]);
}

/** Entries of a zip archive as files (directories and OS junk dropped). Throws fflate's error on a corrupt archive. */
export function unzipEntries(data: Uint8Array, prefix = ''): FileEntry[] {
  const entries = unzipSync(data);
  const out: FileEntry[] = [];
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/') || isJunkPath(name)) continue;
    out.push({ path: prefix ? `${prefix}/${normPath(name)}` : normPath(name), data: bytes });
  }
  return out;
}

export const gunzip = (d: Uint8Array): Uint8Array => gunzipSync(d);

/** A copy aligned for typed-array views (file slices may start at any byte offset). */
export function alignedCopy(data: Uint8Array, start: number, length: number): ArrayBuffer {
  return data.slice(start, start + length).buffer;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
