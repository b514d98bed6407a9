// Every input of the hostile corpus (fixtures/hostile/corpus.json, issue 15) on the command line,
// each in its own process under --max-old-space-size=1024: exit status 2, exactly one line on
// stderr after the progress lines, no stack trace, within a bounded resident size.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES, CORPUS_DIR, caseArgs, caseMessage, writeCorpus } from '../testing/hostile/corpus.ts';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const index: Array<{ id: string; args: string[]; message: string }> = JSON.parse(readFileSync(join(root, CORPUS_DIR, 'corpus.json'), 'utf8'));
/** Resident size a case may reach: the V8 heap limit plus the typed arrays a capped input may fill. */
const MAX_RSS_KB = 1024 * 1024;

beforeAll(async () => {
  await writeCorpus(root, 'made');
}, 120_000);

describe('hostile corpus index', () => {
  it('matches the cases in src/testing/hostile (regenerate with `npx tsx scripts/hostile-corpus.ts`)', () => {
    expect(index.map((c) => [c.id, c.args, c.message])).toEqual(CASES.map((c) => [c.id, caseArgs(c), caseMessage(c)]));
  });
});

describe.concurrent('hostile corpus on the command line', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fixpoint-hostile-'));
  for (const c of index) {
    it(c.id, async () => {
      const rss = join(tmp, `${c.id}.rss`);
      const args = ['-f', '%M', '-o', rss, process.execPath, '--max-old-space-size=1024', '--import', 'tsx', 'src/testing/hostile/run-cli.ts', ...c.args];
      let code = 0;
      let stderr = '';
      try {
        ({ stderr } = await run('/usr/bin/time', args, { cwd: root, timeout: 60_000, env: { ...process.env, FIXPOINT_DEBUG: '' } }));
      } catch (e) {
        const err = e as { code?: number; stderr?: string };
        code = err.code ?? -1;
        stderr = err.stderr ?? '';
      }
      const lines = stderr.split('\n').filter((l) => l !== '' && !/^reading (model|data) /.test(l));
      expect(lines).toEqual([c.message]);
      expect(code).toBe(2);
      expect(Number(readFileSync(rss, 'utf8').trim().split('\n').pop())).toBeLessThan(MAX_RSS_KB);
    }, 90_000);
  }
  it.sequential('cleans up', () => rmSync(tmp, { recursive: true, force: true }));
});
