import { test, expect } from './fixtures.ts';

test('the worker runs the Wasm SIMD kernel on the demo digits and the page shows it', async ({ page, foreignRequests, pageErrors }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Fixpoint' })).toBeVisible();
  const status = page.getByTestId('engine-status');
  await expect(status.getByTestId('agree')).toHaveText('equal to the scalar reference');
  await expect(status.getByTestId('simd')).toHaveText('yes');
  // Chromium has relaxed SIMD, so the worker must have picked the relaxed build.
  await expect(status.getByTestId('build')).toHaveText('relaxed-simd');
  // Σ pixel² over the 1,000 calibration digits: a real value, positive and far from trivial.
  const sum = Number(await status.getByTestId('simd-sum').textContent());
  expect(sum).toBeGreaterThan(1000 * 100 * 100 * 50);
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
