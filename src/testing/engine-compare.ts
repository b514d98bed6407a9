// Runs one random case through the reference and the engine (SIMD and scalar kernels) and
// reports the first node whose outputs differ, for the property tests.
import type { QuantConfig } from '../core/config.ts';
import { floatConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import { elementCount } from '../core/graph.ts';
import type { RefTensor } from '../core/reference.ts';
import { referenceForward } from '../core/reference.ts';
import type { Engine, NodeTensor } from '../engine/engine.ts';
import { ConfigRangeError } from '../engine/prepare.ts';
import type { Rng } from './random-graph.ts';
import { randomConfig, randomGraph, randomImages } from './random-graph.ts';

export interface CaseResult {
  ok: boolean;
  skipped?: string;
  message?: string;
  paths: string[];
}

/** Reference outputs of every node for every image, concatenated image-major like Engine.trace. */
export function referenceTrace(g: Graph, config: QuantConfig, images: Float32Array): RefTensor[] {
  const E = elementCount(g.nodes[0].shape);
  const count = images.length / E;
  const per = Array.from({ length: count }, (_, j) => referenceForward(g, config, images.subarray(j * E, (j + 1) * E)));
  return g.nodes.map((n, i) => {
    const first = per[0][i];
    const elems = elementCount(n.shape);
    if (first.kind === 'fixed') {
      const q = new Int32Array(count * elems);
      per.forEach((t, j) => q.set((t[i] as typeof first).q, j * elems));
      return { kind: 'fixed', format: first.format, q };
    }
    const x = new Float32Array(count * elems);
    per.forEach((t, j) => x.set((t[i] as typeof first).x, j * elems));
    return { kind: 'float', x };
  });
}

const fmt = (t: RefTensor | NodeTensor) => (t.kind === 'fixed' ? `fixed Q${t.format.signed ? '' : 'u'}(${t.format.bits},${t.format.frac})` : 'float');

/** First difference between two traces (bitwise for floats), or null. */
export function diffTraces(g: Graph, a: (RefTensor | NodeTensor | undefined)[], b: (RefTensor | NodeTensor | undefined)[], label: string): string | null {
  for (let i = 0; i < g.nodes.length; i++) {
    const x = a[i], y = b[i];
    if (!x || !y) continue;
    if (x.kind !== y.kind || (x.kind === 'fixed' && y.kind === 'fixed' && (x.format.bits !== y.format.bits || x.format.frac !== y.format.frac || x.format.signed !== y.format.signed))) {
      return `${label}: node ${i} (${g.nodes[i].kind}) domain ${fmt(x)} vs ${fmt(y)}`;
    }
    const va = x.kind === 'fixed' ? x.q : new Int32Array(x.x.buffer, x.x.byteOffset, x.x.length);
    const vb = y.kind === 'fixed' ? (y as { q: Int32Array }).q : new Int32Array((y as { x: Float32Array }).x.buffer, (y as { x: Float32Array }).x.byteOffset, (y as { x: Float32Array }).x.length);
    if (va.length !== vb.length) return `${label}: node ${i} (${g.nodes[i].kind}) length ${va.length} vs ${vb.length}`;
    for (let j = 0; j < va.length; j++) {
      if (va[j] !== vb[j]) {
        // Show a float −0 as such: "0 vs 0" would hide which side has the sign.
        const show = (t: RefTensor | NodeTensor, k: number) => (t.kind === 'fixed' ? t.q[k] : Object.is(t.x[k], -0) ? '-0' : t.x[k]);
        return `${label}: node ${i} (${g.nodes[i].kind}, ${fmt(x)}) element ${j} of ${va.length}: ${show(x, j)} vs ${show(y, j)}`;
      }
    }
  }
  return null;
}

export interface CaseOptions {
  floatProb?: number;
  maxBits?: number;
  maxNodes?: number;
}

/** One seeded case: graph, config, images; engine SIMD, engine scalar and reference must agree. */
export function runCase(engine: Engine, seed: number, opts: CaseOptions = {}): CaseResult {
  const r = rngFor(seed);
  const g = randomGraph(r, { maxNodes: opts.maxNodes ?? 6 });
  const count = r.int(1, 4);
  const images = randomImages(r, g, count);
  // Float magnitudes per node, to pick mostly sensible fractional lengths.
  const fl = referenceTrace(g, floatConfig(g.nodes.length), images);
  const maxAbs = fl.map((t) => (t.kind === 'float' ? t.x.reduce((m, v) => Math.max(m, Math.abs(v)), 0) : 1));
  const config = randomConfig(r, g, maxAbs, { floatProb: opts.floatProb, maxBits: opts.maxBits });
  engine.load(g, r.int(1, 3));
  try {
    engine.setConfig(config);
  } catch (e) {
    if (e instanceof ConfigRangeError) return { ok: true, skipped: e.message, paths: [] };
    throw e;
  }
  const paths = engine.nodePaths().map((p, i) => `${g.nodes[i].kind}:${p}`);
  const msg = compareTraces(engine, g, config, images, `seed ${seed}`);
  return msg ? { ok: false, message: `${msg}\n  paths: ${paths.join(' ')}`, paths } : { ok: true, paths };
}

/**
 * Every node's output under `config` (already set on the loaded engine) from the reference, the
 * SIMD kernels and the scalar kernels: the first difference, or null.
 */
export function compareTraces(engine: Engine, g: Graph, config: QuantConfig, images: Float32Array, label: string): string | null {
  const ref = referenceTrace(g, config, images);
  engine.simd = true;
  const simd = engine.trace(images);
  engine.simd = false;
  const scalar = engine.trace(images);
  engine.simd = true;
  return diffTraces(g, ref, simd, `${label} reference vs SIMD`) ?? diffTraces(g, ref, scalar, `${label} reference vs scalar`);
}

import { rng } from './random-graph.ts';
const rngFor = (seed: number): Rng => rng(seed * 7919 + 17);
