// The float model's answers on a set of images. The data's preparation (app/load-data.ts) runs
// this on the workspace's engine, and a pool's shards (shard-protocol.ts) on theirs for the
// images they hold: one function, so both give the same answers bit for bit.
import type { TensorStats } from '../core/tensor-stats.ts';
import type { Engine } from '../engine/engine.ts';
import type { ImageSet } from './engine-evaluator.ts';

export interface FloatPass {
  /** The float model's top-1 per image. */
  predictions: Int32Array;
  /** Its outputs, image-major. */
  logits: Float32Array;
}

/** Images whose float pass has not run yet, with the data's labels (null: the data has none). */
export interface UnpredictedSet {
  images: Float32Array;
  labels: Int32Array | null;
}

const toFloat = (engine: Engine) => engine.setConfig({ nodes: engine.nodeDomains().map(() => ({})) });

/** Runs the float model (loaded in `engine`) on `images`; leaves the engine in the all-float configuration. */
export function floatPass(engine: Engine, images: Float32Array): FloatPass {
  toFloat(engine);
  const r = engine.run(images, null, { outputs: true });
  return { predictions: r.predictions, logits: r.outputs ?? new Float32Array(0) };
}

/** floatPass and the float activations' statistics in one pass (the same answers: Engine.statsAndAnswers). */
export function floatPassWithStats(engine: Engine, images: Float32Array): FloatPass & { stats: TensorStats[] } {
  toFloat(engine);
  const r = engine.statsAndAnswers(images);
  return { predictions: r.predictions, logits: r.outputs, stats: r.stats };
}

/** The set with its float pass; unlabeled data takes the float model's answers as its labels. */
export function withFloatPass(set: UnpredictedSet, pass: FloatPass): ImageSet {
  return { images: set.images, labels: set.labels ?? pass.predictions.slice(), floatPredictions: pass.predictions, floatLogits: pass.logits };
}
