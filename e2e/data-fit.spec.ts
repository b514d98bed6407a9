// Data that does not fit the model is named, not silently adapted; preprocessing fields say what
// is wrong; changing them asks before a search result is discarded.
import { digitFolders } from './digit-folders.ts';
import { openDemo, test, expect } from './fixtures.ts';

test.beforeEach(async ({ page }) => {
  await openDemo(page);
});

test.afterEach(async ({ foreignRequests, pageErrors }) => {
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('64×64 RGB images on a 28×28 grey model: adapted with a notice that says so', async ({ page }) => {
  // The demo data fits: no notice.
  await expect(page.getByTestId('data-adapted')).toHaveCount(0);
  await page.getByTestId('data-drop-folder').setInputFiles(digitFolders(40, { size: 64, colour: true }));
  await expect(page.getByTestId('data-summary')).toContainText('40 images, 10 classes', { timeout: 30_000 });
  await expect(page.getByTestId('data-adapted')).toHaveText("All images 64×64 RGB resized to 28×28 grey to fit the model's input.");
  // Still the same digits: the float model recognises nearly all of them.
  expect(parseFloat((await page.getByTestId('float-acc').textContent())!)).toBeGreaterThan(90);
  await page.screenshot({ path: test.info().outputPath('data-1-adapted-notice.png'), fullPage: true });
});

test('an unlabeled folder: its 100% float accuracy says the labels come from the float model', async ({ page }) => {
  await page.getByTestId('data-drop-folder').setInputFiles(digitFolders(30, { flat: true }));
  await expect(page.getByTestId('data-summary')).toContainText('30 images', { timeout: 30_000 });
  await expect(page.getByTestId('float-acc')).toHaveText('100.00%');
  await expect(page.getByTestId('labels-from')).toHaveText('labels from the float model');
});

test('preprocessing fields say what is wrong; a new setting asks before discarding the result', async ({ page }) => {
  const mean = page.getByTestId('prep-mean');
  await mean.fill('abc');
  await expect(page.getByTestId('prep-error')).toHaveText('mean: "abc" is not a number.');
  await expect(mean).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('prep-apply')).toBeDisabled();
  await mean.fill('0');
  await page.getByTestId('prep-std').fill('0');
  await expect(page.getByTestId('prep-error')).toContainText('std must be greater than 0');
  await page.getByTestId('prep-std').fill('1');
  await expect(page.getByTestId('prep-error')).toHaveCount(0);

  await page.getByTestId('method').selectOption('uniform');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('prep-range').selectOption('0..255');
  await expect(page.getByTestId('prep-confirm')).toContainText('discards it');
  await page.screenshot({ path: test.info().outputPath('data-2-confirm-discard.png'), fullPage: true });
  await page.getByRole('button', { name: 'Keep the result' }).click();
  await expect(page.getByTestId('prep-confirm')).toHaveCount(0);
  await expect(page.getByTestId('prep-range')).toHaveValue('0..1');
  await expect(page.getByTestId('results-panel')).toBeVisible();

  await page.getByTestId('prep-range').selectOption('0..255');
  await page.getByTestId('prep-confirm-apply').click();
  await expect(page.getByTestId('results-panel')).toHaveCount(0);
  await expect(page.getByTestId('prep-range')).toHaveValue('0..255');
  // Pixels up to 255 instead of 1: the float model's answers change (98.70% here).
  await expect(page.getByTestId('float-acc')).not.toHaveText('99.00%');
});
