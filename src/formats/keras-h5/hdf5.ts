// Thin, defensive access to an HDF5 file through jsfive (synchronous, pure JS: the same code
// in Node and the browser). jsfive throws plain strings; everything here returns undefined on
// a missing object so callers can word their own error.
import * as hdf5 from 'jsfive';
import { startsWithBytes } from '../files.ts';

export type H5Group = hdf5.Group;
export type H5Dataset = hdf5.Dataset;

export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
export const isHdf5 = (d: Uint8Array): boolean => startsWithBytes(d, HDF5_SIGNATURE);

export function openHdf5(data: Uint8Array, name: string): hdf5.File {
  const buffer = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
    ? (data.buffer as ArrayBuffer)
    : data.slice().buffer;
  return new hdf5.File(buffer, name);
}

export const isDataset = (o: unknown): o is H5Dataset => o instanceof hdf5.Dataset;
export const isGroup = (o: unknown): o is H5Group => o instanceof hdf5.Group;

export function h5get(g: H5Group, path: string): H5Group | H5Dataset | undefined {
  try {
    return g.get(path) ?? undefined;
  } catch {
    return undefined;
  }
}

export function h5keys(g: H5Group): string[] {
  try {
    return g.keys;
  } catch {
    return [];
  }
}

/** Strings in Keras files are fixed-length (NUL-padded) or variable-length, sometimes bytes. */
export function attrString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.replace(/\0+$/, '');
  if (v instanceof Uint8Array) return new TextDecoder().decode(v).replace(/\0+$/, '');
  if (Array.isArray(v) && v.length === 1) return attrString(v[0]);
  return undefined;
}

export function attrStrings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x) => attrString(x) ?? '').filter((s) => s !== '');
  const s = attrString(v);
  return s ? [s] : [];
}

export function attrs(o: H5Group | H5Dataset): Record<string, unknown> {
  try {
    return o.attrs;
  } catch {
    return {};
  }
}

export function datasetFloats(d: H5Dataset): Float32Array {
  const v = d.value;
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}
