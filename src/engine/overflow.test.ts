// Accumulations that do not fit in 32 bits take the exact 64-bit path (or K slices added in
// 64 bits) and still equal the BigInt reference; nothing wraps. Configurations beyond exact
// 64-bit arithmetic are refused with an error naming the node.
import { describe, expect, it } from 'vitest';
import type { QuantConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import type { Graph, GraphNode } from '../core/graph.ts';
import { quantizeTensor } from '../core/quantize.ts';
import { ConfigRangeError } from './prepare.ts';
import { diffTraces, referenceTrace } from '../testing/engine-compare.ts';
import { simdEngine } from '../testing/engines.ts';

const Q = (bits: number, frac: number, signed = true): Format => ({ bits, frac, signed });

function check(g: Graph, config: QuantConfig, images: Float32Array, batch = 3) {
  const engine = simdEngine();
  engine.load(g, batch);
  engine.setConfig(config);
  const ref = referenceTrace(g, config, images);
  expect(diffTraces(g, ref, engine.trace(images), 'SIMD')).toBeNull();
  engine.simd = false;
  expect(diffTraces(g, ref, engine.trace(images), 'scalar')).toBeNull();
  return { paths: engine.nodePaths(), ref };
}

const input = (h: number, w: number, c: number): GraphNode => ({ kind: 'input', name: 'in', inputs: [], shape: [h, w, c] });

describe('accumulators beyond 32 bits', () => {
  it('16-bit conv with K = 72 splits the weights into int16 halves, sums in 64 bits; exact sums exceed 2^31', () => {
    const cin = 8, cout = 5;
    const kernel = Float32Array.from({ length: 9 * cin * cout }, (_, i) => (i % 7 === 3 ? -0.999 : 0.999));
    const g: Graph = {
      name: 'big', output: 1, notes: [], nodes: [input(6, 6, cin), {
        kind: 'conv2d', name: 'conv', inputs: [0], shape: [6, 6, cout], kernel, kernelShape: [3, 3, cin, cout], strides: [1, 1],
        dilation: [1, 1], pads: [1, 1, 1, 1], bias: Float32Array.from({ length: cout }, (_, o) => o - 2), activation: { type: 'leakyRelu', alpha: 0.1 },
        epilogue: { scale: Float32Array.from({ length: cout }, (_, o) => 1.9 - o * 0.7), shift: Float32Array.from({ length: cout }, (_, o) => o * 3 - 4) },
      }],
    };
    const config: QuantConfig = { nodes: [{ output: Q(16, 15) }, { weights: Q(16, 15), bias: Q(32, 20), scale: Q(16, 14), shift: Q(32, 20), output: Q(16, 7) }] };
    const images = Float32Array.from({ length: 2 * 36 * cin }, (_, i) => (i % 5 === 0 ? -1 : 0.9999));
    const { paths, ref } = check(g, config, images);
    expect(paths[1]).toBe('i16-split');
    // Unsigned 16-bit inputs do not fit int16 lanes: the i32 × i32 → i64 path, same answers.
    const unsigned: QuantConfig = { nodes: [{ output: Q(16, 16, false) }, config.nodes[1]] };
    const u = check(g, unsigned, images);
    expect(u.paths[1]).toBe('i64');
    // The largest accumulator: 72 taps of |q| ≈ 32767 · 32735.
    const qw = quantizeTensor(kernel, Q(16, 15));
    const qx = quantizeTensor(images.subarray(0, 36 * cin), Q(16, 15));
    let acc = 0n;
    const oy = 2, ox = 2, o = 0;
    for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) for (let c = 0; c < cin; c++) {
      acc += BigInt(qx[((oy + ky - 1) * 6 + ox + kx - 1) * cin + c]) * BigInt(qw[((ky * 3 + kx) * cin + c) * cout + o]);
    }
    expect(acc > 2n ** 31n || acc < -(2n ** 31n)).toBe(true);
    // Outputs are not saturated everywhere: the test sees real values.
    const out = ref[1] as { q: Int32Array };
    expect(new Set(out.q).size).toBeGreaterThan(10);
  });

  it('12-bit dense with K = 1,500 slices K so each slice fits, adding slices in 64 bits', () => {
    const nIn = 1500, nOut = 6;
    const kernel = Float32Array.from({ length: nIn * nOut }, (_, i) => Math.sin(i * 1.3) * 0.9);
    const g: Graph = {
      name: 'dense', output: 1, notes: [], nodes: [input(1, 1, nIn), {
        kind: 'dense', name: 'fc', inputs: [0], shape: [1, 1, nOut], kernel, kernelShape: [nIn, nOut],
        bias: Float32Array.from({ length: nOut }, (_, o) => o * 0.1), activation: { type: 'relu', max: 6 }, epilogue: null,
      }],
    };
    const config: QuantConfig = { nodes: [{ output: Q(12, 11) }, { weights: Q(12, 11), bias: Q(12, 8), output: Q(12, 3) }] };
    const images = Float32Array.from({ length: 3 * nIn }, (_, i) => Math.cos(i * 0.7));
    const { paths } = check(g, config, images);
    expect(paths[1]).toBe('i16-sliced');
  });

  it('depthwise, affine (unsigned 16 × unsigned 16) and add at 16 bits run exactly in 64 bits', () => {
    const c = 3;
    const g: Graph = {
      name: 'mix', output: 4, notes: [], nodes: [input(5, 5, c), {
        kind: 'depthwiseConv2d', name: 'dw', inputs: [0], shape: [5, 5, c * 2], kernel: Float32Array.from({ length: 9 * c * 2 }, (_, i) => (i % 3 ? 0.99 : -0.99)),
        kernelShape: [3, 3, c, 2], strides: [1, 1], dilation: [1, 1], pads: [1, 1, 1, 1], bias: null, activation: { type: 'linear' }, epilogue: null,
      }, {
        kind: 'affine', name: 'bn', inputs: [1], shape: [5, 5, c * 2], scale: Float32Array.from({ length: c * 2 }, (_, i) => 0.99 - i * 0.3),
        shift: Float32Array.from({ length: c * 2 }, (_, i) => i - 3), activation: { type: 'relu' },
      }, {
        kind: 'conv2d', name: 'pw', inputs: [1], shape: [5, 5, c * 2], kernel: Float32Array.from({ length: 36 }, (_, i) => Math.sin(i)),
        kernelShape: [1, 1, c * 2, c * 2], strides: [1, 1], dilation: [1, 1], pads: [0, 0, 0, 0], bias: null, activation: { type: 'linear' }, epilogue: null,
      }, { kind: 'add', name: 'sum', inputs: [2, 3], shape: [5, 5, c * 2], activation: { type: 'leakyRelu', alpha: 0.2 } }],
    };
    const config: QuantConfig = {
      nodes: [{ output: Q(16, 15) }, { weights: Q(16, 15), output: Q(16, 11, false) }, { weights: Q(16, 16, false), bias: Q(32, 24), output: Q(16, 10) },
        { weights: Q(16, 15), output: Q(16, 8) }, { output: Q(16, 40 - 30) }],
    };
    const images = Float32Array.from({ length: 2 * 25 * c }, (_, i) => (i % 4 ? 0.9999 : -1));
    const { paths } = check(g, config, images, 2);
    expect(paths.slice(1, 4)).toEqual(['i64', 'i64', 'i64']);
  });

  it('refuses a bias that would need more than 62 bits once aligned', () => {
    const g: Graph = {
      name: 'bad', output: 1, notes: [], nodes: [input(2, 2, 1), {
        kind: 'dense', name: 'fc', inputs: [0], shape: [1, 1, 2], kernel: Float32Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
        kernelShape: [4, 2], bias: Float32Array.from([1e6, -1e6]), activation: { type: 'linear' }, epilogue: null,
      }],
    };
    const engine = simdEngine();
    engine.load(g, 1);
    const config: QuantConfig = { nodes: [{ output: Q(16, 30) }, { weights: Q(16, 30), bias: Q(32, -10), output: Q(16, 0) }] };
    expect(() => engine.setConfig(config)).toThrow(ConfigRangeError);
    expect(() => engine.setConfig(config)).toThrow(/node 1 \(fc\)/);
  });
});
