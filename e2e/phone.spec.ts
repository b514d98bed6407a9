// A phone-sized screen (390 px) through every step: the page never grows wider than the screen,
// and the controls say what they are to a screen reader. Screenshots of each step are saved
// with the test results (test-results/e2e/<test>/phone-*.png).
import type { Page } from '@playwright/test';
import { openDemo, test, expect } from './fixtures.ts';

test.use({ viewport: { width: 390, height: 844 } });

async function fitsAndShoot(page: Page, name: string) {
  // Any element pushing past the right edge widens the document and makes it scroll sideways.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test('at 390 px nothing scrolls sideways at any step; slider and progress are announced', async ({ page, foreignRequests, pageErrors }) => {
  await openDemo(page);
  await fitsAndShoot(page, 'phone-1-demo-loaded');

  const slider = page.getByRole('slider', { name: 'accuracy-loss budget' });
  await expect(slider).toHaveAttribute('aria-valuetext', '1.0%');
  await expect(slider).toHaveAttribute('max', '0.1');
  await slider.fill('0.02');
  await expect(slider).toHaveAttribute('aria-valuetext', '2.0%');

  await page.getByTestId('run').click();
  await expect(page.getByRole('progressbar', { name: 'search progress' })).toBeVisible();
  // Spoken: the phase and each tenth of the way (a live region), not every count-down second.
  await expect(page.getByTestId('progress-announcer')).toHaveAttribute('aria-live', 'polite');
  await expect(page.getByTestId('progress-announcer')).toContainText('% done');
  await expect(page.getByTestId('progress-text')).toContainText('evaluations');
  await fitsAndShoot(page, 'phone-2-searching');
  // Leaving during a search asks first; staying keeps the search running.
  const asked = page.waitForEvent('dialog');
  void page.evaluate(() => location.reload()).catch(() => {});
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss();
  await expect(page.getByTestId('progress-text')).toContainText('evaluations');
  await page.getByTestId('cancel').click();

  await page.getByTestId('method').selectOption('uniform');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toContainText('uniform search', { timeout: 60_000 });
  await expect(page.getByTestId('export-panel')).toBeVisible();
  await fitsAndShoot(page, 'phone-3-result-and-downloads');
  // Each chart has a text alternative: a summary with its numbers, and the numbers as a table.
  for (const id of ['chart-memory', 'chart-mult', 'bitwidth-bars']) {
    const described = await page.getByTestId(id).getAttribute('aria-describedby');
    await expect(page.locator(`[id="${described}"]`)).toContainText(id === 'bitwidth-bars' ? 'weights 8 bits' : 'Uniform 8-bit');
  }
  await page.getByTestId('chart-memory').getByText('The numbers').click();
  await expect(page.getByTestId('chart-memory').locator('table')).toContainText('uniform 8-bit');
  await fitsAndShoot(page, 'phone-4-chart-numbers');
  // Editing formats by hand and a preprocessing change waiting for confirmation fit too.
  await page.getByTestId('edit-formats').click();
  await page.getByTestId('prep-range').selectOption('-1..1');
  await expect(page.getByTestId('prep-confirm')).toBeVisible();
  await fitsAndShoot(page, 'phone-5-editing-and-confirm');

  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
