// Downloads as a person gets them: each button names the zip it saves and the files inside, and
// the zip holds exactly those; the C reference's `make test` passes bit for bit and its button
// states the flash and RAM its header declares.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { openDemo, test, expect } from './fixtures.ts';

/**
 * Clicks a download button; checks the saved name is the one the button shows and that the
 * button names every file in the zip (a writer adding a file must say so on its button).
 */
async function download(page: Page, id: string): Promise<Record<string, Uint8Array>> {
  const button = page.getByTestId(`download-${id}`);
  const promised = (await button.getByTestId('zip-name').textContent())!;
  const says = (await button.textContent())!;
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(file.suggestedFilename()).toBe(promised);
  const files = unzipSync(new Uint8Array(readFileSync(await file.path())));
  if (id !== 'all') for (const name of Object.keys(files)) expect(says).toContain(name.split('/').pop()!);
  return files;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

test('after a search: every download is the zip its button names, holding the files it lists', async ({ page, foreignRequests, pageErrors }) => {
  await openDemo(page);
  await page.getByTestId('method').selectOption('uniform');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toContainText('uniform search', { timeout: 60_000 });

  const report = await download(page, 'report');
  expect(Object.keys(report).sort()).toEqual(['layers.csv', 'report.json']);
  const json = JSON.parse(text(report['report.json']));
  expect(json.method).toBe('uniform');
  expect(json.model.name).toBe('lenet5_mnist');
  expect(json.float.validation_acc).toBe(0.985);
  expect(text(report['layers.csv'])).toContain('conv1');

  const c = await download(page, 'c');
  expect(Object.keys(c)).toContain('c/model_q.c');
  const dir = mkdtempSync(join(tmpdir(), 'fixpoint-e2e-c-'));
  for (const [name, data] of Object.entries(c)) writeFileSync(join(dir, name.replace(/^c\//, '')), data);
  expect(execFileSync('make', ['test'], { cwd: dir, encoding: 'utf8' })).toContain('all 16 test vectors bit-exact');
  // The button states the flash and RAM the header declares.
  const header = text(c['c/model_q.h']);
  const bytes = (name: string) => Number(new RegExp(`#define FXP_LENET5_MNIST_${name}_BYTES (\\d+)`).exec(header)![1]);
  const n = (v: number) => `${v.toLocaleString('en-US')} bytes`;
  await expect(page.getByTestId('c-memory')).toContainText(`${n(bytes('WEIGHT'))} of flash`);
  await expect(page.getByTestId('c-memory')).toContainText(`${n(bytes('ACTIVATION') + bytes('INPUT'))} of RAM`);
  expect(bytes('WEIGHT')).toBeGreaterThan(60_000);

  const fxp = await download(page, 'fxp');
  expect(Object.keys(fxp).sort()).toEqual(['model.fxp.bin', 'model.fxp.json']);
  expect(JSON.parse(text(fxp['model.fxp.json'])).format).toBe('fixpoint-model');
  expect(fxp['model.fxp.bin'].length).toBeGreaterThan(0);

  const tfjs = await download(page, 'tfjs');
  expect(Object.keys(tfjs)).toHaveLength(3);
  expect(JSON.parse(text(tfjs['tfjs/model.json'])).format).toBe('layers-model');
  expect(text(tfjs['tfjs/README.md'])).toContain('Activation quantization is not in this model');

  // Download all: the four above in one zip, byte for byte the same files.
  const all = await download(page, 'all');
  expect(Object.keys(all).sort()).toEqual([...Object.keys(report), ...Object.keys(c), ...Object.keys(fxp), ...Object.keys(tfjs)].sort());
  expect(all['model.fxp.bin']).toEqual(fxp['model.fxp.bin']);
  expect(text(all['c/model_q.c'])).toBe(text(c['c/model_q.c']));
  await expect(page.getByTestId('export-error')).toHaveCount(0);

  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
