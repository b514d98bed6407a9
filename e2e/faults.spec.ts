// A fault in the engine worker (a Wasm trap, exhausted memory) is reported in place, and a fresh
// worker takes the next action with the model and data still loaded: a search runs at once.
import { openDemo, test, expect } from './fixtures.ts';

for (const kind of ['trap', 'oom'] as const) {
  test(`after a ${kind} in the worker, a fresh worker searches the same model and data`, async ({ page, foreignRequests }) => {
    await openDemo(page);
    await page.evaluate((k) => (globalThis as unknown as { fixpointFault: (k: string) => Promise<void> }).fixpointFault(k), kind);
    const error = page.getByTestId('run-error');
    await expect(error).toContainText('The engine failed');
    await expect(error).toContainText(kind === 'trap' ? 'unreachable' : 'memory');
    await expect(error).toContainText('A fresh engine has taken over with your model and data loaded');
    // Model and data are still shown, and the fresh worker holds them: a search runs.
    await expect(page.getByTestId('float-acc')).toHaveText('99.00%');
    await page.getByTestId('method').selectOption('uniform');
    await page.getByTestId('run').click();
    await expect(page.getByTestId('results-panel')).toContainText('uniform search', { timeout: 60_000 });
    await expect(error).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath(`fault-${kind}.png`), fullPage: true });
    expect(foreignRequests).toEqual([]);
  });
}
