// A tensor's float values binned, and what a fixed-point format does to them: how many it
// saturates at either end and how many non-zero values it rounds to zero. The per-layer view
// draws the format's range and step over these bins.
import type { Format } from './format.ts';
import { formatRange } from './format.ts';

export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
}

export interface TensorHistogram {
  /** `layer.slot`, e.g. `conv1.weights`. */
  name: string;
  /** Values binned. */
  count: number;
  /** For activations: how many search images they come from (null for parameters). */
  images: number | null;
  min: number;
  max: number;
  bins: HistogramBin[];
  format: Format | null;
  /** Values the format saturates at its smallest and at its largest value. */
  clippedLow: number;
  clippedHigh: number;
  /** Non-zero values the format rounds to zero. */
  toZero: number;
}

export function histogram(name: string, values: ArrayLike<number>, format: Format | null, images: number | null = null, binCount = 48): TensorHistogram {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(values.length > 0)) min = max = 0;
  // A constant tensor still gets one bin of some width.
  const span = max > min ? max - min : Math.max(Math.abs(max), 1e-6);
  const width = span / binCount;
  const bins: HistogramBin[] = Array.from({ length: binCount }, (_, k) => ({ x0: min + k * width, x1: min + (k + 1) * width, count: 0 }));
  let clippedLow = 0;
  let clippedHigh = 0;
  let toZero = 0;
  const [lo, hi] = format ? formatRange(format) : [0, 0];
  const scale = format ? 2 ** format.frac : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    bins[Math.min(binCount - 1, Math.floor((v - min) / width))].count++;
    if (!format) continue;
    const q = Math.floor(v * scale + 0.5);
    if (q < lo) clippedLow++;
    else if (q > hi) clippedHigh++;
    else if (q === 0 && v !== 0) toZero++;
  }
  return { name, count: values.length, images, min, max, bins, format, clippedLow, clippedHigh, toZero };
}
