// Fixed-point formats as a person reads them. Q-notation (Qm.n: m integer and n fractional
// bits, plus a sign bit; UQ without one) where it applies; otherwise the width and the step,
// since `Q4.-1` or `u2.-1` mean nothing to most readers.
import type { Format } from '../../core/format.ts';
import { formatRange } from '../../core/format.ts';

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
const pow2 = (e: number): string => (e >= 0 && e <= 10 ? String(2 ** e) : `2${String(e).replace(/./g, (c) => SUPERSCRIPT[c])}`);

/** A value that may be tiny or huge, short. */
export const num = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : String(+x.toPrecision(4)));

/** `Q3.4 (8 bits)`, `UQ0.8 (8 bits)`, or `3 bits, step 2` when Q-notation does not fit. */
export function formatLabel(f: Format | null | undefined): string {
  if (!f) return 'float32';
  const int = f.bits - (f.signed ? 1 : 0) - f.frac;
  if (f.frac >= 0 && int >= 0) return `${f.signed ? 'Q' : 'UQ'}${int}.${f.frac} (${f.bits} bits)`;
  return `${f.bits} bits${f.signed ? '' : ' unsigned'}, step ${pow2(-f.frac)}`;
}

/** Everything about a format in one sentence, for titles and tooltips. */
export function formatDetail(f: Format | null | undefined): string {
  if (!f) return 'float32, not quantized';
  const [lo, hi] = formatRange(f);
  const step = 2 ** -f.frac;
  return `${f.bits} bits, ${f.signed ? 'signed' : 'unsigned'}, ${f.frac} fractional: step ${num(step)}, range ${num(lo * step)} … ${num(hi * step)}`;
}

export const FORMAT_LEGEND = 'Qm.n: m integer bits and n fractional bits plus a sign bit; UQ: unsigned, no sign bit. The step is 2^-n; where m or n would be negative the width and the step are given instead. Hover a format for its range.';
