// Straightforward NCHW implementations of the ONNX operators, written from the ONNX operator
// specification and independent of the importer: tests compare our NHWC graph against them.
// Batch 1 throughout; tensors are [C,H,W] (spatial) or flat vectors.

export interface T3 { c: number; h: number; w: number; data: Float64Array }

export const t3 = (c: number, h: number, w: number, data: ArrayLike<number>): T3 => ({ c, h, w, data: Float64Array.from(data) });
export const at = (t: T3, c: number, y: number, x: number): number => t.data[(c * t.h + y) * t.w + x];

export interface ConvOpts {
  strides?: [number, number];
  dilations?: [number, number];
  /** ONNX order: [h_begin, w_begin, h_end, w_end]. */
  pads?: [number, number, number, number];
  group?: number;
}

/** Y[m,oy,ox] = B[m] + Σ W[m,ci,ky,kx]·X[g·C/G + ci, oy·s - p + ky·d, ...] (zero outside). */
export function conv(x: T3, w: ArrayLike<number>, wDims: number[], bias: ArrayLike<number> | null, o: ConvOpts = {}): T3 {
  const [m, cg, kh, kw] = wDims;
  const [sh, sw] = o.strides ?? [1, 1];
  const [dh, dw] = o.dilations ?? [1, 1];
  const [pt, pl, pb, pr] = o.pads ?? [0, 0, 0, 0];
  const group = o.group ?? 1;
  const oh = Math.floor((x.h + pt + pb - ((kh - 1) * dh + 1)) / sh) + 1;
  const ow = Math.floor((x.w + pl + pr - ((kw - 1) * dw + 1)) / sw) + 1;
  const out = new Float64Array(m * oh * ow);
  const perGroup = m / group;
  for (let mo = 0; mo < m; mo++) {
    const g = Math.floor(mo / perGroup);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let s = bias ? bias[mo] : 0;
        for (let ci = 0; ci < cg; ci++) {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * sh - pt + ky * dh;
              const ix = ox * sw - pl + kx * dw;
              if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
              s += w[((mo * cg + ci) * kh + ky) * kw + kx] * at(x, g * cg + ci, iy, ix);
            }
          }
        }
        out[(mo * oh + oy) * ow + ox] = s;
      }
    }
  }
  return { c: m, h: oh, w: ow, data: out };
}

export interface PoolOpts {
  kernel: [number, number];
  strides?: [number, number];
  pads?: [number, number, number, number];
  ceil?: boolean;
  countIncludePad?: boolean;
}

/** Output size as PyTorch documents it (and ONNX follows): the last window must start inside input or left padding. */
function poolOut(size: number, k: number, s: number, pb: number, pe: number, ceil: boolean): number {
  let out = (ceil ? Math.ceil : Math.floor)((size + pb + pe - k) / s) + 1;
  if (ceil && (out - 1) * s >= size + pb) out--;
  return out;
}

export function pool(x: T3, kind: 'max' | 'avg', o: PoolOpts): T3 {
  const [kh, kw] = o.kernel;
  const [sh, sw] = o.strides ?? [1, 1];
  const [pt, pl, pb, pr] = o.pads ?? [0, 0, 0, 0];
  const oh = poolOut(x.h, kh, sh, pt, pb, !!o.ceil);
  const ow = poolOut(x.w, kw, sw, pl, pr, !!o.ceil);
  const out = new Float64Array(x.c * oh * ow);
  for (let c = 0; c < x.c; c++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const y0 = oy * sh - pt;
        const x0 = ox * sw - pl;
        let best = -Infinity;
        let sum = 0;
        let real = 0;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const iy = y0 + ky;
            const ix = x0 + kx;
            if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
            const v = at(x, c, iy, ix);
            best = Math.max(best, v);
            sum += v;
            real++;
          }
        }
        // count_include_pad counts the window clipped to the padded input, not beyond it.
        const padded = (Math.min(y0 + kh, x.h + pb) - Math.max(y0, -pt)) * (Math.min(x0 + kw, x.w + pr) - Math.max(x0, -pl));
        out[(c * oh + oy) * ow + ox] = kind === 'max' ? best : sum / (o.countIncludePad ? padded : real);
      }
    }
  }
  return { c: x.c, h: oh, w: ow, data: out };
}

export const globalPool = (x: T3, kind: 'max' | 'avg'): T3 => pool(x, kind, { kernel: [x.h, x.w] });

export function map3(x: T3, f: (v: number, c: number) => number): T3 {
  const hw = x.h * x.w;
  return { ...x, data: x.data.map((v, i) => f(v, Math.floor(i / hw))) };
}

export const relu = (v: number): number => Math.max(0, v);

export function batchNorm(x: T3, scale: ArrayLike<number>, bias: ArrayLike<number>, mean: ArrayLike<number>, variance: ArrayLike<number>, eps = 1e-5): T3 {
  return map3(x, (v, c) => scale[c] * (v - mean[c]) / Math.sqrt(variance[c] + eps) + bias[c]);
}

export function add(a: T3, b: T3): T3 {
  return { ...a, data: a.data.map((v, i) => v + b.data[i]) };
}

export function concat(ts: T3[]): T3 {
  const data = new Float64Array(ts.reduce((s, t) => s + t.data.length, 0));
  let k = 0;
  for (const t of ts) { data.set(t.data, k); k += t.data.length; }
  return { c: ts.reduce((s, t) => s + t.c, 0), h: ts[0].h, w: ts[0].w, data };
}

export function pad(x: T3, [pt, pl, pb, pr]: [number, number, number, number]): T3 {
  const h = x.h + pt + pb;
  const w = x.w + pl + pr;
  const data = new Float64Array(x.c * h * w);
  for (let c = 0; c < x.c; c++) for (let y = 0; y < x.h; y++) for (let xx = 0; xx < x.w; xx++) data[(c * h + y + pt) * w + xx + pl] = at(x, c, y, xx);
  return { c: x.c, h, w, data };
}

/** Y = alpha·A·op(B) + beta·C for a single row A; B is [K,N] ([N,K] with transB). */
export function gemm(a: ArrayLike<number>, b: ArrayLike<number>, k: number, n: number, c: ArrayLike<number> | null,
  o: { transB?: boolean; alpha?: number; beta?: number } = {}): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += a[i] * (o.transB ? b[j * k + i] : b[i * n + j]);
    out[j] = (o.alpha ?? 1) * s + (c ? (o.beta ?? 1) * (c.length === 1 ? c[0] : c[j]) : 0);
  }
  return out;
}

/** NCHW image as our NHWC input. */
export function toNhwc(x: T3): Float32Array {
  const out = new Float32Array(x.data.length);
  for (let c = 0; c < x.c; c++) for (let y = 0; y < x.h; y++) for (let xx = 0; xx < x.w; xx++) out[(y * x.w + xx) * x.c + c] = at(x, c, y, xx);
  return out;
}

/** Our NHWC node output back to NCHW for comparison. */
export function fromNhwc(v: ArrayLike<number>, [h, w, c]: [number, number, number]): T3 {
  const data = new Float64Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) data[(ch * h + y) * w + x] = v[(y * w + x) * c + ch];
  return { c, h, w, data };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
