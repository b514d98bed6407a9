// Image decoding that works the same in Node and the browser: PNG (upng-js), JPEG (jpeg-js),
// BMP (bmp.ts). Other types (WebP, GIF) go to an injectable decoder, by default the browser's
// createImageBitmap; Node has none and says so.
import jpeg from 'jpeg-js';
import UPNG from 'upng-js';
import { baseName, lowerExt, startsWithBytes } from '../files.ts';
import type { ImageDecoder, RawImage } from '../types.ts';
import { LIMITS, LimitError } from '../../core/limits.ts';
import { decodeBmp, imageTooLarge } from './bmp.ts';

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

const be32 = (d: Uint8Array, o: number) => ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;

function checkPixels(width: number, height: number): void {
  if (width * height > LIMITS.imagePixels) throw imageTooLarge(width, height);
}

/** Width and height from a JPEG's first start-of-frame marker, or null when none is found. */
export function jpegSize(d: Uint8Array): [number, number] | null {
  let o = 2;
  while (o + 9 < d.length) {
    if (d[o] !== 0xff) return null;
    const marker = d[o + 1];
    if (marker === 0xff) { o++; continue; }
    const len = (d[o + 2] << 8) | d[o + 3];
    // SOF0..SOF15 except DHT (c4), JPG (c8) and DAC (cc) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [(d[o + 7] << 8) | d[o + 8], (d[o + 5] << 8) | d[o + 6]];
    }
    o += 2 + len;
  }
  return null;
}

/** Every chunk's declared length must fit in the file: UPNG copies a chunk byte by byte up to its declared length. */
function checkPngChunks(d: Uint8Array): void {
  let o = 8;
  while (o + 8 <= d.length) {
    const len = be32(d, o);
    if (o + 12 + len > d.length) throw new Error(`a chunk at byte ${o} declares ${len} bytes, past the end of the file`);
    if (d[o + 4] === 0x49 && d[o + 5] === 0x45 && d[o + 6] === 0x4e && d[o + 7] === 0x44) return; // IEND
    o += 12 + len;
  }
}

function decodePng(d: Uint8Array): RawImage {
  // IHDR is the first chunk: width and height at bytes 16 and 20, checked before inflating.
  if (d.length >= 24) checkPixels(be32(d, 16), be32(d, 20));
  checkPngChunks(d);
  const buf = d.slice().buffer;
  const img = UPNG.decode(buf);
  const rgba = new Uint8Array(UPNG.toRGBA8(img)[0]);
  return compactRgba(rgba, img.width, img.height);
}

function decodeJpeg(d: Uint8Array): RawImage {
  const size = jpegSize(d);
  if (size) checkPixels(size[0], size[1]);
  const img = jpeg.decode(d, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: LIMITS.imagePixels / 1e6, maxMemoryUsageInMB: 512 });
  return compactRgba(img.data, img.width, img.height, 3);
}

/** The browser's decoder (any type the browser can show); undefined where it is missing (Node). */
export const canvasImageDecoder: ImageDecoder | undefined =
  typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function'
    ? async (data) => {
      const bitmap = await createImageBitmap(new Blob([data as BlobPart]));
      if (bitmap.width * bitmap.height > LIMITS.imagePixels) {
        bitmap.close();
        throw imageTooLarge(bitmap.width, bitmap.height);
      }
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
    if (err instanceof LimitError) throw new LimitError(`${name}: ${err.message}`);
    throw new Error(`cannot decode ${name} as ${type!.toUpperCase()}: ${err instanceof Error ? err.message : String(err)} (damaged file?)`);
  }
  if (type === null) throw new Error(`${name} is not a PNG, JPEG, BMP, WebP or GIF image (unrecognised contents)`);
  if (!fallback) {
    throw new Error(`cannot decode ${name}: ${type.toUpperCase()} images need the browser's image decoder, which is not available here (Node); convert them to PNG`);
  }
  try {
    return await fallback(data, path);
  } catch (err) {
    if (err instanceof LimitError) throw new LimitError(`${name}: ${err.message}`);
    throw new Error(`cannot decode ${name} as ${type.toUpperCase()}: ${err instanceof Error ? err.message : String(err)} (damaged file?)`);
  }
}
