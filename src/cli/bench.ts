// `fixpoint bench` (DESIGN.md §10): ratios measured within one run — the engine against
// TensorFlow.js's wasm backend and against the peak of its inner instruction, and the search
// against itself without caches and early stops, and with 2 worker threads against 1.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type * as EngineBench from '../../bench/engine-bench.ts';
import type * as FloatPasses from '../../bench/float-passes.ts';
import type * as SearchBench from '../../bench/search-bench.ts';
import type * as WorkersBench from '../../bench/workers-bench.ts';
import { type ParsedArgs, numberFlag } from './args.ts';
import { projectRoot } from './project.ts';

// The benchmarks run from their TypeScript sources (through tsx, a dev dependency): they find
// the demo, the paper models and the mnist digits relative to the checkout, not the bundle.
const load = <T>(rel: string): Promise<T> => tsImport(pathToFileURL(join(projectRoot(), rel)).href, import.meta.url) as Promise<T>;

export const BENCH_FLAGS = { json: 'switch', images: 'value', repeats: 'value', skip: 'value', evaluations: 'value', 'float-passes': 'switch' } as const;

export async function benchCommand(args: ParsedArgs): Promise<number> {
  const images = numberFlag(args.flags, 'images', 1000, (v) => Number.isInteger(v) && v >= 10);
  const repeats = numberFlag(args.flags, 'repeats', 3, (v) => Number.isInteger(v) && v >= 1);
  const skip = new Set(String(args.flags.get('skip') ?? '').split(',').filter(Boolean));
  const { runBench, formatBench } = await load<typeof EngineBench>('bench/engine-bench.ts');
  const { runSearchBench } = await load<typeof SearchBench>('bench/search-bench.ts');
  const engine = skip.has('engine') ? null : await runBench({ images, repeats });
  const search = skip.has('search') ? null : await runSearchBench({ images: Math.min(images, 1000) });
  // On the paper's Sequential CNN: the demo's evaluations are too small to be worth splitting.
  const evaluations = numberFlag(args.flags, 'evaluations', 40, (v) => Number.isInteger(v) && v >= 0);
  const { runWorkersBench, fixtures } = await load<typeof WorkersBench>('bench/workers-bench.ts');
  const workers = skip.has('workers') || !existsSync(join(fixtures, 'paper', 'mnist_seq_large.h5')) ? null
    : await runWorkersBench({ images: Math.min(images, 1000), evaluations });
  // Whole paper and frontier searches on mnist_seq_large: minutes, so only when asked for.
  const passes = !args.flags.has('float-passes') ? null
    : await (await load<typeof FloatPasses>('bench/float-passes.ts')).runFloatPassesBench({ images: Math.min(images, 1000) });
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
      process.stdout.write(`search_float_passes (mnist_seq_large, ${passes.images} images, ${passes.workers} worker threads; TensorFlow.js one pass ${passes.tfjs_seconds.toFixed(2)} s): ` +
        Object.entries(passes.search_float_passes).map(([m, v]) => `${m} ${v!.toFixed(1)} (${passes.seconds[m as 'paper']!.toFixed(0)} s)`).join(', ') + '\n');
    }
    if (workers) {
      const [a, b] = workers.seconds;
      process.stdout.write(`workers (${workers.method}, mnist_seq_large, ${workers.images} images, first ${workers.evaluations} evaluations): ` +
        `${workers.workers[1]} worker threads ${b.toFixed(2)} s vs ${workers.workers[0]} ${a.toFixed(2)} s → ${workers.workers_speedup.toFixed(2)}×\n`);
    }
  }
  return 0;
}
