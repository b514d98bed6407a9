import { describe, expect, it } from 'vitest';
import { parseChannelValues } from './prep-fields.ts';

describe('parseChannelValues', () => {
  it('reads one value or one per channel', () => {
    expect(parseChannelValues('0.5', 'mean', 1)).toEqual({ values: [0.5] });
    expect(parseChannelValues('0.485, 0.456 0.406', 'mean', 3)).toEqual({ values: [0.485, 0.456, 0.406] });
    expect(parseChannelValues('2', 'std', null)).toEqual({ values: [2] });
  });

  it('says what is wrong', () => {
    expect(parseChannelValues('abc', 'mean', 1).error).toBe('mean: "abc" is not a number.');
    expect(parseChannelValues('', 'std', 1).error).toBe('std is empty: enter a number, e.g. 1.');
    expect(parseChannelValues('0', 'std', 1).error).toBe('std must be greater than 0 (got 0): every pixel is divided by it.');
    expect(parseChannelValues('1,-2,1', 'std', 3).error).toContain('got -2');
    expect(parseChannelValues('0,0,0', 'mean', 1).error).toBe('mean: the model takes grey images, so give one value (got 3).');
    expect(parseChannelValues('0,0', 'mean', 3).error).toBe('mean: give one value for all channels or three (R, G, B); got 2.');
  });
});
