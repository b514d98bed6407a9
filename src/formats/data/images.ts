// Image decoding that works the same in Node and the browser: PNG (upng-js), JPEG (jpeg-js),
// BMP (bmp.ts). Other types (WebP, GIF) go to an injectable decoder, by default the browser's
// createImageBitmap; Node has none and says so.
import jpeg from 'jpeg-js';
import UPNG from 'upng-js';
import { baseName, lowerExt, startsWithBytes } from '../files.ts';
import type { ImageDecoder, RawImage } from '../types.ts';
import { decodeBmp } from './bmp.ts';

export type ImageType = 'png' | 'jpeg' | 'bmp' | 'webp' | 'gif';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp', 'webp', 'gif'];
export const isImagePath = (p: string): boolean => IMAGE_EXTENSIONS.includes(lowerExt(p));

export function sniffImage(d: Uint8Array): ImageType | null {
  if (startsWithBytes(d, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWithBytes(d, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWithBytes(d, [0x42, 0x4d])) return 'bmp';
  if (startsWithBytes(d, [0x52, 0x49, 0x46, 0x46]) && startsWithBytes(d, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWithBytes(d, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  return null;
}

/** RGBA → the fewest channels that lose nothing: grey when R = G = B, alpha only if used. */
export function compactRgba(rgba: Uint8Array, width: number, height: number, channels = 4): RawImage {
  const n = width * height;
  let grey = true;
  let alpha = false;
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    if (grey && (rgba[o] !== rgba[o + 1] || rgba[o] !== rgba[o + 2])) grey = false;
    if (channels === 4 && rgba[o + 3] !== 255) alpha = true;
    if (!grey && (alpha || channels === 3)) break;
  }
  const c: 1 | 3 | 4 = alpha ? 4 : grey ? 1 : 3;
  if (c === channels) return { width, height, channels: c, pixels: rgba };
  const pixels = new Uint8Array(n * c);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) pixels[i * c + k] = rgba[i * channels + k];
  return { width, height, channels: c, pixels };
}

function decodePng(d: Uint8Array): RawImage {
  const buf = d.slice().buffer;
  const img = UPNG.decode(buf);
  const rgba = new Uint8Array(UPNG.toRGBA8(img)[0]);
  return compactRgba(rgba, img.width, img.height);
}

function decodeJpeg(d: Uint8Array): RawImage {
  const img = jpeg.decode(d, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  return compactRgba(img.data, img.width, img.height, 3);
}

/** The browser's decoder (any type the browser can show); undefined where it is missing (Node). */
export const canvasImageDecoder: ImageDecoder | undefined =
  typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function'
    ? async (data) => {
      const bitmap = await createImageBitmap(new Blob([data as BlobPart]));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2D canvas context');
      ctx.drawImage(bitmap, 0, 0);
      const { data: px } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      bitmap.close();
      return compactRgba(new Uint8Array(px.buffer, px.byteOffset, px.byteLength), canvas.width, canvas.height);
    }
    : undefined;

/** Decodes one image; throws an Error whose message names the file and what to do. */
export async function decodeImage(data: Uint8Array, path: string, fallback: ImageDecoder | undefined = canvasImageDecoder): Promise<RawImage> {
  const type = sniffImage(data);
  const name = baseName(path);
  try {
    switch (type) {
      case 'png': return decodePng(data);
      case 'jpeg': return decodeJpeg(data);
      case 'bmp': {
        const b = decodeBmp(data);
        return compactRgba(b.data, b.width, b.height);
      }
    }
  } catch (err) {
    throw new Error(`cannot decode ${name} as ${type!.toUpperCase()}: ${err instanceof Error ? err.message : String(err)} (damaged file?)`);
  }
  if (type === null) throw new Error(`${name} is not a PNG, JPEG, BMP, WebP or GIF image (unrecognised contents)`);
  if (!fallback) {
    throw new Error(`cannot decode ${name}: ${type.toUpperCase()} images need the browser's image decoder, which is not available here (Node); convert them to PNG`);
  }
  return fallback(data, path);
}
