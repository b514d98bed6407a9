// What the worker holds between calls: a Session (model + data in the engine), the dataset as
// loaded (so preprocessing can change without re-reading files) and the last search, whose
// frontier the budget slider picks from without searching again. Environment-neutral, so the
// Node tests drive exactly what the browser worker runs.
import type { QuantConfig } from '../core/config.ts';
import { describeAdaptation } from '../core/adaptation.ts';
import { configCost, type CostReport } from '../core/cost.ts';
import type { Format } from '../core/format.ts';
import type { Graph } from '../core/graph.ts';
import { nodeMacs, nodeParams, ownsOutputFormat } from '../core/graph.ts';
import { histogram, type TensorHistogram } from '../core/histogram.ts';
import { buildReport, type ReportJson } from '../core/report.ts';
import { tensorValues, type TensorSlot } from '../core/tensors.ts';
import { openDataset, openModel } from '../formats/index.ts';
import type { Dataset, FileEntry } from '../formats/types.ts';
import { type Evaluator, relativeLoss } from '../search/evaluator.ts';
import { pickForBudget, runSearch, type SearchResult } from '../search/run.ts';
import type { Progress, ScoredPoint } from '../search/scorer.ts';
import type { Costs, DataInfo, LayerRow, ModelInfo, ResultPoint, RunRequest, RunView, Sample } from './contract.ts';
import { type Preprocessing, preprocessFor, Session, type SplitSettings } from './session.ts';

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
  private dataset: Dataset | null = null;
  private prep: Preprocessing = {};
  private split: SplitSettings = {};
  private last: SearchResult | null = null;
  /** The configuration the downloads describe: the search's choice, or the slider's pick. */
  private current: ResultPoint | null = null;
  private baseline: ResultPoint | null = null;

  constructor(readonly session: Session) {}

  private get graph(): Graph {
    if (!this.session.graph) throw new Error('Load a model first.');
    return this.session.graph;
  }

  async loadModel(files: FileEntry[]): Promise<ModelInfo> {
    const graph = await openModel(files);
    const previous = this.session.graph;
    try {
      this.session.setModel(graph);
      this.last = null;
      // Data already loaded stays: it is preprocessed again for the new model's input.
      if (this.dataset) this.session.setData(this.dataset, this.prep, this.split);
    } catch (e) {
      if (previous) this.session.setModel(previous);
      if (previous && this.dataset) this.session.setData(this.dataset, this.prep, this.split);
      throw e;
    }
    return this.modelInfo();
  }

  modelInfo(): ModelInfo {
    const s = this.session.data?.summary ?? this.session.modelSummary();
    const { predictions: _p, ...rest } = s;
    return { ...rest, inputShape: this.graph.nodes[0].shape };
  }

  async loadData(files: FileEntry[], prep: Preprocessing = {}, split: SplitSettings = {}): Promise<DataInfo> {
    const dataset = await openDataset(files);
    this.graph; // a model is needed to preprocess: fail before replacing anything
    const info = this.apply(dataset, prep, split);
    this.dataset = dataset;
    return info;
  }

  reprocess(prep: Preprocessing, split: SplitSettings = this.split): DataInfo {
    if (!this.dataset) throw new Error('Load calibration data first.');
    return this.apply(this.dataset, prep, split);
  }

  private apply(dataset: Dataset, prep: Preprocessing, split: SplitSettings): DataInfo {
    const previous = this.session.data;
    try {
      this.session.setData(dataset, prep, split);
    } catch (e) {
      // Keep what the user had: the previous data stays loaded.
      if (previous) this.session.data = previous;
      throw e;
    }
    this.prep = prep;
    this.split = split;
    this.last = null;
    return this.dataInfo();
  }

  dataInfo(): DataInfo {
    const d = this.session.data!;
    const classes = d.dataset.classes;
    const name = (k: number) => classes[k] ?? String(k);
    const samples: Sample[] = [];
    for (let j = 0; j < Math.min(SAMPLES, d.split.calibration.length); j++) {
      const img = d.dataset.images[d.split.calibration[j]];
      samples.push({ width: img.width, height: img.height, channels: img.channels, pixels: img.pixels.slice(), label: name(d.calibration.labels[j]), prediction: name(d.calibration.floatPredictions[j]) });
    }
    const chance = 1 / Math.max(2, classes.length);
    const warning = d.labelsFrom === 'given' && d.floatAcc.calibration < 2 * chance
      ? `The float model gets only ${(d.floatAcc.calibration * 100).toFixed(1)}% of these images right, close to chance (${(chance * 100).toFixed(0)}%). Check the preprocessing (value range, mean, std) and that the data matches the model.`
      : null;
    return {
      name: d.dataset.name, images: d.dataset.images.length, classes, labelsFrom: d.labelsFrom,
      calibration: d.calibration.labels.length, validation: d.validation.labels.length, floatAcc: d.floatAcc, samples, warning,
      adapted: describeAdaptation(d.dataset.images, preprocessFor(this.graph, d.dataset, this.prep)),
    };
  }

  /** Scores a configuration on the calibration and held-out images. */
  async point(config: QuantConfig): Promise<ResultPoint> {
    const graph = this.graph;
    const { search, validation } = this.session.evaluators();
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

  /** Searches; `evaluator` replaces the session's own engine for scoring (e.g. a worker pool). */
  async run(req: RunRequest, onProgress?: (p: Progress) => void, signal?: AbortSignal, evaluator?: Evaluator): Promise<RunView> {
    const graph = this.graph;
    const data = this.session.data;
    if (!data) throw new Error('Load calibration data first.');
    const result = await runSearch(req.method, {
      graph, evaluator: evaluator ?? this.session.evaluators().search, budget: req.budget, stats: data.stats, seed: req.seed ?? 0, bits: req.bits, confidence: req.confidence, onProgress, signal,
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
    const data = this.session.data;
    if (!data) throw new Error('Load calibration data first.');
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
    const data = this.session.data;
    if (!data) throw new Error('Load calibration data first: activations come from the search images.');
    const count = Math.min(HISTOGRAM_IMAGES, data.calibration.labels.length);
    const per = data.calibration.images.length / data.calibration.labels.length;
    const engine = this.session.engine;
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

  async pick(budget: number): Promise<ResultPoint | null> {
    if (!this.last) throw new Error('Run a search first.');
    const p = pickForBudget(this.last.frontier, budget);
    if (!p) return null;
    this.current = await this.point(p.config);
    return this.current;
  }

  /** Makes a configuration (edited by hand) the one the downloads describe. */
  async use(config: QuantConfig): Promise<ResultPoint> {
    this.current = await this.point(config);
    return this.current;
  }

  /** The current result: graph, configuration and report.json (DESIGN.md §8). */
  result(): { graph: Graph; config: QuantConfig; report: ReportJson } {
    const graph = this.graph;
    const data = this.session.data;
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
