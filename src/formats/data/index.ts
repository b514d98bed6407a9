// Data set formats in the order they are tried.
import type { DataFormat } from '../types.ts';
import { compactSetFormat } from './compact-set.ts';
import { classFoldersFormat, unlabeledImagesFormat } from './folders.ts';
import { idxFormat } from './idx.ts';
import { zipDataFormat } from './zip.ts';

const plain: DataFormat[] = [compactSetFormat, idxFormat, classFoldersFormat, unlabeledImagesFormat];

export const dataFormats: DataFormat[] = [...plain, zipDataFormat(plain)];

export { compactSetFormat, classFoldersFormat, unlabeledImagesFormat, idxFormat };
export { CompactSetError } from './compact-set.ts';
export { ImageFolderError } from './folders.ts';
export { IdxError } from './idx.ts';
export { DataZipError } from './zip.ts';
export { canvasImageDecoder, decodeImage } from './images.ts';
