// Standalone runner: npx tsx bench/run.ts [--json] [--images N] [--batch N] [--repeats N] [model…]
import { BENCH_MODELS, type BenchModel, formatBench, runBench } from './engine-bench.ts';

const args = process.argv.slice(2);
const num = (flag: string) => { const i = args.indexOf(flag); return i >= 0 ? Number(args[i + 1]) : undefined; };
const models = args.filter((a) => (BENCH_MODELS as readonly string[]).includes(a)) as BenchModel[];
const r = await runBench({ models: models.length ? models : undefined, images: num('--images'), batch: num('--batch'), repeats: num('--repeats') });
process.stdout.write(args.includes('--json') ? `${JSON.stringify(r, null, 2)}\n` : `${formatBench(r)}\n`);
