// Every e2e test records the requests the page makes, so each can check that nothing left the
// page's origin (no upload, no CDN, no telemetry) and that no console error was logged.
import { test as base, expect, type Page } from '@playwright/test';

export const test = base.extend<{ foreignRequests: string[]; pageErrors: string[] }>({
  foreignRequests: async ({ page, baseURL }, use) => {
    const origin = new URL(baseURL!).origin;
    const foreign: string[] = [];
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin) foreign.push(url);
    });
    await use(foreign);
  },
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await use(errors);
  },
});

export { expect };

/** Opens the page as a first-time visitor sees it: the demo loads by itself (its float accuracy shows). */
export async function openDemo(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('float-acc')).toHaveText('99.00%', { timeout: 60_000 });
}
