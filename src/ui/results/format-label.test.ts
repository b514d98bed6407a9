import { describe, expect, it } from 'vitest';
import { formatDetail, formatLabel } from './format-label.ts';

describe('format labels', () => {
  it('uses Q-notation where it fits', () => {
    expect(formatLabel({ bits: 8, frac: 4, signed: true })).toBe('Q3.4 (8 bits)');
    expect(formatLabel({ bits: 8, frac: 8, signed: false })).toBe('UQ0.8 (8 bits)');
    expect(formatLabel({ bits: 8, frac: 7, signed: true })).toBe('Q0.7 (8 bits)');
    expect(formatLabel(null)).toBe('float32');
  });

  it('says width and step when the integer or fractional part would be negative', () => {
    expect(formatLabel({ bits: 2, frac: -1, signed: false })).toBe('2 bits unsigned, step 2');
    expect(formatLabel({ bits: 4, frac: 9, signed: true })).toBe('4 bits, step 2⁻⁹');
    expect(formatLabel({ bits: 4, frac: -12, signed: true })).toBe('4 bits, step 2¹²');
  });

  it('details the step and range', () => {
    expect(formatDetail({ bits: 8, frac: 4, signed: true })).toBe('8 bits, signed, 4 fractional: step 0.0625, range -8 … 7.938');
    expect(formatDetail({ bits: 2, frac: -1, signed: false })).toBe('2 bits, unsigned, -1 fractional: step 2, range 0 … 6');
  });
});
