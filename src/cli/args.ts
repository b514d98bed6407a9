// Argument parsing for `fixpoint` (DESIGN.md §8). Unknown flags and malformed values are
// usage errors: exit status 2 with one line on stderr.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  command: string;
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], known: Record<string, 'value' | 'switch'>): ParsedArgs {
  const [command = 'help', ...rest] = argv;
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"; flags start with --`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const kind = known[name];
    if (!kind) throw new UsageError(`unknown flag --${name} for "fixpoint ${command}"; see fixpoint help`);
    if (kind === 'switch') {
      flags.set(name, true);
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : rest[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { command, flags };
}

export function numberFlag(flags: ParsedArgs['flags'], name: string, def: number, check?: (v: number) => boolean): number {
  const v = flags.get(name);
  if (v === undefined) return def;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || (check && !check(n))) throw new UsageError(`--${name} got "${String(v)}", which is not a valid value`);
  return n;
}

export function stringFlag(flags: ParsedArgs['flags'], name: string): string | undefined {
  const v = flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}

/** "a,b" or "a" → numbers; used by --range, --mean, --std. */
export function numberListFlag(flags: ParsedArgs['flags'], name: string, lengths: number[]): number[] | undefined {
  const v = stringFlag(flags, name);
  if (v === undefined) return undefined;
  const parts = v.split(',').map(Number);
  if (!lengths.includes(parts.length) || parts.some((n) => !Number.isFinite(n))) {
    throw new UsageError(`--${name} got "${v}"; expected ${lengths.join(' or ')} comma-separated numbers`);
  }
  return parts;
}
