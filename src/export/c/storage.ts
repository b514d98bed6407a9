// How a parameter tensor lives in flash. Widths of 8, 16 and 32 bits keep plain int8_t, int16_t
// and int32_t arrays (unsigned alike); every other width is a packed bit stream of
// ceil(bits·count/8) bytes in the layout of bitpack.ts (LSB first, two's complement), so the
// constant data is what the cost model counts (DESIGN.md §5). Kernels read packed values through
// the fxp_bits_* helpers, or unpack one row at a time into a stack buffer.
import type { Format } from '../../core/format.ts';
import { packBits, packedBytes } from '../bitpack.ts';
import { cArray } from './arrays.ts';
import type { StorageType } from './ctype.ts';
import { storageType } from './ctype.ts';
import type { HelperName, Helpers } from './helpers.ts';

export const BYTES: Record<StorageType, number> = { int8_t: 1, uint8_t: 1, int16_t: 2, uint16_t: 2, int32_t: 4, uint32_t: 4 };

export interface StoredParam {
  /** C array name. */
  name: string;
  format: Format;
  count: number;
  packed: boolean;
  /** Bytes of the array in flash. */
  bytes: number;
  /** Type of one value once read: the smallest C type of the format. */
  valueType: StorageType;
  /** Type of the expression `at` returns: valueType for a plain array, int32_t for a packed one. */
  exprType: StorageType;
  /** The static const array. */
  decl: string;
  /** C expression reading value `index` (an int32_t expression). */
  at(index: string): string;
  /** For a packed array of at most 16 bits: the statement unpacking `count` values from `first` into `buffer`. */
  unpack?(buffer: string, first: string, count: string): string;
}

/** Plain arrays only where the width is exactly a C type's. */
export const isPacked = (f: Format): boolean => f.bits !== 8 && f.bits !== 16 && f.bits !== 32;

/**
 * The array `name` of `values` (already in the kernel's read order) in format `f`. `bitsMacro`
 * names the #define holding f.bits, so the generated code reads as the header describes.
 */
export function storeParam(name: string, values: ArrayLike<number>, f: Format, comment: string, bitsMacro: string, h: Helpers): StoredParam {
  const valueType = storageType(f);
  const count = values.length;
  if (!isPacked(f)) {
    return {
      name, format: f, count, packed: false, bytes: count * BYTES[valueType], valueType, exprType: valueType,
      decl: cArray(name, valueType, values, comment),
      at: (index) => `${name}[${index}]`,
    };
  }
  const bytes = packedBytes(f.bits, count);
  const data = new Uint8Array(bytes);
  packBits(values, f, data);
  const reader = f.bits <= 16 ? (f.signed ? 'fxp_bits_s' : 'fxp_bits_u') : (f.signed ? 'fxp_bits_s_wide' : 'fxp_bits_u_wide');
  return {
    name, format: f, count, packed: true, bytes, valueType, exprType: 'int32_t',
    decl: cArray(name, 'uint8_t', data, `${comment}; packed, ${f.bits} bits a value`),
    at: (index) => `${h.use(reader)}(${name}, (uint32_t)${/^\w+$/.test(index) ? index : `(${index})`}, ${bitsMacro})`,
    unpack: f.bits > 16 ? undefined : (buffer, first, count) => {
      const fn = h.use(`fxp_unpack_${valueType.replace(/_t$/, '')}` as HelperName);
      return `${fn}(${buffer}, ${name}, (uint32_t)${/^\w+$/.test(first) ? first : `(${first})`}, ${count}, ${bitsMacro});`;
    },
  };
}

/**
 * Statements that make `ptr` point at `count` consecutive values of `p` from index `first`: into
 * the array itself when plain, else unpacked into `buffer` (declared by the caller with
 * p.valueType and at least `count` elements).
 */
export function rowPointer(p: StoredParam, ptr: string, first: string, count: string, buffer: string): string[] {
  if (!p.packed) return [`const ${p.valueType} *${ptr} = ${p.name} + ${first};`];
  if (p.unpack) return [p.unpack(buffer, first, count), `const ${p.valueType} *${ptr} = ${buffer};`];
  return [
    `for (int32_t j = 0; j < ${count}; ++j) ${buffer}[j] = (${p.valueType})${p.at(`${first} + j`)};`,
    `const ${p.valueType} *${ptr} = ${buffer};`,
  ];
}
