// Image folders: one sub-folder per class (ordered by name like Keras's
// image_dataset_from_directory, unless a labels.txt gives the order), or a flat folder of
// unlabeled images (the float model's answers then serve as labels).
import { LIMITS, describeBytes, describeCount } from '../../core/limits.ts';
import { baseName, decodeText, isJunkPath, normPath } from '../files.ts';
import type { DataFormat, DataOptions, Dataset, FileEntry, RawImage } from '../types.ts';
import { FormatError } from '../types.ts';
import { decodeImage, isImagePath } from './images.ts';

export class ImageFolderError extends FormatError {
  constructor(message: string) {
    super('image-folder', message);
    this.name = 'ImageFolderError';
  }
}

interface Layout {
  /** Folder the images hang from ('' when dropped loose). */
  root: string;
  images: Array<{ file: FileEntry; rel: string[] }>;
}

function layout(files: FileEntry[]): Layout | null {
  const imgs = files.filter((f) => isImagePath(f.path) && !isJunkPath(f.path));
  if (imgs.length === 0) return null;
  const dirs = imgs.map((f) => normPath(f.path).split('/').slice(0, -1));
  let common = dirs[0].length;
  for (const d of dirs) {
    let k = 0;
    while (k < common && k < d.length && d[k] === dirs[0][k]) k++;
    common = k;
  }
  return {
    root: dirs[0].slice(0, common).join('/'),
    images: imgs.map((file) => ({ file, rel: normPath(file.path).split('/').slice(common) })),
  };
}

/** Code-point order, as Python's sorted() gives Keras its class indices. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function decodeAll(items: Array<{ file: FileEntry }>, options?: DataOptions): Promise<RawImage[]> {
  if (items.length > LIMITS.images) throw new ImageFolderError(`${describeCount(items.length)} images; the limit is ${describeCount(LIMITS.images)} per data set`);
  const out: RawImage[] = [];
  let bytes = 0;
  for (const { file } of items) {
    let image: RawImage;
    try {
      image = await decodeImage(file.data, file.path, options?.decodeImage);
    } catch (err) {
      throw new ImageFolderError(err instanceof Error ? err.message : String(err));
    }
    bytes += image.pixels.length;
    if (bytes > LIMITS.datasetBytes) {
      throw new ImageFolderError(`the images decode to more than ${describeBytes(LIMITS.datasetBytes)} of pixels (the limit per data set) by ${file.path}: use fewer or smaller images`);
    }
    out.push(image);
  }
  return out;
}

/** labels.txt: one class per line, optionally "index name" as Teachable Machine writes it. */
function readLabels(file: FileEntry): string[] {
  const lines = decodeText(file.data).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const indexed = lines.map((l, i) => new RegExp(`^${i}\\s+(.+)$`).exec(l));
  const names = indexed.every((m) => m) ? indexed.map((m) => m![1]) : lines;
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new ImageFolderError(`${file.path} lists the class ${dup} twice; every class needs one line of its own`);
  return names;
}

export const classFoldersFormat: DataFormat = {
  id: 'class-folders',
  match(files) {
    const l = layout(files);
    return l?.images.some((i) => i.rel.length > 1) ?? false;
  },
  async open(files, options): Promise<Dataset> {
    const l = layout(files)!;
    const deep = l.images.find((i) => i.rel.length > 2);
    if (deep) {
      throw new ImageFolderError(`${deep.file.path} is nested ${deep.rel.length - 1} folders deep below ${l.root || 'the drop'}; ` +
        'expected one sub-folder per class holding the images: drop the folder that directly contains the class folders');
    }
    const loose = l.images.find((i) => i.rel.length === 1);
    if (loose) {
      throw new ImageFolderError(`${loose.file.path} lies beside the class folders of ${l.root || 'the drop'}; ` +
        'every image must be inside the sub-folder of its class');
    }
    const folders = [...new Set(l.images.map((i) => i.rel[0]))].sort(byCodePoint);
    const labelsPath = l.root ? `${l.root}/labels.txt` : 'labels.txt';
    const labelsFile = files.find((f) => normPath(f.path).toLowerCase() === labelsPath.toLowerCase());
    let classes = folders;
    if (labelsFile) {
      classes = readLabels(labelsFile);
      const missing = folders.filter((f) => !classes.includes(f));
      if (missing.length) {
        throw new ImageFolderError(`folder${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not listed in ${labelsFile.path} ` +
          `(it lists ${classes.join(', ')}); add ${missing.length > 1 ? 'them' : 'it'} or rename the folder`);
      }
    }
    const items = [...l.images].sort((a, b) => byCodePoint(a.file.path, b.file.path));
    const images = await decodeAll(items, options);
    const labels = Int32Array.from(items, (i) => classes.indexOf(i.rel[0]));
    return { name: baseName(l.root) || 'images', images, labels, classes };
  },
};

export const unlabeledImagesFormat: DataFormat = {
  id: 'unlabeled-images',
  match(files) {
    const l = layout(files);
    return l?.images.every((i) => i.rel.length === 1) ?? false;
  },
  async open(files, options): Promise<Dataset> {
    const l = layout(files)!;
    // All images in one sub-folder of the drop ("digits/7/*.png"): one class folder, not a
    // flat folder; scoring every image as that one class would be nonsense.
    const parts = l.root.split('/');
    if (parts.length >= 2) {
      throw new ImageFolderError(`${parts[0]} holds only one class folder (${parts.slice(1).join('/')}); a labelled data set needs one sub-folder per class. ` +
        'For unlabeled images, put them directly in the folder you give');
    }
    const items = [...l.images].sort((a, b) => byCodePoint(a.file.path, b.file.path));
    return { name: baseName(l.root) || 'images', images: await decodeAll(items, options), labels: null, classes: [] };
  },
};
