// A .zip of any supported data layout: unpacked with fflate, then handed to the other formats.
import { LimitError } from '../../core/limits.ts';
import { baseName, isZip, lowerExt, unzipEntries } from '../files.ts';
import type { DataFormat, Dataset, FileEntry } from '../types.ts';
import { FormatError } from '../types.ts';

export class DataZipError extends FormatError {
  constructor(message: string) {
    super('data-zip', message);
    this.name = 'DataZipError';
  }
}

const isZipFile = (f: FileEntry) => lowerExt(f.path) === 'zip' || isZip(f.data);

export function zipDataFormat(inner: DataFormat[]): DataFormat {
  return {
    id: 'zip',
    match: (files) => files.some(isZipFile),
    async open(files, options): Promise<Dataset> {
      const zips = files.filter(isZipFile);
      const entries: FileEntry[] = files.filter((f) => !isZipFile(f));
      for (const z of zips) {
        if (!isZip(z.data)) throw new DataZipError(`${baseName(z.path)} is not a zip archive (no zip signature): damaged or misnamed`);
        try {
          for (const e of unzipEntries(z.data, '', baseName(z.path))) entries.push(e);
        } catch (err) {
          if (err instanceof LimitError) throw new DataZipError(err.message);
          throw new DataZipError(`${baseName(z.path)} is a damaged zip archive (${String(err)}): create or download it again`);
        }
      }
      const format = inner.find((f) => f.match(entries));
      if (!format) {
        throw new DataZipError(`${zips.map((z) => baseName(z.path)).join(', ')} holds no images, IDX files or fixpoint data set ` +
          `(${entries.length} files${entries.length ? `, e.g. ${entries.slice(0, 3).map((e) => e.path).join(', ')}` : ''})`);
      }
      const ds = await format.open(entries, options);
      return zips.length === 1 && ds.name === 'images' ? { ...ds, name: baseName(zips[0].path).replace(/\.zip$/i, '') } : ds;
    },
  };
}
