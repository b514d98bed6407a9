// Fixed-point formats and the quantization arithmetic of DESIGN.md §4 (normative).

/** Q(bits, frac, signed): an integer q meaning q·2^-frac. */
export interface Format {
  bits: number;
  frac: number;
  signed: boolean;
}

export function formatRange(f: Format): [number, number] {
  return f.signed ? [-(2 ** (f.bits - 1)), 2 ** (f.bits - 1) - 1] : [0, 2 ** f.bits - 1];
}

/** q = sat(floor(x·2^frac + 0.5)): round half up, then saturate. */
export function quantizeValue(x: number, f: Format): number {
  const [lo, hi] = formatRange(f);
  const q = Math.floor(x * 2 ** f.frac + 0.5);
  return q < lo ? lo : q > hi ? hi : q;
}

export function dequantizeValue(q: number, f: Format): number {
  return q * 2 ** -f.frac;
}

/** No-clipping fractional length for a tensor whose largest magnitude is maxAbs (DESIGN.md §5). */
export function noClipFrac(maxAbs: number, bits: number, signed = true): number {
  if (!(maxAbs > 0)) return bits - (signed ? 1 : 0);
  return bits - (signed ? 1 : 0) - Math.ceil(Math.log2(maxAbs));
}

export const formatToString = (f: Format): string => `Q${f.signed ? '' : 'u'}(${f.bits},${f.frac})`;
