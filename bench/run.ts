// Standalone runner from the sources: npx tsx bench/run.ts [fixpoint bench flags], e.g.
// --json --images 500 --repeats 2 --skip search,workers (the same code as the built CLI's bench).
import { main } from '../src/cli/main.ts';

process.exitCode = await main(['bench', ...process.argv.slice(2)]);
