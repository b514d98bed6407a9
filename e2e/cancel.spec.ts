// Cancelling is clean (issue 13 item 7, issue 15 item 7): a cancelled search's messages never
// reach the page, its workers (the engine worker and its search shards) are gone before the
// next search starts, and a model dropped during a search cancels it first and says so.
// Workers are told apart by the Web Lock each holds for its whole life (src/worker/lifetime.ts).
import type { Page } from '@playwright/test';
import { openDemo, test, expect } from './fixtures.ts';

const shared = new URL('../../shared/fixtures/', import.meta.url).pathname;

test.beforeEach(async ({ page }) => openDemo(page));

test.afterEach(async ({ foreignRequests, pageErrors }) => {
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});

/** Live workers per generation (engine worker + shards), from the locks they hold. */
const liveWorkers = (page: Page): Promise<Record<string, number>> => page.evaluate(async () => {
  const held = (await navigator.locks.query()).held ?? [];
  const count: Record<string, number> = {};
  for (const l of held) if (l.name?.startsWith('fixpoint-workers-')) count[l.name] = (count[l.name] ?? 0) + 1;
  return count;
});

/** Every text the progress line shows from now on, in order. */
const recordProgress = (page: Page) => page.evaluate(() => {
  const w = window as unknown as { progressLog: string[] };
  w.progressLog = [];
  const panel = document.querySelector('[data-testid="run-panel"]')!;
  new MutationObserver(() => {
    const text = panel.querySelector('[data-testid="progress"] span')?.textContent ?? '';
    if (text && text !== w.progressLog[w.progressLog.length - 1]) w.progressLog.push(text);
  }).observe(panel, { subtree: true, childList: true, characterData: true });
});

const evaluations = (text: string) => Number(/(\d+) evaluations/.exec(text)?.[1] ?? NaN);

test('Run, Cancel, Run at once: nothing of the first search reaches the second, its workers are gone', async ({ page }) => {
  await page.getByTestId('workers').fill('2');
  await page.getByTestId('run').click();
  const progress = page.getByTestId('progress');
  // A few seconds into the frontier search: past its safe start, a best point found. (Its phases
  // can be shorter than a poll, so any of the walk's phases will do.)
  await expect(progress).toContainText(/descend|greedy/, { timeout: 90_000 });
  await expect(progress).toContainText('best so far', { timeout: 60_000 });
  const first = await liveWorkers(page);
  expect(Object.values(first)).toEqual([3]); // the engine worker and 2 search shards
  const firstText = (await progress.textContent())!;

  await page.getByTestId('cancel').click();
  await page.getByTestId('method').selectOption('paper');
  await recordProgress(page);
  await page.getByTestId('run').click();
  await expect(progress).toContainText(/weights|biases|activations/, { timeout: 90_000 });
  const second = await liveWorkers(page);
  expect(Object.keys(second).some((g) => g in first)).toBe(false);
  expect(Object.values(second)).toEqual([3]);
  await expect.poll(() => page.evaluate(() => (window as unknown as { progressLog: string[] }).progressLog.length)).toBeGreaterThan(1);

  const log = await page.evaluate(() => (window as unknown as { progressLog: string[] }).progressLog);
  const counts = log.map(evaluations).filter(Number.isFinite);
  expect(log.filter((t) => /descend|safe|greedy/.test(t))).toEqual([]);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  expect(counts[0]).toBeLessThan(evaluations(firstText));
  await expect(page.getByTestId('run-error')).toHaveCount(0);
});

test('a model dropped during a search cancels it first and the page says so', async ({ page }) => {
  await page.getByTestId('workers').fill('2');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('progress')).toContainText('evaluations', { timeout: 90_000 });
  await expect(page.getByTestId('cancel')).toBeVisible();
  await page.getByTestId('model-drop-files').setInputFiles(shared + 'onnx/mnist-8.onnx');
  await expect(page.getByTestId('run-error')).toHaveText('Search cancelled to load the new model. Run it again when ready.');
  await expect(page.getByTestId('model-summary')).toContainText('mnist-8', { timeout: 30_000 });
  await expect(page.getByTestId('float-acc')).toHaveText('99.30%');
  // No search runs on unseen: no Cancel without progress, and only the fresh worker lives.
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.getByTestId('cancel')).toHaveCount(0);
  expect(Object.values(await liveWorkers(page))).toEqual([1]);
  // The new model searches.
  await page.getByTestId('method').selectOption('uniform');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toContainText('uniform search', { timeout: 60_000 });
});

test('a data set dropped during a search cancels it first and the page says so', async ({ page }) => {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('progress')).toContainText('evaluations', { timeout: 90_000 });
  const mnist = `${shared}mnist/`;
  await page.getByTestId('data-drop-files').setInputFiles([`${mnist}t10k-images-idx3-ubyte.gz`, `${mnist}t10k-labels-idx1-ubyte.gz`]);
  await expect(page.getByTestId('run-error')).toHaveText('Search cancelled to load the new data set. Run it again when ready.');
  await expect(page.getByTestId('data-summary')).toContainText('10,000', { timeout: 60_000 });
  await expect(page.getByTestId('cancel')).toHaveCount(0);
  expect(Object.values(await liveWorkers(page))).toEqual([1]);
});
