// Search speed ratios for `fixpoint bench` (DESIGN.md §10), each measured within one run:
// - search_speedup: the paper method on the demo with prefix caches and early stops against
//   the same search with both switched off (EngineEvaluator.optimised = false);
// - workers_speedup: the same optimised search scored by 2 worker threads against 1.
import { workerPool } from '../src/cli/pool.ts';
import { demoDataPath, demoModelPath } from '../src/cli/project.ts';
import { nodeSession } from '../src/cli/inputs.ts';
import { openDataset, openModel } from '../src/formats/index.ts';
import { readPathAsFiles } from '../src/formats/node-files.ts';
import type { Evaluator } from '../src/search/evaluator.ts';
import { runSearch } from '../src/search/run.ts';
import type { Method } from '../src/search/scorer.ts';
import { PROXY_IMAGES } from '../src/worker/session.ts';

export interface SearchBenchOptions {
  method?: Method;
  /** Calibration images (default 1,000: the demo's). */
  images?: number;
  log?: (line: string) => void;
}

export interface SearchBenchResult {
  method: Method;
  images: number;
  search_speedup: number;
  workers_speedup: number;
  seconds: { optimised: number; unoptimised: number; workers1: number; workers2: number };
  evaluations: { optimised: number; unoptimised: number };
}

export async function runSearchBench(o: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const method = o.method ?? 'paper';
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const session = await nodeSession();
  session.setModel(await openModel(readPathAsFiles(demoModelPath())));
  const data = session.setData(await openDataset(readPathAsFiles(demoDataPath())), {}, { search: o.images ?? 1000, validation: 100 });
  const graph = session.graph!;
  const search = async (evaluator: Evaluator, label: string) => {
    const t0 = performance.now();
    const r = await runSearch(method, { graph, evaluator, budget: 0.01, stats: data.stats, seed: 0 });
    const s = (performance.now() - t0) / 1000;
    log(`search bench: ${label}: ${r.evaluations} evaluations in ${s.toFixed(2)} s`);
    return { s, evaluations: r.evaluations };
  };
  const { search: inProcess } = session.evaluators();
  const fast = await search(inProcess, 'optimised');
  inProcess.optimised = false;
  const slow = await search(inProcess, 'without caches and early stops');
  const timed = async (workers: number) => {
    const pool = await workerPool(graph, data.calibration, PROXY_IMAGES, workers);
    try {
      return (await search(pool, `${workers} worker thread${workers > 1 ? 's' : ''}`)).s;
    } finally {
      pool.close();
    }
  };
  const workers1 = await timed(1);
  const workers2 = await timed(2);
  return {
    method, images: data.calibration.labels.length,
    search_speedup: slow.s / fast.s,
    workers_speedup: workers1 / workers2,
    seconds: { optimised: fast.s, unoptimised: slow.s, workers1, workers2 },
    evaluations: { optimised: fast.evaluations, unoptimised: slow.evaluations },
  };
}

