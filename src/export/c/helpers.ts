// The small static C functions the generated kernels call; only those used are emitted (an
// unused static function would trip -Wall -Werror). None shifts a negative number: C leaves
// `>>` of negative values implementation-defined and `<<` of them undefined, so right shifts go
// through unsigned arithmetic on an offset value and left shifts are multiplications.

const ARITH: Record<string, { text: string }> = {
  fxp_sr32: {
    text: `/* shiftRound(a, s) = floor((a + 2^(s-1)) / 2^s) for 1 <= s <= 31 (DESIGN.md section 4: half rounds up).
   Computed on a + 2^31 as unsigned, so the result is well defined for negative a. Callers guarantee
   a + 2^(s-1) <= INT32_MAX. */
static int32_t fxp_sr32(int32_t a, int s)
{
    const uint32_t u = (uint32_t)a + UINT32_C(0x80000000) + ((uint32_t)1 << (s - 1));
    return (int32_t)(u >> s) - (int32_t)(UINT32_C(0x80000000) >> s);
}`,
  },
  fxp_sr64: {
    text: `/* shiftRound(a, s) for 1 <= s <= 63, as fxp_sr32 in 64 bits. Callers guarantee a + 2^(s-1) <= INT64_MAX. */
static int64_t fxp_sr64(int64_t a, int s)
{
    const uint64_t u = (uint64_t)a + UINT64_C(0x8000000000000000) + ((uint64_t)1 << (s - 1));
    return (int64_t)(u >> s) - (int64_t)(UINT64_C(0x8000000000000000) >> s);
}`,
  },
  fxp_shl32: {
    text: `/* a * 2^k for 0 <= k <= 30: a left shift that is defined for negative a. Callers guarantee no overflow. */
static int32_t fxp_shl32(int32_t a, int k)
{
    return a * ((int32_t)1 << k);
}`,
  },
  fxp_shl64: {
    text: `/* a * 2^k for 0 <= k <= 62, as fxp_shl32 in 64 bits. */
static int64_t fxp_shl64(int64_t a, int k)
{
    return a * ((int64_t)1 << k);
}`,
  },
  fxp_fdiv32: {
    text: `/* floor(a / b) for b > 0 (C99 division truncates toward zero). */
static int32_t fxp_fdiv32(int32_t a, int32_t b)
{
    const int32_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}`,
  },
  fxp_fdiv64: {
    text: `/* floor(a / b) for b > 0, in 64 bits. */
static int64_t fxp_fdiv64(int64_t a, int64_t b)
{
    const int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}`,
  },
};

// Readers of the packed parameter streams (storage.ts): value i occupies stream bits
// [i·bits, (i+1)·bits), bit k of the stream being bit k mod 8 of byte k/8. They read only the bytes
// that hold the value, so an array needs no padding after its last value.
const BITS_READERS: Record<string, { text: string }> = {
  fxp_bits_s: {
    text: `/* Value i of a packed stream of signed (two's complement) integers of 1 <= bits <= 16. */
static int32_t fxp_bits_s(const uint8_t *src, uint32_t i, int bits)
{
    const uint32_t bit = i * (uint32_t)bits;
    const uint8_t *p = src + (bit >> 3);
    const int lo = (int)(bit & 7u);
    const uint32_t sign = (uint32_t)1 << (bits - 1);
    uint32_t w = p[0];
    if (lo + bits > 8) w |= (uint32_t)p[1] << 8;
    if (lo + bits > 16) w |= (uint32_t)p[2] << 16;
    return (int32_t)(((w >> lo) & ((sign << 1) - 1u)) ^ sign) - (int32_t)sign;
}`,
  },
  fxp_bits_u: {
    text: `/* Value i of a packed stream of unsigned integers of 1 <= bits <= 16. */
static int32_t fxp_bits_u(const uint8_t *src, uint32_t i, int bits)
{
    const uint32_t bit = i * (uint32_t)bits;
    const uint8_t *p = src + (bit >> 3);
    const int lo = (int)(bit & 7u);
    uint32_t w = p[0];
    if (lo + bits > 8) w |= (uint32_t)p[1] << 8;
    if (lo + bits > 16) w |= (uint32_t)p[2] << 16;
    return (int32_t)((w >> lo) & (((uint32_t)1 << bits) - 1u));
}`,
  },
  fxp_bits_s_wide: {
    text: `/* Value i of a packed stream of signed integers of 17 <= bits <= 31 (up to five bytes). */
static int32_t fxp_bits_s_wide(const uint8_t *src, uint32_t i, int bits)
{
    const uint32_t bit = i * (uint32_t)bits;
    const uint8_t *p = src + (bit >> 3);
    const int lo = (int)(bit & 7u);
    const uint64_t sign = (uint64_t)1 << (bits - 1);
    uint64_t w = p[0];
    for (int k = 1; 8 * k < lo + bits; ++k) w |= (uint64_t)p[k] << (8 * k);
    return (int32_t)((int64_t)(((w >> lo) & ((sign << 1) - 1u)) ^ sign) - (int64_t)sign);
}`,
  },
  fxp_bits_u_wide: {
    text: `/* Value i of a packed stream of unsigned integers of 17 <= bits <= 31. */
static int32_t fxp_bits_u_wide(const uint8_t *src, uint32_t i, int bits)
{
    const uint32_t bit = i * (uint32_t)bits;
    const uint8_t *p = src + (bit >> 3);
    const int lo = (int)(bit & 7u);
    uint64_t w = p[0];
    for (int k = 1; 8 * k < lo + bits; ++k) w |= (uint64_t)p[k] << (8 * k);
    return (int32_t)((w >> lo) & (((uint64_t)1 << bits) - 1u));
}`,
  },
};

/** A bit reader that unpacks a row of values into a buffer of `type`: each byte is loaded once. */
function unpacker(type: 'int8_t' | 'uint8_t' | 'int16_t' | 'uint16_t'): { text: string } {
  const signed = !type.startsWith('u');
  const name = `fxp_unpack_${type.replace(/_t$/, '')}`;
  return {
    text: `/* Values first .. first + n - 1 of a packed stream of ${signed ? 'signed' : 'unsigned'} integers of 1 <= bits <= 16, into dst.
   Reads each byte holding them once, and no byte after the last. */
static void ${name}(${type} *dst, const uint8_t *src, uint32_t first, int32_t n, int bits)
{
    const uint32_t bit = first * (uint32_t)bits;
    const uint8_t *p = src + (bit >> 3);
    const uint32_t mask = ((uint32_t)1 << bits) - 1u;${signed ? `
    const uint32_t sign = (uint32_t)1 << (bits - 1);` : ''}
    int have;
    uint32_t acc;
    if (n <= 0) return;
    have = 8 - (int)(bit & 7u);
    acc = (uint32_t)*p++ >> (bit & 7u);
    for (int32_t i = 0; i < n; ++i) {
        while (have < bits) {
            acc |= (uint32_t)*p++ << have;
            have += 8;
        }
        dst[i] = (${type})${signed ? '((int32_t)((acc & mask) ^ sign) - (int32_t)sign)' : '(acc & mask)'};
        acc >>= bits;
        have -= bits;
    }
}`,
  };
}

const UNPACKERS = {
  fxp_unpack_int8: unpacker('int8_t'),
  fxp_unpack_uint8: unpacker('uint8_t'),
  fxp_unpack_int16: unpacker('int16_t'),
  fxp_unpack_uint16: unpacker('uint16_t'),
};

const DEFS: Record<string, { text: string }> = { ...ARITH, ...BITS_READERS, ...UNPACKERS };

export type HelperName = 'fxp_sr32' | 'fxp_sr64' | 'fxp_shl32' | 'fxp_shl64' | 'fxp_fdiv32' | 'fxp_fdiv64'
  | 'fxp_bits_s' | 'fxp_bits_u' | 'fxp_bits_s_wide' | 'fxp_bits_u_wide' | keyof typeof UNPACKERS;

export class Helpers {
  private readonly used = new Set<string>();

  /** Marks a helper as used and returns its name. */
  use(name: HelperName): string {
    this.used.add(name);
    return name;
  }

  /** The helpers used, and called somewhere in `code` (an unused static function would not compile). */
  text(code: string): string {
    return Object.keys(DEFS).filter((k) => this.used.has(k) && new RegExp(`\\b${k}\\(`).test(code)).map((k) => DEFS[k].text).join('\n\n');
  }
}
