// The small static C functions the generated kernels call; only those used are emitted (an
// unused static function would trip -Wall -Werror). None shifts a negative number: C leaves
// `>>` of negative values implementation-defined and `<<` of them undefined, so right shifts go
// through unsigned arithmetic on an offset value and left shifts are multiplications.

const DEFS: Record<string, { text: string }> = {
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

export class Helpers {
  private readonly used = new Set<string>();

  /** Marks a helper as used and returns its name. */
  use(name: 'fxp_sr32' | 'fxp_sr64' | 'fxp_shl32' | 'fxp_shl64' | 'fxp_fdiv32' | 'fxp_fdiv64'): string {
    this.used.add(name);
    return name;
  }

  text(): string {
    return Object.keys(DEFS).filter((k) => this.used.has(k)).map((k) => DEFS[k].text).join('\n\n');
  }
}
