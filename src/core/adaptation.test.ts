import { describe, expect, it } from 'vitest';
import { describeAdaptation } from './adaptation.ts';
import type { Image8 } from './preprocess.ts';

const image = (height: number, width: number, channels: 1 | 3 | 4, colour = false): Image8 => {
  const pixels = new Uint8Array(height * width * channels).fill(100);
  if (colour) pixels[1] = 200; // one pixel with G ≠ R
  return { height, width, channels, pixels };
};
const grey28 = { height: 28, width: 28, channels: 1 as const };

describe('describeAdaptation', () => {
  it('is silent when every image already fits', () => {
    expect(describeAdaptation([image(28, 28, 1), image(28, 28, 1)], grey28)).toBeNull();
    // RGBA files holding grey pixels are grey: nothing is lost in the conversion.
    expect(describeAdaptation([image(28, 28, 4)], grey28)).toBeNull();
  });

  it('names size and colour changes', () => {
    expect(describeAdaptation([image(64, 64, 3, true)], grey28)).toBe("All images 64×64 RGB resized to 28×28 grey to fit the model's input.");
    expect(describeAdaptation([image(28, 28, 3, true)], grey28)).toBe("All images 28×28 RGB converted to 28×28 grey to fit the model's input.");
    expect(describeAdaptation([image(32, 32, 1)], { height: 32, width: 32, channels: 3 })).toBe("All images 32×32 grey repeated into 32×32 RGB to fit the model's input.");
    expect(describeAdaptation([image(30, 60, 1)], grey28)).toContain('30×60 grey resized to 28×28 grey (stretched)');
  });

  it('counts mixed groups, most common first', () => {
    const text = describeAdaptation([image(28, 28, 1), image(64, 64, 3, true), image(32, 32, 1), image(32, 32, 1)], grey28);
    expect(text).toBe("2 images 32×32 grey resized to 28×28 grey; 1 image 64×64 RGB resized to 28×28 grey to fit the model's input.");
  });
});
