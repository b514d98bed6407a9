import { describe, expect, it } from 'vitest';
import { EtaEstimator, roughly } from './eta.ts';

describe('ETA', () => {
  it('says "estimating" early instead of nothing or a wild guess', () => {
    const e = new EtaEstimator();
    e.update(0.001, 0.2);
    expect(e.read(0.3).text).toBe('estimating time left…');
    e.update(0.2, 1);
    expect(e.read(1).text).toBe('estimating time left…');
  });

  it('the bar never moves back', () => {
    const e = new EtaEstimator();
    e.update(0.3, 5);
    e.update(0.2, 6);
    expect(e.read(6).fraction).toBe(0.3);
  });

  it('does not jump when the fraction leaps or stalls (the 177 → 243 → 37 s of issue 13)', () => {
    // A 140 s run whose fraction stalls, then leaps.
    const e = new EtaEstimator();
    const shown: number[] = [];
    const fractionAt = (t: number) => (t < 40 ? t / 200 : t < 80 ? 0.2 : t < 90 ? 0.2 + (t - 80) * 0.05 : Math.min(1, 0.7 + (t - 90) / 170));
    for (let t = 0; t <= 135; t += 0.5) {
      e.update(fractionAt(t), t);
      const v = e.read(t);
      if (v.seconds !== null) shown.push(v.seconds);
    }
    expect(shown.length).toBeGreaterThan(100);
    // Between messages half a second apart the shown time moves by at most a few percent.
    for (let i = 1; i < shown.length; i++) expect(Math.abs(shown[i] - shown[i - 1])).toBeLessThan(1 + 0.05 * shown[i - 1]);
    // And it still ends near the truth: at 120 s of 140, between 10 and 30 s left.
    expect(shown[shown.length - 31]).toBeGreaterThan(5);
  });

  it('counts down between messages', () => {
    const e = new EtaEstimator();
    e.update(0.5, 10);
    expect(e.read(10).seconds).toBeCloseTo(10);
    expect(e.read(14).seconds).toBeCloseTo(6);
  });

  it('never says "about 1 s left" at the end or when done', () => {
    const e = new EtaEstimator();
    e.update(0.5, 10);
    expect(e.read(19.5).text).toBe('finishing…');
    e.update(1, 20, true);
    expect(e.read(20)).toEqual({ fraction: 1, seconds: null, text: 'finishing…' });
  });

  it('rounds like a person would', () => {
    expect(roughly(7.4)).toBe('7 s');
    expect(roughly(26)).toBe('25 s');
    expect(roughly(150)).toBe('2 min 30 s');
    expect(roughly(181)).toBe('3 min');
    expect(roughly(725)).toBe('12 min');
  });
});
