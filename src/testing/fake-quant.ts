// A test double for the Wasm engine: a plain float64 forward pass of the graph in which every
// tensor with a format is rounded and saturated as DESIGN.md §4 says. Sums of products of
// values on fixed grids are exact in float64 at these sizes, so where a node is fully fixed
// the result equals the integer arithmetic; it only has to be plausible, the real scores come
// from the engine. Caches every node's output per chunk of images (keyed by the configuration
// that produced it) and recomputes from the first node whose formats changed.
import type { QuantConfig } from '../core/config.ts';
import { floatConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import type { Activation, Graph, GraphNode } from '../core/graph.ts';
import { elementCount } from '../core/graph.ts';
import { formatOwner } from '../core/cost.ts';
import type { ActivationStats, NodeStats } from '../core/tensors.ts';
import { firstDifference } from '../core/tensors.ts';
import { FloatOutputs } from '../search/distortion.ts';
import type { EvalOptions, EvalResult, Evaluator, Subset } from '../search/evaluator.ts';

const roundTo = (x: number, frac: number): number => Math.floor(x * 2 ** frac + 0.5) * 2 ** -frac;

/** x ↦ the value of sat(floor(x·2^frac + 0.5)) in format f; identity when f is null. */
function quantizer(f: Format | null | undefined): (x: number) => number {
  if (!f) return (x) => x;
  const lo = f.signed ? -(2 ** (f.bits - 1)) : 0;
  const hi = f.signed ? 2 ** (f.bits - 1) - 1 : 2 ** f.bits - 1;
  const up = 2 ** f.frac;
  const down = 2 ** -f.frac;
  return (x) => {
    const q = Math.floor(x * up + 0.5);
    return (q < lo ? lo : q > hi ? hi : q) * down;
  };
}

const quant = (x: number, f: Format): number => quantizer(f)(x);

const SLOPE: Format = { bits: 16, frac: 15, signed: true };

/** Activation on an accumulator; `frac` is the accumulator's fractional length when fixed. */
function activate(x: number, a: Activation, frac: number | null): number {
  if (a.type === 'relu') {
    const y = x < 0 ? 0 : x;
    return a.max !== undefined && y > a.max ? a.max : y;
  }
  if (a.type === 'leakyRelu' && x < 0) {
    return frac === null ? x * a.alpha : roundTo(x * quant(a.alpha, SLOPE), frac);
  }
  return x;
}

interface ChunkCache {
  config: QuantConfig;
  outs: Float32Array[];
  predictions: Int32Array;
}

export interface FakeQuantOptions {
  /** Images in the proxy prefix (rounded down to whole chunks, at least one chunk). */
  proxy?: number;
  chunk?: number;
}

export interface CallLog {
  subset: Subset;
  firstChangedNode?: number;
  maxErrors?: number;
  /** First node actually recomputed (in the first chunk). */
  startNode: number;
  stoppedEarly: boolean;
}

export class FakeQuantEvaluator implements Evaluator {
  readonly total: number;
  readonly proxyTotal: number;
  readonly floatCorrect: number;
  readonly floatProxyCorrect: number;
  readonly calls: CallLog[] = [];
  private readonly chunk: number;
  private readonly inSize: number;
  private readonly cache: (ChunkCache | undefined)[] = [];
  private readonly last: Partial<Record<Subset, QuantConfig>> = {};
  private readonly dq = new Map<string, Float64Array>();
  private readonly floatPred: Int32Array;
  private readonly floatOut: FloatOutputs;

  constructor(
    readonly graph: Graph,
    private readonly inputs: Float32Array,
    private readonly labels: ArrayLike<number>,
    opts: FakeQuantOptions = {},
  ) {
    this.inSize = elementCount(graph.nodes[0].shape);
    this.total = inputs.length / this.inSize;
    if (labels.length !== this.total) throw new Error('labels do not match images');
    this.chunk = opts.chunk ?? 50;
    const p = opts.proxy ?? Math.ceil(this.total / 4);
    this.proxyTotal = Math.min(this.total, Math.max(this.chunk, Math.floor(p / this.chunk) * this.chunk));
    this.floatPred = this.predict(floatConfig(graph.nodes.length));
    const classes = elementCount(graph.nodes[graph.output].shape);
    const logits = new Float32Array(this.total * classes);
    for (let k = 0; k * this.chunk < this.total; k++) logits.set(this.runChunk(floatConfig(graph.nodes.length), k).outs[graph.output], k * this.chunk * classes);
    this.floatOut = new FloatOutputs(logits, classes);
    let full = 0, proxy = 0;
    for (let i = 0; i < this.total; i++) {
      if (this.floatPred[i] === labels[i]) {
        full++;
        if (i < this.proxyTotal) proxy++;
      }
    }
    this.floatCorrect = full;
    this.floatProxyCorrect = proxy;
  }

  /** Float statistics of every node's output over all images (max |x| and min). */
  stats(): ActivationStats {
    const cfg = floatConfig(this.graph.nodes.length);
    const out: NodeStats[] = this.graph.nodes.map(() => ({ maxAbs: 0, min: Infinity }));
    for (let k = 0; k * this.chunk < this.total; k++) {
      const c = this.runChunk(cfg, k);
      c.outs.forEach((a, i) => {
        const s = out[i];
        for (let j = 0; j < a.length; j++) {
          const v = a[j];
          if (Math.abs(v) > s.maxAbs) s.maxAbs = Math.abs(v);
          if (v < s.min!) s.min = v;
        }
      });
    }
    return out;
  }

  /** Top-1 answers of a configuration on every image. */
  predict(config: QuantConfig): Int32Array {
    const p = new Int32Array(this.total);
    for (let k = 0; k * this.chunk < this.total; k++) p.set(this.runChunk(config, k).predictions, k * this.chunk);
    return p;
  }

  async evaluate(config: QuantConfig, opts: EvalOptions = {}): Promise<EvalResult> {
    opts.signal?.throwIfAborted();
    const subset = opts.subset ?? 'full';
    const prev = this.last[subset];
    if (opts.firstChangedNode !== undefined && prev && opts.firstChangedNode > firstDifference(prev, config)) {
      throw new Error(`wrong firstChangedNode hint ${opts.firstChangedNode} (first difference ${firstDifference(prev, config)})`);
    }
    this.last[subset] = config;
    const n = subset === 'proxy' ? this.proxyTotal : this.total;
    const byFloat = opts.target === 'float';
    let errors = 0;
    let disagree = 0;
    let gained = 0;
    let kl = 0;
    let startNode = -1;
    for (let k = 0; k * this.chunk < n; k++) {
      opts.signal?.throwIfAborted();
      const cached = this.cache[k];
      if (startNode < 0) startNode = cached ? firstDifference(cached.config, config) : 0;
      const run = this.runChunk(config, k);
      const pred = run.predictions;
      const end = Math.min(this.chunk, n - k * this.chunk);
      if (opts.distortion) kl += this.floatOut.klSum(run.outs[this.graph.output], k * this.chunk, end);
      for (let j = 0; j < end; j++) {
        const i = k * this.chunk + j;
        if (pred[j] !== this.labels[i]) errors++;
        if (pred[j] !== this.floatPred[i]) disagree++;
        if (pred[j] === this.labels[i] && this.floatPred[i] !== this.labels[i]) gained++;
      }
      if (opts.maxErrors !== undefined && (byFloat ? disagree : errors) > opts.maxErrors) {
        this.calls.push({ subset, firstChangedNode: opts.firstChangedNode, maxErrors: opts.maxErrors, startNode, stoppedEarly: true });
        return { correct: n - errors, agree: n - disagree, gained, total: n, stoppedEarly: true, ...(opts.distortion ? { distortion: kl / n } : {}) };
      }
    }
    this.calls.push({ subset, firstChangedNode: opts.firstChangedNode, maxErrors: opts.maxErrors, startNode, stoppedEarly: false });
    return { correct: n - errors, agree: n - disagree, gained, total: n, stoppedEarly: false, ...(opts.distortion ? { distortion: kl / n } : {}) };
  }

  private runChunk(config: QuantConfig, k: number): ChunkCache {
    const g = this.graph;
    const cached = this.cache[k];
    const start = cached ? firstDifference(cached.config, config) : 0;
    if (cached && start >= g.nodes.length) return cached;
    const b0 = k * this.chunk;
    const count = Math.min(this.chunk, this.total - b0);
    const outs: Float32Array[] = [];
    for (let i = 0; i < g.nodes.length; i++) {
      outs[i] = i < start && cached ? cached.outs[i] : this.runNode(config, i, outs, count, b0);
    }
    const logits = outs[g.output];
    const classes = logits.length / count;
    const predictions = new Int32Array(count);
    for (let b = 0; b < count; b++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if (logits[b * classes + c] > logits[b * classes + best]) best = c;
      predictions[b] = best;
    }
    const entry = { config, outs, predictions };
    this.cache[k] = entry;
    return entry;
  }

  private values(node: number, slot: string, v: Float32Array, f: Format | null | undefined): Float64Array {
    const key = `${node}:${slot}:${f ? `${f.bits},${f.frac},${f.signed}` : 'float'}`;
    let a = this.dq.get(key);
    if (!a) {
      a = Float64Array.from(v, quantizer(f));
      this.dq.set(key, a);
    }
    return a;
  }

  private inFormat(config: QuantConfig, i: number): Format | null {
    return config.nodes[formatOwner(this.graph, i)]?.output ?? null;
  }

  private runNode(config: QuantConfig, i: number, outs: Float32Array[], count: number, b0: number): Float32Array {
    const g = this.graph;
    const n = g.nodes[i];
    const f = config.nodes[i] ?? {};
    const size = elementCount(n.shape);
    const out = new Float32Array(count * size);
    const q = quantizer(f.output);
    const finish = (v: number, j: number) => {
      out[j] = q(v);
    };
    switch (n.kind) {
      case 'input': {
        const x = this.inputs.subarray(b0 * size, (b0 + count) * size);
        for (let j = 0; j < x.length; j++) finish(x[j], j);
        return out;
      }
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'dense':
        return this.runLinear(config, i, n, outs[n.inputs[0]], count, out);
      case 'affine': {
        const x = outs[n.inputs[0]];
        const fi = this.inFormat(config, n.inputs[0]);
        const s = this.values(i, 'weights', n.scale, f.weights);
        let t = this.values(i, 'bias', n.shift, f.bias);
        const fixed = fi && f.weights && f.bias && f.output ? fi.frac + f.weights.frac : null;
        if (fixed !== null) t = t.map((v) => roundTo(v, fixed));
        const C = n.shape[2];
        for (let j = 0; j < x.length; j++) finish(activate(x[j] * s[j % C] + t[j % C], n.activation, fixed), j);
        return out;
      }
      case 'add': {
        const fr = n.inputs.map((p) => this.inFormat(config, p));
        const fixed = f.output && fr.every((q) => q) ? Math.max(...fr.map((q) => q!.frac)) : null;
        for (let j = 0; j < out.length; j++) {
          let v = 0;
          for (const p of n.inputs) v += outs[p][j];
          finish(activate(v, n.activation, fixed), j);
        }
        return out;
      }
      case 'concat': {
        const C = n.shape[2];
        const pixels = count * n.shape[0] * n.shape[1];
        let c0 = 0;
        for (const p of n.inputs) {
          const cp = g.nodes[p].shape[2];
          const x = outs[p];
          for (let px = 0; px < pixels; px++) for (let c = 0; c < cp; c++) finish(x[px * cp + c], px * C + c0 + c);
          c0 += cp;
        }
        return out;
      }
      case 'maxPool':
      case 'avgPool':
        return this.runPool(config, n, outs[n.inputs[0]], count, out);
      case 'pad': {
        const [H, W, C] = g.nodes[n.inputs[0]].shape;
        const [oh, ow] = n.shape;
        const x = outs[n.inputs[0]];
        for (let b = 0; b < count; b++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) for (let c = 0; c < C; c++) {
          out[((b * oh + y + n.pads[0]) * ow + xx + n.pads[1]) * C + c] = x[((b * H + y) * W + xx) * C + c];
        }
        return out;
      }
      case 'activation': {
        const x = outs[n.inputs[0]];
        const fi = this.inFormat(config, n.inputs[0]);
        for (let j = 0; j < x.length; j++) out[j] = activate(x[j], n.activation, fi ? fi.frac : null);
        return out;
      }
      case 'reshape':
        return outs[n.inputs[0]];
    }
  }

  private runLinear(config: QuantConfig, i: number, n: GraphNode & { kind: 'conv2d' | 'depthwiseConv2d' | 'dense' }, x: Float32Array, count: number, out: Float32Array): Float32Array {
    const f = config.nodes[i] ?? {};
    const fi = this.inFormat(config, n.inputs[0]);
    const w = this.values(i, 'weights', n.kernel, f.weights);
    const epi = n.epilogue;
    const fixed = !!(fi && f.weights && (!n.bias || f.bias) && (!epi || (f.scale && f.shift)) && f.output);
    const accFrac = fixed ? fi!.frac + f.weights!.frac : null;
    const cout = n.shape[2];
    let bias = n.bias ? this.values(i, 'bias', n.bias, f.bias) : new Float64Array(cout);
    if (accFrac !== null) bias = bias.map((v) => roundTo(v, accFrac));
    const s = epi ? this.values(i, 'scale', epi.scale, f.scale) : null;
    let t = epi ? this.values(i, 'shift', epi.shift, f.shift) : null;
    if (t && accFrac !== null) {
      const ef = accFrac + f.scale!.frac;
      t = t.map((v) => roundTo(v, ef));
    }
    const inShape = this.graph.nodes[n.inputs[0]].shape;
    const inSize = elementCount(inShape);
    const outSize = elementCount(n.shape);
    const acc = new Float64Array(cout);
    const q = quantizer(f.output);
    const emit = (o: number) => {
      for (let co = 0; co < cout; co++) {
        let v = activate(acc[co] + bias[co], n.activation, accFrac);
        if (s && t) v = v * s[co] + t[co];
        out[o + co] = q(v);
      }
    };
    if (n.kind === 'dense') {
      const [K, N] = n.kernelShape;
      for (let b = 0; b < count; b++) {
        acc.fill(0);
        for (let k = 0; k < K; k++) {
          const xv = x[b * inSize + k];
          if (xv === 0) continue;
          const row = k * N;
          for (let co = 0; co < N; co++) acc[co] += xv * w[row + co];
        }
        emit(b * outSize);
      }
      return out;
    }
    const [kh, kw, cin, mult] = n.kernelShape;
    const [H, W] = inShape;
    const [oh, ow] = n.shape;
    const [sy, sx] = n.strides;
    const [dy, dx] = n.dilation;
    const [pt, pl] = n.pads;
    for (let b = 0; b < count; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
      acc.fill(0);
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sy - pt + ky * dy;
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * sx - pl + kx * dx;
          if (ix < 0 || ix >= W) continue;
          const xo = b * inSize + (iy * W + ix) * cin;
          const wo = (ky * kw + kx) * cin;
          if (n.kind === 'conv2d') {
            for (let ci = 0; ci < cin; ci++) {
              const xv = x[xo + ci];
              if (xv === 0) continue;
              const row = (wo + ci) * mult;
              for (let co = 0; co < mult; co++) acc[co] += xv * w[row + co];
            }
          } else {
            for (let ci = 0; ci < cin; ci++) {
              const xv = x[xo + ci];
              for (let m = 0; m < mult; m++) acc[ci * mult + m] += xv * w[(wo + ci) * mult + m];
            }
          }
        }
      }
      emit(b * outSize + (oy * ow + ox) * cout);
    }
    return out;
  }

  private runPool(config: QuantConfig, n: GraphNode & { kind: 'maxPool' | 'avgPool' }, x: Float32Array, count: number, out: Float32Array): Float32Array {
    const [H, W, C] = this.graph.nodes[n.inputs[0]].shape;
    const [oh, ow] = n.shape;
    const [ph, pw] = n.pool;
    const [sy, sx] = n.strides;
    const [pt, pl] = n.pads;
    const fi = this.inFormat(config, n.inputs[0]);
    for (let b = 0; b < count; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let c = 0; c < C; c++) {
      let m = -Infinity, sum = 0, cnt = 0;
      for (let ky = 0; ky < ph; ky++) {
        const iy = oy * sy - pt + ky;
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < pw; kx++) {
          const ix = ox * sx - pl + kx;
          if (ix < 0 || ix >= W) continue;
          const v = x[((b * H + iy) * W + ix) * C + c];
          if (v > m) m = v;
          sum += v;
          cnt++;
        }
      }
      let v: number;
      if (n.kind === 'maxPool') v = m;
      else if (fi) {
        const q = sum * 2 ** fi.frac; // exact integer
        v = Math.floor((2 * q + cnt) / (2 * cnt)) * 2 ** -fi.frac;
      } else v = sum / cnt;
      out[((b * oh + oy) * ow + ox) * C + c] = v;
    }
    return out;
  }
}
