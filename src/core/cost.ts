// The cost model of DESIGN.md §5 (normative): memory and multiplication cost of a
// configuration, and the uniform 8-bit baseline every reduction is quoted against.
//
// Choices the design leaves open, fixed here:
// - A tensor without a format (null) is float32: 32 bits everywhere.
// - peak_activation_kb walks the nodes in topological order. While node i runs, its output
//   buffer and every earlier buffer some node ≥ i still reads are live; the graph output stays
//   live to the end. Every node allocates a buffer except reshape/flatten, which aliases its
//   input (its readers keep that buffer alive). Buffers of nodes without a format of their own
//   (pool, pad, standalone activation) hold values in their source's format, so they count at
//   its bitwidth. The input image counts too, at the input format (32 bits when float) — unlike
//   memory_kb, which leaves the input out as the paper does.
// - memory_kb_paper is the count behind the paper's tables and DESIGN.md §10's check figures
//   (447.1 KB, 483.5 KB at 8 bits): kernels, biases and outputs of conv2d/depthwise/dense only —
//   no epilogue or affine scale/shift, no add/concat outputs. memory_kb follows §5's text and
//   counts those too; the two differ only on models with epilogues, affine, add or concat.
import type { QuantConfig } from './config.ts';
import type { Format } from './format.ts';
import type { Graph, GraphNode } from './graph.ts';
import { consumers, elementCount, nodeMacs, ownsOutputFormat } from './graph.ts';
import type { ActivationStats } from './tensors.ts';
import { noClipFormat, quantTensors, withFormat } from './tensors.ts';
import { floatConfig } from './config.ts';

export const FLOAT_BITS = 32;

export const bitsOf = (f: Format | null | undefined): number => (f ? f.bits : FLOAT_BITS);

export interface NodeCost {
  node: number;
  name: string;
  kind: GraphNode['kind'];
  macs: number;
  /** Bits stored for weights (+ epilogue/affine scale) and biases (+ shift). */
  weightBits: number;
  biasBits: number;
  /** Bits of the counted output activations (0 for nodes that own no output format). */
  outputBits: number;
  /** Bitwidth of the input really multiplied (source format through pool/pad/reshape). */
  inputBitwidth: number;
  mult_cost: number;
  mult_cost_paper: number;
  affine_mults: number;
}

/**
 * A configuration's costs, named as report.json names them (DESIGN.md §8): the one shape the
 * report, the worker's messages and the page share.
 */
export interface Costs {
  memory_kb: number;
  /** Weights + biases, with epilogue/affine scales and shifts. */
  weights_kb: number;
  peak_activation_kb: number;
  mult_cost: number;
  mult_cost_paper: number;
  /** One multiply per element of an epilogue or affine node; a count, not bit-weighted. */
  affine_mults: number;
  /** The paper's own memory count, see the header comment. */
  memory_kb_paper: number;
}

/** The Costs a search records for every configuration it scores, and the charts draw. */
export type RecordedCosts = Pick<Costs, 'memory_kb' | 'weights_kb' | 'peak_activation_kb' | 'mult_cost' | 'mult_cost_paper'>;

/** Costs with the breakdown behind them: what stays inside the program (per node, for the report's layers). */
export interface CostReport extends Costs {
  /** The counted activation outputs (memory_kb - weights_kb). */
  activations_kb: number;
  macs: number;
  nodes: NodeCost[];
}

/** The Costs of a CostReport, without the breakdown (in report.json's order). */
export const costsOf = (c: CostReport): Costs => ({
  memory_kb: c.memory_kb, weights_kb: c.weights_kb, peak_activation_kb: c.peak_activation_kb,
  mult_cost: c.mult_cost, mult_cost_paper: c.mult_cost_paper, affine_mults: c.affine_mults, memory_kb_paper: c.memory_kb_paper,
});

const KB = 8 * 1024;

/** The node whose output format a node's output uses: itself, or through pool/pad/reshape/activation. */
export function formatOwner(g: Graph, i: number): number {
  let k = i;
  while (!ownsOutputFormat(g.nodes[k])) k = g.nodes[k].inputs[0];
  return k;
}

function paramCounts(n: GraphNode): { weights: number; bias: number; scale: number; shift: number } {
  switch (n.kind) {
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'dense':
      return {
        weights: n.kernel.length, bias: n.bias?.length ?? 0,
        scale: n.epilogue?.scale.length ?? 0, shift: n.epilogue?.shift.length ?? 0,
      };
    case 'affine':
      return { weights: n.scale.length, bias: n.shift.length, scale: 0, shift: 0 };
    default:
      return { weights: 0, bias: 0, scale: 0, shift: 0 };
  }
}

export function configCost(g: Graph, c: QuantConfig): CostReport {
  const fmts = (i: number) => c.nodes[i] ?? {};
  const outBits = (i: number) => bitsOf(fmts(formatOwner(g, i)).output);
  let weightBits = 0, actBits = 0, paperBits = 0;
  let mult = 0, multPaper = 0, affine = 0, macs = 0;
  const nodes: NodeCost[] = g.nodes.map((n, i) => {
    const f = fmts(i);
    const p = paramCounts(n);
    const wb = p.weights * bitsOf(f.weights) + p.scale * bitsOf(f.scale);
    const bb = p.bias * bitsOf(f.bias) + p.shift * bitsOf(f.shift);
    const counted = n.kind !== 'input' && ownsOutputFormat(n);
    const ob = counted ? elementCount(n.shape) * bitsOf(f.output) : 0;
    const m = nodeMacs(n);
    const bi = n.kind === 'input' ? 0 : outBits(n.inputs[0]);
    const mc = m * bitsOf(f.weights) * bi;
    const mcp = m * bitsOf(f.weights) * bitsOf(f.output);
    const am = n.kind === 'affine' || ((n.kind === 'conv2d' || n.kind === 'depthwiseConv2d' || n.kind === 'dense') && n.epilogue) ? elementCount(n.shape) : 0;
    weightBits += wb + bb;
    actBits += ob;
    if (n.kind === 'conv2d' || n.kind === 'depthwiseConv2d' || n.kind === 'dense') {
      paperBits += p.weights * bitsOf(f.weights) + p.bias * bitsOf(f.bias) + ob;
    }
    mult += mc;
    multPaper += mcp;
    affine += am;
    macs += m;
    return {
      node: i, name: n.name, kind: n.kind, macs: m, weightBits: wb, biasBits: bb, outputBits: ob,
      inputBitwidth: bi, mult_cost: mc, mult_cost_paper: mcp, affine_mults: am,
    };
  });
  return {
    memory_kb: (weightBits + actBits) / KB,
    weights_kb: weightBits / KB,
    activations_kb: actBits / KB,
    peak_activation_kb: peakActivationBits(g, c) / KB,
    mult_cost: mult,
    mult_cost_paper: multPaper,
    affine_mults: affine,
    macs,
    memory_kb_paper: paperBits / KB,
    nodes,
  };
}

/** Largest live activation set during one inference, in bits (see the header comment). */
export function peakActivationBits(g: Graph, c: QuantConfig): number {
  const n = g.nodes.length;
  // buffer[i]: the node whose buffer holds node i's output (reshape aliases its input).
  const buffer: number[] = [];
  g.nodes.forEach((node, i) => {
    buffer[i] = node.kind === 'reshape' ? buffer[node.inputs[0]] : i;
  });
  const lastUse = new Array<number>(n).fill(-1);
  const cons = consumers(g);
  for (let i = 0; i < n; i++) for (const k of cons[i]) lastUse[buffer[i]] = Math.max(lastUse[buffer[i]], k);
  lastUse[buffer[g.output]] = n;
  const size = g.nodes.map((node, i) => elementCount(node.shape) * bitsOf(c.nodes[formatOwner(g, i)]?.output));
  let peak = 0;
  for (let i = 0; i < n; i++) {
    if (buffer[i] !== i) continue; // an alias allocates nothing
    let live = 0;
    for (let j = 0; j <= i; j++) if (buffer[j] === j && (j === i || lastUse[j] >= i)) live += size[j];
    if (live > peak) peak = live;
  }
  return peak;
}

/**
 * Every tensor at `bits` with its no-clipping fractional length; with the defaults this is
 * the 8-bit baseline of §5 (signed everywhere, biases at 8 bits too). `unsignedWhereNonNegative`
 * gives provably non-negative activations an unsigned format instead.
 */
export function uniformConfig(
  g: Graph,
  stats: ActivationStats,
  bits = 8,
  opts: { unsignedWhereNonNegative?: boolean } = {},
): QuantConfig {
  let c = floatConfig(g.nodes.length);
  for (const t of quantTensors(g, stats)) {
    const signed = !(opts.unsignedWhereNonNegative && t.nonNegative);
    c = withFormat(c, t, noClipFormat(t, Math.min(bits, t.maxBits), signed));
  }
  return c;
}

export const baselineConfig = (g: Graph, stats: ActivationStats): QuantConfig => uniformConfig(g, stats, 8);

export interface Reductions {
  memory: number;
  mult_cost: number;
  mult_cost_paper: number;
}

/** `1 - cost/cost_8bit` for one measure (0 when the baseline costs nothing). */
export const reduction = (cost: number, baseline: number): number => (baseline > 0 ? 1 - cost / baseline : 0);

/** The reductions report.json quotes. */
export function reductions(cost: Costs, baseline: Costs): Reductions {
  const r = reduction;
  return {
    memory: r(cost.memory_kb, baseline.memory_kb),
    mult_cost: r(cost.mult_cost, baseline.mult_cost),
    mult_cost_paper: r(cost.mult_cost_paper, baseline.mult_cost_paper),
  };
}
