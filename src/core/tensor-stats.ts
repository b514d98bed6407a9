// Value statistics of weights and activations: range, largest magnitude (for no-clipping
// fractional lengths, format.ts noClipFrac) and a log2 histogram of magnitudes, which shows
// how many values a given frac would clip or flush to zero.

/** Histogram bins: bin b counts |x| in [2^(b + HIST_MIN_EXP), 2^(b + 1 + HIST_MIN_EXP)). */
export const HIST_MIN_EXP = -32;
export const HIST_BINS = 48;

export interface TensorStats {
  count: number;
  min: number;
  max: number;
  maxAbs: number;
  zeros: number;
  /** Non-zero magnitudes by power of two; the first and last bins also hold everything beyond. */
  log2Histogram: Uint32Array;
}

export function emptyStats(): TensorStats {
  return { count: 0, min: Infinity, max: -Infinity, maxAbs: 0, zeros: 0, log2Histogram: new Uint32Array(HIST_BINS) };
}

/** Writes a loop's running figures back (the two loops below keep them in locals for speed). */
function settle(into: TensorStats, n: number, min: number, max: number, maxAbs: number, zeros: number): TensorStats {
  into.count += n;
  into.min = min;
  into.max = max;
  into.maxAbs = maxAbs;
  into.zeros = zeros;
  return into;
}

/** Adds values to running statistics (returns `into`). */
export function accumulateStats(values: ArrayLike<number>, into: TensorStats = emptyStats()): TensorStats {
  if (values instanceof Float32Array) return accumulateF32(values, into);
  let { min, max, maxAbs, zeros } = into;
  const h = into.log2Histogram;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a === 0) { zeros++; continue; }
    const b = Math.floor(Math.log2(a)) - HIST_MIN_EXP;
    h[b < 0 ? 0 : b >= HIST_BINS ? HIST_BINS - 1 : b]++;
  }
  return settle(into, values.length, min, max, maxAbs, zeros);
}

/**
 * The same for float32 values, reading floor(log2|x|) from the exponent bits instead of calling
 * Math.log2 per value (most of the time of statistics over a model's activations). Equal: a
 * float32 below a power of two is far enough below it that Math.log2 in double precision never
 * rounds up to it; subnormals (exponent field 0) land in the first bin either way.
 */
function accumulateF32(values: Float32Array, into: TensorStats): TensorStats {
  let { min, max, maxAbs, zeros } = into;
  const h = into.log2Histogram;
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a === 0) { zeros++; continue; }
    if (Number.isNaN(a)) continue; // no bin (Math.log2 gives none either)
    const b = ((bits[i] >>> 23) & 0xff) - 127 - HIST_MIN_EXP;
    h[b < 0 ? 0 : b >= HIST_BINS ? HIST_BINS - 1 : b]++;
  }
  return settle(into, values.length, min, max, maxAbs, zeros);
}

export const tensorStats = (values: ArrayLike<number>): TensorStats => accumulateStats(values);
