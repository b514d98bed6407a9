// Small helpers over dropped files shared by the format modules: path parts, magic bytes,
// text and float16 decoding and zip/gzip handling (fflate works the same in Node and the browser).
import { Gunzip, unzipSync } from 'fflate';
import { LIMITS, LimitError, describeBytes, describeCount } from '../core/limits.ts';
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

/** IEEE float16 bits → number (TensorFlow.js float16 weights, ONNX FLOAT16 tensors). */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

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

const inflatedTooLarge = (what: string) =>
  new LimitError(`${what} inflates to more than ${describeBytes(LIMITS.inflatedBytes)}, the limit for an archive: unpack it and use the part you need`);

/**
 * Entries of a zip archive as files (directories and OS junk dropped). fflate allocates each
 * entry at the size the central directory declares, so those sizes (and the entry count) are
 * summed and checked before anything is inflated. Throws a LimitError over the limits,
 * fflate's error on a corrupt archive.
 */
export function unzipEntries(data: Uint8Array, prefix = '', name = 'the zip archive'): FileEntry[] {
  const wanted = (f: { name: string }) => !f.name.endsWith('/') && !isJunkPath(f.name);
  // First pass: headers only (the filter declines every entry), so nothing is inflated before
  // the whole archive's declared size is known.
  let declared = 0;
  let count = 0;
  unzipSync(data, {
    filter(f) {
      if (++count > LIMITS.files) throw new LimitError(`${name} holds more than ${describeCount(LIMITS.files)} entries, the limit for a data set or model`);
      if (wanted(f)) declared += f.originalSize;
      if (declared > LIMITS.inflatedBytes) throw inflatedTooLarge(name);
      return false;
    },
  });
  const entries = unzipSync(data, { filter: wanted });
  const out: FileEntry[] = [];
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/') || isJunkPath(name)) continue;
    out.push({ path: prefix ? `${prefix}/${normPath(name)}` : normPath(name), data: bytes });
  }
  return out;
}

/**
 * A gzip file's contents, inflated in slices so the output is counted as it grows: the size in
 * the gzip trailer can lie. Throws a LimitError past LIMITS.inflatedBytes.
 */
export function gunzip(d: Uint8Array, name = 'the gzip file'): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > LIMITS.inflatedBytes) throw inflatedTooLarge(name);
    chunks.push(chunk);
  });
  const SLICE = 64 * 1024;
  for (let o = 0; o < d.length; o += SLICE) stream.push(d.subarray(o, o + SLICE), o + SLICE >= d.length);
  if (d.length === 0) stream.push(d, true);
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

/** A copy aligned for typed-array views (file slices may start at any byte offset). */
export function alignedCopy(data: Uint8Array, start: number, length: number): ArrayBuffer {
  return data.slice(start, start + length).buffer;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
