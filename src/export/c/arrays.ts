// Static const arrays of quantized parameters, and the reorderings that make each kernel's
// inner loop read its weights contiguously.
import type { StorageType } from './ctype.ts';
import { elementLit } from './ctype.ts';

export function cArray(name: string, type: StorageType, values: ArrayLike<number>, comment: string): string {
  const rows: string[] = [];
  for (let i = 0; i < values.length; i += 16) {
    const row: string[] = [];
    for (let k = i; k < Math.min(values.length, i + 16); k++) row.push(elementLit(values[k], type));
    rows.push(`    ${row.join(', ')}`);
  }
  return `/* ${comment} */\nstatic const ${type} ${name}[${values.length}] = {\n${rows.join(',\n')}\n};`;
}

/** conv2d HWIO [kh, kw, cin, cout] → [cout][kh][kw][cin]. */
export function convWeightsOHWI(q: ArrayLike<number>, [kh, kw, cin, cout]: readonly number[]): number[] {
  const out = new Array<number>(q.length);
  for (let o = 0; o < cout; o++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < cin; c++) {
    out[((o * kh + y) * kw + x) * cin + c] = q[((y * kw + x) * cin + c) * cout + o];
  }
  return out;
}

/** depthwise [kh, kw, cin, mult] → [cin·mult][kh][kw] (output channel o = c·mult + m). */
export function depthwiseWeightsOHW(q: ArrayLike<number>, [kh, kw, cin, mult]: readonly number[]): number[] {
  const cout = cin * mult;
  const out = new Array<number>(q.length);
  for (let o = 0; o < cout; o++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out[(o * kh + y) * kw + x] = q[(y * kw + x) * cout + o];
  }
  return out;
}

/** dense [in, out] → [out][in]. */
export function denseWeightsOI(q: ArrayLike<number>, [nIn, nOut]: readonly number[]): number[] {
  const out = new Array<number>(q.length);
  for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) out[o * nIn + i] = q[i * nOut + o];
  return out;
}
