// Formats a person fixed by hand: every configuration a search scores carries them, and the
// methods never search those tensors. Applying them at the scorer keeps the methods unaware.
import type { QuantConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import type { TensorRef, TensorSlot } from '../core/tensors.ts';
import { getFormat, withFormat } from '../core/tensors.ts';

export interface LockedFormat {
  node: number;
  slot: TensorSlot;
  format: Format;
}

const same = (a: Format | null, b: Format): boolean => !!a && a.bits === b.bits && a.frac === b.frac && a.signed === b.signed;

/** `c` with every locked format in place (`c` itself when nothing changes). */
export function applyLocks(c: QuantConfig, locks: readonly LockedFormat[]): QuantConfig {
  let out = c;
  for (const l of locks) if (!same(getFormat(out, l), l.format)) out = withFormat(out, l, l.format);
  return out;
}

/** The tensors a search still decides. */
export function unlockedTensors(tensors: TensorRef[], locks: readonly LockedFormat[]): TensorRef[] {
  return tensors.filter((t) => !locks.some((l) => l.node === t.node && l.slot === t.slot));
}

/** Refuses a lock a search could not honour, with a message that names it. */
export function checkLocks(tensors: TensorRef[], locks: readonly LockedFormat[]): void {
  for (const l of locks) {
    const t = tensors.find((x) => x.node === l.node && x.slot === l.slot);
    if (!t) throw new Error(`a locked format names node ${l.node} ${l.slot}, which has no format to lock`);
    const { bits, frac } = l.format;
    if (!Number.isInteger(bits) || bits < 1 || bits > t.maxBits) throw new Error(`${t.name}: locked at ${bits} bits; use 1 to ${t.maxBits}`);
    if (!Number.isInteger(frac)) throw new Error(`${t.name}: the fractional length must be a whole number, got ${frac}`);
  }
}
