import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox'] });
const p = await b.newPage({ viewport: { width: 390, height: 844 } });
await p.goto('http://127.0.0.1:4208/');
await p.getByTestId('float-acc').waitFor({ timeout: 60000 });
await p.waitForTimeout(500);
const wide = () => p.evaluate(() => {
  const W = document.documentElement.clientWidth;
  const out = [];
  const clipped = (el) => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) { const o = getComputedStyle(a).overflowX; if (o !== 'visible') return true; } return false; };
  for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect(); if (r.right > W + 0.5 && !clipped(el)) out.push(el.tagName + '.' + el.className + ' ' + (el.getAttribute('data-testid')||'') + ' ' + Math.round(r.right)); }
  return { sw: document.documentElement.scrollWidth, W, out: out.slice(0, 15) };
});
console.log('loaded', await wide());
await p.getByTestId('method').selectOption('uniform');
await p.getByTestId('run').click();
await p.getByTestId('results-panel').waitFor({ timeout: 60000 });
await p.waitForTimeout(500);
console.log('result', await wide());
await p.screenshot({ path: '/tmp/shell-390.png', fullPage: true });
await b.close();
