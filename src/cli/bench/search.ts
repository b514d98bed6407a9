// Search speed ratios for `fixpoint bench` (DESIGN.md §10), each measured within one run:
// - search_speedup: the paper method on the demo with prefix caches and early stops against
//   the same search with both switched off (EngineEvaluator.optimised = false);
// (workers_speedup is measured on mnist_seq_large, whose evaluations are worth splitting:
// workers.ts.)
import { openDataset, openModel } from '../../formats/index.ts';
import { readPathAsFiles } from '../../formats/node-files.ts';
import type { Evaluator } from '../../search/evaluator.ts';
import { runSearch } from '../../search/run.ts';
import type { Method } from '../../search/scorer.ts';
import { nodeWorkspace } from '../inputs.ts';
import { demoDataPath, demoModelPath } from '../project.ts';

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
  seconds: { optimised: number; unoptimised: number };
  evaluations: { optimised: number; unoptimised: number };
}

export async function runSearchBench(o: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const method = o.method ?? 'paper';
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const ws = await nodeWorkspace();
  ws.setModel(await openModel(readPathAsFiles(demoModelPath())));
  const data = ws.setData(await openDataset(readPathAsFiles(demoDataPath())), {}, { search: o.images ?? 1000, validation: 100 });
  const graph = ws.graph;
  const search = async (evaluator: Evaluator, label: string) => {
    const t0 = performance.now();
    const r = await runSearch(method, { graph, evaluator, budget: 0.01, stats: data.stats, seed: 0 });
    const s = (performance.now() - t0) / 1000;
    log(`search bench: ${label}: ${r.evaluations} evaluations in ${s.toFixed(2)} s`);
    return { s, evaluations: r.evaluations };
  };
  const { search: inProcess } = ws.evaluators();
  const fast = await search(inProcess, 'optimised');
  inProcess.optimised = false;
  const slow = await search(inProcess, 'without caches and early stops');
  return {
    method, images: data.calibration.labels.length,
    search_speedup: slow.s / fast.s,
    seconds: { optimised: fast.s, unoptimised: slow.s },
    evaluations: { optimised: fast.evaluations, unoptimised: slow.evaluations },
  };
}

