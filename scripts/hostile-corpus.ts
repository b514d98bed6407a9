// Writes the hostile-input corpus to fixtures/hostile/ (issue 15): `tsx scripts/hostile-corpus.ts`
// for everything, `--made` for only the parts made at test time (bombs, links, FIFOs).
import { writeCorpus } from '../src/testing/hostile/corpus.ts';

const root = new URL('..', import.meta.url).pathname;
await writeCorpus(root, process.argv.includes('--made') ? 'made' : 'all');
process.stdout.write('fixtures/hostile written\n');
