// The engine panel names the Wasm build in use and the kernel each layer runs on.
import { openDemo, test, expect } from './fixtures.ts';

test('the engine panel shows the build and, after a search, the integer kernel of every layer', async ({ page, foreignRequests, pageErrors }) => {
  await openDemo(page);
  const panel = page.getByTestId('engine-panel');
  // Chromium has relaxed SIMD, so the worker runs the relaxed build.
  await expect(panel.getByTestId('engine-build')).toHaveText('relaxed-simd');
  const kernels = panel.getByTestId('kernel-table').locator('tbody tr td:nth-child(3) code');
  await expect(kernels).toHaveText(['float', 'float', 'float', 'float', 'float']);

  await page.getByTestId('method').selectOption('uniform');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toContainText('uniform search', { timeout: 60_000 });
  await expect(panel).toContainText('Kernels of the chosen configuration');
  const paths = await kernels.allTextContents();
  expect(paths).toHaveLength(5);
  for (const p of paths) expect(['i8-relaxed', 'i16', 'i16-sliced', 'i16-split', 'i64', 'i32']).toContain(p);
  await page.screenshot({ path: test.info().outputPath('engine-panel.png'), fullPage: true });
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
