// report.json (DESIGN.md §8, normative) and the layer table behind layers.csv, built from a
// search result by a pure function. Held-out (validation) accuracies are measured by the
// caller, which owns the validation images, and passed in.
//
// Beyond the normative fields: losses next to accuracies, reductions against 8-bit,
// affine_mults and memory_kb_paper (core/cost.ts), scale/shift formats, per-layer costs, and
// for frontier points their loss bound, both multiplication costs and (when scored) their
// held-out loss. A format of null means float32.
import type { QuantConfig } from './config.ts';
import type { CostReport, Costs, Reductions } from './cost.ts';
import { configCost, costsOf, formatOwner, reductions } from './cost.ts';
import type { Format } from './format.ts';
import { formatToString } from './format.ts';
import type { Graph, NodeKind } from './graph.ts';
import type { LossFigure } from './loss-figure.ts';
import { graphTotals, nodeMacs, nodeParams } from './graph.ts';
import type { TensorSlot } from './tensors.ts';
import { tensorValues } from './tensors.ts';

/** One configuration in report.json (`quantized`, `baseline8`): its accuracies and losses, then its Costs. */
export interface PointJson extends Costs {
  calibration_acc: number;
  validation_acc: number;
  calibration_loss: number;
  validation_loss: number;
  /** With the workspace's figures: the confirmation part's accuracy and loss (null without one), */
  confirmation_acc?: number | null;
  confirmation_loss?: number | null;
  /** each loss's 95% interval (core/interval.ts), */
  calibration_loss_ci?: [number, number];
  confirmation_loss_ci?: [number, number] | null;
  validation_loss_ci?: [number, number];
  /** and the answers behind them: right ones, float's right ones, wrong→right gains, images. */
  counts?: Record<'calibration' | 'confirmation' | 'validation', CountsJson | null>;
}

export interface CountsJson {
  correct: number;
  float_correct: number;
  gained: number;
  lost: number;
  total: number;
}

/**
 * One layer's formats, keyed by its name as hls4ml keys its per-layer precision: how a
 * configuration leaves the program (report.json, the worker's messages, the page's saved state).
 * Inside, QuantConfig (core/config.ts) holds the same formats by node index, for the engine.
 */
export interface LayerFormats {
  name: string;
  kind: NodeKind;
  weights: Format | null;
  bias: Format | null;
  /** Present for layers with an epilogue (a BatchNormalization fused after the activation). */
  scale?: Format | null;
  shift?: Format | null;
  /** The node's own output format, or for pool/pad/reshape/activation the one its values keep. */
  output: Format | null;
}

/** A configuration by layer name: the input image's format and every layer's (report.json's `input` and `layers`). */
export interface NamedConfig {
  input: Format | null;
  layers: LayerFormats[];
}

/** Only the formats of a report, a ResultPoint or a NamedConfig: what the page keeps and sends back. */
export function namedConfig(c: NamedConfig): NamedConfig {
  return {
    input: c.input,
    layers: c.layers.map(({ name, kind, weights, bias, scale, shift, output }) => ({
      name, kind, weights, bias, ...(scale === undefined ? {} : { scale }), ...(shift === undefined ? {} : { shift }), output,
    })),
  };
}

/** A layer in report.json and in the worker's ResultPoint: its formats, size and costs. */
export interface LayerJson extends LayerFormats {
  macs: number;
  params: number;
  shape: [number, number, number];
  memory_kb: number;
  mult_cost: number;
  mult_cost_paper: number;
}

export interface FrontierJson {
  calibration_loss: number;
  loss_bound: number;
  memory_kb: number;
  weights_kb: number;
  peak_activation_kb: number;
  mult_cost: number;
  mult_cost_paper: number;
  validation_loss?: number;
  /** Frontier runs with confirmation images: the point's loss there and its one-sided bound. */
  confirmation_loss?: number;
  confirmation_upper?: number;
}

export interface ReportJson {
  model: { name: string; nodes: number; params: number; macs: number };
  /** Images in each part: calibration = the search part; confirmation (frontier picks on it); validation = held out. */
  data: { calibration: number; confirmation?: number; validation: number; labels: 'given' | 'float-model' };
  method: string;
  /** The budget the reported configuration was picked for (the slider's, after a run). */
  budget: number;
  /** The run's own budget, when the slider picked for another one. */
  run_budget?: number;
  /** How the configuration was picked: on the confirmation images or in-sample on the search images. */
  pick?: { on: 'confirmation' | 'search'; z: number | null; evaluations: number };
  /** The held-out loss is above `budget`. */
  over_budget?: boolean;
  /** Plain sentences for a person: over budget, too few images to judge the budget. */
  warnings?: string[];
  seed: number;
  evaluations: number;
  seconds: number;
  float: { calibration_acc: number; validation_acc: number } & Pick<Costs, 'memory_kb' | 'mult_cost' | 'mult_cost_paper'>;
  quantized: PointJson;
  baseline8: PointJson;
  reductions: Reductions;
  input: Format | null;
  layers: LayerJson[];
  frontier: FrontierJson[];
  notes: string[];
}

/** The parts of a search result a report needs (search/run.ts SearchResult has them all). */
export interface ReportSource {
  method: string;
  budget: number;
  seed: number;
  evaluations: number;
  seconds: number;
  chosen: { config: QuantConfig; correct: number; total: number; calibration_loss: number };
  baseline8: { config: QuantConfig; correct: number; total: number; calibration_loss: number };
  float: { correct: number; total: number };
  frontier: FrontierSource[];
}

/** A frontier point as the report needs it (search/run.ts FrontierPoint has these fields and more). */
export type FrontierSource = Pick<FrontierJson, 'calibration_loss' | 'loss_bound' | 'memory_kb' | 'weights_kb' | 'peak_activation_kb' | 'mult_cost' | 'mult_cost_paper'> & {
  confirmation?: { loss: number; upper: number } | null;
};

/** A frontier point in report.json and in the worker's RunView; `validation_loss` when it was scored on the held-out images. */
export function frontierJson(p: FrontierSource, validation_loss?: number): FrontierJson {
  return {
    calibration_loss: p.calibration_loss, loss_bound: p.loss_bound, memory_kb: p.memory_kb, weights_kb: p.weights_kb,
    peak_activation_kb: p.peak_activation_kb, mult_cost: p.mult_cost, mult_cost_paper: p.mult_cost_paper,
    ...(validation_loss === undefined ? {} : { validation_loss }),
    ...(p.confirmation ? { confirmation_loss: p.confirmation.loss, confirmation_upper: p.confirmation.upper } : {}),
  };
}

/** A configuration's loss figures on each part (worker/contract.ts ResultPoint has them). */
export interface PartFigures {
  search: LossFigure;
  confirmation: LossFigure | null;
  validation: LossFigure;
}

export interface ReportInputs {
  graph: Graph;
  result: ReportSource;
  data: ReportJson['data'];
  /** Accuracies (fractions) on the validation images; frontier entries align with result.frontier. */
  validation: { float: number; quantized: number; baseline8: number; frontier?: Array<number | null> };
  /** Loss figures with intervals and counts on every part. */
  figures?: { quantized: PartFigures; baseline8: PartFigures };
  judgement?: { run_budget: number; over_budget: boolean; warnings: string[]; pick: NonNullable<ReportJson['pick']> };
  /** Wall time to report instead of the search's own. */
  seconds?: number;
}

const fmt = (f: Format | null | undefined): Format | null => (f ? { bits: f.bits, frac: f.frac, signed: f.signed } : null);
const relLoss = (floatAcc: number, acc: number) => (floatAcc > 0 ? (floatAcc - acc) / floatAcc : 0);

function pointJson(cost: CostReport, calAcc: number, calLoss: number, valAcc: number, valFloat: number): PointJson {
  return { calibration_acc: calAcc, validation_acc: valAcc, calibration_loss: calLoss, validation_loss: relLoss(valFloat, valAcc), ...costsOf(cost) };
}

const counts = (f: LossFigure | null): CountsJson | null => (f
  ? { correct: f.correct, float_correct: f.floatCorrect, gained: f.gained, lost: f.floatCorrect - f.correct + f.gained, total: f.total }
  : null);

function withFigures(c: PointJson, f: PartFigures | undefined): PointJson {
  if (!f) return c;
  return {
    ...c,
    confirmation_acc: f.confirmation ? f.confirmation.correct / Math.max(1, f.confirmation.total) : null,
    confirmation_loss: f.confirmation?.loss ?? null,
    calibration_loss_ci: f.search.ci, confirmation_loss_ci: f.confirmation?.ci ?? null, validation_loss_ci: f.validation.ci,
    counts: { calibration: counts(f.search), confirmation: counts(f.confirmation), validation: counts(f.validation) },
  };
}

export function buildReport(i: ReportInputs): ReportJson {
  const { graph: g, result: r } = i;
  const totals = graphTotals(g);
  const qCost = configCost(g, r.chosen.config);
  const bCost = configCost(g, r.baseline8.config);
  const fCost = configCost(g, { nodes: g.nodes.map(() => ({})) });
  const vf = i.validation.float;
  return {
    model: { name: g.name, nodes: totals.nodes, params: totals.params, macs: totals.macs },
    data: { ...i.data },
    method: r.method,
    budget: r.budget,
    ...(i.judgement ? {
      ...(i.judgement.run_budget !== r.budget ? { run_budget: i.judgement.run_budget } : {}),
      pick: i.judgement.pick, over_budget: i.judgement.over_budget, warnings: i.judgement.warnings,
    } : {}),
    seed: r.seed,
    evaluations: r.evaluations,
    seconds: i.seconds ?? r.seconds,
    float: {
      calibration_acc: r.float.correct / r.float.total, validation_acc: vf,
      memory_kb: fCost.memory_kb, mult_cost: fCost.mult_cost, mult_cost_paper: fCost.mult_cost_paper,
    },
    quantized: withFigures(pointJson(qCost, r.chosen.correct / r.chosen.total, r.chosen.calibration_loss, i.validation.quantized, vf), i.figures?.quantized),
    baseline8: withFigures(pointJson(bCost, r.baseline8.correct / r.baseline8.total, r.baseline8.calibration_loss, i.validation.baseline8, vf), i.figures?.baseline8),
    reductions: reductions(qCost, bCost),
    input: fmt(r.chosen.config.nodes[0]?.output),
    layers: layerJson(g, r.chosen.config, qCost),
    frontier: r.frontier.map((p, k) => {
      const v = i.validation.frontier?.[k];
      return frontierJson(p, v === undefined || v === null ? undefined : relLoss(vf, v));
    }),
    notes: [...g.notes],
  };
}

/** A configuration by layer name: one entry per node after the input, in graph order. */
export function namedConfigOf(g: Graph, c: QuantConfig): NamedConfig {
  const layers: LayerFormats[] = [];
  g.nodes.forEach((n, i) => {
    if (n.kind === 'input') return;
    const f = c.nodes[i] ?? {};
    const hasParams = n.kind === 'conv2d' || n.kind === 'depthwiseConv2d' || n.kind === 'dense' || n.kind === 'affine';
    const epi = (n.kind === 'conv2d' || n.kind === 'depthwiseConv2d' || n.kind === 'dense') && n.epilogue;
    layers.push({
      name: n.name, kind: n.kind,
      weights: hasParams ? fmt(f.weights) : null,
      bias: hasParams ? fmt(f.bias) : null,
      ...(epi ? { scale: fmt(f.scale), shift: fmt(f.shift) } : {}),
      output: fmt(c.nodes[formatOwner(g, i)]?.output),
    });
  });
  return { input: fmt(c.nodes[0]?.output), layers };
}

/** report.json's layers: each layer's formats (namedConfigOf), then its size and costs, in the report's key order. */
export function layerJson(g: Graph, c: QuantConfig, cost: CostReport = configCost(g, c)): LayerJson[] {
  const nodes = g.nodes.flatMap((n, i) => (n.kind === 'input' ? [] : [i]));
  return namedConfigOf(g, c).layers.map(({ name, kind, weights, bias, output, ...epilogue }, k) => {
    const n = g.nodes[nodes[k]];
    const nc = cost.nodes[nodes[k]];
    return {
      name, kind, macs: nodeMacs(n), params: nodeParams(n), shape: [...n.shape], weights, bias, ...epilogue, output,
      memory_kb: (nc.weightBits + nc.biasBits + nc.outputBits) / 8 / 1024,
      mult_cost: nc.mult_cost, mult_cost_paper: nc.mult_cost_paper,
    };
  });
}

export const LAYER_COLUMNS = [
  'name', 'kind', 'shape', 'params', 'macs', 'weights', 'bias', 'scale', 'shift', 'output', 'memory_kb', 'mult_cost', 'mult_cost_paper',
] as const;

/** A row of layers.csv: a LayerJson written out as text cells. */
export type LayerCsvRow = Record<(typeof LAYER_COLUMNS)[number], string | number>;

/**
 * Rows of layers.csv from report.json's layers: formats as Q(bits,frac) / Qu(bits,frac), "float",
 * or "" where the layer has no such tensor (the graph says which: a float bias and no bias are
 * both null in the JSON).
 */
export function layerCsvRows(layers: readonly LayerJson[], g: Graph): LayerCsvRow[] {
  const byName = new Map(g.nodes.map((n) => [n.name, n]));
  const s = (f: Format | null | undefined, applies: boolean) => (!applies ? '' : f ? formatToString(f) : 'float');
  return layers.map((l) => {
    const n = byName.get(l.name);
    const has = (slot: TensorSlot) => !!n && tensorValues(n, slot) !== null;
    return {
      name: l.name, kind: l.kind, shape: l.shape.join('x'), params: l.params, macs: l.macs,
      weights: s(l.weights, has('weights')), bias: s(l.bias, has('bias')), scale: s(l.scale, has('scale')), shift: s(l.shift, has('shift')),
      output: s(l.output, true), memory_kb: +l.memory_kb.toFixed(4), mult_cost: l.mult_cost, mult_cost_paper: l.mult_cost_paper,
    };
  });
}
