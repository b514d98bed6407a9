// MNIST-style IDX files (`*-images-idx3-ubyte`, `*-labels-idx1-ubyte`, optionally .gz). When a
// folder holds several pairs (train and t10k, as Fashion-MNIST ships), the t10k (test) pair is
// used; name the images file alone to pick another.
import { LIMITS, LimitError, declaredElements, describeBytes, describeCount } from '../../core/limits.ts';
import { baseName, dirName, gunzip, isGzip, plural } from '../files.ts';
import type { DataFormat, Dataset, FileEntry, RawImage } from '../types.ts';
import { FormatError } from '../types.ts';

export class IdxError extends FormatError {
  constructor(message: string) {
    super('idx', message);
    this.name = 'IdxError';
  }
}

const IDX_NAME = /(idx\d-ubyte|\.idx\d?)(\.gz)?$/i;
export const isIdxPath = (p: string): boolean => IDX_NAME.test(baseName(p));

const isImagesName = (n: string) => /image/i.test(n) || /idx[34]/i.test(n);
const isLabelsName = (n: string) => /label/i.test(n) || /idx1/i.test(n);
const pairKey = (n: string) => baseName(n).toLowerCase().replace(/\.gz$/, '').replace(/images?|labels?/, '#').replace(/idx\d/, 'idx');

interface Idx {
  dims: number[];
  data: Uint8Array;
}

const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;

function parseIdx(file: FileEntry, expectDims: number[]): Idx {
  const name = baseName(file.path);
  let d = file.data;
  if (isGzip(d)) {
    try {
      d = gunzip(d, name);
    } catch (err) {
      if (err instanceof LimitError) throw new IdxError(err.message);
      throw new IdxError(`${name} is a damaged gzip file (${String(err)}): download it again`);
    }
  }
  const magic = d.length >= 4 ? ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0 : -1;
  const want = expectDims.map((n) => hex(0x800 + n)).join(' or ');
  if (d.length < 4 || d[0] !== 0 || d[1] !== 0 || !expectDims.includes(d[3])) {
    throw new IdxError(`${name} is not an IDX ${expectDims[0] === 1 ? 'labels' : 'images'} file: it starts with ${magic < 0 ? 'fewer than 4 bytes' : hex(magic)}, expected ${want} (unsigned bytes, ${expectDims.join(' or ')} dimensions)`);
  }
  if (d[2] !== 0x08) {
    throw new IdxError(`${name} holds IDX data of type ${hex(d[2]).slice(-2)}; only unsigned bytes (0x08) are supported`);
  }
  const n = d[3];
  if (d.length < 4 + 4 * n) throw new IdxError(`${name} is truncated inside its header`);
  const dims: number[] = [];
  for (let i = 0; i < n; i++) dims.push(((d[4 + 4 * i] << 24) | (d[5 + 4 * i] << 16) | (d[6 + 4 * i] << 8) | d[7 + 4 * i]) >>> 0);
  const size = dims.reduce((a, x) => a * x, 1);
  const start = 4 + 4 * n;
  if (d.length - start < size) {
    throw new IdxError(`${name} is truncated: its header announces ${dims.join('×')} = ${size} bytes but ${d.length - start} follow`);
  }
  return { dims, data: d.subarray(start, start + size) };
}

/** Declared image count and sizes against LIMITS, before one image object is made. */
function checkDeclared(name: string, count: number, h: number, w: number, c: number): void {
  if (h * w > LIMITS.imagePixels) throw new IdxError(`${name} declares images of ${h}×${w} pixels; the limit is ${describeCount(LIMITS.imagePixels)} pixels per image`);
  if (count > LIMITS.images) throw new IdxError(`${name} declares ${describeCount(count)} images; the limit is ${describeCount(LIMITS.images)} per data set`);
  if (declaredElements([count, h, w, c]) > LIMITS.datasetBytes) {
    throw new IdxError(`${name} declares ${describeCount(count)} images of ${h}×${w}×${c} bytes; the limit is ${describeBytes(LIMITS.datasetBytes)} of pixels per data set: use a part of it`);
  }
}

function choosePair(files: FileEntry[]): { images: FileEntry; labels?: FileEntry } {
  const idx = files.filter((f) => isIdxPath(f.path));
  const images = idx.filter((f) => isImagesName(baseName(f.path)));
  const labels = idx.filter((f) => isLabelsName(baseName(f.path)) && !images.includes(f));
  if (images.length === 0) throw new IdxError(`no IDX images file among ${idx.map((f) => baseName(f.path)).join(', ')}: add the *-images-idx3-ubyte file`);
  let img = images[0];
  if (images.length > 1) {
    const test = images.filter((f) => /^(t10k|test)/i.test(baseName(f.path)));
    if (test.length !== 1) {
      throw new IdxError(`${plural(images.length, 'IDX images file')} (${images.map((f) => baseName(f.path)).join(', ')}) and no single t10k/test one: drop only the pair to use`);
    }
    img = test[0];
  }
  const lab = labels.find((f) => pairKey(f.path) === pairKey(img.path) && dirName(f.path) === dirName(img.path)) ??
    (labels.length === 1 && images.length === 1 ? labels[0] : undefined);
  return { images: img, labels: lab };
}

export const idxFormat: DataFormat = {
  id: 'idx',
  match: (files) => files.some((f) => isIdxPath(f.path)),
  async open(files): Promise<Dataset> {
    const pair = choosePair(files);
    const im = parseIdx(pair.images, [3, 4]);
    const [count, h, w, c = 1] = im.dims;
    const imagesName = baseName(pair.images.path);
    if (c !== 1 && c !== 3) throw new IdxError(`${imagesName} has ${c} channels per pixel; expected 1 or 3`);
    if (h < 1 || w < 1) throw new IdxError(`${imagesName} declares images of ${h}×${w} pixels: an image needs at least one pixel (damaged or not an images file)`);
    if (count < 1) throw new IdxError(`${imagesName} holds no images (its header declares 0)`);
    checkDeclared(imagesName, count, h, w, c);
    const size = h * w * c;
    const images: RawImage[] = [];
    for (let i = 0; i < count; i++) images.push({ width: w, height: h, channels: c as 1 | 3, pixels: im.data.subarray(i * size, (i + 1) * size) });
    let labels: Int32Array | null = null;
    let classes: string[] = [];
    if (pair.labels) {
      const lb = parseIdx(pair.labels, [1]);
      if (lb.dims[0] !== count) {
        throw new IdxError(`${baseName(pair.labels.path)} has ${lb.dims[0]} labels but ${baseName(pair.images.path)} has ${count} images: they are not a pair`);
      }
      labels = Int32Array.from(lb.data);
      const max = labels.reduce((m, v) => Math.max(m, v), 0);
      classes = Array.from({ length: max + 1 }, (_, i) => String(i));
    }
    const folder = baseName(dirName(pair.images.path));
    const stemName = baseName(pair.images.path).replace(/[-_.]?images?.*$/i, '') || baseName(pair.images.path);
    return { name: folder ? `${folder}/${stemName}` : stemName, images, labels, classes };
  },
};
