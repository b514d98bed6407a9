import { existsSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDataset } from '../index.ts';
import { readPathAsFiles } from '../node-files.ts';
import type { FileEntry, RawImage } from '../types.ts';
import { decodeImage } from './images.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/** A w×h image whose pixel (x, y, k) is (17·x + 5·y + 80·k + seed) mod 256. */
function pattern(w: number, h: number, c: number, seed: number): Uint8Array {
  const p = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) p[(y * w + x) * c + k] = (17 * x + 5 * y + 80 * k + seed) & 255;
  return p;
}
const rgbaOf = (px: Uint8Array, c: number) => {
  const n = px.length / c;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) for (let k = 0; k < 4; k++) out[i * 4 + k] = k === 3 ? 255 : c === 1 ? px[i] : px[i * 3 + k];
  return out;
};
/** PNG written with node:zlib (8-bit grey or RGB, filter 0), independent of the decoder under test. */
function png(w: number, h: number, px: Uint8Array, c: 1 | 3): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
    return out;
  };
  const raw = Buffer.alloc(h * (w * c + 1));
  for (let y = 0; y < h; y++) Buffer.from(px.subarray(y * w * c, (y + 1) * w * c)).copy(raw, y * (w * c + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = c === 1 ? 0 : 2;
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]));
}
const jpg = (w: number, h: number, px: Uint8Array, c: number) => new Uint8Array(jpeg.encode({ width: w, height: h, data: rgbaOf(px, c) }, 100).data);

/** 24-bit bottom-up, 8-bit palette, or 32-bit top-down BMP. */
function bmp(w: number, h: number, px: Uint8Array, c: 1 | 3, bits: 8 | 24 | 32): Uint8Array {
  const rowBytes = Math.ceil((w * bits) / 32) * 4;
  const palette = bits === 8 ? 1024 : 0;
  const offset = 14 + 40 + palette;
  const d = new Uint8Array(offset + rowBytes * h);
  const v = new DataView(d.buffer);
  d[0] = 0x42; d[1] = 0x4d;
  v.setUint32(2, d.length, true); v.setUint32(10, offset, true); v.setUint32(14, 40, true);
  v.setInt32(18, w, true); v.setInt32(22, bits === 32 ? -h : h, true);
  v.setUint16(26, 1, true); v.setUint16(28, bits, true);
  for (let i = 0; i < palette / 4; i++) { d[54 + i * 4] = i; d[55 + i * 4] = i; d[56 + i * 4] = i; }
  for (let y = 0; y < h; y++) {
    const row = offset + (bits === 32 ? y : h - 1 - y) * rowBytes;
    for (let x = 0; x < w; x++) {
      const rgb = c === 1 ? [px[y * w + x], px[y * w + x], px[y * w + x]] : [px[(y * w + x) * 3], px[(y * w + x) * 3 + 1], px[(y * w + x) * 3 + 2]];
      if (bits === 8) d[row + x] = rgb[0];
      else { const o = row + (x * bits) / 8; d[o] = rgb[2]; d[o + 1] = rgb[1]; d[o + 2] = rgb[0]; }
    }
  }
  return d;
}

const expectPixels = (img: RawImage, w: number, h: number, c: number, px: Uint8Array, tol = 0) => {
  expect([img.width, img.height, img.channels]).toEqual([w, h, c]);
  let worst = 0;
  for (let i = 0; i < px.length; i++) worst = Math.max(worst, Math.abs(img.pixels[i] - px[i]));
  expect(worst).toBeLessThanOrEqual(tol);
};

describe('image decoding', () => {
  it('PNG grey and RGB, BMP 8/24/32-bit are exact; JPEG is close', async () => {
    const g = pattern(5, 3, 1, 1), rgb = pattern(4, 6, 3, 2);
    expectPixels(await decodeImage(png(5, 3, g, 1), 'a.png'), 5, 3, 1, g);
    expectPixels(await decodeImage(png(4, 6, rgb, 3), 'b.png'), 4, 6, 3, rgb);
    expectPixels(await decodeImage(bmp(5, 3, g, 1, 8), 'c.bmp'), 5, 3, 1, g);
    expectPixels(await decodeImage(bmp(4, 6, rgb, 3, 24), 'd.bmp'), 4, 6, 3, rgb);
    expectPixels(await decodeImage(bmp(4, 6, rgb, 3, 32), 'e.bmp'), 4, 6, 3, rgb);
    const smooth = new Uint8Array(64 * 64).map((_, i) => 100 + ((i % 64) >> 1));
    expectPixels(await decodeImage(jpg(64, 64, smooth, 1), 'f.jpg'), 64, 64, 1, smooth, 3);
  });

  it('WebP has no decoder in Node; an injected decoder is used', async () => {
    const webp = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0, 0]);
    await expect(decodeImage(webp, 'x/a.webp')).rejects.toThrow(
      "cannot decode a.webp: WEBP images need the browser's image decoder, which is not available here (Node); convert them to PNG");
    const fake: RawImage = { width: 1, height: 1, channels: 1, pixels: new Uint8Array([7]) };
    expect(await decodeImage(webp, 'a.webp', async () => fake)).toBe(fake);
  });
});

function classFolderFiles(root: string): { files: FileEntry[]; pixels: Record<string, Uint8Array> } {
  const pixels: Record<string, Uint8Array> = {};
  const files: FileEntry[] = [];
  const add = (path: string, data: Uint8Array, px: Uint8Array) => { files.push({ path: `${root}/${path}`, data }); pixels[path] = px; };
  const a = pattern(6, 6, 1, 10), b = pattern(6, 6, 1, 20), c = pattern(6, 6, 3, 30), d = pattern(6, 6, 1, 40);
  add('zebra/1.png', png(6, 6, a, 1), a);
  add('Apple/2.bmp', bmp(6, 6, b, 1, 8), b);
  add('Apple/1.png', png(6, 6, c, 3), c);
  add('mango/x.png', png(6, 6, d, 1), d);
  files.push({ path: `${root}/.DS_Store`, data: new Uint8Array(3) }, { path: `${root}/README.md`, data: enc('hi') });
  return { files, pixels };
}

describe('data sets', () => {
  it('class folders: classes by code point (Keras order), images by path', async () => {
    const { files, pixels } = classFolderFiles('shapes');
    const ds = await openDataset(files);
    expect(ds.name).toBe('shapes');
    expect(ds.classes).toEqual(['Apple', 'mango', 'zebra']);
    expect(Array.from(ds.labels!)).toEqual([0, 0, 1, 2]);
    expectPixels(ds.images[0], 6, 6, 3, pixels['Apple/1.png']);
    expectPixels(ds.images[1], 6, 6, 1, pixels['Apple/2.bmp']);
  });

  it('labels.txt sets the class order (plain or "index name" lines)', async () => {
    const { files } = classFolderFiles('shapes');
    const ds = await openDataset([...files, { path: 'shapes/labels.txt', data: enc('zebra\nApple\nmango\nkiwi\n') }]);
    expect(ds.classes).toEqual(['zebra', 'Apple', 'mango', 'kiwi']);
    expect(Array.from(ds.labels!)).toEqual([1, 1, 2, 0]);
    const tm = await openDataset([...files, { path: 'shapes/labels.txt', data: enc('0 mango\r\n1 zebra\r\n2 Apple\r\n') }]);
    expect(tm.classes).toEqual(['mango', 'zebra', 'Apple']);
    await expect(openDataset([...files, { path: 'shapes/labels.txt', data: enc('zebra\nApple\n') }])).rejects.toThrow(
      'folder mango is not listed in shapes/labels.txt (it lists zebra, Apple); add it or rename the folder');
  });

  it('a zip of a class folder', async () => {
    const { files } = classFolderFiles('shapes');
    const zip = zipSync(Object.fromEntries(files.map((f) => [f.path, f.data])));
    const ds = await openDataset([{ path: 'shapes.zip', data: zip }]);
    expect(ds.classes).toEqual(['Apple', 'mango', 'zebra']);
    expect(ds.images.length).toBe(4);
  });

  it('a flat folder is unlabeled', async () => {
    const p = pattern(3, 2, 1, 0);
    const ds = await openDataset([{ path: 'loose/b.png', data: png(3, 2, p, 1) }, { path: 'loose/a.bmp', data: bmp(3, 2, p, 1, 24) }]);
    expect(ds.labels).toBeNull();
    expect(ds.classes).toEqual([]);
    expect(ds.images.length).toBe(2);
    expectPixels(ds.images[0], 3, 2, 1, p);
  });

  it('class folders nested too deep are refused with advice', async () => {
    const p = png(2, 2, pattern(2, 2, 1, 0), 1);
    await expect(openDataset([{ path: 'd/train/0/a.png', data: p }, { path: 'd/test/1/b.png', data: p }])).rejects.toThrow(
      'd/train/0/a.png is nested 2 folders deep below d; expected one sub-folder per class holding the images: drop the folder that directly contains the class folders');
  });

  it('IDX pairs, gzipped or not; of several pairs the t10k one', async () => {
    const idx = (dims: number[], data: Uint8Array) => {
      const h = new Uint8Array(4 + 4 * dims.length);
      h[2] = 8; h[3] = dims.length;
      dims.forEach((d, i) => new DataView(h.buffer).setUint32(4 + 4 * i, d));
      const out = new Uint8Array(h.length + data.length);
      out.set(h); out.set(data, h.length);
      return out;
    };
    const testImgs = pattern(4, 3 * 2, 1, 9); // 3 images of 4×2
    const files: FileEntry[] = [
      { path: 'mn/train-images-idx3-ubyte.gz', data: gzipSync(idx([2, 2, 4], pattern(4, 4, 1, 1))) },
      { path: 'mn/train-labels-idx1-ubyte.gz', data: gzipSync(idx([2], new Uint8Array([1, 1]))) },
      { path: 'mn/t10k-images-idx3-ubyte', data: idx([3, 2, 4], testImgs) },
      { path: 'mn/t10k-labels-idx1-ubyte', data: idx([3], new Uint8Array([2, 0, 1])) },
    ];
    const ds = await openDataset(files);
    expect(ds.name).toBe('mn/t10k');
    expect(ds.images.length).toBe(3);
    expect(Array.from(ds.labels!)).toEqual([2, 0, 1]);
    expect(ds.classes).toEqual(['0', '1', '2']);
    expectPixels(ds.images[1], 4, 2, 1, testImgs.subarray(8, 16));
    const train = await openDataset(files.slice(0, 2));
    expect(train.images.length).toBe(2);
    expect(Array.from(train.images[1].pixels)).toEqual(Array.from(pattern(4, 4, 1, 1).subarray(8, 16)));
  });

  it('the compact fixpoint data set keeps its test part as the held-out part', async () => {
    const manifest = { format: 'fixpoint-dataset', version: 1, name: 'tiny', height: 2, width: 2, channels: 1, classes: ['a', 'b'],
      sets: { calibration: { count: 2, images: 'c.u8', labels: 'cl.u8' }, test: { count: 1, images: 't.u8', labels: 'tl.u8' } } };
    const ds = await openDataset([
      { path: 'tiny/manifest.json', data: enc(JSON.stringify(manifest)) },
      { path: 'tiny/c.u8', data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) }, { path: 'tiny/cl.u8', data: new Uint8Array([1, 0]) },
      { path: 'tiny/t.u8', data: new Uint8Array([9, 9, 9, 9]) }, { path: 'tiny/tl.u8', data: new Uint8Array([1]) },
    ]);
    expect([ds.name, ds.images.length, ds.heldOutFrom, Array.from(ds.labels!), ds.classes]).toEqual(['tiny', 3, 2, [1, 0, 1], ['a', 'b']]);
    expect(Array.from(ds.images[1].pixels)).toEqual([5, 6, 7, 8]);
  });

  it.skipIf(!existsSync('public/data/mnist-demo/manifest.json'))('the demo data set', async () => {
    const ds = await openDataset(readPathAsFiles('public/data/mnist-demo'));
    expect(ds.images.length).toBe(2000);
    expect(ds.heldOutFrom).toBe(1000);
    expect(ds.images[0].width).toBe(28);
  });
});

describe('readPathAsFiles', () => {
  it('a folder: every file, relative to its parent; model.json brings its shards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixpoint-files-'));
    mkdirSync(join(dir, 'm', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'm', 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['w1.bin', 'sub/w2.bin'], weights: [] }] }));
    writeFileSync(join(dir, 'm', 'w1.bin'), new Uint8Array([1]));
    writeFileSync(join(dir, 'm', 'sub', 'w2.bin'), new Uint8Array([2]));
    writeFileSync(join(dir, 'm', 'other.txt'), 'x');
    expect(readPathAsFiles(join(dir, 'm')).map((f) => f.path)).toEqual(['m/model.json', 'm/other.txt', 'm/sub/w2.bin', 'm/w1.bin']);
    expect(readPathAsFiles(join(dir, 'm', 'model.json')).map((f) => f.path)).toEqual(['model.json', 'w1.bin', 'sub/w2.bin']);
  });
});

const FASHION = '/usr/share/datasets/fashion-mnist';
describe('Fashion-MNIST through the IDX path', () => {
  const present = existsSync(FASHION) && readdirSync(FASHION).some((n) => n.startsWith('t10k-images'));
  it.skipIf(!present)(`reads the t10k pair from ${FASHION} (Debian dataset-fashion-mnist)`, async () => {
    const ds = await openDataset(readPathAsFiles(FASHION));
    expect(ds.name).toBe('fashion-mnist/t10k');
    expect(ds.images.length).toBe(10000);
    expect([ds.images[0].width, ds.images[0].height, ds.images[0].channels]).toEqual([28, 28, 1]);
    expect(ds.classes.length).toBe(10);
    const perClass = new Array(10).fill(0);
    for (const l of ds.labels!) perClass[l]++;
    expect(perClass).toEqual(new Array(10).fill(1000));
    expect(ds.labels![0]).toBe(9); // the first test item is an ankle boot
  });
  it.skipIf(!present)('naming the train images file picks that pair', async () => {
    const ds = await openDataset(readPathAsFiles(`${FASHION}/train-images-idx3-ubyte.gz`));
    expect(ds.images.length).toBe(60000);
    expect(ds.name).toBe('train');
  });
  if (!present) it.skip(`Fashion-MNIST is not installed at ${FASHION} (apt-get install dataset-fashion-mnist)`, () => {});
});
