// Windows BMP decoder (uncompressed 1/4/8-bit palette, 24-bit, 32-bit with optional bit
// fields), written out because it is short and no maintained pure-JS package fits better.
// Every size the header declares is checked against the file and LIMITS before allocating.
import { LIMITS, LimitError, describeCount } from '../../core/limits.ts';

export interface Rgba {
  width: number;
  height: number;
  /** RGBA, row-major, top row first. */
  data: Uint8Array;
  hasAlpha: boolean;
}

export function decodeBmp(d: Uint8Array): Rgba {
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  if (d.length < 26 || d[0] !== 0x42 || d[1] !== 0x4d) throw new Error('not a BMP file');
  const dataOffset = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  let width: number, height: number, bpp: number, compression = 0, colors = 0;
  if (headerSize === 12) {
    width = v.getUint16(18, true);
    height = v.getInt16(20, true);
    bpp = v.getUint16(24, true);
  } else {
    width = v.getInt32(18, true);
    height = v.getInt32(22, true);
    bpp = v.getUint16(28, true);
    compression = v.getUint32(30, true);
    colors = v.getUint32(46, true);
  }
  const topDown = height < 0;
  height = Math.abs(height);
  if (width <= 0 || height <= 0) throw new Error(`unsupported BMP size ${width}×${height}`);
  if (width * height > LIMITS.imagePixels) throw imageTooLarge(width, height);
  let masks: [number, number, number, number] | null = null;
  if (compression === 3 || compression === 6) {
    // Bit fields follow a 40-byte header, or sit inside V4/V5 headers at the same place.
    const at = 14 + 40;
    masks = [v.getUint32(at, true), v.getUint32(at + 4, true), v.getUint32(at + 8, true),
      compression === 6 || headerSize >= 56 ? v.getUint32(at + 12, true) : 0];
  } else if (compression !== 0) {
    throw new Error(`compressed BMP (method ${compression}) is not supported; save it uncompressed or as PNG`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new Error(`${bpp}-bit BMP is not supported`);
  const palette: number[][] = [];
  if (bpp <= 8) {
    const entry = headerSize === 12 ? 3 : 4;
    const n = colors || 1 << bpp;
    // A palette never has more entries than the bit depth can index, and it must fit in the file.
    if (n > 1 << bpp || 14 + headerSize + n * entry > d.length) {
      throw new Error(`its header declares ${colors} palette colours for ${bpp}-bit pixels (at most ${1 << bpp}, within the file)`);
    }
    for (let i = 0; i < n; i++) {
      const o = 14 + headerSize + i * entry;
      palette.push([d[o + 2], d[o + 1], d[o]]);
    }
  }
  if (bpp === 16 && !masks) masks = [0x7c00, 0x03e0, 0x001f, 0];
  const rowBytes = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + rowBytes * height > d.length) throw new Error('BMP pixel data is truncated');
  const out = new Uint8Array(width * height * 4);
  const field = (px: number, m: number) => {
    if (!m) return 255;
    let shift = 0;
    while (!((m >>> shift) & 1)) shift++;
    const max = m >>> shift;
    return Math.round((((px & m) >>> shift) * 255) / max);
  };
  let hasAlpha = false;
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let r: number, g: number, b: number, a = 255;
      if (bpp <= 8) {
        const bit = x * bpp;
        const idx = (d[row + (bit >> 3)] >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        [r, g, b] = palette[idx] ?? [0, 0, 0];
      } else if (bpp === 24) {
        b = d[row + x * 3]; g = d[row + x * 3 + 1]; r = d[row + x * 3 + 2];
      } else {
        const px = bpp === 16 ? v.getUint16(row + x * 2, true) : v.getUint32(row + x * 4, true);
        if (masks) {
          r = field(px, masks[0]); g = field(px, masks[1]); b = field(px, masks[2]);
          if (masks[3]) { a = field(px, masks[3]); hasAlpha = true; }
        } else {
          b = px & 0xff; g = (px >>> 8) & 0xff; r = (px >>> 16) & 0xff;
        }
      }
      out[o] = r; out[o + 1] = g; out[o + 2] = b; out[o + 3] = a;
    }
  }
  return { width, height, data: out, hasAlpha };
}

/** The one message for an image over LIMITS.imagePixels, shared by every decoder. */
export function imageTooLarge(width: number, height: number): LimitError {
  return new LimitError(`it is ${width}×${height} pixels; the limit is ${describeCount(LIMITS.imagePixels)} pixels per image: resize it`);
}
