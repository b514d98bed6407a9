// Calibration data made ready for one model: preprocessing, the seeded split, the float answers
// and activation statistics, computed by the engine that holds the model.
import type { Graph } from '../core/graph.ts';
import type { PreprocessOptions } from '../core/preprocess.ts';
import { inputTarget, preprocessImages } from '../core/preprocess.ts';
import { type Split, splitIndices } from '../core/split.ts';
import type { GraphSummary } from '../core/summary.ts';
import { summarizeGraph } from '../core/summary.ts';
import type { ActivationStats } from '../core/tensors.ts';
import type { Engine } from '../engine/engine.ts';
import type { Dataset } from '../formats/types.ts';
import type { ImageSet } from '../search/engine-evaluator.ts';
import { type FloatPass, floatPass, floatPassWithStats, type UnpredictedSet, withFloatPass } from '../search/float-pass.ts';

export interface Preprocessing {
  /** Value range a pixel 0..255 maps to; default [0, 1]. */
  range?: [number, number];
  mean?: number[];
  std?: number[];
  /** Resize target for models that take a flat vector; spatial models use their input size. */
  resize?: [number, number];
}

/** Image counts of the three parts (core/split.ts); absent: the defaults, which use every image. */
export interface SplitSettings {
  seed?: number;
  search?: number;
  confirmation?: number;
  validation?: number;
}

export interface LoadedData {
  dataset: Dataset;
  split: Split;
  labelsFrom: 'given' | 'float-model';
  /** The search part (named calibration in report.json, as DESIGN.md §8 has it). */
  calibration: ImageSet;
  /** Picks the configuration for a budget; the walk never sees it (src/search/README.md). */
  confirmation: ImageSet;
  validation: ImageSet;
  floatAcc: { calibration: number; confirmation: number; validation: number };
  /** Float max|x| and min of every node's output on the search images. */
  stats: ActivationStats;
  summary: GraphSummary;
}

/** Images in the proxy subset the searches rank candidates on. */
export const PROXY_IMAGES = 250;

/** Preprocessing options for a graph, a data set and the user's settings; throws when they cannot fit. */
export function preprocessFor(graph: Graph, dataset: Dataset, prep: Preprocessing): PreprocessOptions {
  const shape = graph.nodes[0].shape;
  const flat = shape[0] === 1 && shape[1] === 1;
  let target = inputTarget(shape, dataset.images[0]);
  if (prep.resize) {
    const [h, w] = prep.resize;
    if (!flat && (h !== shape[0] || w !== shape[1])) {
      throw new Error(`--resize ${h}x${w} does not match the model's input ${shape[0]}×${shape[1]}; images are resized to the model's input size automatically`);
    }
    if (flat && h * w * target.channels !== shape[2]) throw new Error(`--resize ${h}x${w} gives ${h * w * target.channels} values, but the model takes ${shape[2]}`);
    target = { ...target, height: h, width: w };
  }
  for (const [key, v] of [['mean', prep.mean], ['std', prep.std]] as const) {
    if (v && v.length !== 1 && v.length !== target.channels) {
      throw new Error(`${key} has ${v.length} values but the model takes ${target.channels === 1 ? 'grey (1-channel)' : `${target.channels}-channel`} images: give 1${target.channels > 1 ? ` or ${target.channels}` : ''}`);
    }
  }
  return { ...target, range: prep.range, mean: prep.mean, std: prep.std };
}

/** Why labels cannot be scored against this model's outputs, or null. */
export function labelProblem(graph: Graph, dataset: Dataset): string | null {
  const last = graph.nodes[graph.nodes.length - 1].shape;
  const outputs = last[0] * last[1] * last[2];
  if (!dataset.labels) return null;
  let max = -1;
  let min = 0;
  for (const l of dataset.labels) { if (l > max) max = l; if (l < min) min = l; }
  if (min < 0) return `the data has a negative label (${min}): labels must be class numbers from 0`;
  if (dataset.classes.length > outputs) {
    return `the data set has ${dataset.classes.length} classes but the model has ${outputs} outputs: the data does not match the model (one class per output)`;
  }
  if (max >= outputs) return `the data has labels up to ${max} but the model has ${outputs} outputs (labels 0 to ${outputs - 1}): the data does not match the model`;
  return null;
}

/** The warning both the page and the command line give when the float model is near chance. */
export function nearChanceWarning(d: Pick<SearchReadyData, 'labelsFrom' | 'floatAcc' | 'dataset'>): string | null {
  const chance = 1 / Math.max(2, d.dataset.classes.length);
  return d.labelsFrom === 'given' && d.floatAcc.calibration < 2 * chance
    ? `The float model gets only ${(d.floatAcc.calibration * 100).toFixed(1)}% of these images right, close to chance (${(chance * 100).toFixed(0)}%). Check the preprocessing (value range, mean, std) and that the data matches the model.`
    : null;
}

/**
 * The data before the float pass of its confirmation and held-out parts: everything the search
 * itself needs (the search images' float answers, the statistics). A worker pool can run the rest
 * on the shards that will score those images (search/shard-protocol.ts startPool); `completeData`
 * adds it.
 */
export interface SearchReadyData extends Omit<LoadedData, 'confirmation' | 'validation' | 'floatAcc'> {
  confirmation: UnpredictedSet;
  validation: UnpredictedSet;
  floatAcc: { calibration: number };
}

/** The parts whose float pass `completeData` takes. */
export type OtherPart = 'confirmation' | 'validation';

const floatAccuracy = (set: ImageSet) => set.labels.reduce((k, l, i) => k + (l === set.floatPredictions[i] ? 1 : 0), 0) / Math.max(1, set.labels.length);

/**
 * Preprocesses and splits the data, runs the float model (already loaded in `engine`) on the
 * search images and gathers statistics; the confirmation and held-out images are preprocessed
 * only. Leaves the engine holding the all-float configuration.
 */
export function prepareSearchData(engine: Engine, graph: Graph, dataset: Dataset, prep: Preprocessing = {}, split: SplitSettings = {}): SearchReadyData {
  if (dataset.images.length < 2) throw new Error(`the data set has ${dataset.images.length} image(s); at least 2 are needed (one to search on, one to check)`);
  const options = preprocessFor(graph, dataset, prep);
  const mismatch = labelProblem(graph, dataset);
  if (mismatch) throw new Error(mismatch);
  const s = splitIndices(dataset.images.length, {
    seed: split.seed ?? 0, search: split.search, confirmation: split.confirmation, heldOut: split.validation, heldOutFrom: dataset.heldOutFrom,
  });
  if (s.search.length === 0) throw new Error('no image is left to search on: ask for at least 1 search image');
  if (s.heldOut.length === 0) throw new Error('no image is left to hold out: ask for fewer search or confirmation images');
  const given = dataset.labels;
  const part = (idx: Uint32Array): UnpredictedSet => ({
    images: preprocessImages(Array.from(idx, (i) => dataset.images[i]), options),
    labels: given ? Int32Array.from(idx, (i) => given[i]) : null,
  });
  // The outputs too: evaluators order images and measure distortion from them without a float pass of their own.
  const search = part(s.search);
  const { stats: tensorStats, ...pass } = floatPassWithStats(engine, search.images);
  const calibration = withFloatPass(search, pass);
  const stats: ActivationStats = tensorStats.map((t) => ({ maxAbs: t.maxAbs, min: t.min }));
  const summary = summarizeGraph(graph);
  summary.images = s.search.length;
  summary.predictions = calibration.floatPredictions;
  summary.accuracy = floatAccuracy(calibration);
  summary.nodes.forEach((n, i) => {
    const t = tensorStats[i];
    n.outputRange = t && t.count > 0 ? [t.min, t.max] : null;
  });
  return {
    dataset, split: s, labelsFrom: given ? 'given' : 'float-model', calibration, confirmation: part(s.confirmation), validation: part(s.heldOut),
    floatAcc: { calibration: summary.accuracy }, stats, summary,
  };
}

/** The data with the float pass of its confirmation and held-out images (from `engine` for a part `passes` lacks). */
export function completeData(d: SearchReadyData, passes: Partial<Record<OtherPart, FloatPass>>, engine: Engine): LoadedData {
  const done = (name: OtherPart) => withFloatPass(d[name], passes[name] ?? floatPass(engine, d[name].images));
  const confirmation = done('confirmation');
  const validation = done('validation');
  return {
    ...d, confirmation, validation,
    floatAcc: { calibration: d.floatAcc.calibration, confirmation: floatAccuracy(confirmation), validation: floatAccuracy(validation) },
  };
}

/**
 * Preprocesses and splits the data, runs the float model (already loaded in `engine`) on it and
 * gathers statistics. Leaves the engine holding the all-float configuration.
 */
export function prepareData(engine: Engine, graph: Graph, dataset: Dataset, prep: Preprocessing = {}, split: SplitSettings = {}): LoadedData {
  return completeData(prepareSearchData(engine, graph, dataset, prep, split), {}, engine);
}
