// npx tsx bench/float-passes.ts [paper|frontier] [images]: search_float_passes on
// mnist_seq_large (src/cli/bench/float-passes.ts; `fixpoint bench --float-passes` runs the same).
import { runFloatPassesBench } from '../src/cli/bench/float-passes.ts';
import type { Method } from '../src/search/scorer.ts';

const methods = process.argv.slice(2).filter((a) => a === 'paper' || a === 'frontier') as Method[];
const images = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1000);
process.stdout.write(`${JSON.stringify(await runFloatPassesBench({ images, methods: methods.length ? methods : undefined }), null, 2)}\n`);
