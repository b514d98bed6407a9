// Nothing lost: a person's own model, data, settings and result come back after a reload, and
// Clear forgets them. Screenshots of each step: test-results/e2e/<test>/desktop-*.png.
import type { Page } from '@playwright/test';
import { digitFolders } from './digit-folders.ts';
import { openDemo, test, expect } from './fixtures.ts';

const shared = new URL('../../shared/fixtures/', import.meta.url).pathname;
const shoot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });

test('reload after a run: model, data, settings and result come back; Clear empties them', async ({ page, foreignRequests, pageErrors }) => {
  await openDemo(page);
  await shoot(page, 'desktop-1-demo-loaded');

  // Replacing the model: the old layer table goes at once.
  await page.getByTestId('model-drop-files').setInputFiles(shared + 'onnx/mnist-8.onnx');
  await expect(page.getByTestId('model-reading')).toBeVisible();
  await expect(page.getByTestId('model-summary')).toContainText('mnist-8', { timeout: 30_000 });
  await page.getByTestId('data-drop-folder').setInputFiles(digitFolders(60));
  await expect(page.getByTestId('data-summary')).toContainText('60 images, 10 classes', { timeout: 30_000 });
  await page.getByTestId('method').selectOption('uniform');
  await page.getByTestId('budget').fill('0.02');
  await page.getByTestId('workers').fill('1');
  await page.getByTestId('run').click();
  const results = page.getByTestId('results-panel');
  await expect(results).toContainText('uniform search', { timeout: 60_000 });
  const memory = await page.getByTestId('card-memory').textContent();
  const accuracy = await page.getByTestId('card-accuracy').textContent();
  const floatAcc = await page.getByTestId('float-acc').textContent();
  await shoot(page, 'desktop-2-own-model-data-result');

  await page.reload();
  await expect(page.getByTestId('model-summary')).toContainText('mnist-8', { timeout: 60_000 });
  await expect(page.getByTestId('data-summary')).toContainText('60 images, 10 classes');
  await expect(page.getByTestId('float-acc')).toHaveText(floatAcc!);
  await expect(page.getByTestId('method')).toHaveValue('uniform');
  await expect(page.getByTestId('budget-value')).toHaveText('2.0%');
  await expect(page.getByTestId('workers')).toHaveValue('1');
  await expect(results).toContainText('uniform search', { timeout: 30_000 });
  await expect(page.getByTestId('card-memory')).toHaveText(memory!);
  await expect(page.getByTestId('card-accuracy')).toHaveText(accuracy!);
  await shoot(page, 'desktop-3-after-reload');
  // The worker has the result again, not only the page: the report download describes it.
  const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-report').click()]);
  expect(report.suggestedFilename()).toBe('mnist-8-report.zip');

  await page.getByTestId('clear').click();
  await expect(page.getByTestId('model-summary')).toHaveCount(0);
  await expect(page.getByTestId('data-summary')).toHaveCount(0);
  await expect(results).toHaveCount(0);
  await expect(page.getByTestId('budget-value')).toHaveText('1.0%');
  await shoot(page, 'desktop-4-after-clear');
  // Nothing is kept: the next visit starts from the demo, as the first one did.
  await page.reload();
  await expect(page.getByTestId('model-summary')).toContainText('lenet5_mnist', { timeout: 60_000 });
  await expect(page.getByTestId('float-acc')).toHaveText('99.00%');
  await expect(page.getByTestId('method')).toHaveValue('frontier');
  await expect(results).toHaveCount(0);

  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('a kept model that no longer loads says so once, and Clear starts afresh', async ({ page, foreignRequests, pageErrors }) => {
  await openDemo(page);
  // What an older page version (or a damaged store) might have kept.
  await page.evaluate(() => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('fixpoint');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('state', 'readwrite');
      tx.objectStore('state').put({ kind: 'files', files: [{ path: 'model.json', data: new TextEncoder().encode('{"modelTopology": {"class_') }] }, 'model');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  await page.reload();
  await expect(page.getByTestId('model-error')).toContainText('The model kept from your last visit could not be loaded again', { timeout: 60_000 });
  await expect(page.getByTestId('model-error')).toContainText('Clear to start afresh');
  await expect(page.getByTestId('data-error')).toHaveCount(0);
  await expect(page.getByTestId('data-summary')).toHaveCount(0);
  await page.getByTestId('clear').click();
  await page.reload();
  await expect(page.getByTestId('float-acc')).toHaveText('99.00%', { timeout: 60_000 });
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
