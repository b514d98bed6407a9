// Real demo test digits written as RGBA PNGs into class sub-folders, as a person's data set.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import UPNG from 'upng-js';

const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

interface Options {
  /** Side in pixels (nearest neighbour from 28×28). */
  size?: number;
  /** A blue tint, so the files are really RGB. */
  colour?: boolean;
  /** One flat folder without class sub-folders: an unlabeled set. */
  flat?: boolean;
}

/** The first `count` demo test digits in folders "0-zero" … "9-nine" (sorted by name, so the
 * folder order differs from the digit order: labels must come from the names); returns the folder. */
export function digitFolders(count: number, { size = 28, colour = false, flat = false }: Options = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'fixpoint-folders-')), 'digits');
  const px = readFileSync('public/data/mnist-demo/test-images.u8');
  const labels = readFileSync('public/data/mnist-demo/test-labels.u8');
  for (let i = 0; i < count; i++) {
    const rgba = new Uint8Array(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        // Nearest neighbour from 28×28, so other sizes hold the same digit.
        const v = px[i * 784 + Math.floor((y * 28) / size) * 28 + Math.floor((x * 28) / size)];
        rgba.set([v, v, colour ? Math.min(255, v + 40) : v, 255], (y * size + x) * 4);
      }
    }
    const cls = flat ? dir : join(dir, `${labels[i]}-${names[labels[i]]}`);
    mkdirSync(cls, { recursive: true });
    writeFileSync(join(cls, `img${i}.png`), Buffer.from(UPNG.encode([rgba.buffer], size, size, 0)));
  }
  return dir;
}
