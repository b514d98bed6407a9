// The demo's compact data set (scripts/train-demo-model.ts writes it): manifest.json with
// format "fixpoint-dataset" naming raw uint8 image and label files per set. The calibration set
// comes first; later sets (test) are the predefined held-out part.
import { LIMITS, describeBytes, describeCount } from '../../core/limits.ts';
import { baseName, decodeText, dirName, joinPath, normPath } from '../files.ts';
import type { DataFormat, Dataset, FileEntry, RawImage } from '../types.ts';
import { FormatError } from '../types.ts';

export class CompactSetError extends FormatError {
  constructor(message: string) {
    super('fixpoint-dataset', message);
    this.name = 'CompactSetError';
  }
}

interface SetInfo { count: number; images: string; labels?: string }
interface Manifest {
  format: string;
  name?: string;
  height: number;
  width: number;
  channels: number;
  classes?: string[];
  sets: Record<string, SetInfo>;
}

const findManifest = (files: FileEntry[]) =>
  files.find((f) => baseName(f.path) === 'manifest.json' && decodeText(f.data.subarray(0, 512)).includes('"fixpoint-dataset"'));

export const compactSetFormat: DataFormat = {
  id: 'fixpoint-dataset',
  match: (files) => findManifest(files) !== undefined,
  async open(files): Promise<Dataset> {
    const fail = (m: string): never => { throw new CompactSetError(m); };
    const mf = findManifest(files)!;
    let m: Manifest;
    try {
      m = JSON.parse(decodeText(mf.data));
    } catch (err) {
      return fail(`${mf.path} is not valid JSON (${String(err)})`);
    }
    const { height: h, width: w, channels: c } = m;
    if (![h, w].every((x) => Number.isInteger(x) && x > 0) || (c !== 1 && c !== 3)) fail(`${mf.path} gives an invalid image size ${h}×${w}×${c}`);
    const names = Object.keys(m.sets ?? {}).sort((a, b) => (a === 'calibration' ? -1 : b === 'calibration' ? 1 : 0));
    if (names.length === 0) fail(`${mf.path} lists no sets`);
    const dir = dirName(mf.path);
    const read = (rel: string) => files.find((f) => normPath(f.path) === joinPath(dir, rel))?.data ??
      fail(`${rel}, listed in ${mf.path}, is missing: drop the whole data set folder`);
    const size = h * w * c;
    if (h * w > LIMITS.imagePixels) fail(`${mf.path} declares images of ${h}×${w} pixels; the limit is ${describeCount(LIMITS.imagePixels)} pixels per image`);
    let declared = 0;
    for (const name of names) {
      const n = m.sets[name]?.count;
      if (!Number.isSafeInteger(n) || n < 0) fail(`${mf.path} gives set ${name} an invalid image count ${JSON.stringify(n)}`);
      declared += n;
    }
    if (declared > LIMITS.images) fail(`${mf.path} declares ${describeCount(declared)} images; the limit is ${describeCount(LIMITS.images)} per data set`);
    if (declared * size > LIMITS.datasetBytes) {
      fail(`${mf.path} declares ${describeCount(declared)} images of ${h}×${w}×${c} bytes; the limit is ${describeBytes(LIMITS.datasetBytes)} of pixels per data set`);
    }
    const images: RawImage[] = [];
    const labels: number[] = [];
    let heldOutFrom: number | undefined;
    let labeled = true;
    for (const name of names) {
      const s = m.sets[name];
      if (name !== 'calibration' && heldOutFrom === undefined && images.length > 0) heldOutFrom = images.length;
      const px = read(s.images);
      if (px.length !== s.count * size) fail(`${s.images} holds ${px.length} bytes; ${s.count} images of ${h}×${w}×${c} need ${s.count * size}`);
      for (let i = 0; i < s.count; i++) images.push({ width: w, height: h, channels: c as 1 | 3, pixels: px.subarray(i * size, (i + 1) * size) });
      if (s.labels) {
        const lb = read(s.labels);
        if (lb.length !== s.count) fail(`${s.labels} holds ${lb.length} labels for ${s.count} images`);
        for (const v of lb) labels.push(v);
      } else labeled = false;
    }
    const max = labels.reduce((a, v) => Math.max(a, v), -1);
    const classes = m.classes ?? Array.from({ length: max + 1 }, (_, i) => String(i));
    return { name: m.name ?? baseName(dir) ?? 'data', images, labels: labeled ? Int32Array.from(labels) : null, classes, heldOutFrom };
  },
};
