// A folder of class sub-folders with PNG digits, chosen with the folder picker as a person would.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import UPNG from 'upng-js';
import { test, expect } from './fixtures.ts';

const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

test('a class-folder data set of PNGs is read, labelled by folder and scored by the float model', async ({ page, foreignRequests, pageErrors }) => {
  // 120 real demo test digits as RGBA PNGs in folders named after their class (sorted by name,
  // so the folder order differs from the digit order: labels must come from the names).
  const root = mkdtempSync(join(tmpdir(), 'fixpoint-folders-'));
  const dir = join(root, 'digits');
  const px = readFileSync('public/data/mnist-demo/test-images.u8');
  const labels = readFileSync('public/data/mnist-demo/test-labels.u8');
  for (let i = 0; i < 120; i++) {
    const rgba = new Uint8Array(28 * 28 * 4);
    for (let k = 0; k < 784; k++) rgba.set([px[i * 784 + k], px[i * 784 + k], px[i * 784 + k], 255], k * 4);
    // Folder names that sort in digit order ("0-zero" … "9-nine").
    const cls = join(dir, `${labels[i]}-${names[labels[i]]}`);
    mkdirSync(cls, { recursive: true });
    writeFileSync(join(cls, `img${i}.png`), Buffer.from(UPNG.encode([rgba.buffer], 28, 28, 0)));
  }

  await page.goto('/');
  await expect(page.getByTestId('float-acc')).toHaveText('99.40%', { timeout: 60_000 });
  await page.getByTestId('data-drop-folder').setInputFiles(dir);
  await expect(page.getByTestId('data-summary')).toContainText('120 images, 10 classes', { timeout: 60_000 });
  // 40% of 120 for the search: the demo model gets nearly all of these digits right.
  const acc = parseFloat((await page.getByTestId('float-acc').textContent())!);
  expect(acc).toBeGreaterThan(95);
  await expect(page.getByTestId('thumb').first()).toBeVisible();
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
