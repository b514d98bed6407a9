// The typed contract between the page and the engine worker. The UI imports only these types
// and the client; everything heavy lives behind the worker boundary.
import type { QuantConfig } from '../core/config.ts';
import type { Costs, RecordedCosts } from '../core/cost.ts';
import type { Format } from '../core/format.ts';
import type { LossFigure } from '../core/loss-figure.ts';
import type { NodeKind } from '../core/graph.ts';
import type { FrontierJson, LayerFormats, LayerJson, NamedConfig, PointJson } from '../core/report.ts';
import type { GraphSummary } from '../core/summary.ts';
import type { ExportFile } from '../export/files.ts';
import type { FileEntry } from '../formats/types.ts';
import type { TensorSlot } from '../core/tensors.ts';
import type { TensorHistogram } from '../core/histogram.ts';
import type { SearchResult } from '../search/run.ts';
import type { Method, Progress, ScoredPoint } from '../search/scorer.ts';
import type { Preprocessing, SplitSettings } from '../app/load-data.ts';
import type { SavedResult } from '../app/saved-search.ts';

export type { Costs, RecordedCosts, ExportFile, FileEntry, FrontierJson, Format, LayerFormats, LayerJson, LossFigure, NamedConfig, Method, Preprocessing, Progress, QuantConfig, ScoredPoint, SplitSettings, TensorHistogram, TensorSlot };

/** A progress message as the page gets it: every point scored since the previous message. */
export type RunProgress = Omit<Progress, 'point'> & { points: ScoredPoint[] };

export type ModelInfo = Omit<GraphSummary, 'predictions'> & { inputShape: [number, number, number] };

export interface Sample {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  pixels: Uint8Array;
  label: string;
  prediction: string;
}

export interface DataInfo {
  name: string;
  images: number;
  classes: string[];
  labelsFrom: 'given' | 'float-model';
  /** Images in each part of the split: search (named calibration, as in report.json), confirmation, held out. */
  calibration: number;
  confirmation: number;
  validation: number;
  /** Float accuracy on each part, and on search and confirmation together (`calibrationAll`, what the page shows). */
  floatAcc: { calibration: number; confirmation: number; validation: number; calibrationAll: number };
  /** A few calibration images with their labels and the float model's answers. */
  samples: Sample[];
  /** Set when the float accuracy is near chance: the preprocessing is probably wrong. */
  warning: string | null;
  /** How images of another size or colour than the model's input are adapted; null when all fit. */
  adapted: string | null;
}

/**
 * One configuration with everything a person reads about it: report.json's point (accuracies,
 * losses and Costs; the optional confirmation fields and counts only the report fills, from the
 * loss figures here) and its layers, with the loss figures and the verdict on the budget.
 */
export interface ResultPoint extends PointJson {
  /** Each loss with its 95% interval and counts; confirmation null when there are no such images. */
  search: LossFigure;
  confirmation: LossFigure | null;
  validation: LossFigure;
  /** The budget this point was picked for (the run's, or the slider's). */
  budget: number;
  /** The held-out loss is above `budget`. */
  over_budget: boolean;
  /** Plain sentences: over budget, too few images to judge the budget (core/loss-figure.ts). */
  warnings: string[];
  /** The configuration by layer name (a NamedConfig, as report.json holds it), with each layer's size and costs. */
  input: Format | null;
  layers: LayerJson[];
}

export interface RunRequest {
  method: Method;
  /** Relative loss budget as a fraction (0.01 = 1%). */
  budget: number;
  bits?: number;
  seed?: number;
  /** Standard errors added to a search loss before comparing it with the budget (default 0). */
  confidence?: number;
  /** One-sided z of frontier's confirmation bound (default search/confirm.ts CONFIRM_Z). */
  confirmZ?: number;
  /** Formats fixed by hand: kept by the search, never searched. */
  locked?: LayerLock[];
  /** Web Workers that score the search images (default 1: the engine worker itself). */
  workers?: number;
}

export interface RunView {
  method: Method;
  budget: number;
  evaluations: number;
  seconds: number;
  float: Pick<PointJson, 'calibration_acc' | 'validation_acc'> & Costs;
  baseline8: ResultPoint;
  chosen: ResultPoint;
  frontier: FrontierJson[];
  /** Every configuration scored exactly on all search images (ids for `choose`). */
  points: ScoredPoint[];
  /** How the pick was made: on confirmation images (frontier) or in-sample on the search images. */
  pick: PickRule;
}

export interface PickRule {
  on: 'confirmation' | 'search';
  /** One-sided z of the confirmation bound (null for in-sample picks). */
  z: number | null;
  /** Evaluations spent confirming. */
  evaluations: number;
}

/**
 * A finished search as the page keeps it across reloads: the whole result and the configuration
 * picked from it, configurations by layer name. Pages before names kept both by node index
 * (SearchResult, QuantConfig); restoreSearch still reads those.
 */
export interface SavedSearch {
  result: SavedResult | SearchResult;
  picked: NamedConfig | QuantConfig | null;
}

/**
 * A format fixed by hand, by layer name; `layer: null` is the input image (report.json's
 * `input`). The workspace turns it into the search's own LockedFormat (src/search/locks.ts),
 * which names the node by index as everything inside the search does.
 */
export interface LayerLock {
  layer: string | null;
  slot: TensorSlot;
  format: Format;
}

/**
 * What the C download of the current result needs on a device, in bytes: flash for the constant
 * parameters (packed at their bit widths), static RAM for the activation arena, the input image
 * the caller passes, and stack for weights unpacked by the running layer.
 */
export interface CMemory {
  flash: number;
  arena: number;
  input: number;
  stack: number;
}

/** A layer with parameters and the engine kernel it runs on (src/engine/prepare.ts NodePath). */
export interface KernelRow {
  name: string;
  kind: NodeKind;
  path: string;
}

/** The engine in the worker: which Wasm build runs, and the kernels of the configuration shown. */
export interface EngineInfo {
  /** relaxed-simd: 8-bit dot products by relaxed SIMD; simd: 16-bit SIMD only. */
  build: 'relaxed-simd' | 'simd';
  /** Logical cores the browser reports. */
  cores: number;
  /** 'result': the chosen configuration's kernels; 'float': before a search; null: no model. */
  kernels: { config: 'result' | 'float'; layers: KernelRow[] } | null;
}

export interface WorkerApi {
  loadModel(files: FileEntry[]): Promise<ModelInfo>;
  /** The layer table; with data loaded it includes the activation ranges. */
  modelInfo(): Promise<ModelInfo>;
  loadData(files: FileEntry[], prep: Preprocessing, split?: SplitSettings): Promise<DataInfo>;
  /** The data as loaded now (null before any), e.g. after a new model re-preprocessed it. */
  dataInfo(): Promise<DataInfo | null>;
  /** Applies new preprocessing or split settings to the data already loaded. */
  reprocess(prep: Preprocessing, split?: SplitSettings): Promise<DataInfo>;
  run(request: RunRequest, onProgress: (p: RunProgress) => void): Promise<RunView>;
  /** The cheapest frontier point of the last run within `budget`, re-scored on the held-out images. */
  pick(budget: number): Promise<ResultPoint | null>;
  /** The last search, for the page to keep across a reload (null before any). */
  savedSearch(): Promise<SavedResult | null>;
  /** Brings back a saved search over the same model and data: its view and the point picked then. */
  restoreSearch(saved: SavedSearch): Promise<{ run: RunView; picked: ResultPoint }>;
  /** Scores a configuration edited by hand; it becomes the one the downloads describe. */
  evaluate(config: NamedConfig): Promise<ResultPoint>;
  /** Makes a configuration of the last run (RunView.points id) the current one, scored. */
  choose(id: number): Promise<ResultPoint>;
  /** Float values of a layer's parameters (or, for `output`, activations on a few search images) binned, with what `format` clips. */
  histogram(layer: string, slot: TensorSlot, format: Format | null): Promise<TensorHistogram>;
  exportFiles(kinds: string[]): Promise<ExportFile[]>;
  engineInfo(): Promise<EngineInfo>;
  /** Memory of the C download of the current result. */
  cMemory(): Promise<CMemory>;
  /** Fails on purpose as a Wasm trap or exhausted memory would: the fault-recovery test's hook. */
  fault(kind: 'trap' | 'oom'): Promise<void>;
}
