// Says in words how images that do not match the model's input are adapted, so a person sees
// "64×64 RGB resized to 28×28 grey" instead of finding out from a bad accuracy.
import type { Image8, PreprocessOptions } from './preprocess.ts';

type Target = Pick<PreprocessOptions, 'height' | 'width' | 'channels'>;

/** Colour in name only: RGB(A) files whose pixels all have R = G = B are grey. */
function isGrey(img: Image8): boolean {
  if (img.channels === 1) return true;
  const p = img.pixels;
  for (let i = 0; i < p.length; i += img.channels) if (p[i] !== p[i + 1] || p[i] !== p[i + 2]) return false;
  return true;
}

const mode = (grey: boolean) => (grey ? 'grey' : 'RGB');
const size = (h: number, w: number) => `${h}×${w}`;

/** Groups of images that are not already at the target's size and colour, most common first, as one sentence; null when all fit. */
export function describeAdaptation(images: readonly Image8[], target: Target): string | null {
  const groups = new Map<string, { count: number; text: string }>();
  for (const img of images) {
    const grey = isGrey(img);
    const resized = img.height !== target.height || img.width !== target.width;
    const recoloured = grey !== (target.channels === 1);
    if (!resized && !recoloured) continue;
    const key = `${img.height}x${img.width}x${grey}`;
    const g = groups.get(key);
    if (g) { g.count++; continue; }
    const stretched = resized && Math.abs(img.width / img.height - target.width / target.height) > 0.01 ? ' (stretched)' : '';
    const verb = resized ? 'resized to' : grey ? 'repeated into' : 'converted to';
    groups.set(key, { count: 1, text: `${size(img.height, img.width)} ${mode(grey)} ${verb} ${size(target.height, target.width)} ${mode(target.channels === 1)}${stretched}` });
  }
  if (groups.size === 0) return null;
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count);
  const all = sorted.length === 1 && sorted[0].count === images.length;
  const parts = sorted.slice(0, 3).map((g) => (all ? g.text : `${g.count.toLocaleString('en')} image${g.count === 1 ? '' : 's'} ${g.text}`));
  if (sorted.length > 3) parts.push(`${sorted.length - 3} more sizes`);
  return `${all ? 'All images ' : ''}${parts.join('; ')} to fit the model's input.`;
}
