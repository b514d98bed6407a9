// `fixpoint bench` (DESIGN.md §10): ratios measured within one run — the engine against
// TensorFlow.js's wasm backend and against the peak of its inner instructions, the search
// against itself without caches and early stops, and with 2 worker threads against 1. All of it
// is bundled (src/app/bench, src/cli/bench): no tsx, no dev dependency at run time.
import { DEFAULT_BATCH } from '../engine/engine.ts';
import { allowRelaxedSimd } from '../engine/load-node.ts';
import { type ParsedArgs, UsageError, numberFlag } from './args.ts';
import { runBench, formatBench } from './bench/engine.ts';
import { runFloatPassesBench } from './bench/float-passes.ts';
import { benchInputs, checkTfjsTwin } from './bench/inputs.ts';
import { runSearchBench } from './bench/search.ts';
import { runWorkersBench } from './bench/workers.ts';
import { demoModelPath } from './project.ts';

export const BENCH_FLAGS = {
  json: 'switch', images: 'value', repeats: 'value', batch: 'value', skip: 'value', evaluations: 'value', 'float-passes': 'switch',
  model: 'value', data: 'value',
} as const;

const PARTS = ['engine', 'search', 'workers'];

export async function benchCommand(args: ParsedArgs): Promise<number> {
  const images = numberFlag(args.flags, 'images', 1000, (v) => Number.isInteger(v) && v >= 10);
  const repeats = numberFlag(args.flags, 'repeats', 3, (v) => Number.isInteger(v) && v >= 1);
  const batch = numberFlag(args.flags, 'batch', DEFAULT_BATCH, (v) => Number.isInteger(v) && v >= 1);
  // On the paper's Sequential CNN: the demo's evaluations are too small to be worth splitting.
  const evaluations = numberFlag(args.flags, 'evaluations', 40, (v) => Number.isInteger(v) && v >= 0);
  const skip = new Set(String(args.flags.get('skip') ?? '').split(',').filter(Boolean));
  for (const s of skip) if (!PARTS.includes(s)) throw new UsageError(`--skip ${s}: expected a comma-separated list of ${PARTS.join(', ')}`);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  // The build `quantize` and the page run (relaxed SIMD, bit-exact with the plain one), so the
  // figures measure what ships.
  allowRelaxedSimd();
  const inputs = benchInputs(args.flags);
  if (inputs.modelMissing) {
    if (args.flags.has('float-passes')) throw new UsageError(`--float-passes: ${inputs.modelMissing}`);
    if (!skip.has('engine') || !skip.has('workers')) log(inputs.modelMissing);
  }
  const large = inputs.model;
  if (large && (!skip.has('engine') || args.flags.has('float-passes'))) checkTfjsTwin(large);
  const engine = skip.has('engine') ? null
    : await runBench({ models: [demoModelPath(), ...(large ? [large] : [])], data: inputs.data, images, repeats, batch, log });
  const search = skip.has('search') ? null : await runSearchBench({ images: Math.min(images, 1000), log });
  const workers = skip.has('workers') || !large ? null
    : await runWorkersBench({ model: large, data: inputs.data, images: Math.min(images, 1000), evaluations, log });
  // Whole paper and frontier searches on the larger model: minutes, so only when asked for.
  const passes = !args.flags.has('float-passes') || !large ? null
    : await runFloatPassesBench({ model: large, data: inputs.data, images: Math.min(images, 1000), log });
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify({
      ...(engine ?? {}),
      ...(passes ? { search_float_passes: passes.search_float_passes, float_passes: passes } : {}),
      ...(search ? { search_speedup: search.search_speedup, search } : {}),
      ...(workers ? { workers_speedup: workers.workers_speedup, workers } : {}),
    }, null, 2) + '\n');
  } else {
    if (engine) process.stdout.write(formatBench(engine) + '\n');
    if (search) {
      const s = search.seconds;
      process.stdout.write(`search (${search.method}, demo, ${search.images} images): optimised ${s.optimised.toFixed(2)} s vs without caches and early stops ${s.unoptimised.toFixed(2)} s → ${search.search_speedup.toFixed(2)}×\n`);
    }
    if (passes) {
      process.stdout.write(`search_float_passes (${passes.model}, ${passes.images} images, ${passes.workers} worker threads; TensorFlow.js one pass ${passes.tfjs_seconds.toFixed(2)} s): ` +
        Object.entries(passes.search_float_passes).map(([m, v]) => `${m} ${v!.toFixed(1)} (${passes.seconds[m as 'paper']!.toFixed(0)} s)`).join(', ') + '\n');
    }
    if (workers) {
      const [a, b] = workers.seconds;
      process.stdout.write(`workers (${workers.method}, ${workers.model}, ${workers.images} images, first ${workers.evaluations} evaluations): ` +
        `${workers.workers[1]} worker threads ${b.toFixed(2)} s vs ${workers.workers[0]} ${a.toFixed(2)} s → ${workers.workers_speedup.toFixed(2)}×\n`);
    }
  }
  return 0;
}
