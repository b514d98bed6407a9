import { describe, expect, it } from 'vitest';
import { CONFIRM_CAP, SEARCH_CAP, splitIndices } from './split.ts';

const all = (s: ReturnType<typeof splitIndices>) => [...s.search, ...s.confirmation, ...s.heldOut];

describe('seeded three-way split', () => {
  it('uses every image of a large set: capped search and confirmation parts, the rest held out', () => {
    const s = splitIndices(10000, { seed: 3 });
    expect([s.search.length, s.confirmation.length, s.heldOut.length]).toEqual([SEARCH_CAP, CONFIRM_CAP, 10000 - SEARCH_CAP - CONFIRM_CAP]);
    expect(new Set(all(s)).size).toBe(10000);
    expect(Array.from(splitIndices(10000, { seed: 3 }).confirmation)).toEqual(Array.from(s.confirmation));
    expect(Array.from(splitIndices(10000, { seed: 4 }).confirmation)).not.toEqual(Array.from(s.confirmation));
  });

  it('30 / 40 / 30 of a small set', () => {
    const s = splitIndices(301);
    expect([s.search.length, s.confirmation.length, s.heldOut.length]).toEqual([90, 120, 91]);
    expect(new Set(all(s)).size).toBe(301);
  });

  it('sizes asked for are taken in order from what there is', () => {
    const s = splitIndices(2000, { search: 1500, confirmation: 1000 });
    expect([s.search.length, s.confirmation.length, s.heldOut.length]).toEqual([1500, 499, 1]);
    const t = splitIndices(2000, { search: 200, confirmation: 300, heldOut: 400 });
    expect([t.search.length, t.confirmation.length, t.heldOut.length]).toEqual([200, 300, 400]);
  });

  it('a predefined held-out part stays apart; the calibration part is split 30 / 70', () => {
    const s = splitIndices(2000, { heldOutFrom: 1000 });
    expect([s.search.length, s.confirmation.length, s.heldOut.length]).toEqual([300, 700, 1000]);
    expect(Math.max(...s.search, ...s.confirmation)).toBeLessThan(1000);
    expect(Math.min(...s.heldOut)).toBe(1000);
    expect(new Set(all(s)).size).toBe(2000);
    const t = splitIndices(2000, { heldOutFrom: 1000, search: 700, heldOut: 300 });
    expect([t.search.length, t.confirmation.length, t.heldOut.length]).toEqual([700, 300, 300]);
  });
});
