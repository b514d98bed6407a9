// The results side of the page as a person uses it: live charts while searching, both
// trade-off charts with budget line and 8-bit marker (frontier and paper), clicking a point,
// the per-layer view, editing a format and scoring again, a lock kept by the next search.
// Each stage leaves a screenshot in test-results/screenshots/results-*.png.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';

const shot = (page: Page, stage: string) => page.screenshot({ path: `test-results/screenshots/results-${stage}.png`, fullPage: true });
const big = async (page: Page, id: string) => (await page.getByTestId(id).locator('.big-number').textContent())!.trim();

const consoleErrors: string[] = [];

test.beforeEach(async ({ page }) => {
  consoleErrors.length = 0;
  // Charts must not complain either (recharts logs size and key problems as console errors).
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text()); });
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto('/');
  await expect(page.getByTestId('float-acc')).toHaveText('99.00%', { timeout: 60_000 });
});

test.afterEach(async ({ foreignRequests, pageErrors }) => {
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

async function expectCharts(page: Page) {
  for (const id of ['chart-memory', 'chart-mult']) {
    const chart = page.getByTestId(id);
    await expect(chart.locator('.budget-line')).toHaveCount(1);
    await expect(chart.locator('.mark-8bit')).toHaveCount(1);
    await expect(chart.locator('.mark-float')).toHaveCount(1);
    await expect(chart.locator('.mark-chosen')).toHaveCount(1);
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(3);
    // Paper scores most steps with an early stop; on the demo's 300 search digits few of its
    // configurations are scored on all of them, so its frontier may be a single point.
    expect(Number(await chart.getAttribute('data-frontier'))).toBeGreaterThanOrEqual(1);
  }
  await expect(page.getByTestId('chart-memory')).toContainText('memory (KB), log scale');
  await expect(page.getByTestId('chart-mult')).toContainText("paper's Σ MACs·bw·bo");
}

test('frontier: live points and ETA, both charts, click a point, per-layer view, edit and rescore, lock kept by the next search', async ({ page }) => {
  await page.getByTestId('run').click();
  // Live: points appear while the search runs, with a time-left text that is never empty.
  const live = page.getByTestId('live-charts');
  await expect(live).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('eta')).toHaveText(/estimating time left…|about \d+( s| min)|finishing…|starting…/);
  await shot(page, '01-searching-live');
  const results = page.getByTestId('results-panel');
  await expect(results).toContainText('frontier search', { timeout: 240_000 });
  await expect(live).toHaveCount(0);

  // Both charts, with budget line, float and 8-bit markers and the chosen point.
  await expectCharts(page);
  await expect(page.getByTestId('within-budget')).toBeVisible();
  // Frontier picks on the confirmation images: the verdict names all three parts.
  await expect(page.getByTestId('within-budget')).toContainText(/search images .*, the confirmation images .* and the held-out images/);
  await shot(page, '02-frontier-result');

  // The tooltip of a frontier point: every cost and both losses.
  await page.getByTestId('chart-memory').locator('circle.front').nth(1).hover({ force: true });
  const tip = page.getByTestId('chart-tooltip').first();
  await expect(tip).toContainText('loss, search images');
  await expect(tip).toContainText('loss, held-out images');
  await expect(tip).toContainText('peak activations');
  await expect(tip).toContainText('mult. cost, paper (bw·bo)');
  await shot(page, '02b-tooltip');

  // The multiplication chart switches to the true-input-bits measure.
  await page.getByTestId('measure-true').check();
  await expect(page.getByTestId('chart-mult')).toContainText('Σ MACs·bw·bi');
  await expect(page.getByTestId('chart-mult').locator('.budget-line')).toHaveCount(1);

  // Clicking the cheapest frontier point chooses it, as the slider would.
  const memoryBefore = await big(page, 'card-memory');
  await page.getByTestId('chart-memory').locator('circle.front').first().dispatchEvent('click');
  await expect.poll(() => big(page, 'card-memory')).not.toBe(memoryBefore);
  await shot(page, '03-point-clicked');
  // The keyboard reaches frontier points too: the last one (most accurate) by Enter.
  const clicked = await big(page, 'card-memory');
  await page.getByTestId('chart-memory').locator('circle.front').last().focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => big(page, 'card-memory')).not.toBe(clicked);

  // Per-layer view: bit-width bars, a histogram with the format's range, readable formats.
  await expect(page.getByTestId('bitwidth-bars').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('histogram-caption')).toContainText(/holds .* in steps of/);
  await expect(page.getByTestId('clipped')).toContainText('Clipped:');
  await page.getByTestId('hist-slot').selectOption('output');
  await expect(page.getByTestId('histogram-caption')).toContainText('from 64 search images');
  const table = page.getByTestId('format-table');
  await expect(table).toContainText(/Q\d+\.\d+ \(\d+ bits\)/);
  await expect(table).not.toContainText(/\bu?\d+\.-\d+\b/);
  await expect(page.getByTestId('format-legend')).toContainText('Qm.n');
  await shot(page, '04-per-layer');

  // Edit the first layer's weights down to 2 bits and score again: costs and accuracy change.
  // Back to a pick within the budget first (the slider re-picks).
  await page.getByTestId('budget').fill('0.012');
  await expect(page.getByTestId('within-budget')).toBeVisible();
  const before = { memory: await big(page, 'card-memory'), loss: await page.getByTestId('heldout-loss').textContent() };
  // The largest layer (fc1, most of the memory), so the change shows in the rounded figures.
  const firstWeights = page.locator('[data-testid^="fmt-"][data-testid$="-weights"]').nth(2);
  const id = (await firstWeights.getAttribute('data-testid'))!.slice('fmt-'.length);
  await page.getByTestId('edit-formats').click();
  await page.getByTestId(`bits-${id}`).fill('2');
  await page.getByTestId('rescore').click();
  await expect.poll(() => big(page, 'card-memory')).not.toBe(before.memory);
  await expect(page.getByTestId('heldout-loss')).not.toHaveText(before.loss!);
  await page.getByTestId('edit-formats').click();
  await expect(page.getByTestId(`fmt-${id}`)).toContainText('2 bits');
  await shot(page, '05-edited-rescored');

  // Lock it: the next search keeps the 2-bit weights (uniform 8-bit, the quickest search; the
  // unit tests cover every method).
  const label = (await page.getByTestId(`fmt-${id}`).textContent())!.replace('lock', '').trim();
  await page.getByTestId(`lock-${id}`).check();
  await expect(page.getByTestId('lock-count')).toHaveText('1 format locked for the next search');
  await page.getByTestId('method').selectOption('uniform');
  await page.getByTestId('run').click();
  await expect(results).toContainText('uniform search', { timeout: 240_000 });
  await expect(page.getByTestId(`fmt-${id}`)).toContainText('2 bits');
  await expect(page.getByTestId(`fmt-${id}`)).toContainText(label);
  await expect(page.getByTestId(`lock-${id}`)).toBeChecked();
  await shot(page, '06-locked-search');
});

test('paper: both charts with the budget line and the 8-bit marker', async ({ page }) => {
  await page.getByTestId('method').selectOption('paper');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toContainText('paper search', { timeout: 240_000 });
  await expectCharts(page);
  await shot(page, '07-paper-result');
});

test('naive: an over-budget pick is flagged and says why', async ({ page }) => {
  await page.getByTestId('method').selectOption('naive');
  await page.getByTestId('budget').fill('0.02');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toContainText('naive search', { timeout: 240_000 });
  await expectCharts(page);
  // On the demo (seeded split) the combined naive pick breaks a 2% budget: flagged, with the reason.
  const loss = parseFloat((await page.getByTestId('card-accuracy').textContent())!.match(/; ([\d.]+)% on the search/)![1]);
  expect(loss).toBeGreaterThan(2);
  await expect(page.getByTestId('over-budget')).toBeVisible();
  await expect(page.getByTestId('card-accuracy')).toHaveClass(/over-budget/);
  await expect(page.getByTestId('naive-why')).toContainText('searched every tensor alone');
  await expect(page.getByTestId('within-budget')).toHaveCount(0);
  await shot(page, '08-naive-result');
});
