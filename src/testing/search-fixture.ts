// The shared setup of the search tests: the tiny model on 400 search and 400 held-out digits,
// with fresh fake-quant evaluators per run (a proxy of 100 images).
import type { Graph } from '../core/graph.ts';
import type { ActivationStats } from '../core/tensors.ts';
import { FakeQuantEvaluator } from './fake-quant.ts';
import type { TinyData } from './tiny-model.ts';
import { tinyData, tinyModel } from './tiny-model.ts';

export interface Fixture {
  data: TinyData;
  graph: Graph;
  stats: ActivationStats;
  search(): FakeQuantEvaluator;
  heldOut(): FakeQuantEvaluator;
}

export function fixture(opts: { epilogue?: boolean; seed?: number } = {}): Fixture {
  const data = tinyData({ train: 2000, search: 400, heldOut: 400 }, opts.seed ?? 7);
  const graph = tinyModel(data.train, { epilogue: opts.epilogue });
  const search = () => new FakeQuantEvaluator(graph, data.search.inputs, data.search.labels, { proxy: 100 });
  const heldOut = () => new FakeQuantEvaluator(graph, data.heldOut.inputs, data.heldOut.labels);
  return { data, graph, stats: search().stats(), search, heldOut };
}
