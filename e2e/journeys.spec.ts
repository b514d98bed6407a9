// What a person does: the demo at start, a search, the slider, other models and data, bad files,
// cancelling. Every test also checks that nothing left the page's origin.
import { existsSync } from 'node:fs';
import { test, expect } from './fixtures.ts';

const shared = new URL('../../shared/fixtures/', import.meta.url).pathname;
const fashion = '/usr/share/datasets/fashion-mnist';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  // The demo is loaded without any click: model table and float accuracy on the demo digits.
  await expect(page.getByTestId('float-acc')).toHaveText('99.00%', { timeout: 60_000 });
});

test.afterEach(async ({ foreignRequests, pageErrors }) => {
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('the demo is ready at start: layer table, thumbnails, float accuracy', async ({ page }) => {
  await expect(page.getByTestId('model-summary')).toContainText('lenet5_mnist');
  await expect(page.getByTestId('model-summary')).toContainText('61,706 parameters');
  const table = page.getByTestId('layer-table');
  await expect(table.locator('tbody tr')).toHaveCount(9);
  await expect(table).toContainText('conv2d + relu');
  await expect(page.getByTestId('thumb')).toHaveCount(24);
  await expect(page.getByTestId('data-summary')).toContainText('98.50%');
});

test('search with the default method at the default 1% budget, then the slider re-picks without searching', async ({ page }) => {
  await expect(page.getByTestId('method')).toHaveValue('frontier');
  await expect(page.getByTestId('budget-value')).toHaveText('1.0%');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('progress')).toBeVisible();
  const results = page.getByTestId('results-panel');
  await expect(results).toBeVisible({ timeout: 240_000 });
  await expect(results).toContainText('frontier search');
  // The demo at its defaults (300 search, 700 confirmation, 1,000 held-out digits): the pick is
  // confirmed on images the walk never saw, so the held-out loss stays within 1%, and it is
  // still well below uniform 8-bit (src/search/README.md).
  const number = async (id: string) => parseFloat((await page.getByTestId(id).locator('.big-number').textContent())!);
  expect(await number('card-accuracy')).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('within-budget')).toBeVisible();
  await expect(page.getByTestId('loss-heldout')).toContainText('95%');
  await expect(page.getByTestId('loss-confirmation')).toContainText('700 images');
  expect(await number('card-memory')).toBeGreaterThanOrEqual(50);
  expect(await number('card-mult')).toBeGreaterThanOrEqual(65);
  await expect(page.getByTestId('format-table').locator('tbody tr')).toHaveCount(6); // the input and five layers
  // Slider to the smallest budget: the pick changes at once (or says none fits), no new search.
  const before = await page.getByTestId('card-memory').textContent();
  await page.getByTestId('budget').fill('0.001');
  await expect(page.getByTestId('budget-value')).toHaveText('0.1%');
  await expect(async () => {
    const now = (await page.getByTestId('no-pick').count()) ? 'none' : await page.getByTestId('card-memory').textContent();
    expect(now).not.toBe(before);
  }).toPass({ timeout: 10_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0);
});

test('the paper method runs too and reports its own result', async ({ page }) => {
  await page.getByTestId('method').selectOption('paper');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toContainText('paper search', { timeout: 240_000 });
  // In-sample on the 300 search digits, as published: each digit is 0.34% of the loss.
  expect(parseFloat((await page.getByTestId('card-memory').locator('.big-number').textContent())!)).toBeGreaterThan(15);
  await expect(page.getByTestId('paper-note')).toContainText('same images (in-sample)');
});

test('cancel stops a search and keeps model and data', async ({ page }) => {
  await page.getByTestId('method').selectOption('frontier');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('progress')).toBeVisible();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('run-error')).toContainText('cancelled');
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.getByTestId('float-acc')).toHaveText('99.00%');
  // The fresh worker has model and data again: a quick uniform run works.
  await page.getByTestId('method').selectOption('uniform');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toContainText('uniform search', { timeout: 60_000 });
});

test('an ONNX model dropped in replaces the demo model and keeps the data', async ({ page }) => {
  await page.getByTestId('model-drop-files').setInputFiles(shared + 'onnx/mnist-8.onnx');
  await expect(page.getByTestId('model-summary')).toContainText('mnist-8', { timeout: 30_000 });
  await expect(page.getByTestId('model-panel')).toContainText('NCHW');
  // The demo digits, preprocessed again for the new model: the ONNX zoo network scores 99.3%.
  await expect(page.getByTestId('float-acc')).toHaveText('99.30%');
});

test('a broken model file gives one clear message and the demo stays', async ({ page }) => {
  await page.getByTestId('model-drop-files').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"modelTopology": {"class_name": "Seq') });
  await expect(page.getByTestId('model-error')).toBeVisible();
  await expect(page.getByTestId('model-error')).toContainText('model.json');
  await expect(page.getByTestId('model-summary')).toContainText('lenet5_mnist');
  await expect(page.getByTestId('float-acc')).toHaveText('99.00%');
});

test('Fashion-MNIST IDX files on the digit model: loaded, and the near-chance accuracy is flagged', async ({ page }) => {
  test.skip(!existsSync(fashion), 'Debian package dataset-fashion-mnist is not installed');
  await page.getByTestId('data-drop-files').setInputFiles([`${fashion}/t10k-images-idx3-ubyte.gz`, `${fashion}/t10k-labels-idx1-ubyte.gz`]);
  await expect(page.getByTestId('data-summary')).toContainText('10,000 images', { timeout: 60_000 });
  await expect(page.getByTestId('data-warning')).toContainText('close to chance');
});
