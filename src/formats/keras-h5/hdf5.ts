// Thin, defensive access to an HDF5 file through jsfive (synchronous, pure JS: the same code
// in Node and the browser). jsfive throws plain strings; everything here returns undefined on
// a missing object so callers can word their own error.
import * as hdf5 from 'jsfive';
import { LIMITS, declaredElements, describeBytes, describeCount } from '../../core/limits.ts';
import { startsWithBytes } from '../files.ts';
import { FormatError } from '../types.ts';

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

export function datasetShape(d: H5Dataset): number[] {
  try {
    return [...d.shape];
  } catch (err) {
    throw new FormatError('keras-h5', `weight ${d.name ?? ''} has an unreadable shape (${String(err)}): the file is corrupt`);
  }
}

/** Deflate inflates at most ~1032:1, so no honest dataset stores more bytes than this per file byte. */
const MAX_INFLATE_RATIO = 1032;

/**
 * A dataset's values as floats. jsfive allocates the size a dataset declares, even for chunks
 * never written, so the declared shape is checked against LIMITS.tensorElements and against
 * what the file's bytes can hold before reading.
 */
export function datasetFloats(d: H5Dataset, fileBytes = Infinity): Float32Array {
  const name = d.name ?? 'a dataset';
  const shape = datasetShape(d);
  const n = declaredElements(shape);
  if (n > LIMITS.tensorElements) {
    throw new FormatError('keras-h5', `weight ${name} declares ${shape.join('×')} = ${describeCount(n)} values; the limit is ${describeCount(LIMITS.tensorElements)} per tensor`);
  }
  if (n > Math.max(fileBytes, 4096) * MAX_INFLATE_RATIO) {
    throw new FormatError('keras-h5', `weight ${name} declares ${shape.join('×')} values, more than a ${describeBytes(fileBytes)} file can hold: the file is corrupt or truncated`);
  }
  let v: unknown;
  try {
    v = d.value;
  } catch (err) {
    throw new FormatError('keras-h5', `weight ${name} could not be read (${String(err)}): the file is corrupt or truncated`);
  }
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}
