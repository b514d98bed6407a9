// Property test: random graphs of every node kind with random formats (1–16 bits, biases to 32,
// signed and unsigned, negative and large fracs), exported to C and compiled with strict
// warnings and the undefined-behaviour sanitizer, must reproduce the reference bit for bit; and
// so must every packed width from 1 to 16 bits (31 for biases), signed and unsigned.
import { describe, expect, it } from 'vitest';
import type { QuantConfig } from '../../core/config.ts';
import type { Format } from '../../core/format.ts';
import { forwardFloat } from '../../core/float-reference.ts';
import type { Graph } from '../../core/graph.ts';
import { elementCount, isParamNode } from '../../core/graph.ts';
import type { Rng } from '../../testing/random-graph.ts';
import { randomConfig, randomGraph, randomImages, rng } from '../../testing/random-graph.ts';
import type { ExportFile } from '../files.ts';
import { ExportError } from '../files.ts';
import { referenceTestVectors } from '../test-vectors.ts';
import { checkModels, hasCC, removeDir, STRICT_CFLAGS } from '../../testing/c-compiler.ts';
import { buildCExport } from './writer.ts';

const FLAGS = [...STRICT_CFLAGS.filter((f) => f !== '-O2'), '-O1', '-fsanitize=undefined', '-fno-sanitize-recover=all'];

function imagesFor(r: Rng, g: Graph, count: number): Float32Array[] {
  const all = randomImages(r, g, count);
  const n = elementCount(g.nodes[0].shape);
  return Array.from({ length: count }, (_, k) => all.subarray(k * n, (k + 1) * n));
}

function configFor(r: Rng, g: Graph, imgs: Float32Array[], wild: boolean): QuantConfig {
  const outs = forwardFloat(g, imgs[0]);
  const c = randomConfig(r, g, outs.map((o) => o.reduce((m, v) => Math.max(m, Math.abs(v)), 0)), { floatProb: 0 });
  for (const n of c.nodes) {
    for (const k of ['weights', 'bias', 'scale', 'shift', 'output'] as const) {
      const f = n[k];
      if (!f) continue;
      let g2: Format = f;
      // Unsigned 32-bit formats are refused (see plan.ts); use 31 bits.
      if (g2.bits === 32 && !g2.signed) g2 = { ...g2, bits: 31 };
      // Far-off fracs: left-shifting requantization, values that always round to 0, refusals.
      if (wild && r.chance(0.3)) g2 = { ...g2, frac: g2.frac + r.int(-24, 24) };
      n[k] = g2;
    }
  }
  return c;
}

/** Every weight and scale at `bits` (biases and shifts at 2·bits − 1), integer bits kept. */
function withWidth(c: QuantConfig, bits: number, signed: boolean): QuantConfig {
  const at = (f: Format | null | undefined, b: number) => (f ? { bits: b, frac: f.frac + b - f.bits, signed } : f);
  return { nodes: c.nodes.map((n) => ({ ...n, weights: at(n.weights, bits), scale: at(n.scale, bits), bias: at(n.bias, 2 * bits - 1), shift: at(n.shift, 2 * bits - 1) })) };
}

describe.skipIf(!hasCC())('C export of random graphs', () => {
  it('reads packed parameters of every width from 1 to 16 bits, signed and unsigned, exactly', () => {
    const exports: Array<{ model: string; files: ExportFile[] }> = [];
    const kinds = new Set<string>();
    for (let bits = 1; bits <= 16; bits++) {
      for (const signed of [true, false]) {
        const seed = 2000 + 2 * bits + (signed ? 0 : 1);
        const r = rng(seed);
        let g = randomGraph(r, { maxNodes: 10 });
        while (!g.nodes.some(isParamNode)) g = randomGraph(r, { maxNodes: 10 });
        const imgs = imagesFor(r, g, 3);
        const c = withWidth(configFor(r, g, imgs, false), bits, signed);
        const res = buildCExport(g, c, { testVectors: referenceTestVectors(g, c, imgs), modelName: `w${bits}${signed ? 's' : 'u'}` });
        const src = res.files.find((f) => f.name === 'model_q.c')!.data as string;
        if (bits !== 8 && bits !== 16) expect(src, res.model).toContain(`packed, ${bits} bits a value`);
        exports.push({ model: res.model, files: res.files });
        g.nodes.forEach((n) => { if (n.kind !== 'input') kinds.add(n.kind); });
      }
    }
    expect([...kinds]).toEqual(expect.arrayContaining(['conv2d', 'depthwiseConv2d', 'dense', 'affine']));
    const out = checkModels(exports, FLAGS);
    try {
      expect(out.stdout).toBe(`checked 32 models, 0 mismatches\n`);
      expect(out.status).toBe(0);
    } finally {
      removeDir(out.dir);
    }
  });


  for (const wild of [false, true]) {
    it(`matches the reference bit for bit (${wild ? 'far-off fracs' : 'plausible fracs'})`, () => {
      const exports: Array<{ model: string; files: ExportFile[] }> = [];
      const kinds = new Set<string>();
      let refused = 0;
      for (let seed = 1; seed <= 30; seed++) {
        const r = rng(seed + (wild ? 1000 : 0));
        const g = randomGraph(r, { maxNodes: 10 });
        const imgs = imagesFor(r, g, 3);
        const c = configFor(r, g, imgs, wild);
        try {
          const res = buildCExport(g, c, { testVectors: referenceTestVectors(g, c, imgs), modelName: `r${seed}` });
          exports.push({ model: res.model, files: res.files });
          g.nodes.forEach((n) => kinds.add(n.kind));
        } catch (err) {
          // Only a value that could exceed 64 bits may be refused.
          expect(err).toBeInstanceOf(ExportError);
          expect((err as Error).message).toMatch(/beyond exact 64-bit arithmetic|needs more than 64 bits|beyond the accumulator/);
          refused++;
        }
      }
      expect(refused).toBeLessThanOrEqual(wild ? 10 : 0);
      expect(kinds.size).toBe(12);
      const out = checkModels(exports, FLAGS);
      try {
        expect(out.stdout).toBe(`checked ${exports.length} models, 0 mismatches\n`);
        expect(out.status).toBe(0);
      } finally {
        removeDir(out.dir);
      }
    });
  }
});
