// The per-element arithmetic of DESIGN.md §4 as C statements: aligned bias/shift terms, the
// activation on the exact accumulator, and requantization with saturation. Each step knows a
// bound on the magnitude of its value and picks int32_t or int64_t from it; a value that could
// need more than 63 bits is refused (ExportError) rather than allowed to wrap.
import type { Format } from '../../core/format.ts';
import type { Activation } from '../../core/graph.ts';
import { reluCeilQ, slopeQ } from '../../core/quantize.ts';
import { ExportError } from '../files.ts';
import type { ArithType } from './ctype.ts';
import { absBig, arithFor, formatBounds, lit, MAX32, MAX64, maxBig, shiftRoundExact, storageType, typeMax } from './ctype.ts';
import type { Helpers } from './helpers.ts';

/** A C variable holding an exact integer whose magnitude is at most `bound`. */
export interface Val {
  name: string;
  type: ArithType;
  bound: bigint;
  /** Known to be ≥ 0 (after a relu): no lower clamp needed. */
  nonNegative?: boolean;
}

export function needArith(bound: bigint, what: string): ArithType {
  const t = arithFor(bound);
  if (!t) throw new ExportError(`${what} can reach ${bound} (${bound.toString(2).length} bits), beyond exact 64-bit arithmetic; choose formats whose fractional lengths are closer together`);
  return t;
}

const sr = (t: ArithType, h: Helpers) => h.use(t === 'int32_t' ? 'fxp_sr32' : 'fxp_sr64');
const shl = (t: ArithType, h: Helpers) => h.use(t === 'int32_t' ? 'fxp_shl32' : 'fxp_shl64');
const cast = (expr: string, from: ArithType | string, to: ArithType) => (from === to ? expr : `(${to})${expr}`);

/**
 * shiftRound(q[i], s) for an array element, as an expression of type `t`, with the exact
 * magnitude bound over the array's values; null when every term is 0.
 */
export function termExpr(
  element: string, elementType: string, q: ArrayLike<number>, s: number, shiftMacro: string, t: ArithType, h: Helpers, what: string,
): { expr: string | null; bound: bigint; terms: bigint[] } {
  const terms = Array.from(q, (v) => shiftRoundExact(BigInt(v), s));
  const bound = maxBig(terms.map(absBig));
  if (bound === 0n) return { expr: null, bound, terms };
  if (bound > typeMax(t)) throw new ExportError(`${what} needs ${bound.toString(2).length + 1} bits, beyond the accumulator`);
  const qMax = maxBig(Array.from(q, (v) => absBig(BigInt(v))));
  if (s > 0) {
    const ct = needArith(qMax + (1n << BigInt(s - 1)), what);
    return { expr: cast(`${sr(ct, h)}(${cast(element, elementType, ct)}, ${shiftMacro})`, ct, t), bound, terms };
  }
  if (s === 0) return { expr: cast(element, elementType, t), bound, terms };
  return { expr: `${shl(t, h)}(${cast(element, elementType, t)}, -${shiftMacro})`, bound, terms };
}

/** The activation applied in place to `v` (fractional bits `frac`); returns the new bound. */
export function emitActivation(L: string[], v: Val, a: Activation, frac: number, macroPrefix: string, defines: string[], h: Helpers): bigint {
  if (a.type === 'linear') return v.bound;
  if (a.type === 'relu') {
    L.push(`if (${v.name} < 0) ${v.name} = 0;`);
    v.nonNegative = true;
    const ceil = reluCeilQ(a, frac);
    if (ceil === null) return v.bound;
    if (ceil < 0n) throw new ExportError(`a relu ceiling of ${a.max} is negative`);
    if (ceil >= v.bound) return v.bound;
    defines.push(`#define ${macroPrefix}_RELU_MAX ${lit(ceil, v.type)} /* round(max * 2^${frac}) */`);
    L.push(`if (${v.name} > ${macroPrefix}_RELU_MAX) ${v.name} = ${macroPrefix}_RELU_MAX;`);
    return ceil;
  }
  const slope = BigInt(slopeQ(a.alpha));
  defines.push(`#define ${macroPrefix}_LEAKY_SLOPE ${slope} /* alpha as Q(16,15) */`);
  // |round(v * slope / 2^15)| <= |v| for |slope| <= 2^15, so the bound stays.
  const pt = needArith(v.bound * 32768n + 16384n, 'the leaky-relu product');
  const prod = pt === 'int32_t' ? `${v.name} * ${macroPrefix}_LEAKY_SLOPE` : `(int64_t)${v.name} * ${macroPrefix}_LEAKY_SLOPE`;
  L.push(`if (${v.name} < 0) ${v.name} = ${cast(`${sr(pt, h)}(${prod}, 15)`, pt, v.type)};`);
  return v.bound;
}

/** Clamp expression of `x` (bound `bound`, type t) to [lo, hi], comparing only where needed. */
function clamp(x: string, t: ArithType, bound: bigint, lo: bigint, hi: bigint, nonNegative = false): string {
  let e = x;
  if (bound > hi) e = `${x} > ${lit(hi, t)} ? ${lit(hi, t)} : ${e}`;
  if ((nonNegative ? 0n : -bound) < lo) e = `${x} < ${lit(lo, t)} ? ${lit(lo, t)} : ${e}`;
  return e;
}

/** dest = sat(shiftRound(v, s)) in format `out` (DESIGN.md §4 step 4). */
export function emitRequantStore(L: string[], v: Val, s: number, shiftMacro: string, out: Format, dest: string, h: Helpers): void {
  const { lo, hi } = formatBounds(out);
  const st = storageType(out);
  if (s > 0) {
    const half = 1n << BigInt(s - 1);
    if (v.bound < half) {
      // Every possible value rounds to 0: |v| < 2^(s-1).
      L.push(`(void)${v.name}; /* |value| < 2^(shift-1): it always rounds to 0 */`, `${dest} = 0;`);
      return;
    }
    if (v.bound + half > MAX64) throw new ExportError(`requantizing needs more than 64 bits`);
    const t: ArithType = v.bound + half <= typeMax(v.type) ? v.type : 'int64_t';
    const rb = (v.bound + half) >> BigInt(s);
    L.push(`{`, `    const ${t} r = ${sr(t, h)}(${cast(v.name, v.type, t)}, ${shiftMacro});`);
    L.push(`    ${dest} = (${st})(${clamp('r', t, rb, lo, hi, v.nonNegative)});`, `}`);
    return;
  }
  if (s === 0) {
    L.push(`${dest} = (${st})(${clamp(v.name, v.type, v.bound, lo, hi, v.nonNegative)});`);
    return;
  }
  const k = BigInt(-s);
  const hiPre = hi >> k;
  const loPre = -((-lo) >> k);
  let product: string;
  if (hiPre === 0n && loPre === 0n) product = '0';
  else {
    const pt: ArithType = -s <= 30 && (hi > -lo ? hi : -lo) <= MAX32 ? 'int32_t' : 'int64_t';
    product = `${shl(pt, h)}(${cast(v.name, v.type, pt)}, -${shiftMacro})`;
  }
  let e = product;
  if (v.bound > hiPre) e = `${v.name} > ${lit(hiPre, v.type)} ? ${lit(hi, v.type)} : ${e}`;
  if ((v.nonNegative ? 0n : -v.bound) < loPre) e = `${v.name} < ${lit(loPre, v.type)} ? ${lit(lo, v.type)} : ${e}`;
  if (e === '0') L.push(`(void)${v.name}; /* it always saturates or shifts to 0 */`);
  L.push(`${dest} = (${st})(${e});`);
}
