import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser (scripts/test.mjs finds or installs it).
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// PW_PORT lets several checkouts run their end-to-end tests side by side.
const port = Number(process.env.PW_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  // Its own subfolder: Playwright empties outputDir at start, and scripts/test.mjs keeps the
  // vitest summary in test-results/.
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    acceptDownloads: true,
    launchOptions: {
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
