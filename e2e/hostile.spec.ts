// The page's share of the hostile corpus (fixtures/hostile/corpus.json, entries marked `page`):
// each input dropped in turn gives its one-line message in place while the demo model and data
// stay loaded, and a good model dropped afterwards still works. Also: the built page carries a
// Content-Security-Policy and the preview server sends X-Content-Type-Options: nosniff.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, openDemo, test } from './fixtures.ts';

interface Entry { id: string; use: 'model' | 'data' | 'none'; args: string[]; message: string; page: boolean; made: boolean }
const root = new URL('..', import.meta.url).pathname;
const corpus: Entry[] = JSON.parse(readFileSync(join(root, 'fixtures/hostile/corpus.json'), 'utf8'));
const pageCases = corpus.filter((c) => c.page && !c.made && c.use !== 'none');

const filesBelow = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesBelow(join(dir, n)) : [join(dir, n)]));

test('hostile inputs dropped in the page: one message each, model and data kept, a good drop works after', async ({ page, pageErrors }) => {
  test.setTimeout(240_000);
  const csp: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });
  const response = await page.goto('/');
  expect(response?.headers()['x-content-type-options']).toBe('nosniff');
  await openDemo(page);
  expect(pageCases.length).toBeGreaterThanOrEqual(Math.ceil(corpus.length / 3));
  for (const c of pageCases) {
    const flag = c.use === 'model' ? '--model' : '--data';
    const target = join(root, c.args[c.args.indexOf(flag) + 1]);
    const zone = page.getByTestId(`${c.use}-drop`);
    if (statSync(target).isDirectory()) await page.getByTestId(`${c.use}-drop-folder`).setInputFiles(target);
    else await page.getByTestId(`${c.use}-drop-files`).setInputFiles(filesBelow(join(target, '..')));
    // The page shows names as they are (no terminal escaping): compare the part before any name.
    const text = c.message.replace(/^fixpoint: /, '');
    const error = page.getByTestId(`${c.use}-error`);
    await expect(error, c.id).toBeVisible({ timeout: 60_000 });
    await expect(error, c.id).toContainText(text.includes('\\') ? text.slice(text.indexOf('(')) : text);
    await expect(zone, c.id).toBeVisible();
    await expect(page.getByTestId('model-summary'), c.id).toContainText('lenet5_mnist');
    await expect(page.getByTestId('float-acc'), c.id).toHaveText('99.00%');
  }
  await page.getByTestId('model-drop-files').setInputFiles(join(root, '../shared/fixtures/onnx/mnist-8.onnx'));
  await expect(page.getByTestId('model-summary')).toContainText('mnist-8', { timeout: 30_000 });
  await expect(page.getByTestId('float-acc')).toHaveText('99.30%');
  expect(csp).toEqual([]);
  expect(pageErrors).toEqual([]);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("'wasm-unsafe-eval'");
});
