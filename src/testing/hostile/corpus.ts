// The hostile-input corpus (issue 15), kept as data the netron way: one entry per input with
// where it is used and the exact one-line message a person gets. `scripts/hostile-corpus.ts`
// writes it to fixtures/hostile/ (small files committed; bombs, links, FIFOs and sparse files
// made at test time under fixtures/hostile/made/, which git ignores).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CASES, type HostileCase } from './cases.ts';

export { CASES, type HostileCase };

export const CORPUS_DIR = 'fixtures/hostile';

/** Where a case's files live, relative to the checkout. */
export const caseDir = (c: HostileCase): string => join(CORPUS_DIR, c.made ? 'made' : 'files', c.id);

/** The path handed to --model / --data. */
export const caseTarget = (c: HostileCase): string => (c.target?.startsWith('/') ? c.target : c.target === '' ? caseDir(c) : join(caseDir(c), c.target ?? Object.keys(c.files ?? {})[0] ?? ''));

/** The exact line on stderr, placeholders filled in. */
export const caseMessage = (c: HostileCase): string => `fixpoint: ${c.message.replaceAll('{dir}', caseDir(c)).replaceAll('{target}', caseTarget(c))}`;

/** Command-line arguments for one case (the command first). */
export function caseArgs(c: HostileCase): string[] {
  const args: string[] = [c.command ?? 'eval'];
  if (c.use === 'model') args.push('--model', caseTarget(c));
  if (c.use === 'data') args.push('--data', caseTarget(c));
  return [...args, ...(c.args ?? []).map((a) => a.replaceAll('{dir}', caseDir(c)))];
}

/** Writes one case's files under `root` (the checkout). */
export async function writeCase(root: string, c: HostileCase): Promise<void> {
  const dir = join(root, caseDir(c));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = typeof c.files === 'function' ? await c.files(root) : c.files ?? {};
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), data);
  }
  await c.setup?.(dir);
}

/** Writes the whole corpus (or only the made-at-test-time part) and its index. */
export async function writeCorpus(root: string, only: 'all' | 'made' = 'all'): Promise<void> {
  for (const c of CASES) if (only === 'all' || c.made) await writeCase(root, c);
  if (only === 'all') {
    const index = CASES.map((c) => ({ id: c.id, item: c.item, use: c.use, args: caseArgs(c), message: caseMessage(c), page: c.page ?? false, made: c.made ?? false }));
    writeFileSync(join(root, CORPUS_DIR, 'corpus.json'), JSON.stringify(index, null, 1) + '\n');
  }
}
