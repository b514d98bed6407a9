// The search images' float answers come from the statistics' pass (floatPassWithStats), the
// other images' from floatPass (in a pool's shards): both must be what engine.run gives.
import { describe, expect, it } from 'vitest';
import { uniformConfig } from '../core/cost.ts';
import type { Graph } from '../core/graph.ts';
import type { Engine } from '../engine/engine.ts';
import { relaxedEngine, simdEngine } from '../testing/engines.ts';
import { demoGraph, demoImages, h5Graph, hasPaperModel, mnistDigits } from '../testing/models.ts';
import { floatPass, floatPassWithStats } from './float-pass.ts';

function sameAnswers(engine: Engine, graph: Graph, images: Float32Array): void {
  const one = floatPassWithStats(engine, images);
  const stats = engine.activationStats(images);
  const pass = floatPass(engine, images);
  expect(one.predictions).toEqual(pass.predictions);
  expect(one.logits).toEqual(pass.logits);
  expect(one.stats).toEqual(stats);
  expect(one.predictions.every((p) => p >= 0)).toBe(true);
  // A quantized configuration: fixed-point outputs, the integer argmax and dequantized values.
  engine.setConfig(uniformConfig(graph, stats, 6));
  const both = engine.statsAndAnswers(images);
  const r = engine.run(images, null, { outputs: true });
  expect(both.predictions).toEqual(r.predictions);
  expect(both.outputs).toEqual(r.outputs);
  expect(both.outputs).not.toEqual(pass.logits);
}

describe('floatPassWithStats', () => {
  it.each([['SIMD', simdEngine], ['relaxed SIMD', relaxedEngine]])('gives the answers and statistics of floatPass and activationStats (%s, demo, 300 digits over several batches)', async (_name, make) => {
    const engine = make();
    const graph = await demoGraph();
    engine.load(graph);
    sameAnswers(engine, graph, demoImages('test').images.subarray(0, 300 * 784));
  });

  it.skipIf(!hasPaperModel('mnist_keras.h5'))('gives the answers and statistics of floatPass and activationStats (mnist_keras.h5, 130 digits)', async () => {
    const engine = relaxedEngine();
    const graph = await h5Graph('mnist_keras.h5');
    engine.load(graph);
    sameAnswers(engine, graph, mnistDigits(130).images);
  });
});
