// The fixed-point inference engine: runs a Graph under a QuantConfig on batches of images in
// WebAssembly, every node in integers (DESIGN.md §4) or float32, bit-exact with
// src/core/reference.ts whichever kernels run (SIMD or scalar, relaxed or not).
//
// Typical use (a search):
//   const engine = await createEngine(await loadEngineWasm());
//   engine.load(graph);                            // DEFAULT_BATCH images per batch
//   engine.setConfig(config);                      // cheap when one tensor changed
//   engine.run(images, labels, { cacheAt: k });    // once: keeps the activations entering node k
//   engine.setConfig(changedAtK);
//   engine.run(images, labels, { startAt: k, maxErrors }); // starts at node k from the cache
// (prefix-cache.ts: several boundaries per image set, valid while the formats before them hold)
import type { NodeFormats, QuantConfig } from '../core/config.ts';
import { floatConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import type { Graph } from '../core/graph.ts';
import { elementCount, nodeMacs } from '../core/graph.ts';
import type { TensorStats } from '../core/tensor-stats.ts';
import { accumulateStats, emptyStats } from '../core/tensor-stats.ts';
import type { TuningOptions } from './dispatch.ts';
import { NodeRunner } from './dispatch.ts';
import { kernelTable } from './kernel-table.ts';
import type { KernelExports } from './kernels.ts';
import { instantiateKernels } from './kernels.ts';
import type { Layout } from './layout.ts';
import { gemmDims, planLayout } from './layout.ts';
import { type AccCache, AccCacheStore } from './acc-cache.ts';
import { CacheBudget, DEFAULT_CACHE_BYTES } from './cache-budget.ts';
import { PrefixCache, PrefixCacheStore, prefixCacheBytes } from './prefix-cache.ts';
import type { Domain, NodePath, PreparedNode } from './prepare.ts';
import { formatsKey, prepareNode } from './prepare.ts';
import { uploadParams } from './upload.ts';
import { runsRelaxedBuild } from './wasm-support.ts';

export type { Domain, NodePath } from './prepare.ts';
export { ConfigRangeError } from './prepare.ts';

/** Compiled (or raw) Wasm engines; `relaxed` is used when the runtime supports relaxed SIMD. */
export interface EngineWasm {
  simd: WebAssembly.Module | BufferSource;
  relaxed?: WebAssembly.Module | BufferSource | null;
}

export interface EngineOptions extends TuningOptions {
  /** SIMD kernels (default) or their scalar twins; results are identical. */
  simd?: boolean;
  /** Use the relaxed-SIMD build when available (default true). */
  relaxed?: boolean;
  /**
   * Memory all caches may hold, prefix activations and accumulator sums of every image set
   * together (default DEFAULT_CACHE_BYTES, 448 MiB; cache-budget.ts).
   */
  cacheBytes?: number;
  /** Wraps the Wasm exports (e.g. to time each kernel, bench/profile-kernels.ts). */
  instrument?: (kernels: KernelExports) => KernelExports;
}

export interface RunOptions {
  /** Caches of this image set with a boundary ≤ startAt may be used (the deepest valid one is). */
  startAt?: number;
  /** Keep the activations entering node `cacheAt` (or each of several nodes) for this image set. */
  cacheAt?: number | readonly number[];
  /** Stop once more than this many answers are wrong (needs labels). */
  maxErrors?: number;
  /**
   * Wrong answers counted together with other engines scoring other images of the same set
   * (element 0 of a SharedArrayBuffer view): maxErrors then applies to the sum, so a pool of
   * shards stops as early as one engine would.
   */
  sharedErrors?: Int32Array;
  signal?: AbortSignal;
  /** Also return the output node's values (dequantized) of the evaluated images. */
  outputs?: boolean;
}

export interface RunResult {
  /** Top-1 per image (largest output, lowest index on ties); -1 where not evaluated. */
  predictions: Int32Array;
  correct: number;
  evaluated: number;
  stoppedEarly: boolean;
  /** Node the run started at for cached batches (0 when nothing came from a cache). */
  startedAt: number;
  /** With opts.outputs: image-major output values of the evaluated images. */
  outputs?: Float32Array;
}

/** What the engine has done since load (profiling: where a search's time and MACs go). */
export interface EngineCounters {
  /** Multiply-accumulates run per node (nodeMacs × images), whatever the kernel. */
  macs: Float64Array;
  /** Images run through node i. */
  images: Float64Array;
  /** Milliseconds spent in setConfig (quantizing and packing parameters). */
  setConfigMs: number;
  /** Milliseconds spent in run (kernels, cache copies, argmax). */
  runMs: number;
  /** Images restored from or saved to prefix caches. */
  cacheRestores: number;
  cacheSaves: number;
}

/** One node's outputs for a set of images, batch-major (image × H × W × C). */
export type NodeTensor =
  | { kind: 'fixed'; format: Format; q: Int32Array }
  | { kind: 'float'; x: Float32Array };

/** Images per batch unless a caller (a benchmark) asks otherwise: the one batch size of the app. */
export const DEFAULT_BATCH = 32;

const toModule = (m: WebAssembly.Module | BufferSource): WebAssembly.Module =>
  m instanceof WebAssembly.Module ? m : new WebAssembly.Module(m);

/** The one place the build is chosen: relaxed when wanted (default), given and supported. */
function chooseBuild(wasm: EngineWasm, options: EngineOptions): { src: WebAssembly.Module | BufferSource; relaxed: boolean } {
  const relaxed = !!wasm.relaxed && runsRelaxedBuild(options.relaxed);
  return { src: relaxed ? wasm.relaxed! : wasm.simd, relaxed };
}

/** Compiles the engine (relaxed build when supported and given, else plain SIMD). */
export async function createEngine(wasm: EngineWasm, options: EngineOptions = {}): Promise<Engine> {
  const { src, relaxed } = chooseBuild(wasm, options);
  const module = src instanceof WebAssembly.Module ? src : await WebAssembly.compile(src);
  return new Engine(module, relaxed, options);
}

/** Synchronous variant for code that already holds the bytes. */
export function createEngineSync(wasm: EngineWasm, options: EngineOptions = {}): Engine {
  const { src, relaxed } = chooseBuild(wasm, options);
  return new Engine(toModule(src), relaxed, options);
}

export class Engine {
  readonly relaxed: boolean;
  private readonly module: WebAssembly.Module;
  private readonly options: EngineOptions;
  private useSimd: boolean;
  private k!: KernelExports;
  private runner!: NodeRunner;
  private graph: Graph | null = null;
  private layout!: Layout;
  private prepared: PreparedNode[] = [];
  private keys: string[] = [];
  private inKeys: string[] = [];
  private readonly cacheBudget: CacheBudget;
  private readonly caches: PrefixCacheStore;
  private readonly accCaches: AccCacheStore;
  private nodeMacs = new Float64Array(0);
  /** Since load(); see EngineCounters. */
  counters: EngineCounters = emptyCounters(0);

  constructor(module: WebAssembly.Module, relaxed: boolean, options: EngineOptions = {}) {
    this.module = module;
    this.relaxed = relaxed;
    this.options = options;
    this.useSimd = options.simd ?? true;
    this.cacheBudget = new CacheBudget(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    this.caches = new PrefixCacheStore(this.cacheBudget);
    this.accCaches = new AccCacheStore(this.cacheBudget);
  }

  /** A new engine on the same compiled module and options, with its own memory: a second graph beside this one's. */
  sibling(): Engine {
    return new Engine(this.module, this.relaxed, this.options);
  }

  /** SIMD kernels when true, scalar twins when false; can be flipped between runs. */
  get simd(): boolean {
    return this.useSimd;
  }

  set simd(on: boolean) {
    this.useSimd = on;
    if (this.runner) this.runner.t = kernelTable(this.k, on);
  }

  /** Lays out memory for `graph` at `batchSize` images per batch and sets an all-float config. */
  load(graph: Graph, batchSize = DEFAULT_BATCH): void {
    if (graph.nodes[0]?.kind !== 'input') throw new Error('graph.nodes[0] must be the input node');
    const raw = instantiateKernels(this.module);
    this.k = this.options.instrument ? this.options.instrument(raw) : raw;
    this.graph = graph;
    this.layout = planLayout(graph, Math.max(1, Math.floor(batchSize)), this.k);
    this.runner = new NodeRunner(graph, this.layout, this.k, kernelTable(this.k, this.useSimd), this.options);
    this.prepared = [];
    this.keys = graph.nodes.map(() => '\u0000');
    this.inKeys = graph.nodes.map(() => '\u0000');
    this.caches.clear();
    this.accCaches.clear();
    this.nodeMacs = Float64Array.from(graph.nodes, nodeMacs);
    this.counters = emptyCounters(graph.nodes.length);
    this.setConfig(floatConfig(graph.nodes.length));
  }

  get batchSize(): number {
    return this.layout.batch;
  }

  private get g(): Graph {
    if (!this.graph) throw new Error('Engine.load(graph) first');
    return this.graph;
  }

  /**
   * Applies a configuration. Only nodes whose own formats or input domains changed are
   * re-quantized and re-packed. Throws ConfigRangeError (nothing changed then) when a node's
   * exact intermediates would exceed 64 bits.
   */
  setConfig(config: QuantConfig): void {
    const g = this.g;
    const t0 = performance.now();
    if (config.nodes.length !== g.nodes.length) throw new Error(`config has ${config.nodes.length} nodes, the graph ${g.nodes.length}`);
    const next: PreparedNode[] = [];
    const changed: number[] = [];
    const keys: string[] = [];
    const inKeys: string[] = [];
    for (let i = 0; i < g.nodes.length; i++) {
      const f: NodeFormats = config.nodes[i] ?? {};
      const key = formatsKey(f);
      const inDomains = g.nodes[i].inputs.map((p) => next[p].out);
      const inKey = inDomains.map(domainKey).join(';');
      keys.push(key);
      inKeys.push(inKey);
      if (this.prepared[i] && key === this.keys[i] && inKey === this.inKeys[i]) {
        next.push(this.prepared[i]);
      } else {
        next.push(prepareNode(g, i, f, inDomains, { relaxed: this.relaxed }));
        changed.push(i);
      }
    }
    for (const i of changed) uploadParams(this.k.memory.buffer, g, i, next[i], this.layout.params[i]);
    this.prepared = next;
    this.keys = keys;
    this.inKeys = inKeys;
    this.counters.setConfigMs += performance.now() - t0;
  }

  /** The kernel family each node runs under the current config (for tests and traces). */
  nodePaths(): NodePath[] {
    return this.prepared.map((p) => p.path);
  }

  /** Output domain of each node under the current config. */
  nodeDomains(): Domain[] {
    return this.prepared.map((p) => p.out);
  }

  /**
   * The memory all caches may hold from now on (EngineOptions.cacheBytes); a smaller budget
   * evicts at once. A pool's shards each take their share of one budget.
   */
  setCacheBytes(bytes: number): void {
    this.cacheBudget.maxBytes = bytes;
    this.cacheBudget.fit(0);
  }

  /** Bytes the caches hold now, prefix activations and accumulator sums together. */
  get cachedBytes(): number {
    return this.cacheBudget.bytes;
  }

  /** Forgets the prefix cache of an image set (or of all sets). */
  clearCache(images?: Float32Array): void {
    this.caches.clear(images);
    this.accCaches.clear();
  }

  /**
   * Classifies `images` (N×H×W×C preprocessed floats) in batches. With labels, counts correct
   * answers and may stop early (maxErrors). See RunOptions for the prefix cache.
   */
  run(images: Float32Array, labels: Int32Array | ArrayLike<number> | null, opts: RunOptions = {}): RunResult {
    const g = this.g;
    const E = elementCount(g.nodes[0].shape);
    if (images.length % E !== 0) throw new Error(`images hold ${images.length} values, not a multiple of ${E} per image`);
    const count = images.length / E;
    if (labels && labels.length < count) throw new Error(`${labels.length} labels for ${count} images`);
    const B = this.layout.batch;
    const t0 = performance.now();
    const counters = this.counters;
    // New caches at the requested boundaries that have no complete valid one yet; every batch
    // then starts at or before the shallowest of them, so each sees its boundary.
    const wanted = opts.cacheAt === undefined ? [] : typeof opts.cacheAt === 'number' ? [opts.cacheAt] : opts.cacheAt;
    // A cache larger than the whole budget is not made at all (it would only push out the others).
    const domains = this.prepared.map((p) => p.out);
    const builds = [...new Set(wanted)].filter((b) => b > 0 && b < g.nodes.length && !this.caches.complete(images, this.keys, b, count) &&
      prefixCacheBytes(b, g, this.layout, domains, count) <= this.cacheBudget.maxBytes)
      .map((b) => new PrefixCache(b, this.keys.slice(0, b), g, this.layout, domains, count));
    const startLimit = Math.min(opts.startAt ?? 0, ...builds.map((b) => b.boundary));
    const usable = opts.startAt === undefined ? [] : this.caches.usable(images, this.keys, startLimit);
    const acc = opts.startAt === undefined || !wanted.length ? null : this.accCacheFor(images, Math.min(...wanted), count);
    let start = -1;
    const predictions = new Int32Array(count).fill(-1);
    const outputs = opts.outputs ? new Float32Array(count * elementCount(g.nodes[g.output].shape)) : undefined;
    let correct = 0, evaluated = 0, stoppedEarly = false;
    const outNode = g.output;
    const outElems = elementCount(g.nodes[outNode].shape);
    for (let b0 = 0; b0 < count; b0 += B) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new DOMException('The run was aborted', 'AbortError');
      const nb = Math.min(B, count - b0);
      const cache = usable.find((c) => c.count >= b0 + nb);
      let first = 0;
      if (cache) {
        cache.restore(this.k.memory.buffer, this.layout, b0, nb);
        this.caches.touch(cache);
        counters.cacheRestores += nb;
        first = cache.boundary;
      } else {
        this.f32().set(images.subarray(b0 * E, (b0 + nb) * E), this.layout.staging >> 2);
      }
      if (start < 0) start = first;
      for (let i = first; i < g.nodes.length; i++) {
        for (const build of builds) {
          if (i !== build.boundary) continue;
          build.save(this.k.memory.buffer, this.layout, b0, nb);
          counters.cacheSaves += nb;
        }
        const restore = !!acc && i === acc.node && b0 + nb <= acc.count;
        const save = !!acc && i === acc.node && !restore && b0 === acc.count;
        this.runner.acc = restore || save ? { restore, data: acc!.data, base: b0 * acc!.rowsPerImage } : null;
        this.runner.exec(this.prepared, i, nb);
        this.runner.acc = null;
        if (save) acc!.count += nb;
        if (!restore) counters.macs[i] += this.nodeMacs[i] * nb;
        counters.images[i] += nb;
      }
      this.answers(b0, nb, predictions, outputs);
      evaluated += nb;
      if (labels) {
        let right = 0;
        for (let j = 0; j < nb; j++) if (predictions[b0 + j] === Number(labels[b0 + j])) right++;
        correct += right;
        const wrong = opts.sharedErrors ? Atomics.add(opts.sharedErrors, 0, nb - right) + nb - right : evaluated - correct;
        if (opts.maxErrors !== undefined && wrong > opts.maxErrors && b0 + nb < count) {
          stoppedEarly = true;
          break;
        }
      }
    }
    for (const build of builds) {
      build.count = evaluated;
      this.caches.add(images, build);
    }
    counters.runMs += performance.now() - t0;
    return { predictions, correct, evaluated, stoppedEarly, startedAt: Math.max(0, start), outputs: outputs?.subarray(0, evaluated * outElems) };
  }

  /**
   * The accumulator cache (acc-cache.ts) a run over `images` uses at `node`, the first node whose
   * formats changed: the set's valid one, or a new one to fill; null where the node is not a
   * conv2d/dense with parameters or the cache would not fit.
   */
  private accCacheFor(images: Float32Array, node: number, count: number): (AccCache & { rowsPerImage: number }) | null {
    const n = this.g.nodes[node];
    const p = this.prepared[node];
    if ((p?.op !== 'float-params' && p?.op !== 'int-params') || (n.kind !== 'conv2d' && n.kind !== 'dense')) return null;
    const rowsPerImage = n.kind === 'dense' ? 1 : n.shape[0] * n.shape[1];
    const { Np } = gemmDims(this.g, n)!;
    // Float sums and the 32-bit integer paths' are 4 bytes, the 64-bit paths' 8 (dispatch.ts gemmInt).
    const width = p.op === 'int-params' && p.path !== 'i8-relaxed' && p.path !== 'i16' ? 8 : 4;
    // The sums depend on the formats of every node before the node (its input), on its weight
    // format and on the kernel path (which fixes their layout and, for i8-relaxed, an offset).
    const key = `${this.keys.slice(0, node).join('\n')}\n${this.keys[node].split(' ')[0]} ${p.path}`;
    const old = this.accCaches.get(images, node);
    const c = old && old.key === key ? old : this.accCaches.start(images, node, key, rowsPerImage * Np * width, count);
    return c && Object.assign(c, { rowsPerImage });
  }

  /** The output node's values for every image (dequantized when fixed), image-major. */
  logits(images: Float32Array): Float32Array {
    const g = this.g;
    const t = this.trace(images, [g.output])[g.output]!;
    return t.kind === 'float' ? t.x : dequantize(t.q, t.format);
  }

  /**
   * Every node's output (or only `nodes`) for the images, in the node's domain. For tests:
   * compare with src/core/reference.ts bit for bit.
   */
  trace(images: Float32Array, nodes?: number[]): (NodeTensor | undefined)[] {
    const g = this.g;
    const E = elementCount(g.nodes[0].shape);
    const count = images.length / E;
    const want = new Set(nodes ?? g.nodes.map((_, i) => i));
    const out: (NodeTensor | undefined)[] = g.nodes.map((n, i) => {
      if (!want.has(i)) return undefined;
      const d = this.prepared[i].out;
      const len = count * elementCount(n.shape);
      return d.kind === 'fixed' ? { kind: 'fixed', format: d.format, q: new Int32Array(len) } : { kind: 'float', x: new Float32Array(len) };
    });
    this.forEachBatch(images, (i, b0, nb) => {
      const t = out[i];
      if (!t) return;
      const elems = elementCount(g.nodes[i].shape);
      const ptr = this.layout.buffer[i] >> 2;
      if (t.kind === 'fixed') t.q.set(this.i32().subarray(ptr, ptr + nb * elems), b0 * elems);
      else t.x.set(this.f32().subarray(ptr, ptr + nb * elems), b0 * elems);
    });
    return out;
  }

  /** Statistics of every node's output over the images under the current config (dequantized). */
  activationStats(images: Float32Array): TensorStats[] {
    return this.statsPass(images, null);
  }

  /**
   * activationStats and `run(images, null, { outputs: true })` in one pass over the images: the
   * statistics, and each image's top-1 and output values exactly as run gives them (the same
   * kernels, batches and argmax).
   */
  statsAndAnswers(images: Float32Array): { stats: TensorStats[]; predictions: Int32Array; outputs: Float32Array } {
    const g = this.g;
    const count = images.length / elementCount(g.nodes[0].shape);
    const answers = { predictions: new Int32Array(count).fill(-1), outputs: new Float32Array(count * elementCount(g.nodes[g.output].shape)) };
    return { stats: this.statsPass(images, answers), ...answers };
  }

  private statsPass(images: Float32Array, answers: { predictions: Int32Array; outputs: Float32Array } | null): TensorStats[] {
    const g = this.g;
    const stats = g.nodes.map(() => emptyStats());
    this.forEachBatch(images, (i, b0, nb) => {
      const elems = elementCount(g.nodes[i].shape);
      const ptr = this.layout.buffer[i] >> 2;
      const d = this.prepared[i].out;
      if (d.kind === 'fixed') accumulateStats(dequantize(this.i32().subarray(ptr, ptr + nb * elems), d.format), stats[i]);
      else accumulateStats(this.f32().subarray(ptr, ptr + nb * elems), stats[i]);
      // After the batch's last node, where run reads its answers.
      if (answers && i === g.nodes.length - 1) this.answers(b0, nb, answers.predictions, answers.outputs);
    });
    return stats;
  }

  /** The top-1 (and, when asked, the dequantized output values) of the batch's images b0… just run. */
  private answers(b0: number, nb: number, predictions: Int32Array, outputs: Float32Array | undefined): void {
    const outNode = this.g.output;
    const outElems = elementCount(this.g.nodes[outNode].shape);
    const outBuf = this.layout.buffer[outNode];
    const o = this.prepared[outNode].out;
    if (o.kind === 'fixed') this.k.argmax_i32(outBuf, nb, outElems, this.layout.preds);
    else this.k.argmax_f32(outBuf, nb, outElems, this.layout.preds);
    predictions.set(this.i32().subarray(this.layout.preds >> 2, (this.layout.preds >> 2) + nb), b0);
    if (outputs) {
      const ptr = outBuf >> 2;
      const vals = o.kind === 'fixed' ? dequantize(this.i32().subarray(ptr, ptr + nb * outElems), o.format) : this.f32().subarray(ptr, ptr + nb * outElems);
      outputs.set(vals, b0 * outElems);
    }
  }

  /** Milliseconds each node takes to run the images under the current config (profiling aid). */
  nodeTimes(images: Float32Array): number[] {
    const times = this.g.nodes.map(() => 0);
    let last = performance.now();
    this.forEachBatch(images, (i) => {
      const now = performance.now();
      times[i] += now - last;
      last = performance.now();
    }, () => { last = performance.now(); });
    return times;
  }

  // ---------------------------------------------------------------- internals

  private forEachBatch(images: Float32Array, visit: (node: number, b0: number, nb: number) => void, staged?: () => void): void {
    const g = this.g;
    const E = elementCount(g.nodes[0].shape);
    const count = images.length / E;
    for (let b0 = 0; b0 < count; b0 += this.layout.batch) {
      const nb = Math.min(this.layout.batch, count - b0);
      this.f32().set(images.subarray(b0 * E, (b0 + nb) * E), this.layout.staging >> 2);
      staged?.();
      for (let i = 0; i < g.nodes.length; i++) {
        this.runner.exec(this.prepared, i, nb);
        visit(i, b0, nb);
      }
    }
  }

  private i32(): Int32Array { return new Int32Array(this.k.memory.buffer); }
  private f32(): Float32Array { return new Float32Array(this.k.memory.buffer); }
}

function emptyCounters(nodes: number): EngineCounters {
  return { macs: new Float64Array(nodes), images: new Float64Array(nodes), setConfigMs: 0, runMs: 0, cacheRestores: 0, cacheSaves: 0 };
}

function domainKey(d: Domain): string {
  return d.kind === 'float' ? 'f' : `${d.format.signed ? 's' : 'u'}${d.format.bits}.${d.format.frac}`;
}

function dequantize(q: Int32Array, f: Format): Float32Array {
  const s = 2 ** -f.frac;
  const x = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) x[i] = q[i] * s;
  return x;
}
