// Names from model files are untrusted text. Generated code and tfjs layer names only ever use
// identifiers reduced to [A-Za-z0-9_]: no leading digit, no leading, trailing or doubled
// underscore (so `__x` and `_X`, reserved in C, cannot appear, and a fixed suffix like `_W_FRAC`
// can never make two names collide), lower case, unique (case-insensitively, since macros use
// the upper-case form).

export interface IdentifierOptions {
  /** Used when nothing is left after sanitising. */
  fallback: string;
  /** Longest identifier, counting a uniqueness suffix. */
  maxLength: number;
}

export function sanitizeIdentifier(raw: string, o: IdentifierOptions): string {
  let s = raw.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();
  if (s === '') s = o.fallback;
  if (/^[0-9]/.test(s)) s = `n${s}`;
  return trimTo(s, o.maxLength);
}

const trimTo = (s: string, n: number): string => s.slice(0, n).replace(/_+$/, '') || s.slice(0, 1);

/** Sanitised identifiers for `names`, made unique by suffixes _2, _3, … in order of appearance. */
export function uniqueIdentifiers(names: readonly string[], o: IdentifierOptions, reserved: readonly string[] = []): string[] {
  const used = new Set(reserved.map((r) => r.toLowerCase()));
  return names.map((name) => {
    const base = sanitizeIdentifier(name, o);
    let id = base;
    for (let k = 2; used.has(id); k++) {
      const suffix = `_${k}`;
      id = `${trimTo(base, o.maxLength - suffix.length)}${suffix}`;
    }
    used.add(id);
    return id;
  });
}
