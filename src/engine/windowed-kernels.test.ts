// Focused property tests for the kernels the random-graph sweep reaches only by chance (review
// s4, A3): the windowed convolution GEMMs (gemm_f32_conv, gemm_i16_conv_epi, gemm_i8r_conv_epi:
// windows read from the padded input, no im2col panel), the one-input-channel convolutions
// (conv_c1_f32, conv_c1_i16) and the unrolled 2×2 stride-2 max pooling. Shapes are chosen to meet
// their dispatch conditions — kw·C around 8 and 16 (the run lengths the integer kernels pad to),
// strides 1–3, dilation-h 2, 'same' and 'valid' padding, batch × OH × OW above the 256-row tile
// so later tiles start mid-image — and the kernels' calls are recorded (EngineOptions.instrument)
// so the test fails if a dispatch change stops it reaching them. Every node of every case is
// compared bit for bit: TypeScript reference = SIMD kernels = scalar kernels.
import { describe, expect, it } from 'vitest';
import type { NodeFormats, QuantConfig } from '../core/config.ts';
import { floatConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import { noClipFrac } from '../core/format.ts';
import type { Activation, Graph, GraphNode, Pads } from '../core/graph.ts';
import { samePads, windowOut } from '../core/graph.ts';
import { compareTraces, referenceTrace } from '../testing/engine-compare.ts';
import { relaxedEngine, simdEngine } from '../testing/engines.ts';
import type { Rng } from '../testing/random-graph.ts';
import { rng } from '../testing/random-graph.ts';
import type { Engine, EngineOptions } from './engine.ts';
import type { KernelExports } from './kernels.ts';
import { ConfigRangeError } from './prepare.ts';

type Watched = 'gemm_f32_conv' | 'gemm_i16_conv_epi' | 'gemm_i8r_conv_epi' | 'conv_c1_f32' | 'conv_c1_i16' | 'maxpool_f32' | 'maxpool_i32';
const WATCHED: Watched[] = ['gemm_f32_conv', 'gemm_i16_conv_epi', 'gemm_i8r_conv_epi', 'conv_c1_f32', 'conv_c1_i16', 'maxpool_f32', 'maxpool_i32'];

/**
 * What each call of a watched export exercised, from its arguments (assembly/gemm-f32.ts,
 * gemm-int.ts, conv-c1.ts, pool.ts). The pool exports take the unrolled 2×2 route exactly when
 * poolGeneric's condition holds; it is repeated here because maxPool2x2 is inlined, not exported.
 */
function features(name: Watched, a: number[]): string[] {
  const f: string[] = [];
  if (name === 'gemm_f32_conv' || name === 'gemm_i16_conv_epi' || name === 'gemm_i8r_conv_epi') {
    // gemm_f32_conv has kw as its 6th argument; the integer ones do not (runP says the run).
    const o = name === 'gemm_f32_conv' ? 1 : 0;
    // The integer ones also multiply im2col panels, as a one-row image with kh = 1 and runP = C
    // (= Kp). A window's run with kh = 1 has kw > 1, so runP ≥ kw·C > C: never mistaken for it.
    if (!o && a[4] === 1 && a[12] === a[3]) return [`${name} on a panel: ran`];
    const [sh, sw, dh, OH, OW, row0, rows] = a.slice(5 + o, 12 + o);
    f.push('ran');
    if (row0 > 0 && row0 % (OH * OW) !== 0) f.push('tile starts mid-image');
    if (sh > 1 || sw > 1) f.push('stride > 1');
    if (dh > 1) f.push('dilation-h 2');
    if (rows % (o ? 4 : 2) !== 0) f.push('partial row block');
  } else if (name === 'conv_c1_f32' || name === 'conv_c1_i16') {
    const [OW, nb] = [a[6], a[7]];
    f.push('ran');
    if (OW > 16 && OW % 16 !== 0) f.push('16-pixel blocks and a tail');
    if (nb > 1) f.push('batch > 1');
  } else {
    const [H, W, C, ph, pw, sh, sw, pt, pl, OH, OW] = a.slice(1, 12);
    if (ph === 2 && pw === 2 && sh === 2 && sw === 2 && pt === 0 && pl === 0 && 2 * OH <= H && 2 * OW <= W) {
      f.push('2×2');
      if (H % 2 || W % 2) f.push('2×2 odd side');
      if (C % 4) f.push('2×2 C not a multiple of 4');
    }
  }
  return f.map((s) => `${name}: ${s}`);
}

/** Engine options that count, per watched export, the calls that exercised each feature. */
function recorder(): { options: EngineOptions; seen: Map<string, number> } {
  const seen = new Map<string, number>();
  const instrument = (k: KernelExports): KernelExports => {
    const wrapped: Record<string, unknown> = { ...k };
    for (const name of WATCHED) {
      const fn = k[name] as unknown as (...args: number[]) => void;
      wrapped[name] = (...args: number[]) => {
        features(name, args).forEach((s) => seen.set(s, (seen.get(s) ?? 0) + 1));
        return fn(...args);
      };
    }
    return wrapped as unknown as KernelExports;
  };
  return { options: { instrument }, seen };
}

/** Reference, SIMD kernels and scalar kernels on every node; the first difference, or null. */
function compare(engine: Engine, g: Graph, config: QuantConfig, images: Float32Array, label: string): string | null {
  const d = compareTraces(engine, g, config, images, label);
  return d && `${d} (paths ${engine.nodePaths().join(' ')})`;
}

// (kw, C) with kw·C one below, at or one above 8, 16 and 32: the integer kernels read kernel rows
// of kw·C values rounded up to 8 (i16) or 16 (i8) against zero-padded weights.
const NEAR_RUNS: [number, number][] = [];
for (let kw = 1; kw <= 5; kw++) {
  for (let c = 1; c <= 20; c++) if ([8, 16, 32].some((t) => Math.abs(kw * c - t) <= 1)) NEAR_RUNS.push([kw, c]);
}

const ACTIVATIONS: Activation[] = [{ type: 'relu' }, { type: 'linear' }];

interface ConvCase { g: Graph; batch: number; images: Float32Array }

/** input → conv2d (→ 2×2/s2 max pool), batch × OH × OW mostly above one 256-row tile. */
function convCase(r: Rng): ConvCase {
  const c1 = r.chance(0.2);
  const [kw, C] = c1 ? [r.int(1, 6), 1] : r.chance(0.75) ? r.pick(NEAR_RUNS) : [r.int(1, 5), r.int(1, 20)];
  const kh = r.int(1, 4);
  const [sh, sw] = c1 ? [1, 1] : [r.int(1, 3), r.int(1, 3)];
  const dh = !c1 && r.chance(0.3) ? 2 : 1;
  const same = r.chance(0.5);
  const batch = r.int(1, 4);
  // Output sides so that batch·OH·OW mostly exceeds 256 rows (a tile for Kp ≤ 128), then the
  // input sides that give them.
  let oh = r.int(3, 16), ow = r.int(3, 24);
  while (batch * oh * ow <= 256 && r.chance(0.85)) { oh += 2; ow += 1; }
  const effH = (kh - 1) * dh + 1;
  const H = same ? (oh - 1) * sh + r.int(1, sh) : (oh - 1) * sh + effH + r.int(0, sh - 1);
  const W = same ? (ow - 1) * sw + r.int(1, sw) : (ow - 1) * sw + kw + r.int(0, sw - 1);
  const [pt, pb] = same ? samePads(H, kh, sh, dh) : [0, 0];
  const [pl, pr] = same ? samePads(W, kw, sw, 1) : [0, 0];
  const pads: Pads = [pt, pl, pb, pr];
  const OH = windowOut(H, kh, sh, dh, pt, pb), OW = windowOut(W, kw, sw, 1, pl, pr);
  const cout = r.int(1, 20);
  const fan = kh * kw * C;
  const nodes: GraphNode[] = [
    { kind: 'input', name: 'in', inputs: [], shape: [H, W, C] } as GraphNode,
    {
      kind: 'conv2d', name: 'conv', inputs: [0], shape: [OH, OW, cout],
      kernel: Float32Array.from({ length: fan * cout }, () => r.normal() * 1.2 / Math.sqrt(fan)), kernelShape: [kh, kw, C, cout],
      strides: [sh, sw], dilation: [dh, 1], pads, bias: r.chance(0.8) ? Float32Array.from({ length: cout }, () => r.normal() * 0.2) : null,
      activation: r.pick(ACTIVATIONS),
      epilogue: r.chance(0.5) ? { scale: Float32Array.from({ length: cout }, () => 0.3 + r()), shift: Float32Array.from({ length: cout }, () => r.normal() * 0.2) } : null,
    } as GraphNode,
  ];
  if (OH >= 2 && OW >= 2 && r.chance(0.6)) {
    nodes.push({ kind: 'maxPool', name: 'pool', inputs: [1], shape: [OH >> 1, OW >> 1, cout], pool: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] } as GraphNode);
  }
  const count = r.int(batch, 2 * batch + 1);
  const images = Float32Array.from({ length: count * H * W * C }, () => (r.chance(0.05) ? 0 : r() * 2 - 1));
  return { g: { name: 'windowed', nodes, output: nodes.length - 1, notes: [] }, batch, images };
}

const absMax = (a: ArrayLike<number>): number => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i])); return m; };

/**
 * Fixed-point formats for the case: 'narrow' (inputs ≤ 7 bits or signed 8, weights ≤ 8: the
 * relaxed build's i8 dot product where the inputs fit [0, 127] or [-64, 63], i16 otherwise) or
 * 'wide' (10–12 bits: i16, or the sliced/64-bit paths when the sums may not fit 32 bits).
 */
function fixedConfig(r: Rng, g: Graph, floatOut: number[], width: 'narrow' | 'wide'): QuantConfig {
  const conv = g.nodes[1] as Extract<GraphNode, { kind: 'conv2d' }>;
  const fmt = (m: number, bits: number, signed = true): Format => ({ bits, frac: noClipFrac(m, bits, signed) + r.int(-1, 1), signed });
  const inSigned = r.chance(0.6);
  const inBits = width === 'wide' ? r.int(10, 12) : inSigned ? r.pick([7, 7, 8]) : r.int(4, 7);
  const wBits = width === 'wide' ? r.int(9, 12) : r.int(4, 8);
  const outBits = width === 'wide' ? 12 : 8;
  const outUnsigned = conv.activation.type === 'relu' && !conv.epilogue && r.chance(0.5);
  const convF: NodeFormats = {
    weights: fmt(absMax(conv.kernel), wBits),
    output: fmt(floatOut[1] || 1, outBits, !outUnsigned),
  };
  if (conv.bias) convF.bias = fmt(absMax(conv.bias), 16);
  if (conv.epilogue) {
    convF.scale = fmt(absMax(conv.epilogue.scale), r.int(4, 8));
    convF.shift = fmt(absMax(conv.epilogue.shift), 16);
  }
  return { nodes: [{ output: fmt(1, inBits, inSigned) }, convF, ...g.nodes.slice(2).map(() => ({}))] };
}

const CONV_KERNELS = ['gemm_f32_conv', 'gemm_i16_conv_epi', 'gemm_i8r_conv_epi', 'conv_c1_f32', 'conv_c1_i16'] as const;

/** The graph's traits a case exercised in a kernel (epilogue, activation, padding, run length). */
function caseTraits(g: Graph, kernel: string): string[] {
  const conv = g.nodes[1] as Extract<GraphNode, { kind: 'conv2d' }>;
  const [, kw, C] = conv.kernelShape;
  const t = [conv.epilogue ? 'with epilogue' : 'no epilogue', conv.activation.type, conv.pads.some((v) => v > 0) ? "'same'" : "'valid'"];
  const chunk = kernel === 'gemm_i16_conv_epi' ? 8 : kernel === 'gemm_i8r_conv_epi' ? 16 : 0;
  // A run of kw·C values not a multiple of the chunk is read past its end, against zero weights.
  if (chunk) t.push((kw * C) % chunk ? 'run read past its end' : 'run of whole vectors');
  return t.map((s) => `${kernel}: ${s}`);
}

/**
 * Each seed: one geometry under a float, a narrow and a wide fixed configuration (sometimes a
 * fixed input into a float convolution too). Returns the differences, the conv node's paths and
 * the traits of the cases each convolution kernel ran (from the recorder's call counts).
 */
function runConvCases(engine: Engine, seen: Map<string, number>, seeds: [number, number]): { failures: string[]; paths: Set<string>; traits: Set<string> } {
  const failures: string[] = [];
  const paths = new Set<string>();
  const traits = new Set<string>();
  const calls = () => CONV_KERNELS.map((k) => seen.get(`${k}: ran`) ?? 0);
  for (let seed = seeds[0]; seed < seeds[1]; seed++) {
    const r = rng(seed * 104729 + 3);
    const { g, batch, images } = convCase(r);
    const fl = referenceTrace(g, floatConfig(g.nodes.length), images);
    const floatOut = fl.map((t) => (t.kind === 'float' ? absMax(t.x) : 1));
    const configs: [string, QuantConfig][] = [
      ['float', floatConfig(g.nodes.length)],
      ['narrow', fixedConfig(r, g, floatOut, 'narrow')],
      ['wide', fixedConfig(r, g, floatOut, 'wide')],
    ];
    // Fixed input, float convolution: the float kernels on dequantized inputs.
    if (r.chance(0.3)) configs.push(['mixed', { nodes: [configs[1][1].nodes[0], ...g.nodes.slice(1).map(() => ({}))] }]);
    engine.load(g, batch);
    for (const [name, config] of configs) {
      try {
        engine.setConfig(config);
      } catch (e) {
        if (e instanceof ConfigRangeError) continue;
        throw e;
      }
      paths.add(`${name}:${engine.nodePaths()[1]}`);
      const before = calls();
      const d = compare(engine, g, config, images, `seed ${seed} ${name}`);
      if (d) failures.push(d);
      calls().forEach((n, j) => { if (n > before[j]) caseTraits(g, CONV_KERNELS[j]).forEach((t) => traits.add(t)); });
    }
  }
  return { failures, paths, traits };
}

// What each engine's sweep must have exercised (the recorder's feature strings).
const windowedFeatures = (k: string) => [
  'ran', 'tile starts mid-image', 'stride > 1', 'dilation-h 2', 'partial row block'].map((f) => `${k}: ${f}`);
const windowedTraits = (k: string, int: boolean) => ['with epilogue', 'no epilogue', 'relu', 'linear', "'same'", "'valid'",
  ...(int ? ['run read past its end', 'run of whole vectors'] : [])].map((f) => `${k}: ${f}`);
const c1Features = (k: string) => ['ran', '16-pixel blocks and a tail', 'batch > 1'].map((f) => `${k}: ${f}`);
const poolFeatures = (k: string) => ['2×2', '2×2 odd side', '2×2 C not a multiple of 4'].map((f) => `${k}: ${f}`);

describe('windowed convolutions, one-channel convolutions, 2×2 max pooling = reference, bit for bit', () => {
  it('plain SIMD build: gemm_f32_conv, gemm_i16_conv_epi, conv_c1_f32, conv_c1_i16 across tiles', () => {
    const { options, seen } = recorder();
    const engine = simdEngine(options);
    const { failures, paths, traits } = runConvCases(engine, seen, [0, 70]);
    expect(failures.slice(0, 3)).toEqual([]);
    const expected = [...windowedFeatures('gemm_f32_conv'), ...windowedFeatures('gemm_i16_conv_epi'), ...c1Features('conv_c1_f32'),
      ...c1Features('conv_c1_i16'), ...poolFeatures('maxpool_f32'), ...poolFeatures('maxpool_i32')];
    expect(expected.filter((f) => !seen.has(f)), [...paths].join(' ')).toEqual([]);
    const expectedTraits = [...windowedTraits('gemm_f32_conv', false), ...windowedTraits('gemm_i16_conv_epi', true)];
    expect(expectedTraits.filter((f) => !traits.has(f))).toEqual([]);
    // The i8 kernel exists only in the relaxed build.
    expect([...seen.keys()].filter((f) => f.startsWith('gemm_i8r_conv_epi'))).toEqual([]);
  });

  it('relaxed SIMD build: gemm_i8r_conv_epi across tiles, one-channel convolutions stay on conv_c1_i16', () => {
    const { options, seen } = recorder();
    const engine = relaxedEngine(options);
    expect(engine.relaxed).toBe(true);
    const { failures, paths, traits } = runConvCases(engine, seen, [1000, 1070]);
    expect(failures.slice(0, 3)).toEqual([]);
    const expected = [...windowedFeatures('gemm_i8r_conv_epi'), ...windowedFeatures('gemm_f32_conv'), 'gemm_i16_conv_epi: ran',
      ...c1Features('conv_c1_f32'), ...c1Features('conv_c1_i16')];
    expect(expected.filter((f) => !seen.has(f)), [...paths].join(' ')).toEqual([]);
    expect(windowedTraits('gemm_i8r_conv_epi', true).filter((f) => !traits.has(f))).toEqual([]);
  });
});

// Float inputs the max must order as the reference does (r < v ? v : r from −Infinity, taps row by
// row): signed zeros, NaN (never taken), infinities, the largest finite values, subnormals.
const SPECIAL = [-0, 0, Number.NaN, Infinity, -Infinity, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, -1.401298464324817e-45];

/** input → 2×2/s2 max pool ('valid', or 'same': pads at the bottom/right of odd sides, the generic route). */
function poolGraph(r: Rng): Graph {
  const [H, W, C] = [r.int(2, 13), r.int(2, 13), r.int(1, 9)];
  const same = r.chance(0.25);
  const [pt, pb] = same ? samePads(H, 2, 2, 1) : [0, 0];
  const [pl, pr] = same ? samePads(W, 2, 2, 1) : [0, 0];
  const [OH, OW] = [windowOut(H, 2, 2, 1, pt, pb), windowOut(W, 2, 2, 1, pl, pr)];
  return {
    name: 'pool', output: 1, notes: [], nodes: [
      { kind: 'input', name: 'in', inputs: [], shape: [H, W, C] } as GraphNode,
      { kind: 'maxPool', name: 'pool', inputs: [0], shape: [OH, OW, C], pool: [2, 2], strides: [2, 2], pads: [pt, pl, pb, pr] } as GraphNode,
    ],
  };
}

describe('2×2 stride-2 max pooling (maxPool2x2) = reference, bit for bit', () => {
  for (const [build, make] of [['plain', simdEngine], ['relaxed', relaxedEngine]] as const) {
    it(`${build} SIMD build: odd and even sides, float with −0, NaN and infinities, integers of 1–16 bits`, () => {
      const { options, seen } = recorder();
      const engine = make(options);
      const failures: string[] = [];
      for (let seed = 0; seed < 120; seed++) {
        const r = rng(seed * 7901 + 11);
        const g = poolGraph(r);
        const [H, W, C] = g.nodes[0].shape;
        const batch = r.int(1, 4);
        const count = r.int(1, 2 * batch + 1);
        const float = seed % 2 === 0;
        // Float: a quarter special values, some windows entirely special. Integers: wide enough
        // to saturate both ends of the format.
        const images = Float32Array.from({ length: count * H * W * C }, () => (float && r.chance(0.25) ? r.pick(SPECIAL) : (r() * 2 - 1) * (float ? 1 : 4)));
        const bits = r.int(1, 16), signed = r.chance(0.7);
        const config: QuantConfig = float ? floatConfig(2) : { nodes: [{ output: { bits, frac: bits - (signed ? 1 : 0) - r.int(0, 3), signed } }, {}] };
        engine.load(g, batch);
        engine.setConfig(config);
        const d = compare(engine, g, config, images, `seed ${seed} ${float ? 'float' : 'int'} ${H}×${W}×${C}`);
        if (d) failures.push(d);
      }
      expect(failures.slice(0, 3)).toEqual([]);
      const expected = [...poolFeatures('maxpool_f32'), ...poolFeatures('maxpool_i32')];
      expect(expected.filter((f) => !seen.has(f))).toEqual([]);
    });
  }
});
