// The fixed-point inference engine: runs a Graph under a QuantConfig on batches of images in
// WebAssembly, every node in integers (DESIGN.md §4) or float32, bit-exact with
// src/core/reference.ts whichever kernels run (SIMD or scalar, relaxed or not).
//
// Typical use (a search):
//   const engine = await createEngine(await loadEngineWasm());
//   engine.load(graph, 32);
//   engine.setConfig(config);                      // cheap when one tensor changed
//   engine.run(images, labels, { cacheAt: k });    // once: keeps the activations entering node k
//   engine.setConfig(changedAtK);
//   engine.run(images, labels, { startAt: k, maxErrors }); // starts at node k from the cache
import type { NodeFormats, QuantConfig } from '../core/config.ts';
import { floatConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import { formatRange } from '../core/format.ts';
import type { Graph, GraphNode } from '../core/graph.ts';
import { elementCount } from '../core/graph.ts';
import type { TensorStats } from '../core/tensor-stats.ts';
import { accumulateStats, emptyStats } from '../core/tensor-stats.ts';
import type { KernelExports } from './kernels.ts';
import { instantiateKernels } from './kernels.ts';
import type { Layout } from './layout.ts';
import { gemmDims, planLayout, roundUp } from './layout.ts';
import type { Domain, NodePath, PreparedNode } from './prepare.ts';
import { activationCode, formatsKey, prepareNode } from './prepare.ts';
import { runsRelaxedBuild } from './wasm-support.ts';

export type { Domain, NodePath } from './prepare.ts';
export { ConfigRangeError } from './prepare.ts';

/** Compiled (or raw) Wasm engines; `relaxed` is used when the runtime supports relaxed SIMD. */
export interface EngineWasm {
  simd: WebAssembly.Module | BufferSource;
  relaxed?: WebAssembly.Module | BufferSource | null;
}

export interface EngineOptions {
  /** SIMD kernels (default) or their scalar twins; results are identical. */
  simd?: boolean;
  /** Use the relaxed-SIMD build when available (default true). */
  relaxed?: boolean;
}

export interface RunOptions {
  /** Index of the first node whose inputs may come from this image set's prefix cache. */
  startAt?: number;
  /** Keep the activations entering node `cacheAt` for this image set (replaces its cache). */
  cacheAt?: number;
  /** Stop once more than this many answers are wrong (needs labels). */
  maxErrors?: number;
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

/** One node's outputs for a set of images, batch-major (image × H × W × C). */
export type NodeTensor =
  | { kind: 'fixed'; format: Format; q: Int32Array }
  | { kind: 'float'; x: Float32Array };

type CacheArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array;

interface PrefixCache {
  boundary: number;
  /** Images cached, from the first image of the set. */
  count: number;
  versions: number[];
  tensors: Map<number, { data: CacheArray; elems: number }>;
}

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
  return new Engine(module, relaxed, options.simd ?? true);
}

/** Synchronous variant for code that already holds the bytes. */
export function createEngineSync(wasm: EngineWasm, options: EngineOptions = {}): Engine {
  const { src, relaxed } = chooseBuild(wasm, options);
  return new Engine(toModule(src), relaxed, options.simd ?? true);
}

export class Engine {
  /** SIMD kernels when true, scalar twins when false; can be flipped between runs. */
  simd: boolean;
  readonly relaxed: boolean;
  private readonly module: WebAssembly.Module;
  private k!: KernelExports;
  private graph: Graph | null = null;
  private layout!: Layout;
  private prepared: PreparedNode[] = [];
  private keys: string[] = [];
  private inKeys: string[] = [];
  private versions: number[] = [];
  private caches = new WeakMap<Float32Array, PrefixCache>();
  /** Tuning switch (bench/ab.ts): pad and narrow convolution inputs once before im2col. */
  private narrowInputs = true;
  /** Tuning switch: apply the fast epilogue inside the GEMM (gemm_i16_epi). */
  private fuseEpilogue = true;
  /** Tuning switch: one-input-channel convolutions through conv_c1_i16. */
  private directC1 = true;

  constructor(module: WebAssembly.Module, relaxed: boolean, simd: boolean) {
    this.module = module;
    this.relaxed = relaxed;
    this.simd = simd;
  }

  /** Lays out memory for `graph` at `batchSize` images per batch and sets an all-float config. */
  load(graph: Graph, batchSize = 32): void {
    if (graph.nodes[0]?.kind !== 'input') throw new Error('graph.nodes[0] must be the input node');
    this.k = instantiateKernels(this.module);
    this.graph = graph;
    this.layout = planLayout(graph, Math.max(1, Math.floor(batchSize)), this.k);
    this.prepared = [];
    this.keys = graph.nodes.map(() => '\u0000');
    this.inKeys = graph.nodes.map(() => '\u0000');
    this.versions = graph.nodes.map(() => 0);
    this.caches = new WeakMap();
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
    for (const i of changed) {
      this.upload(i, next[i]);
      if (keys[i] !== this.keys[i]) this.versions[i]++;
    }
    this.prepared = next;
    this.keys = keys;
    this.inKeys = inKeys;
  }

  /** The kernel family each node runs under the current config (for tests and traces). */
  nodePaths(): NodePath[] {
    return this.prepared.map((p) => p.path);
  }

  /** Output domain of each node under the current config. */
  nodeDomains(): Domain[] {
    return this.prepared.map((p) => p.out);
  }

  /** Forgets the prefix cache of an image set (or of all sets). */
  clearCache(images?: Float32Array): void {
    if (images) this.caches.delete(images);
    else this.caches = new WeakMap();
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
    const cache = this.caches.get(images);
    let start = 0;
    if (opts.startAt !== undefined && cache && cache.boundary <= opts.startAt && this.cacheValid(cache)) start = cache.boundary;
    let build: PrefixCache | null = null;
    if (opts.cacheAt !== undefined && opts.cacheAt > 0 && opts.cacheAt < g.nodes.length) {
      if (!(cache && start === opts.cacheAt && cache.count >= count)) {
        if (opts.cacheAt < start) start = 0;
        build = { boundary: opts.cacheAt, count: 0, versions: this.versions.slice(0, opts.cacheAt), tensors: new Map() };
        for (const r of this.liveAt(opts.cacheAt)) {
          const elems = elementCount(g.nodes[r].shape);
          build.tensors.set(r, { data: cacheArray(this.prepared[r].out, count * elems), elems });
        }
      }
    }
    const predictions = new Int32Array(count).fill(-1);
    const outputs = opts.outputs ? new Float32Array(count * elementCount(g.nodes[g.output].shape)) : undefined;
    let correct = 0, evaluated = 0, stoppedEarly = false;
    const outNode = g.output;
    const outElems = elementCount(g.nodes[outNode].shape);
    for (let b0 = 0; b0 < count; b0 += B) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new DOMException('The run was aborted', 'AbortError');
      const nb = Math.min(B, count - b0);
      const fromCache = start > 0 && cache!.count >= b0 + nb;
      let first = 0;
      if (fromCache) {
        this.restore(cache!, b0, nb);
        first = start;
      } else {
        this.f32().set(images.subarray(b0 * E, (b0 + nb) * E), this.layout.staging >> 2);
      }
      for (let i = first; i < g.nodes.length; i++) {
        if (build && i === build.boundary) this.save(build, b0, nb);
        this.exec(i, nb);
      }
      const outBuf = this.layout.buffer[outNode];
      if (this.prepared[outNode].out.kind === 'fixed') this.k.argmax_i32(outBuf, nb, outElems, this.layout.preds);
      else this.k.argmax_f32(outBuf, nb, outElems, this.layout.preds);
      predictions.set(this.i32().subarray(this.layout.preds >> 2, (this.layout.preds >> 2) + nb), b0);
      if (outputs) {
        const o = this.prepared[outNode].out;
        const ptr = outBuf >> 2;
        const vals = o.kind === 'fixed' ? dequantize(this.i32().subarray(ptr, ptr + nb * outElems), o.format) : this.f32().subarray(ptr, ptr + nb * outElems);
        outputs.set(vals, b0 * outElems);
      }
      evaluated += nb;
      if (labels) {
        for (let j = 0; j < nb; j++) if (predictions[b0 + j] === Number(labels[b0 + j])) correct++;
        if (opts.maxErrors !== undefined && evaluated - correct > opts.maxErrors && b0 + nb < count) {
          stoppedEarly = true;
          break;
        }
      }
    }
    if (build) {
      build.count = evaluated;
      this.caches.set(images, build);
    }
    return { predictions, correct, evaluated, stoppedEarly, startedAt: start, outputs: outputs?.subarray(0, evaluated * outElems) };
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
    const g = this.g;
    const stats = g.nodes.map(() => emptyStats());
    this.forEachBatch(images, (i, _b0, nb) => {
      const elems = elementCount(g.nodes[i].shape);
      const ptr = this.layout.buffer[i] >> 2;
      const d = this.prepared[i].out;
      if (d.kind === 'fixed') accumulateStats(dequantize(this.i32().subarray(ptr, ptr + nb * elems), d.format), stats[i]);
      else accumulateStats(this.f32().subarray(ptr, ptr + nb * elems), stats[i]);
    });
    return stats;
  }

  // ---------------------------------------------------------------- internals

  private forEachBatch(images: Float32Array, visit: (node: number, b0: number, nb: number) => void): void {
    const g = this.g;
    const E = elementCount(g.nodes[0].shape);
    const count = images.length / E;
    for (let b0 = 0; b0 < count; b0 += this.layout.batch) {
      const nb = Math.min(this.layout.batch, count - b0);
      this.f32().set(images.subarray(b0 * E, (b0 + nb) * E), this.layout.staging >> 2);
      for (let i = 0; i < g.nodes.length; i++) {
        this.exec(i, nb);
        visit(i, b0, nb);
      }
    }
  }

  private i32(): Int32Array { return new Int32Array(this.k.memory.buffer); }
  private f32(): Float32Array { return new Float32Array(this.k.memory.buffer); }

  /** Root tensors computed before node c and read at or after it. */
  private liveAt(c: number): number[] {
    const { root, lastUse } = this.layout;
    const out: number[] = [];
    for (let p = 0; p < c; p++) if (root[p] === p && lastUse[p] >= c) out.push(p);
    return out;
  }

  private cacheValid(c: PrefixCache): boolean {
    for (let i = 0; i < c.boundary; i++) if (this.versions[i] !== c.versions[i]) return false;
    return true;
  }

  private save(c: PrefixCache, b0: number, nb: number): void {
    for (const [r, t] of c.tensors) {
      const ptr = this.layout.buffer[r] >> 2;
      const src = t.data instanceof Float32Array ? this.f32() : this.i32();
      t.data.set(src.subarray(ptr, ptr + nb * t.elems), b0 * t.elems);
    }
  }

  private restore(c: PrefixCache, b0: number, nb: number): void {
    for (const [r, t] of c.tensors) {
      const ptr = this.layout.buffer[r] >> 2;
      const dst = t.data instanceof Float32Array ? this.f32() : this.i32();
      dst.set(t.data.subarray(b0 * t.elems, (b0 + nb) * t.elems), ptr);
    }
  }

  /** Writes a prepared node's parameters into its region. */
  private upload(i: number, p: PreparedNode): void {
    const region = this.layout.params[i];
    if (!region) return;
    const n = this.g.nodes[i];
    const buf = this.k.memory.buffer;
    const dims = gemmDims(this.g, n);
    if (p.mode === 'float') {
      const w = p.floatWeights!;
      const f32 = new Float32Array(buf);
      if (dims) {
        // [K][Np], columns past N zero.
        const dst = f32.subarray(region.wF32 >> 2, (region.wF32 >> 2) + dims.K * dims.Np);
        dst.fill(0);
        for (let k = 0; k < dims.K; k++) dst.set(w.subarray(k * dims.N, (k + 1) * dims.N), k * dims.Np);
      } else {
        f32.set(w, region.wF32 >> 2);
      }
      const e = p.floatEpi!;
      f32.fill(0, region.fbias >> 2, (region.fbias >> 2) + region.Np);
      f32.set(e.bias, region.fbias >> 2);
      if (e.scale) f32.set(e.scale, region.fscale >> 2);
      if (e.shift) f32.set(e.shift, region.fshift >> 2);
      const dv = new DataView(buf, region.blkF, 32);
      dv.setInt32(0, e.act, true);
      dv.setFloat32(4, e.alpha, true);
      dv.setFloat32(8, e.maxV, true);
      dv.setInt32(12, e.hasEpi ? 1 : 0, true);
      dv.setUint32(16, region.fbias, true);
      dv.setUint32(20, region.fscale, true);
      dv.setUint32(24, region.fshift, true);
      return;
    }
    if (p.mode !== 'int') return;
    const q = p.intWeights!;
    if (dims) {
      const { K, N, Kp, Np } = dims;
      // Packed layouts of assembly/gemm-int.ts: i8 / i16 in groups of 4 channels chunk by chunk
      // along K; i32 (the 64-bit path) one row per channel.
      const split = p.path === 'i16-split';
      const packed = p.path === 'i8-relaxed' ? new Int8Array(buf, region.wInt, Np * Kp)
        : p.path === 'i64' ? new Int32Array(buf, region.wInt, Np * Kp) : new Int16Array(buf, region.wInt, (split ? 2 : 1) * Np * Kp);
      packed.fill(0);
      if (split) {
        // i16-split: channel 2o holds w >> 8 (signed), channel 2o + 1 holds w & 255.
        for (let k = 0; k < K; k++) {
          for (let o = 0; o < N; o++) {
            const w = q[k * N + o];
            packed[((2 * o) >> 2) * Kp * 4 + (k >> 3) * 32 + ((2 * o) & 3) * 8 + (k & 7)] = w >> 8;
            packed[((2 * o + 1) >> 2) * Kp * 4 + (k >> 3) * 32 + ((2 * o + 1) & 3) * 8 + (k & 7)] = w & 255;
          }
        }
      }
      const index = p.path === 'i8-relaxed' ? (o: number, k: number) => (o >> 2) * Kp * 4 + (k >> 4) * 64 + (o & 3) * 16 + (k & 15)
        : p.path === 'i64' ? (o: number, k: number) => o * Kp + k
          : (o: number, k: number) => (o >> 2) * Kp * 4 + (k >> 3) * 32 + (o & 3) * 8 + (k & 7);
      if (!split) for (let k = 0; k < K; k++) for (let o = 0; o < N; o++) packed[index(o, k)] = q[k * N + o];
      if (region.wAux && p.path === 'i16' && n.kind === 'conv2d') {
        // conv_c1_i16: per (ky, tap pair, channel) the pair (w[kx], w[kx+1]) four times.
        const [kh, kw] = n.kernelShape;
        const pairs = (kw + 1) >> 1;
        const aux = new Int16Array(buf, region.wAux, kh * pairs * N * 8);
        for (let ky = 0; ky < kh; ky++) {
          for (let j = 0; j < pairs; j++) {
            for (let o = 0; o < N; o++) {
              const a = q[(ky * kw + 2 * j) * N + o];
              const b = 2 * j + 1 < kw ? q[(ky * kw + 2 * j + 1) * N + o] : 0;
              const at = ((ky * pairs + j) * N + o) * 8;
              for (let l = 0; l < 4; l++) { aux[at + 2 * l] = a; aux[at + 2 * l + 1] = b; }
            }
          }
        }
      }
    } else {
      new Int32Array(buf).set(q, region.wInt >> 2);
    }
    const e = p.intEpi!;
    const N = e.bt.length;
    const b64 = new BigInt64Array(buf);
    const i32 = new Int32Array(buf);
    for (let c = 0; c < N; c++) {
      b64[(region.bt64 >> 3) + c] = e.bt[c];
      b64[(region.st64 >> 3) + c] = e.st[c];
      i32[(region.qs >> 2) + c] = e.qs[c];
      if (e.fast) {
        i32[(region.bt32 >> 2) + c] = Number(e.bt[c]);
        i32[(region.st32 >> 2) + c] = Number(e.st[c]);
      }
    }
    const dv = new DataView(buf, region.blkInt, 64);
    dv.setInt32(0, e.act, true);
    dv.setInt32(4, e.alpha, true);
    dv.setInt32(8, e.hasEpi ? 1 : 0, true);
    dv.setInt32(12, e.S, true);
    dv.setInt32(16, e.lo, true);
    dv.setInt32(20, e.hi, true);
    dv.setUint32(24, region.bt64, true);
    dv.setUint32(28, region.qs, true);
    dv.setUint32(32, region.st64, true);
    dv.setUint32(36, region.bt32, true);
    dv.setUint32(40, region.st32, true);
    dv.setInt32(44, e.maxQ > BigInt(2 ** 31 - 1) ? 2 ** 31 - 1 : Number(e.maxQ), true);
    dv.setBigInt64(48, e.maxQ, true);
  }

  /** Runs node i on the first nb images of the batch buffers. */
  private exec(i: number, nb: number): void {
    const g = this.g;
    const n = g.nodes[i];
    const p = this.prepared[i];
    const k = this.k;
    const L = this.layout;
    const simd = this.simd;
    const dst = L.buffer[i];
    const count = nb * elementCount(n.shape);
    const src = n.inputs.length ? L.buffer[n.inputs[0]] : 0;
    const inDom = n.inputs.length ? this.prepared[n.inputs[0]].out : null;
    const floatSrc = (which: number, scratch: number): number => {
      const d = this.prepared[n.inputs[which]].out;
      const s = L.buffer[n.inputs[which]];
      if (d.kind === 'float') return s;
      k[simd ? 'dequantize_cols' : 'dequantize_cols_scalar'](s, 0, scratch, 0, 1, nb * elementCount(g.nodes[n.inputs[which]].shape), 2 ** -d.format.frac);
      return scratch;
    };
    const quantizeOut = () => {
      if (p.out.kind !== 'fixed') return;
      const [lo, hi] = formatRange(p.out.format);
      k[simd ? 'quantize_cols' : 'quantize_cols_scalar'](dst, 0, dst, 0, 1, count, 2 ** p.out.format.frac, lo, hi);
    };
    switch (n.kind) {
      case 'input': {
        if (p.out.kind === 'fixed') {
          const [lo, hi] = formatRange(p.out.format);
          k[simd ? 'quantize_cols' : 'quantize_cols_scalar'](L.staging, 0, dst, 0, 1, count, 2 ** p.out.format.frac, lo, hi);
        } else {
          k.copy_cols(L.staging, 0, dst, 0, 1, count);
        }
        return;
      }
      case 'reshape':
        return;
      case 'activation': {
        if (p.mode === 'alias') return;
        const a = n.activation;
        if (p.mode === 'int') {
          k[simd ? 'act_int' : 'act_int_scalar'](src, dst, count, actCode(a), Number(p.maxQ!), p.alpha!);
        } else {
          const maxV = a.type === 'relu' && a.max !== undefined && Number.isFinite(a.max) ? a.max : 0;
          k[simd ? 'act_f32' : 'act_f32_scalar'](src, dst, count, actCode(a), maxV, a.type === 'leakyRelu' ? a.alpha : 0);
        }
        return;
      }
      case 'pad': {
        const [H, W, C] = g.nodes[n.inputs[0]].shape;
        k.pad_copy(src, H, W, C, n.pads[0], n.pads[1], n.pads[2], n.pads[3], nb, dst);
        return;
      }
      case 'maxPool':
      case 'avgPool': {
        const [H, W, C] = g.nodes[n.inputs[0]].shape;
        const [OH, OW] = n.shape;
        const fixed = inDom!.kind === 'fixed';
        const name = `${n.kind === 'maxPool' ? 'max' : 'avg'}pool_${fixed ? 'i32' : 'f32'}` as const;
        const fn = k[simd && (!fixed || p.fast) ? name : `${name}_scalar` as const];
        fn(src, H, W, C, n.pool[0], n.pool[1], n.strides[0], n.strides[1], n.pads[0], n.pads[1], OH, OW, nb, dst);
        return;
      }
      case 'concat': {
        const [H, W, C] = n.shape;
        const rows = nb * H * W;
        let off = 0;
        n.inputs.forEach((q, j) => {
          const Cj = g.nodes[q].shape[2];
          const s = L.buffer[q];
          const d = this.prepared[q].out;
          if (p.mode === 'int') {
            const [lo, hi] = formatRange((p.out as { format: Format }).format);
            k[simd ? 'requant_cols' : 'requant_cols_scalar'](s, Cj, dst + off * 4, C, rows, Cj, p.shifts![j], lo, hi);
          } else if (d.kind === 'fixed') {
            k[simd ? 'dequantize_cols' : 'dequantize_cols_scalar'](s, Cj, dst + off * 4, C, rows, Cj, 2 ** -d.format.frac);
          } else {
            k.copy_cols(s, Cj, dst + off * 4, C, rows, Cj);
          }
          off += Cj;
        });
        if (p.mode === 'float') quantizeOut();
        return;
      }
      case 'add': {
        if (p.mode === 'int') {
          const [lo, hi] = formatRange((p.out as { format: Format }).format);
          const act = actCode(n.activation);
          if (n.inputs.length === 2) {
            const a = L.buffer[n.inputs[0]], b = L.buffer[n.inputs[1]];
            if (simd && p.fast) k.add_int_fast(a, b, dst, count, p.shifts![0], p.shifts![1], act, Number(p.maxQ!), p.alpha!, p.S!, lo, hi);
            else k.add_int(a, b, dst, count, p.shifts![0], p.shifts![1], act, p.maxQ!, p.alpha!, p.S!, lo, hi);
          } else {
            for (let c0 = 0; c0 < count; c0 += L.c64Elems) {
              const len = Math.min(L.c64Elems, count - c0);
              n.inputs.forEach((q, j) => k.add_acc_i64(L.buffer[q] + c0 * 4, L.c64, len, p.shifts![j], j === 0 ? 1 : 0));
              k.act_requant_i64(L.c64, dst + c0 * 4, len, act, p.maxQ!, p.alpha!, p.S!, lo, hi);
            }
          }
          return;
        }
        const add = k[simd ? 'add_f32' : 'add_f32_scalar'];
        add(floatSrc(0, L.scratchA), floatSrc(1, L.scratchB), dst, count);
        for (let j = 2; j < n.inputs.length; j++) add(dst, floatSrc(j, L.scratchA), dst, count);
        const e = p.floatEpi!;
        if (e.act !== 0) k[simd ? 'act_f32' : 'act_f32_scalar'](dst, dst, count, e.act, e.maxV, e.alpha);
        quantizeOut();
        return;
      }
      case 'affine': {
        const [H, W, C] = n.shape;
        const region = L.params[i]!;
        const M = nb * H * W;
        const MT = L.tileRows[i];
        if (p.mode === 'int') {
          const is64 = p.path === 'i64';
          for (let r0 = 0; r0 < M; r0 += MT) {
            const rows = Math.min(MT, M - r0);
            if (is64) k.affine_mul_i64(src + r0 * C * 4, region.wInt, L.c64, rows, C);
            else k[simd ? 'affine_mul_i32' : 'affine_mul_i32_scalar'](src + r0 * C * 4, region.wInt, L.c32, rows, C);
            this.intEpilogue(p, region.blkInt, is64, C, rows, C, dst + r0 * C * 4);
          }
          return;
        }
        const s = floatSrc(0, L.scratchA);
        for (let r0 = 0; r0 < M; r0 += MT) {
          const rows = Math.min(MT, M - r0);
          k[simd ? 'affine_mul_f32' : 'affine_mul_f32_scalar'](s + r0 * C * 4, region.wF32, L.c32, rows, C);
          k[simd ? 'epi_f32' : 'epi_f32_scalar'](region.blkF, L.c32, C, rows, C, dst + r0 * C * 4, C);
        }
        quantizeOut();
        return;
      }
      case 'depthwiseConv2d': {
        const [H, W, C] = g.nodes[n.inputs[0]].shape;
        const [OH, OW, Co] = n.shape;
        const [kh, kw, , mult] = n.kernelShape;
        const region = L.params[i]!;
        const M = nb * OH * OW;
        const MT = L.tileRows[i];
        const geo = [H, W, C, kh, kw, n.strides[0], n.strides[1], n.dilation[0], n.dilation[1], n.pads[0], n.pads[1], OH, OW, mult] as const;
        if (p.mode === 'int') {
          const is64 = p.path === 'i64';
          for (let r0 = 0; r0 < M; r0 += MT) {
            const rows = Math.min(MT, M - r0);
            if (is64) k.dw_i64(src, ...geo, r0, rows, region.wInt, L.c64, region.Np);
            else k[simd ? 'dw_i32' : 'dw_i32_scalar'](src, ...geo, r0, rows, region.wInt, L.c32, region.Np);
            this.intEpilogue(p, region.blkInt, is64, region.Np, rows, Co, dst + r0 * Co * 4);
          }
          return;
        }
        const s = floatSrc(0, L.scratchA);
        for (let r0 = 0; r0 < M; r0 += MT) {
          const rows = Math.min(MT, M - r0);
          k[simd ? 'dw_f32' : 'dw_f32_scalar'](s, ...geo, r0, rows, region.wF32, L.c32, region.Np);
          k[simd ? 'epi_f32' : 'epi_f32_scalar'](region.blkF, L.c32, region.Np, rows, Co, dst + r0 * Co * 4, Co);
        }
        quantizeOut();
        return;
      }
      case 'conv2d':
      case 'dense': {
        this.execGemm(i, n, p, nb, src, dst);
        if (p.mode === 'float') quantizeOut();
        return;
      }
    }
  }

  private intEpilogue(p: PreparedNode, blk: number, is64: boolean, ldc: number, rows: number, N: number, dst: number): void {
    if (!is64 && this.simd && p.intEpi!.fast) this.k.epi_int_fast(blk, this.layout.c32, ldc, rows, N, dst, N);
    else this.k.epi_int(blk, is64 ? this.layout.c64 : this.layout.c32, is64 ? 1 : 0, ldc, rows, N, dst, N);
  }

  private execGemm(i: number, n: GraphNode, p: PreparedNode, nb: number, src: number, dst: number): void {
    const g = this.g;
    const k = this.k;
    const L = this.layout;
    const simd = this.simd;
    const region = L.params[i]!;
    const { K, N, Kp, Np } = gemmDims(g, n)!;
    let H = 1, W = 1, C = K, kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1, OH = 1, OW = 1;
    let pads: number[] = [0, 0, 0, 0];
    if (n.kind === 'conv2d') {
      [H, W, C] = g.nodes[n.inputs[0]].shape;
      [kh, kw] = n.kernelShape;
      [sh, sw] = n.strides;
      [dh, dw] = n.dilation;
      [OH, OW] = n.shape;
      pads = n.pads;
    }
    // SIMD: zero padding first, so im2col copies whole runs without bounds checks. Scalar: the
    // plain im2col pads itself (two routes to the same panel, checked against each other).
    const padded = pads.some((p) => p > 0);
    const prepad = padded && simd;
    const padInput = (from: number): number => {
      if (!prepad) return from;
      k.pad_copy(from, H, W, C, pads[0], pads[1], pads[2], pads[3], nb, L.padScratch);
      return L.padScratch;
    };
    const Hp = prepad ? H + pads[0] + pads[2] : H, Wp = prepad ? W + pads[1] + pads[3] : W;
    const pt = prepad ? 0 : pads[0], pl = prepad ? 0 : pads[1];
    const M = nb * OH * OW;
    const MT = L.tileRows[i];
    const panel = L.panel;
    if (p.mode === 'int' && simd && this.directC1 && p.path === 'i16' && p.intEpi!.fast && region.wAux) {
      k.narrow_pad_i16(src, H, W, C, pads[0], pads[1], pads[2], pads[3], nb, L.padScratch);
      k.conv_c1_i16(L.padScratch, H + pads[0] + pads[2], W + pads[1] + pads[3], kh, kw, OH, OW, nb, region.wAux, N, region.blkInt, dst);
      return;
    }
    if (p.mode === 'int') {
      const path = p.path;
      // SIMD with a window of several taps: pad and narrow the input once (assembly/im2col.ts).
      const narrow = simd && this.narrowInputs && kh * kw > 1 && (path === 'i16' || path === 'i16-sliced' || path === 'i16-split' || path === 'i8-relaxed');
      const Hn = H + pads[0] + pads[2], Wn = W + pads[1] + pads[3];
      if (narrow && path === 'i8-relaxed') k.narrow_pad_i8(src, H, W, C, pads[0], pads[1], pads[2], pads[3], nb, L.padScratch, p.relaxedOffset!);
      else if (narrow) k.narrow_pad_i16(src, H, W, C, pads[0], pads[1], pads[2], pads[3], nb, L.padScratch);
      const x = narrow ? 0 : padInput(src);
      const fused = simd && this.fuseEpilogue && p.intEpi!.fast;
      for (let r0 = 0; r0 < M; r0 += MT) {
        const rows = Math.min(MT, M - r0);
        const rowsPad = roundUp(rows, 4);
        if (path === 'i8-relaxed') {
          if (narrow) k.im2col_i8n(L.padScratch, Hn, Wn, C, kh, kw, sh, sw, dh, dw, OH, OW, r0, rows, rowsPad, panel, Kp);
          else k[simd ? 'im2col_i8' : 'im2col_i8_scalar'](x, Hp, Wp, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, r0, rows, rowsPad, panel, Kp, p.relaxedOffset!);
          if (fused) {
            k.gemm_i8r_epi(panel, Kp, region.wInt, Kp, region.blkInt, dst + r0 * N * 4, rows, rowsPad, N, Kp);
            continue;
          }
          k[simd ? 'gemm_i8r' : 'gemm_i8_scalar'](panel, Kp, region.wInt, Kp, L.c32, Np, rowsPad, Np, 0, Kp);
        } else if (path === 'i16' || path === 'i16-sliced' || path === 'i16-split') {
          if (narrow) k.im2col_i16n(L.padScratch, Hn, Wn, C, kh, kw, sh, sw, dh, dw, OH, OW, r0, rows, rowsPad, panel, Kp);
          else k[simd ? 'im2col_i16' : 'im2col_i16_scalar'](x, Hp, Wp, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, r0, rows, rowsPad, panel, Kp, 0);
          const gemm = k[simd ? 'gemm_i16' : 'gemm_i16_scalar'];
          if (path === 'i16' && fused) {
            k.gemm_i16_epi(panel, Kp, region.wInt, Kp, region.blkInt, dst + r0 * N * 4, rows, rowsPad, N, Kp);
            continue;
          }
          if (path === 'i16') gemm(panel, Kp, region.wInt, Kp, L.c32, Np, rowsPad, Np, 0, Kp);
          else if (path === 'i16-split') {
            const N2 = roundUp(2 * N, 4);
            for (let k0 = 0; k0 < Kp; k0 += p.sliceK!) {
              gemm(panel, Kp, region.wInt, Kp, L.c32, N2, rowsPad, N2, k0, Math.min(p.sliceK!, Kp - k0));
              k.accumulate_split_i64(L.c32, N2, L.c64, Np, rows, N, k0 === 0 ? 1 : 0);
            }
          } else {
            for (let k0 = 0; k0 < Kp; k0 += p.sliceK!) {
              gemm(panel, Kp, region.wInt, Kp, L.c32, Np, rowsPad, Np, k0, Math.min(p.sliceK!, Kp - k0));
              k.accumulate_i64(L.c32, L.c64, Np, rows, N, k0 === 0 ? 1 : 0);
            }
          }
        } else {
          k[simd ? 'im2col_x32' : 'im2col_x32_scalar'](x, Hp, Wp, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, r0, rows, rowsPad, panel, Kp);
          k[simd ? 'gemm_i64' : 'gemm_i64_scalar'](panel, Kp, region.wInt, Kp, L.c64, Np, rowsPad, Np, 0, Kp);
        }
        this.intEpilogue(p, region.blkInt, path === 'i16-sliced' || path === 'i16-split' || path === 'i64', Np, rows, N, dst + r0 * N * 4);
      }
      return;
    }
    const d = this.prepared[n.inputs[0]].out;
    let s = src;
    if (d.kind === 'fixed') {
      const elems = nb * elementCount(g.nodes[n.inputs[0]].shape);
      k[simd ? 'dequantize_cols' : 'dequantize_cols_scalar'](src, 0, L.scratchA, 0, 1, elems, 2 ** -d.format.frac);
      s = L.scratchA;
    }
    const direct = kh === 1 && kw === 1 && sh === 1 && sw === 1 && !padded && OH === H && OW === W;
    const gemm = k[simd ? 'gemm_f32' : 'gemm_f32_scalar'];
    const epi = k[simd ? 'epi_f32' : 'epi_f32_scalar'];
    const x = padInput(s);
    for (let r0 = 0; r0 < M; r0 += MT) {
      const rows = Math.min(MT, M - r0);
      const rowsPad = roundUp(rows, 4);
      let A = x + r0 * K * 4;
      if (!direct || rows !== rowsPad) {
        k[simd ? 'im2col_x32' : 'im2col_x32_scalar'](x, Hp, Wp, C, kh, kw, sh, sw, dh, dw, pt, pl, OH, OW, r0, rows, rowsPad, panel, K);
        A = panel;
      }
      gemm(A, K, region.wF32, Np, L.c32, Np, rowsPad, Np, K);
      epi(region.blkF, L.c32, Np, rows, N, dst + r0 * N * 4, N);
    }
  }
}

const actCode = activationCode;

function domainKey(d: Domain): string {
  return d.kind === 'float' ? 'f' : `${d.format.signed ? 's' : 'u'}${d.format.bits}.${d.format.frac}`;
}

function cacheArray(d: Domain, len: number): CacheArray {
  if (d.kind === 'float') return new Float32Array(len);
  const { bits, signed } = d.format;
  if (bits <= 8) return signed ? new Int8Array(len) : new Uint8Array(len);
  if (bits <= 16) return signed ? new Int16Array(len) : new Uint16Array(len);
  return new Int32Array(len);
}

function dequantize(q: Int32Array, f: Format): Float32Array {
  const s = 2 ** -f.frac;
  const x = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) x[i] = q[i] * s;
  return x;
}
