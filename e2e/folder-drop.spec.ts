// A folder of class sub-folders with PNG digits, chosen with the folder picker as a person would.
import { digitFolders } from './digit-folders.ts';
import { openDemo, test, expect } from './fixtures.ts';

test('a class-folder data set of PNGs is read, labelled by folder and scored by the float model', async ({ page, foreignRequests, pageErrors }) => {
  // 120 real demo test digits as RGBA PNGs in folders named after their class.
  const dir = digitFolders(120);
  await openDemo(page);
  await page.getByTestId('data-drop-folder').setInputFiles(dir);
  await expect(page.getByTestId('data-summary')).toContainText('120 images, 10 classes', { timeout: 60_000 });
  // 40% of 120 for the search: the demo model gets nearly all of these digits right.
  const acc = parseFloat((await page.getByTestId('float-acc').textContent())!);
  expect(acc).toBeGreaterThan(95);
  await expect(page.getByTestId('thumb').first()).toBeVisible();
  expect(foreignRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
