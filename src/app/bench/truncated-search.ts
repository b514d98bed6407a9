// workers_speedup on a model whose evaluations are worth splitting (DESIGN.md §10, issue 12):
// the first `evaluations` scorings of a search, timed on one evaluator and then on another.
// A search is deterministic and a pool scores exactly like one engine, so both runs score the
// same configurations in the same order: the ratio of their times is the speedup. Shared by
// the Node bench (worker threads) and the browser bench (Web Workers).
import type { Graph } from '../../core/graph.ts';
import type { ActivationStats } from '../../core/tensors.ts';
import type { Evaluator } from '../../search/evaluator.ts';
import { runSearch } from '../../search/run.ts';
import type { Method } from '../../search/scorer.ts';

export interface TruncatedSearch {
  graph: Graph;
  stats: ActivationStats;
  method: Method;
  /** Stop after this many evaluations (0: run the whole search). */
  evaluations: number;
  budget?: number;
}

/** Seconds the search takes up to its `evaluations`-th evaluation, and how many it made. */
export async function timeSearch(s: TruncatedSearch, evaluator: Evaluator): Promise<{ seconds: number; evaluations: number }> {
  const stop = new AbortController();
  let made = 0;
  const t0 = performance.now();
  try {
    const r = await runSearch(s.method, {
      graph: s.graph, evaluator, budget: s.budget ?? 0.01, stats: s.stats, seed: 0, signal: stop.signal,
      onProgress: (p) => {
        made = p.evaluations;
        if (s.evaluations > 0 && made >= s.evaluations) stop.abort();
      },
    });
    made = r.evaluations;
  } catch (e) {
    if (!stop.signal.aborted) throw e;
  }
  return { seconds: (performance.now() - t0) / 1000, evaluations: made };
}
