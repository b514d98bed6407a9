// npm run bench:browser [-- --json] [--images N] [--repeats N]: the engine benchmark in
// Chromium (Debian's, $CHROMIUM_PATH or /usr/bin/chromium; never a downloaded browser). Serves
// the checkout with Vite (bench/browser/index.html, the demo model and data, the paper models
// from ../shared/fixtures/paper), opens the page headless with Playwright and prints its result.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import { createServer } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = resolve(root, '..', 'shared', 'fixtures');
const paperDir = join(fixturesDir, 'paper');
const args = process.argv.slice(2);
const flag = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: install Debian's chromium package or set CHROMIUM_PATH.`);
  process.exit(2);
}
if (!existsSync(join(root, 'build', 'engine-simd.wasm'))) {
  console.error('build/engine-simd.wasm is missing: run `npm run build:wasm` first.');
  process.exit(2);
}

const server = await createServer({
  root, configFile: false, logLevel: 'error',
  server: {
    host: '127.0.0.1', port: 0,
    // Cross-origin isolated like the app (precise timers; same conditions as the app's worker).
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    fs: { allow: [root, fixturesDir] },
  },
  optimizeDeps: { entries: ['bench/browser/index.html', 'bench/browser/workers.html'] },
});
await server.listen();
const base = server.resolvedUrls.local[0];
const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
let code = 0;
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'log') process.stderr.write(`${m.text()}\n`); });
  code = flag('--workers') ? await searchOnWorkers(page) : await engineBench(page);
} catch (e) {
  console.error(String(e?.stack ?? e));
  code = 1;
} finally {
  await browser.close();
  await server.close();
}
process.exit(code);

/** The engine benchmark (bench/browser/main.ts); exit status 1 unless the relaxed build is bit-exact. */
async function engineBench(page) {
  const q = new URLSearchParams({ images: flag('--images', '1000'), repeats: flag('--repeats', '3'), batch: flag('--batch', '32') });
  if (existsSync(join(paperDir, 'mnist_seq_large.h5'))) q.set('paper', `/@fs${paperDir}/`);
  if (flag('--profile')) q.set('profile', flag('--profile'));
  await page.goto(`${base}bench/browser/index.html?${q}`);
  await page.waitForFunction(() => window.benchResult || window.benchError, null, { timeout: 20 * 60_000, polling: 1000 });
  const { result, error } = await page.evaluate(() => ({ result: window.benchResult, error: window.benchError }));
  if (error) throw new Error(error);
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return Object.values(result.relaxed_bit_exact ?? {}).every(Boolean) ? 0 : 1;
}

/**
 * --workers N [--evaluations 40] [--method paper]: the first evaluations of a search on
 * mnist_seq_large scored by N Web Workers in Chromium, then by N worker threads in Node (the
 * command line's pool), one after the other in this run; prints both times and their ratio.
 */
async function searchOnWorkers(page) {
  const workers = Number(flag('--workers'));
  const evaluations = Number(flag('--evaluations', '40'));
  const images = Number(flag('--images', '1000'));
  const method = flag('--method', 'paper');
  const q = new URLSearchParams({ fixtures: `/@fs${fixturesDir}/`, workers: String(workers), evaluations: String(evaluations), images: String(images), method });
  await page.goto(`${base}bench/browser/workers.html?${q}`);
  await page.waitForFunction(() => window.workersResult || window.benchError, null, { timeout: 60 * 60_000, polling: 1000 });
  const { result, error } = await page.evaluate(() => ({ result: window.workersResult, error: window.benchError }));
  if (error) throw new Error(error);
  const { timeThreads } = await tsImport(join(root, 'src', 'cli', 'bench', 'workers.ts'), import.meta.url);
  const cli = await timeThreads({ threads: workers, evaluations, images, method });
  console.error(`node: mnist_seq_large, ${method}, ${workers} worker thread(s): ${cli.evaluations} evaluations in ${cli.seconds.toFixed(2)} s`);
  const out = { model: 'mnist_seq_large', method, images, workers, evaluations: result.evaluations, browser_seconds: result.seconds, cli_seconds: cli.seconds, browser_vs_cli: result.seconds / cli.seconds };
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else process.stdout.write(`search on ${workers} workers (${method}, mnist_seq_large, first ${result.evaluations} evaluations): Chromium ${result.seconds.toFixed(2)} s vs command line ${cli.seconds.toFixed(2)} s → ${out.browser_vs_cli.toFixed(2)}×\n`);
  return result.evaluations === cli.evaluations ? 0 : 1;
}
