// The shared setup of the search tests: the tiny model on 400 search and 400 held-out digits,
// scored by the real Wasm engine (one per fixture) through the same EngineEvaluator the app
// uses, with a proxy of 100 images. Each evaluator gets its own copy of the images, so the
// engine's prefix caches (keyed by the image array) never mix two evaluators' histories.
import type { Graph } from '../core/graph.ts';
import type { ActivationStats } from '../core/tensors.ts';
import type { Engine } from '../engine/engine.ts';
import { EngineEvaluator } from '../search/engine-evaluator.ts';
import { simdEngine } from './engines.ts';
import type { Split, TinyData } from './tiny-model.ts';
import { tinyData, tinyModel } from './tiny-model.ts';

export interface Fixture {
  data: TinyData;
  graph: Graph;
  engine: Engine;
  stats: ActivationStats;
  search(): EngineEvaluator;
  heldOut(): EngineEvaluator;
}

export function fixture(opts: { epilogue?: boolean; seed?: number } = {}): Fixture {
  const data = tinyData({ train: 2000, search: 400, heldOut: 400 }, opts.seed ?? 7);
  const graph = tinyModel(data.train, { epilogue: opts.epilogue });
  const engine = simdEngine();
  engine.load(graph);
  const float = { nodes: graph.nodes.map(() => ({})) };
  const evaluator = (set: Split, proxy: number) => {
    engine.setConfig(float);
    const images = set.inputs.slice();
    return new EngineEvaluator(engine, { images, labels: set.labels, floatPredictions: engine.run(images, null).predictions }, proxy);
  };
  engine.setConfig(float);
  const stats = engine.activationStats(data.search.inputs).map((t) => ({ maxAbs: t.maxAbs, min: t.min }));
  return {
    data, graph, engine, stats,
    search: () => evaluator(data.search, 100),
    heldOut: () => evaluator(data.heldOut, data.heldOut.labels.length),
  };
}
