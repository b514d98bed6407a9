// Property tests: on seeded random graphs (every node kind, odd shapes, strides, dilation,
// padding) with random formats (1–16 bits, biases to 32, negative and large fracs, signed and
// unsigned, some tensors float) and random images, the engine's SIMD kernels, its scalar
// kernels and the TypeScript reference agree on every node's output, bit for bit.
import { describe, expect, it } from 'vitest';
import type { CaseOptions } from '../testing/engine-compare.ts';
import { runCase } from '../testing/engine-compare.ts';
import { relaxedEngine, simdEngine } from '../testing/engines.ts';
import type { Engine } from './engine.ts';

function sweep(engine: Engine, seeds: [number, number], opts: CaseOptions): { paths: Set<string>; skipped: number } {
  const paths = new Set<string>();
  let skipped = 0;
  const failures: string[] = [];
  for (let s = seeds[0]; s < seeds[1]; s++) {
    const r = runCase(engine, s, opts);
    if (r.skipped) skipped++;
    r.paths.forEach((p) => paths.add(p));
    if (!r.ok) failures.push(r.message!);
  }
  expect(failures.slice(0, 3)).toEqual([]);
  return { paths, skipped };
}

describe('engine = reference, bit for bit (plain SIMD build)', () => {
  const engine = simdEngine();

  it('1,000 random graphs with mixed float/fixed configs', () => {
    const { paths, skipped } = sweep(engine, [0, 1000], {});
    // Every node kind ran in integers and in float, and the exact 64-bit path was exercised.
    for (const p of ['conv2d:i16', 'conv2d:i16-split', 'conv2d:i64', 'conv2d:float', 'dense:i16', 'dense:i64', 'dense:float', 'depthwiseConv2d:i32',
      'depthwiseConv2d:float', 'affine:i32', 'affine:float', 'maxPool:int', 'maxPool:float', 'avgPool:int', 'avgPool:float',
      'add:int', 'add:float', 'concat:int', 'concat:float', 'pad:int', 'pad:float', 'activation:int', 'activation:float', 'reshape:alias']) {
      expect(paths, p).toContain(p);
    }
    expect(skipped).toBeLessThan(12);
  });

  it('400 graphs with mostly float tensors', () => {
    sweep(engine, [5000, 5400], { floatProb: 0.6 });
  });

  it('400 graphs at ≤ 8 bits', () => {
    sweep(engine, [9000, 9400], { maxBits: 8, floatProb: 0.05 });
  });
});

describe('engine = reference, bit for bit (relaxed SIMD build)', () => {
  const engine = relaxedEngine();
  it('uses the relaxed build', () => expect(engine.relaxed).toBe(true));
  it('500 graphs at ≤ 8 bits take the i8 relaxed dot product and stay exact', () => {
    const { paths } = sweep(engine, [20000, 20500], { maxBits: 8, floatProb: 0.05 });
    expect(paths).toContain('conv2d:i8-relaxed');
    expect(paths).toContain('dense:i8-relaxed');
  });
});

describe('one-input-channel convolutions (conv_c1_i16, conv_c1_f32), any channel count', () => {
  it('equal the reference for 1–20 channels, odd kernel and image sizes, padding, in integers, float and mixed', async () => {
    const { diffTraces, referenceTrace } = await import('../testing/engine-compare.ts');
    const { rng } = await import('../testing/random-graph.ts');
    const { noClipFrac } = await import('../core/format.ts');
    const engine = simdEngine();
    const seen = new Set<string>();
    for (let seed = 0; seed < 90; seed++) {
      const r = rng(seed + 777);
      // Rows of 1–12 pixels (a tail block only) and of 13–40 (whole 16-pixel blocks and a tail).
      const [h, w, cout] = [r.int(1, 12), r.chance(0.5) ? r.int(1, 12) : r.int(13, 40), r.int(1, 20)];
      const kh = r.int(1, 5), kw = r.int(1, 6);
      const pads: [number, number, number, number] = [r.int(0, kh - 1), r.int(0, kw - 1), r.int(0, kh - 1), r.int(0, kw - 1)];
      const oh = h + pads[0] + pads[2] - kh + 1, ow = w + pads[1] + pads[3] - kw + 1;
      if (oh < 1 || ow < 1) continue;
      const kernel = Float32Array.from({ length: kh * kw * cout }, () => r.normal() * 0.3);
      const g = {
        name: 'c1', output: 1, notes: [], nodes: [
          { kind: 'input', name: 'in', inputs: [], shape: [h, w, 1] },
          { kind: 'conv2d', name: 'conv', inputs: [0], shape: [oh, ow, cout], kernel, kernelShape: [kh, kw, 1, cout], strides: [1, 1],
            dilation: [1, 1], pads, bias: Float32Array.from({ length: cout }, () => r.normal() * 0.1),
            activation: r.pick([{ type: 'relu' }, { type: 'linear' }, { type: 'relu', max: 0.5 }, { type: 'leakyRelu', alpha: 0.2 }]),
            epilogue: r.chance(0.5) ? { scale: Float32Array.from({ length: cout }, () => 0.5 + r()), shift: Float32Array.from({ length: cout }, () => r.normal() * 0.2) } : null },
        ],
      } as unknown as import('../core/graph.ts').Graph;
      const bits = r.int(2, 8);
      const f = (m: number, b = bits) => ({ bits: b, frac: noClipFrac(m, b) + r.int(-1, 1), signed: true });
      const configs = [
        { nodes: [{ output: f(1) }, { weights: f(1), bias: f(0.3, 16), scale: f(1.5), shift: f(0.6, 16), output: f(2) }] },
        { nodes: [{}, {}] },
        { nodes: [{ output: f(1) }, { output: f(2) }] },
      ];
      const images = Float32Array.from({ length: 3 * h * w }, () => r() * 2 - 1);
      engine.load(g, r.int(1, 3));
      for (const [j, cfg] of configs.entries()) {
        engine.setConfig(cfg);
        seen.add(engine.nodePaths()[1]);
        const ref = referenceTrace(g, cfg, images);
        expect(diffTraces(g, ref, engine.trace(images), `seed ${seed} config ${j}`)).toBeNull();
      }
    }
    expect([...seen].sort()).toEqual(['float', 'i16']);
  });
});
