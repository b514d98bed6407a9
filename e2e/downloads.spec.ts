// Downloads as a person gets them: the report and the C reference, whose `make test` must pass.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { test, expect } from './fixtures.ts';

test('after a search: report and C downloads; the C passes make test bit for bit', async ({ page, foreignRequests, pageErrors }) => {
  await page.goto('/');
  await expect(page.getByTestId('float-acc')).toHaveText('99.40%', { timeout: 60_000 });
  await page.getByTestId('method').selectOption('uniform');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('results-panel')).toContainText('uniform search', { timeout: 60_000 });

  const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-report').click()]);
  expect(report.suggestedFilename()).toBe('lenet5_mnist-report.zip');
  const files = unzipSync(new Uint8Array(readFileSync(await report.path())));
  const json = JSON.parse(new TextDecoder().decode(files['report.json']));
  expect(json.method).toBe('uniform');
  expect(json.model.name).toBe('lenet5_mnist');
  expect(json.float.validation_acc).toBe(0.985);
  expect(new TextDecoder().decode(files['layers.csv'])).toContain('conv1');

  const [c] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-c').click()]);
  const dir = mkdtempSync(join(tmpdir(), 'fixpoint-e2e-c-'));
  for (const [name, data] of Object.entries(unzipSync(new Uint8Array(readFileSync(await c.path()))))) {
    writeFileSync(join(dir, name.replace(/^c\//, '')), data);
  }
  expect(execFileSync('make', ['test'], { cwd: dir, encoding: 'utf8' })).toContain('all 16 test vectors bit-exact');

  const [fxp] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  const packed = unzipSync(new Uint8Array(readFileSync(await fxp.path())));
  const manifest = JSON.parse(new TextDecoder().decode(packed['model.fxp.json']));
  expect(manifest.format).toBe('fixpoint-model');
  expect(packed['model.fxp.bin'].length).toBeGreaterThan(0);

  const [tfjs] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-tfjs').click()]);
  const tfjsFiles = unzipSync(new Uint8Array(readFileSync(await tfjs.path())));
  expect(JSON.parse(new TextDecoder().decode(tfjsFiles['tfjs/model.json'])).format).toBe('layers-model');
  expect(new TextDecoder().decode(tfjsFiles['tfjs/README.md'])).toContain('Activation quantization is not in this model');
  await expect(page.getByTestId('export-error')).toHaveCount(0);

  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
