// Decoded images → model input (DESIGN.md §7): channel conversion, bilinear resize to the
// model's input size, then x = (pixel/255·(hi-lo) + lo - mean) / std. The split is split.ts.
import type { Shape3 } from './graph.ts';

/** Same shape as formats/types RawImage (core does not import formats). */
export interface Image8 {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  pixels: Uint8Array;
}

export interface PreprocessOptions {
  height: number;
  width: number;
  /** 1 = grey, 3 = RGB. */
  channels: 1 | 3;
  /** Value range a pixel of 0..255 maps to before mean/std; default [0, 1]. */
  range?: [number, number];
  /** Per-channel or single mean and standard deviation; defaults 0 and 1. */
  mean?: number | number[];
  std?: number | number[];
}

/**
 * Preprocessing target for a model input shape. A flat input [1, 1, N] (an MLP) takes the image
 * at its own size, flattened in H·W·C order, when N matches it (grey or RGB).
 */
export function inputTarget(shape: Shape3, sample?: Image8): Pick<PreprocessOptions, 'height' | 'width' | 'channels'> {
  const [h, w, c] = shape;
  if (h === 1 && w === 1 && c > 4) {
    if (sample && sample.width * sample.height === c) return { height: sample.height, width: sample.width, channels: 1 };
    if (sample && sample.width * sample.height * 3 === c) return { height: sample.height, width: sample.width, channels: 3 };
    const side = Math.round(Math.sqrt(c));
    if (side * side === c) return { height: side, width: side, channels: 1 };
    const rgb = Math.round(Math.sqrt(c / 3));
    if (rgb * rgb * 3 === c) return { height: rgb, width: rgb, channels: 3 };
    throw new Error(`the model takes a vector of ${c} values, which is no square grey or RGB image`);
  }
  if (c !== 1 && c !== 3) throw new Error(`the model input has ${c} channels; only grey (1) or RGB (3) images are supported`);
  return { height: h, width: w, channels: c };
}

const perChannel = (v: number | number[] | undefined, c: number, def: number): number[] =>
  v === undefined ? new Array(c).fill(def) : typeof v === 'number' ? new Array(c).fill(v) : v.length === 1 ? new Array(c).fill(v[0]) : v;

/** Pixels 0..255 as floats with the wanted channel count (grey by ITU-R 601 luma, alpha dropped). */
function toChannels(img: Image8, channels: 1 | 3): Float32Array {
  const n = img.width * img.height;
  const src = img.pixels;
  const out = new Float32Array(n * channels);
  const sc = img.channels;
  if (sc === 1) {
    for (let i = 0; i < n; i++) for (let k = 0; k < channels; k++) out[i * channels + k] = src[i];
  } else if (channels === 3) {
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) out[i * 3 + k] = src[i * sc + k];
  } else {
    for (let i = 0; i < n; i++) out[i] = 0.299 * src[i * sc] + 0.587 * src[i * sc + 1] + 0.114 * src[i * sc + 2];
  }
  return out;
}

/**
 * Bilinear resize with half-pixel centres (OpenCV's INTER_LINEAR, PIL and TensorFlow 2's
 * tf.image.resize for upscaling); same size is an exact copy.
 */
export function resizeBilinear(src: Float32Array, ih: number, iw: number, c: number, oh: number, ow: number): Float32Array {
  if (ih === oh && iw === ow) return src;
  const out = new Float32Array(oh * ow * c);
  const sy = ih / oh, sx = iw / ow;
  for (let y = 0; y < oh; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), ih - 1);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, ih - 1), wy = fy - y0;
    for (let x = 0; x < ow; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), iw - 1);
      const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, iw - 1), wx = fx - x0;
      for (let k = 0; k < c; k++) {
        const a = src[(y0 * iw + x0) * c + k], b = src[(y0 * iw + x1) * c + k];
        const d = src[(y1 * iw + x0) * c + k], e = src[(y1 * iw + x1) * c + k];
        out[(y * ow + x) * c + k] = (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy;
      }
    }
  }
  return out;
}

/** One image → H×W×C floats, written into `out` at `offset` when given. */
export function preprocessImage(img: Image8, o: PreprocessOptions, out?: Float32Array, offset = 0): Float32Array {
  const c = o.channels;
  const size = o.height * o.width * c;
  const dst = out ?? new Float32Array(size);
  const resized = resizeBilinear(toChannels(img, c), img.height, img.width, c, o.height, o.width);
  const [lo, hi] = o.range ?? [0, 1];
  const mean = perChannel(o.mean, c, 0);
  const std = perChannel(o.std, c, 1);
  const a = new Array<number>(c), b = new Array<number>(c);
  for (let k = 0; k < c; k++) {
    a[k] = (hi - lo) / 255 / std[k];
    b[k] = (lo - mean[k]) / std[k];
  }
  for (let i = 0; i < size; i++) dst[offset + i] = resized[i] * a[i % c] + b[i % c];
  return dst;
}

/** N images → one N×H×W×C Float32Array. */
export function preprocessImages(images: Image8[], o: PreprocessOptions): Float32Array {
  const size = o.height * o.width * o.channels;
  const out = new Float32Array(images.length * size);
  images.forEach((img, i) => preprocessImage(img, o, out, i * size));
  return out;
}
