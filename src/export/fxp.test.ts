import { describe, expect, it } from 'vitest';
import type { QuantConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import { referenceForward } from '../core/reference.ts';
import { randomConfig, randomGraph, randomImages, rng } from '../testing/random-graph.ts';
import { forwardFloat } from '../core/float-reference.ts';
import { packedBytes } from './bitpack.ts';
import { readFxp } from './fxp-read.ts';
import type { FxpManifest } from './fxp-types.ts';
import { writeFxp } from './fxp-write.ts';
import { nodeParams, quantizeParam } from './params.ts';

function maxAbsPerNode(g: Graph, seed: number): number[] {
  const img = randomImages(rng(seed), g, 1);
  const outs = forwardFloat(g, img);
  return outs.map((o) => o.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
}

function split(files: ReturnType<typeof writeFxp>) {
  const json = files.find((f) => f.name === 'model.fxp.json')!.data as string;
  const bin = files.find((f) => f.name === 'model.fxp.bin')!.data as Uint8Array;
  return { json, bin, manifest: JSON.parse(json) as FxpManifest };
}

function checkRoundTrip(g: Graph, c: QuantConfig) {
  const summary = { quantized: { memory_kb: 1.5, validation_acc: 0.99 }, layers: [{ name: 'x' }] };
  const { json, bin, manifest } = split(writeFxp(g, c, { summary }));
  // The .bin is exactly the tensors at their widths, one after the other, as the JSON states.
  let expected = 0;
  for (const n of manifest.nodes) {
    for (const t of Object.values(n.params)) {
      expect(t.offset).toBe(expected);
      const bytes = t.dtype === 'int' ? packedBytes(t.format!.bits, t.count) : 4 * t.count;
      expect(t.bytes).toBe(bytes);
      expected += bytes;
    }
  }
  expect(bin.length).toBe(expected);
  expect(manifest.bin.bytes).toBe(expected);
  expect(manifest.summary).toEqual(summary);

  const back = readFxp(json, bin);
  expect(back.config).toEqual({ nodes: g.nodes.map((n, i) => {
    const own = c.nodes[i] ?? {};
    const f: Record<string, unknown> = {};
    for (const p of nodeParams(n)) f[p.slot] = own[p.slot] ?? null;
    if (['input', 'conv2d', 'depthwiseConv2d', 'dense', 'affine', 'add', 'concat'].includes(n.kind) && own.output) f.output = own.output;
    return f;
  }) });
  expect(back.graph.output).toBe(g.output);
  g.nodes.forEach((n, i) => {
    const m = back.graph.nodes[i];
    expect(m.kind).toBe(n.kind);
    expect(m.shape).toEqual(n.shape);
    expect(m.inputs).toEqual(n.inputs);
    for (const key of ['kernelShape', 'strides', 'dilation', 'pads', 'pool', 'activation'] as const) {
      if (key in n) expect((m as unknown as Record<string, unknown>)[key], `${n.name}.${key}`).toEqual((n as unknown as Record<string, unknown>)[key]);
    }
    expect('epilogue' in m ? m.epilogue !== null : false).toBe('epilogue' in n ? n.epilogue !== null : false);
    for (const p of nodeParams(n)) {
      const f = c.nodes[i]?.[p.slot];
      const got = back.tensors[i][p.slot]!;
      if (f) {
        expect(Array.from(got), `${n.name}.${p.slot}`).toEqual(Array.from(quantizeParam(p.values, f)));
      } else {
        expect(got).toEqual(p.values);
      }
    }
  });
  return back;
}

describe('model.fxp.json + model.fxp.bin', () => {
  it('round-trips random graphs of every node kind with formats of 1–32 bits and float tensors', () => {
    let kinds = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const g = randomGraph(r, { maxNodes: 8 });
      const c = randomConfig(r, g, maxAbsPerNode(g, seed), { floatProb: seed % 3 === 0 ? 0.3 : 0 });
      checkRoundTrip(g, c);
      kinds = new Set([...kinds, ...g.nodes.map((n) => n.kind)]);
    }
    expect([...kinds].sort()).toEqual(['activation', 'add', 'affine', 'avgPool', 'concat', 'conv2d', 'dense', 'depthwiseConv2d', 'input', 'maxPool', 'pad', 'reshape']);
  });

  it('reads back a graph that runs exactly like the original', () => {
    for (let seed = 100; seed < 120; seed++) {
      const r = rng(seed);
      const g = randomGraph(r, { maxNodes: 6 });
      // ≤ 24-bit values dequantize exactly into float32, so the reread graph requantizes to the same integers.
      const c = randomConfig(r, g, maxAbsPerNode(g, seed), { floatProb: 0.1 });
      for (const n of c.nodes) for (const k of ['bias', 'shift'] as const) if (n[k] && n[k]!.bits > 24) n[k] = { ...n[k]!, bits: 24 };
      const back = checkRoundTrip(g, c);
      const img = randomImages(rng(seed), g, 1);
      expect(referenceForward(back.graph, back.config, img)[g.output]).toEqual(referenceForward(g, c, img)[g.output]);
    }
  });

  it('packs a 3-bit weight in 3 bits', () => {
    const g: Graph = {
      name: 'tiny', output: 1, notes: [],
      nodes: [
        { kind: 'input', name: 'in', inputs: [], shape: [1, 1, 5] },
        { kind: 'dense', name: 'fc', inputs: [0], shape: [1, 1, 2], kernel: Float32Array.from([0.5, -0.5, 0.25, -1, 0.75, 0, 1, -0.25, 0.5, 0.5]), kernelShape: [5, 2], bias: Float32Array.from([0.1, -0.2]), activation: { type: 'linear' }, epilogue: null },
      ],
    };
    const c: QuantConfig = { nodes: [{ output: { bits: 8, frac: 7, signed: true } }, { weights: { bits: 3, frac: 2, signed: true }, bias: { bits: 5, frac: 4, signed: true }, output: { bits: 7, frac: 3, signed: true } }] };
    const { manifest, bin } = split(writeFxp(g, c));
    expect(manifest.nodes[1].params.weights).toMatchObject({ count: 10, bytes: 4, offset: 0 }); // 30 bits
    expect(manifest.nodes[1].params.bias).toMatchObject({ count: 2, bytes: 2, offset: 4 }); // 10 bits
    expect(bin.length).toBe(6);
    const back = readFxp(JSON.stringify(manifest), bin);
    // 1.0 saturates to 3 (0.75) at Q(3,2).
    expect(Array.from(back.tensors[1].weights!)).toEqual([2, -2, 1, -4, 3, 0, 3, -1, 2, 2]);
    expect(Array.from(back.tensors[1].bias!)).toEqual([2, -3]);
  });

  it('refuses a .bin of the wrong size and a foreign manifest', () => {
    const g: Graph = { name: 't', output: 0, notes: [], nodes: [{ kind: 'input', name: 'in', inputs: [], shape: [1, 1, 1] }] };
    const { json } = split(writeFxp(g, { nodes: [{}] }));
    expect(() => readFxp(json, new Uint8Array(3))).toThrow(/holds 3 bytes, the manifest says 0/);
    expect(() => readFxp('{"format":"other"}', new Uint8Array(0))).toThrow(/not a Fixpoint model manifest/);
  });
});
