// The application layer: one loaded model and data set in an engine, the dataset as loaded (so
// preprocessing can change without re-reading files) and the last search, whose frontier the
// budget slider picks from without searching again. Environment-neutral: the browser worker
// and the Node command line drive the same Workspace.
import { floatConfig, type QuantConfig } from '../core/config.ts';
import { describeAdaptation } from '../core/adaptation.ts';
import { configCost, type CostReport } from '../core/cost.ts';
import type { Format } from '../core/format.ts';
import type { Graph } from '../core/graph.ts';
import { isParamNode, nodeMacs, nodeParams, ownsOutputFormat } from '../core/graph.ts';
import { histogram, type TensorHistogram } from '../core/histogram.ts';
import { buildReport, type ReportJson } from '../core/report.ts';
import { type GraphSummary, summarizeGraph } from '../core/summary.ts';
import type { Engine } from '../engine/engine.ts';
import { tensorValues, type TensorSlot } from '../core/tensors.ts';
import { openDataset, openModel } from '../formats/index.ts';
import type { Dataset, FileEntry } from '../formats/types.ts';
import { EngineEvaluator } from '../search/engine-evaluator.ts';
import { type Evaluator, relativeLoss } from '../search/evaluator.ts';
import { pickForBudget, runSearch, type SearchResult } from '../search/run.ts';
import type { Progress, ScoredPoint } from '../search/scorer.ts';
import type { Costs, DataInfo, KernelRow, LayerRow, ModelInfo, ResultPoint, RunRequest, RunView, Sample } from '../worker/contract.ts';
import { type LoadedData, nearChanceWarning, PROXY_IMAGES, type Preprocessing, prepareData, preprocessFor, type SplitSettings } from './load-data.ts';

const SAMPLES = 24;
/** Search images whose activations the per-layer histogram shows. */
const HISTOGRAM_IMAGES = 64;

export const costsOf = (c: CostReport): Costs => ({
  memory_kb: c.memory_kb, weights_kb: c.weights_kb, peak_activation_kb: c.peak_activation_kb,
  mult_cost: c.mult_cost, mult_cost_paper: c.mult_cost_paper,
});

export function layerRows(graph: Graph, config: QuantConfig): LayerRow[] {
  const rows: LayerRow[] = [];
  graph.nodes.forEach((n, i) => {
    if (n.kind === 'input' || !ownsOutputFormat(n)) return;
    const f = config.nodes[i] ?? {};
    rows.push({
      node: i, name: n.name, kind: n.kind, macs: nodeMacs(n), params: nodeParams(n),
      weights: f.weights ?? null, bias: f.bias ?? null, scale: f.scale ?? null, shift: f.shift ?? null, output: f.output ?? null,
    });
  });
  return rows;
}

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

export class Workspace {
  private model: Graph | null = null;
  private loaded: LoadedData | null = null;
  private dataset: Dataset | null = null;
  private prep: Preprocessing = {};
  private split: SplitSettings = {};
  private last: SearchResult | null = null;
  /** The configuration the downloads describe: the search's choice, or the slider's pick. */
  private current: ResultPoint | null = null;
  private baseline: ResultPoint | null = null;

  constructor(readonly engine: Engine) {}

  get graph(): Graph {
    if (!this.model) throw new Error('Load a model first.');
    return this.model;
  }

  /** The data as prepared for the current model, or null before any is loaded. */
  get data(): LoadedData | null {
    return this.loaded;
  }

  private need(): LoadedData {
    if (!this.loaded) throw new Error('Load calibration data first.');
    return this.loaded;
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
    try {
      this.engine.load(graph);
      this.model = graph;
      this.loaded = null;
      if (this.dataset) this.loaded = prepareData(this.engine, graph, this.dataset, this.prep, this.split);
    } catch (e) {
      if (previous) {
        this.engine.load(previous);
        this.model = previous;
        this.loaded = previousData;
      }
      throw e;
    }
    this.last = null;
  }

  /** The layer table; with data loaded it includes the activation ranges. */
  modelInfo(): ModelInfo {
    const s: GraphSummary = this.loaded?.summary ?? summarizeGraph(this.graph);
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
    this.loaded = prepareData(this.engine, graph, dataset, prep, split);
    this.dataset = dataset;
    this.prep = prep;
    this.split = split;
    this.last = null;
    return this.loaded;
  }

  dataInfo(): DataInfo {
    const d = this.need();
    const classes = d.dataset.classes;
    const name = (k: number) => classes[k] ?? String(k);
    const samples: Sample[] = [];
    for (let j = 0; j < Math.min(SAMPLES, d.split.calibration.length); j++) {
      const img = d.dataset.images[d.split.calibration[j]];
      samples.push({ width: img.width, height: img.height, channels: img.channels, pixels: img.pixels.slice(), label: name(d.calibration.labels[j]), prediction: name(d.calibration.floatPredictions[j]) });
    }
    const warning = nearChanceWarning(d);
    return {
      name: d.dataset.name, images: d.dataset.images.length, classes, labelsFrom: d.labelsFrom,
      calibration: d.calibration.labels.length, validation: d.validation.labels.length, floatAcc: d.floatAcc, samples, warning,
      adapted: describeAdaptation(d.dataset.images, preprocessFor(this.graph, d.dataset, this.prep)),
    };
  }

  /** Evaluators on the calibration (search) and validation (held-out) images. */
  evaluators(proxyTotal = PROXY_IMAGES): { search: EngineEvaluator; validation: EngineEvaluator } {
    const data = this.need();
    return {
      search: new EngineEvaluator(this.engine, data.calibration, proxyTotal),
      validation: new EngineEvaluator(this.engine, data.validation, data.validation.labels.length),
    };
  }

  /** Scores a configuration on the calibration and held-out images. */
  async point(config: QuantConfig): Promise<ResultPoint> {
    const graph = this.graph;
    const { search, validation } = this.evaluators();
    const cal = await search.evaluate(config);
    const val = await validation.evaluate(config);
    return {
      config,
      costs: costsOf(configCost(graph, config)),
      calibration_acc: cal.correct / cal.total,
      validation_acc: val.correct / val.total,
      calibration_loss: relativeLoss(search.floatCorrect, cal.correct),
      validation_loss: relativeLoss(validation.floatCorrect, val.correct),
      input: (config.nodes[0]?.output as Format | null | undefined) ?? null,
      layers: layerRows(graph, config),
    };
  }

  /** Searches; `evaluator` replaces the workspace's own engine for scoring (e.g. a worker pool). */
  async run(req: RunRequest, onProgress?: (p: Progress) => void, signal?: AbortSignal, evaluator?: Evaluator): Promise<RunView> {
    const graph = this.graph;
    const data = this.need();
    const result = await runSearch(req.method, {
      graph, evaluator: evaluator ?? this.evaluators().search, budget: req.budget, stats: data.stats, seed: req.seed ?? 0, bits: req.bits, confidence: req.confidence, onProgress, signal,
      locked: req.locked,
    });
    return this.adopt(result);
  }

  /**
   * Makes a search result the one the slider and downloads use, scoring its choice and the 8-bit
   * baseline on both image sets. A result saved before a reload comes back through here too, with
   * the configuration that was picked then (it is scored again: the data is the same, the code may not be).
   */
  async adopt(result: SearchResult, picked?: QuantConfig): Promise<RunView> {
    const data = this.need();
    this.last = result;
    const [chosen, baseline8] = [await this.point(result.chosen.config), await this.point(result.baseline8.config)];
    this.current = picked ? await this.point(picked) : chosen;
    this.baseline = baseline8;
    return {
      method: result.method, budget: result.budget, evaluations: result.evaluations, seconds: result.seconds,
      float: { costs: costsOf(result.float.cost), calibration_acc: data.floatAcc.calibration, validation_acc: data.floatAcc.validation },
      baseline8, chosen,
      frontier: result.frontier.map((p) => ({
        calibration_loss: p.calibration_loss, loss_bound: p.loss_bound, memory_kb: p.memory_kb, mult_cost: p.mult_cost, mult_cost_paper: p.mult_cost_paper,
      })),
      points: scoredPoints(result),
    };
  }

  /** Makes a configuration (a chart point, or one edited by hand) the one the downloads describe. */
  async use(config: QuantConfig): Promise<ResultPoint> {
    this.current = await this.point(config);
    return this.current;
  }

  /** Makes a configuration the last run scored (a chart point) the current one. */
  async choose(id: number): Promise<ResultPoint> {
    const rec = this.last?.records[id];
    if (!rec) throw new Error('That point belongs to an earlier search: run the search again.');
    return this.use(rec.config);
  }

  /** A tensor's float values binned, with what `format` would clip: parameters, or activations of a few search images. */
  histogram(node: number, slot: TensorSlot, format: Format | null): TensorHistogram {
    const graph = this.graph;
    const n = graph.nodes[node];
    if (!n) throw new Error(`No layer ${node} in this model.`);
    const name = `${n.name}.${slot}`;
    if (slot !== 'output') {
      const values = tensorValues(n, slot);
      if (!values) throw new Error(`${n.name} has no ${slot}.`);
      return histogram(name, values, format);
    }
    const data = this.loaded;
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

  /** The configuration the downloads describe now. */
  get currentPoint(): ResultPoint | null {
    return this.current;
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
    const layers = graph.nodes.flatMap((n, i) => (isParamNode(n) ? [{ node: i, name: n.name, kind: n.kind, path: paths[i] }] : []));
    return { config: this.current ? 'result' : 'float', layers };
  }

  async pick(budget: number): Promise<ResultPoint | null> {
    if (!this.last) throw new Error('Run a search first.');
    const p = pickForBudget(this.last.frontier, budget);
    if (!p) return null;
    this.current = await this.point(p.config);
    return this.current;
  }

  /** The current result: graph, configuration and report.json (DESIGN.md §8). */
  result(): { graph: Graph; config: QuantConfig; report: ReportJson } {
    const graph = this.graph;
    const data = this.loaded;
    if (!this.last || !this.current || !this.baseline || !data) throw new Error('Run a search first: the downloads hold its result.');
    const cur = this.current;
    const total = data.calibration.labels.length;
    const report = buildReport({
      graph,
      result: {
        ...this.last,
        chosen: { config: cur.config, correct: Math.round(cur.calibration_acc * total), total, calibration_loss: cur.calibration_loss },
      },
      data: { calibration: total, validation: data.validation.labels.length, labels: data.labelsFrom },
      validation: { float: data.floatAcc.validation, quantized: cur.validation_acc, baseline8: this.baseline.validation_acc },
    });
    return { graph, config: cur.config, report };
  }
}
