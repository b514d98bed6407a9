// `npm test`: unit tests (vitest) then end-to-end tests (Playwright in Debian's Chromium).
// Builds first when the build is missing, finds Chromium ($CHROMIUM_PATH, else
// /usr/bin/chromium; installs Debian's package when run as root), names every suite that was
// skipped (tests skip themselves when a tool or fixture they need is missing: cc, the paper
// models, Fashion-MNIST) and ends with one line: "N passed, N failed, N skipped", counting both.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status;

function findChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return path;
  if (process.env.CHROMIUM_PATH) {
    console.error(`CHROMIUM_PATH is ${path}, but there is no file there. Point it at a Chromium or Chrome binary.`);
    process.exit(2);
  }
  if (process.getuid?.() === 0) {
    console.error('Chromium is missing; installing Debian\'s chromium package (apt-get)…');
    run('apt-get', ['update', '-qq']);
    if (run('apt-get', ['install', '-y', '-qq', 'chromium']) === 0 && existsSync(path)) return path;
  }
  console.error('The end-to-end tests need Chromium. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary, then run npm test again.');
  process.exit(2);
}

const chromium = findChromium();
if (!existsSync(join(root, 'dist', 'index.html')) || !existsSync(join(root, 'build', 'engine-simd.wasm')) || !existsSync(join(root, 'dist-cli', 'fixpoint.js'))) {
  if (run('npm', ['run', 'build']) !== 0) process.exit(1);
}

const out = join(root, 'test-results');
rmSync(join(out, 'vitest.json'), { force: true });
rmSync(join(out, 'playwright.json'), { force: true });
mkdirSync(out, { recursive: true });
run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(out, 'vitest.json')}`]);
run('npx', ['playwright', 'test', '--reporter=list,json'], { CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: join(out, 'playwright.json'), PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });

const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null);
const v = read(join(out, 'vitest.json'));
const p = read(join(out, 'playwright.json'));
let passed = 0;
let failed = 0;
let skipped = 0;
/** "file › suite" → skipped tests, with the reason Playwright was given where there is one. */
const skippedSuites = new Map();
const noteSkip = (where, reason) => {
  const key = reason ? `${where} (${reason})` : where;
  skippedSuites.set(key, (skippedSuites.get(key) ?? 0) + 1);
};
if (v) {
  passed += v.numPassedTests;
  failed += v.numFailedTests + (v.numRuntimeErrorTestSuites ?? 0) + (v.numFailedTestSuites && !v.numFailedTests ? v.numFailedTestSuites : 0);
  for (const file of v.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status !== 'skipped' && t.status !== 'pending' && t.status !== 'todo') continue;
      skipped++;
      noteSkip([file.name.replace(root, ''), t.ancestorTitles?.[0] ?? t.title].join(' › '));
    }
  }
} else failed += 1;
if (p) {
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected + (p.errors?.length ?? 0);
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        skipped++;
        noteSkip(`${spec.file} › ${spec.title}`, t.annotations?.find((a) => a.type === 'skip')?.description);
      }
    }
    for (const s of suite.suites ?? []) walk(s);
  };
  for (const s of p.suites ?? []) walk(s);
} else failed += 1;
for (const [where, n] of skippedSuites) console.log(`skipped: ${where}${n > 1 ? ` (${n} tests)` : ''}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
