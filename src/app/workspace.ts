// The application layer: one loaded model and data set in an engine, the dataset as loaded (so
// preprocessing can change without re-reading files) and the last search, whose frontier the
// budget slider picks from without searching again. Environment-neutral: the browser worker
// and the Node command line drive the same Workspace.
import { floatConfig, type QuantConfig } from '../core/config.ts';
import { describeAdaptation } from '../core/adaptation.ts';
import { configCost, costsOf } from '../core/cost.ts';
import type { Format } from '../core/format.ts';
import type { Graph } from '../core/graph.ts';
import { isParamNode } from '../core/graph.ts';
import { checkBudget, lossFigure, type LossFigure } from '../core/loss-figure.ts';
import { histogram, type TensorHistogram } from '../core/histogram.ts';
import { buildReport, frontierJson, layerJson, type NamedConfig, type ReportJson } from '../core/report.ts';
import { configFromReport } from '../core/report-config.ts';
import { type GraphSummary, summarizeGraph } from '../core/summary.ts';
import type { Engine } from '../engine/engine.ts';
import { tensorValues, type TensorSlot } from '../core/tensors.ts';
import { openDataset, openModel } from '../formats/index.ts';
import type { Dataset, FileEntry } from '../formats/types.ts';
import { EngineEvaluator, type ImageSet } from '../search/engine-evaluator.ts';
import type { Evaluator } from '../search/evaluator.ts';
import type { LockedFormat } from '../search/locks.ts';
import type { PoolEvaluator } from '../search/pool-evaluator.ts';
import { pickForBudget, runSearch, type SearchResult } from '../search/run.ts';
import type { Progress, ScoredPoint } from '../search/scorer.ts';
import type { DataInfo, KernelRow, LayerLock, ModelInfo, PickRule, ResultPoint, RunRequest, RunView, Sample } from '../worker/contract.ts';
import { ExactScores } from './exact-scores.ts';
import { type SavedResult, savedResult, searchResult } from './saved-search.ts';
import type { FloatPass } from '../search/float-pass.ts';
import {
  completeData, type LoadedData, nearChanceWarning, type OtherPart, PROXY_IMAGES, type Preprocessing, prepareData, prepareSearchData, preprocessFor,
  type SearchReadyData, type SplitSettings,
} from './load-data.ts';

const SAMPLES = 24;
/** Search images whose activations the per-layer histogram shows. */
const HISTOGRAM_IMAGES = 64;

/** Every configuration the search scored exactly on all its images, once each. */
export function scoredPoints(result: SearchResult): ScoredPoint[] {
  const out: ScoredPoint[] = [];
  result.records.forEach((r, id) => {
    if (r.subset !== 'full' || !r.exact || r.calibration_loss === null || r.loss_bound === null) return;
    out.push({
      id, calibration_loss: r.calibration_loss, loss_bound: r.loss_bound, memory_kb: r.memory_kb, weights_kb: r.weights_kb,
      peak_activation_kb: r.peak_activation_kb, mult_cost: r.mult_cost, mult_cost_paper: r.mult_cost_paper, objective: r.objective,
    });
  });
  return out;
}

/** What scores configurations on each image set: the workspace's engine, or a worker pool. */
export interface Scoring {
  search: Evaluator;
  confirmation: Evaluator | null;
  validation: Evaluator;
}

/** A worker pool's evaluators (shard-protocol.ts startPool with `confirmation` and `validation` sets) as a run's scoring. */
export function poolScoring(pool: PoolEvaluator): Partial<Scoring> {
  const { confirmation, validation } = pool.sets;
  return { search: pool, ...(confirmation ? { confirmation } : {}), ...(validation ? { validation } : {}) };
}

/** A scored configuration: the page's view of it, and the configuration by node index it describes. */
interface Scored {
  point: ResultPoint;
  config: QuantConfig;
}

export class Workspace {
  private model: Graph | null = null;
  private loaded: LoadedData | null = null;
  /** Data set with `setSearchData` whose confirmation and held-out float pass has not run yet. */
  private staged: SearchReadyData | null = null;
  private dataset: Dataset | null = null;
  private prep: Preprocessing = {};
  private split: SplitSettings = {};
  private last: SearchResult | null = null;
  /** The configuration the downloads describe: the search's choice, or the slider's pick. */
  private current: Scored | null = null;
  private baseline: ResultPoint | null = null;
  private rule: PickRule | null = null;

  constructor(readonly engine: Engine) {}

  get graph(): Graph {
    if (!this.model) throw new Error('Load a model first.');
    return this.model;
  }

  /**
   * The data as prepared for the current model, or null before any is loaded. Data set with
   * `setSearchData` gets its confirmation and held-out float pass here from the workspace's engine
   * unless `completeData` gave it first.
   */
  get data(): LoadedData | null {
    if (this.staged) this.completeData({});
    return this.loaded;
  }

  private need(): LoadedData {
    const data = this.data;
    if (!data) throw new Error('Load calibration data first.');
    return data;
  }

  async loadModel(files: FileEntry[]): Promise<ModelInfo> {
    this.setModel(await openModel(files));
    return this.modelInfo();
  }

  /**
   * Loads a graph into the engine. Data already loaded stays: it is preprocessed again for the
   * new model's input. When that fails, the previous model and data stay loaded.
   */
  setModel(graph: Graph): void {
    const previous = this.model;
    const previousData = this.loaded;
    const previousStaged = this.staged;
    try {
      this.engine.load(graph);
      this.model = graph;
      this.loaded = null;
      this.staged = null;
      if (this.dataset) this.loaded = prepareData(this.engine, graph, this.dataset, this.prep, this.split);
    } catch (e) {
      if (previous) {
        this.engine.load(previous);
        this.model = previous;
        this.loaded = previousData;
        this.staged = previousStaged;
      }
      throw e;
    }
    this.last = null;
  }

  /** The layer table; with data loaded it includes the activation ranges. */
  modelInfo(): ModelInfo {
    const s: GraphSummary = (this.staged ?? this.loaded)?.summary ?? summarizeGraph(this.graph);
    const { predictions: _p, ...rest } = s;
    return { ...rest, inputShape: this.graph.nodes[0].shape };
  }

  async loadData(files: FileEntry[], prep: Preprocessing = {}, split: SplitSettings = {}): Promise<DataInfo> {
    const dataset = await openDataset(files);
    this.setData(dataset, prep, split);
    return this.dataInfo();
  }

  reprocess(prep: Preprocessing, split: SplitSettings = this.split): DataInfo {
    if (!this.dataset) throw new Error('Load calibration data first.');
    this.setData(this.dataset, prep, split);
    return this.dataInfo();
  }

  /** Prepares a data set for the loaded model; when that fails, the previous data stays loaded. */
  setData(dataset: Dataset, prep: Preprocessing = {}, split: SplitSettings = {}): LoadedData {
    const graph = this.graph; // a model is needed to preprocess: fail before replacing anything
    const loaded = prepareData(this.engine, graph, dataset, prep, split);
    this.keep(dataset, prep, split, loaded, null);
    return loaded;
  }

  /**
   * As setData, but only the part the search needs before it starts: the float pass of the
   * confirmation and held-out images waits for `completeData` (e.g. from a worker pool's shards,
   * shard-protocol.ts startPool, which score those images anyway) or for the first use of `data`.
   */
  setSearchData(dataset: Dataset, prep: Preprocessing = {}, split: SplitSettings = {}): SearchReadyData {
    const staged = prepareSearchData(this.engine, this.graph, dataset, prep, split);
    this.keep(dataset, prep, split, null, staged);
    return staged;
  }

  /** Data set with `setSearchData` made whole with these float passes (a part without one gets it from the workspace's engine). */
  completeData(passes: Partial<Record<OtherPart, FloatPass>>): LoadedData {
    if (!this.staged) throw new Error('completeData follows setSearchData');
    this.loaded = completeData(this.staged, passes, this.engine);
    this.staged = null;
    return this.loaded;
  }

  private keep(dataset: Dataset, prep: Preprocessing, split: SplitSettings, loaded: LoadedData | null, staged: SearchReadyData | null): void {
    this.loaded = loaded;
    this.staged = staged;
    this.dataset = dataset;
    this.prep = prep;
    this.split = split;
    this.last = null;
  }

  dataInfo(): DataInfo {
    const d = this.need();
    const classes = d.dataset.classes;
    const name = (k: number) => classes[k] ?? String(k);
    const samples: Sample[] = [];
    for (let j = 0; j < Math.min(SAMPLES, d.split.search.length); j++) {
      const img = d.dataset.images[d.split.search[j]];
      samples.push({ width: img.width, height: img.height, channels: img.channels, pixels: img.pixels.slice(), label: name(d.calibration.labels[j]), prediction: name(d.calibration.floatPredictions[j]) });
    }
    const nS = d.calibration.labels.length;
    const nC = d.confirmation.labels.length;
    const warning = nearChanceWarning(d);
    return {
      name: d.dataset.name, images: d.dataset.images.length, classes, labelsFrom: d.labelsFrom,
      calibration: d.calibration.labels.length, confirmation: d.confirmation.labels.length, validation: d.validation.labels.length,
      floatAcc: { ...d.floatAcc, calibrationAll: (d.floatAcc.calibration * nS + d.floatAcc.confirmation * nC) / Math.max(1, nS + nC) }, samples, warning,
      adapted: describeAdaptation(d.dataset.images, preprocessFor(this.graph, d.dataset, this.prep)),
    };
  }

  /** Evaluators on the search, confirmation and validation (held-out) images, on the workspace's engine. */
  evaluators(proxyTotal = PROXY_IMAGES): { search: EngineEvaluator; confirmation: EngineEvaluator | null; validation: EngineEvaluator } {
    const data = this.need();
    const whole = (set: ImageSet) => new EngineEvaluator(this.engine, set, set.labels.length);
    return {
      search: new EngineEvaluator(this.engine, data.calibration, proxyTotal),
      confirmation: data.confirmation.labels.length > 0 ? whole(data.confirmation) : null,
      validation: whole(data.validation),
    };
  }

  /** Scores a configuration on the search, confirmation and held-out images and judges it against `budget`. */
  async point(config: QuantConfig, budget?: number, evs?: Scoring): Promise<ResultPoint> {
    return (await this.score(config, budget, evs)).point;
  }

  private async score(config: QuantConfig, budget: number = this.current?.point.budget ?? this.last?.budget ?? 0.01, evs: Scoring = this.evaluators()): Promise<Scored> {
    const graph = this.graph;
    const { search, confirmation, validation } = evs;
    const figure = async (ev: Evaluator): Promise<LossFigure> => {
      const r = await ev.evaluate(config);
      return lossFigure({ correct: r.correct, gained: r.gained ?? 0, total: r.total }, ev.floatCorrect);
    };
    const cal = await figure(search);
    const conf = confirmation ? await figure(confirmation) : null;
    const val = await figure(validation);
    const check = checkBudget(budget, val, conf, this.rule?.on === 'confirmation' ? this.rule.z : null);
    const cost = configCost(graph, config);
    const point: ResultPoint = {
      calibration_acc: cal.correct / cal.total,
      validation_acc: val.correct / val.total,
      calibration_loss: cal.loss,
      validation_loss: val.loss,
      ...costsOf(cost),
      search: cal, confirmation: conf, validation: val,
      budget, over_budget: check.overBudget, warnings: check.warnings,
      input: (config.nodes[0]?.output as Format | null | undefined) ?? null,
      layers: layerJson(graph, config, cost),
    };
    return { point, config };
  }

  /** The run's pick for `budget`; with confirmation and nothing confirmed, the run's fallback (the safest point) with a warning. */
  private async picked(config: QuantConfig | null, budget: number, evs: Scoring): Promise<Scored | null> {
    const last = this.last!;
    const fallback = !config && this.rule?.on === 'confirmation';
    const p = config ? await this.score(config, budget, evs) : fallback ? await this.score(last.chosen.config, budget, evs) : null;
    if (p && fallback) p.point.warnings.push(`No configuration was confirmed within the ${(budget * 100).toFixed(2)}% budget; this is the safest one the search found.`);
    return p;
  }

  /** The search's LockedFormats (by node index) for locks by layer name. */
  private locksByIndex(locks: readonly LayerLock[]): LockedFormat[] {
    const nodes = this.graph.nodes;
    return locks.map((l) => {
      const node = l.layer === null ? 0 : nodes.findIndex((n) => n.name === l.layer);
      if (node < 0) throw new Error(`A locked format names layer "${l.layer}", which this model does not have: unlock it and run again.`);
      return { node, slot: l.slot, format: l.format };
    });
  }

  /**
   * Searches; `scoring` replaces the workspace's own engine for scoring some or all of the image
   * sets (e.g. a worker pool's evaluators: the search, its confirmation and the final scores then
   * use every worker).
   */
  async run(req: RunRequest, onProgress?: (p: Progress) => void, signal?: AbortSignal, scoring?: Partial<Scoring>): Promise<RunView> {
    const graph = this.graph;
    const data = this.need();
    const given: Scoring = { ...this.evaluators(), ...scoring };
    // The final scores of the pick and the 8-bit baseline reuse the search's exact scores of them.
    const evs: Scoring = { ...given, search: new ExactScores(given.search), confirmation: given.confirmation && new ExactScores(given.confirmation) };
    const result = await runSearch(req.method, {
      graph, evaluator: evs.search, confirmation: evs.confirmation, confirmZ: req.confirmZ,
      budget: req.budget, stats: data.stats, seed: req.seed ?? 0, bits: req.bits, confidence: req.confidence, onProgress, signal,
      locked: req.locked && this.locksByIndex(req.locked),
    });
    return this.adopt(result, undefined, evs);
  }

  /**
   * Makes a search result the one the slider and downloads use, scoring its choice and the 8-bit
   * baseline on both image sets. A result saved before a reload comes back through here too, with
   * the configuration that was picked then (it is scored again: the data is the same, the code may not be).
   */
  async adopt(saved: SearchResult | SavedResult, picked?: NamedConfig | QuantConfig, evs: Scoring = this.evaluators()): Promise<RunView> {
    const data = this.need();
    const result = searchResult(this.graph, saved);
    this.last = result;
    // A result saved before confirmation existed has no `confirmation`: it was picked in-sample.
    const c = result.confirmation ?? null;
    this.rule = c ? { on: 'confirmation', z: c.z, evaluations: c.evaluations } : { on: 'search', z: null, evaluations: 0 };
    const fits = pickForBudget(result.frontier, result.budget);
    const chosen = (await this.picked(c ? fits?.config ?? null : result.chosen.config, result.budget, evs))!;
    const baseline8 = await this.point(result.baseline8.config, result.budget, evs);
    // Pages before layer names kept the picked configuration by node index.
    this.current = picked ? await this.score('nodes' in picked ? picked : configFromReport(this.graph, picked), result.budget, evs) : chosen;
    this.baseline = baseline8;
    return {
      method: result.method, budget: result.budget, evaluations: result.evaluations + (c?.evaluations ?? 0), seconds: result.seconds,
      float: { calibration_acc: data.floatAcc.calibration, validation_acc: data.floatAcc.validation, ...costsOf(result.float.cost) },
      baseline8, chosen: chosen.point, pick: this.rule,
      frontier: result.frontier.map((p) => frontierJson(p)),
      points: scoredPoints(result),
    };
  }

  /** Makes a configuration (by layer name, e.g. edited by hand) the one the downloads describe. */
  async use(config: NamedConfig): Promise<ResultPoint> {
    return this.make(configFromReport(this.graph, config));
  }

  private async make(config: QuantConfig, budget?: number): Promise<ResultPoint> {
    this.current = await this.score(config, budget);
    return this.current.point;
  }

  /** Makes a configuration the last run scored (a chart point) the current one. */
  async choose(id: number): Promise<ResultPoint> {
    const rec = this.last?.records[id];
    if (!rec) throw new Error('That point belongs to an earlier search: run the search again.');
    return this.make(rec.config);
  }

  /** A tensor's float values binned, with what `format` would clip: parameters, or activations of a few search images. */
  histogram(layer: string, slot: TensorSlot, format: Format | null): TensorHistogram {
    const graph = this.graph;
    const node = graph.nodes.findIndex((x) => x.name === layer);
    const n = graph.nodes[node];
    if (!n) throw new Error(`No layer ${layer} in this model.`);
    const name = `${n.name}.${slot}`;
    if (slot !== 'output') {
      const values = tensorValues(n, slot);
      if (!values) throw new Error(`${n.name} has no ${slot}.`);
      return histogram(name, values, format);
    }
    const data = this.staged ?? this.loaded;
    if (!data) throw new Error('Load calibration data first: activations come from the search images.');
    const count = Math.min(HISTOGRAM_IMAGES, data.calibration.labels.length);
    const per = data.calibration.images.length / data.calibration.labels.length;
    const engine = this.engine;
    // In float, as the search's statistics are: the histogram shows what the format does to the true values.
    engine.setConfig({ nodes: graph.nodes.map(() => ({})) });
    const t = engine.trace(data.calibration.images.slice(0, count * per), [node])[node]!;
    return histogram(name, t.kind === 'float' ? t.x : Float32Array.from(t.q, (q) => q * 2 ** -t.format.frac), format, count);
  }

  get lastSearch(): SearchResult | null {
    return this.last;
  }

  /** The last search as the page keeps it: its configurations by layer name. */
  savedSearch(): SavedResult | null {
    return this.last && savedResult(this.graph, this.last);
  }

  /** The configuration the downloads describe now. */
  get currentPoint(): ResultPoint | null {
    return this.current?.point ?? null;
  }

  /**
   * The kernel family each layer with parameters runs under the current configuration, or in
   * float before a search; null without a model. The engine picks them from proven bounds.
   */
  kernelPaths(): { config: 'result' | 'float'; layers: KernelRow[] } | null {
    if (!this.model) return null;
    const graph = this.model;
    this.engine.setConfig(this.current?.config ?? floatConfig(graph.nodes.length));
    const paths = this.engine.nodePaths();
    const layers = graph.nodes.flatMap((n, i) => (isParamNode(n) ? [{ name: n.name, kind: n.kind, path: paths[i] }] : []));
    return { config: this.current ? 'result' : 'float', layers };
  }

  async pick(budget: number): Promise<ResultPoint | null> {
    if (!this.last) throw new Error('Run a search first.');
    // The slider says plainly when nothing fits (the page: "raise the budget").
    const fit = pickForBudget(this.last.frontier, budget);
    if (!fit) return null;
    return this.make(fit.config, budget);
  }

  /** The current result: graph, configuration and report.json (DESIGN.md §8). */
  result(): { graph: Graph; config: QuantConfig; report: ReportJson } {
    const graph = this.graph;
    const data = this.data;
    if (!this.last || !this.current || !this.baseline || !data) throw new Error('Run a search first: the downloads hold its result.');
    const { point: cur, config } = this.current;
    const b8 = this.baseline;
    const report = buildReport({
      graph,
      result: {
        ...this.last,
        // The picked point's own budget and exact counts (the slider may have moved since the run).
        budget: cur.budget,
        chosen: { config, correct: cur.search.correct, total: cur.search.total, calibration_loss: cur.calibration_loss },
      },
      data: {
        calibration: data.calibration.labels.length, confirmation: data.confirmation.labels.length,
        validation: data.validation.labels.length, labels: data.labelsFrom,
      },
      validation: { float: data.floatAcc.validation, quantized: cur.validation_acc, baseline8: b8.validation_acc },
      figures: { quantized: cur, baseline8: b8 },
      judgement: { run_budget: this.last.budget, over_budget: cur.over_budget, warnings: cur.warnings, pick: this.rule! },
    });
    return { graph, config, report };
  }
}
