// The reference of the engine's semantics (DESIGN.md §4), for tests only: one image at a time,
// scalar loops, exact integers (doubles while provably below 2^53, BigInt beyond). Float-mode
// nodes use float32 arithmetic in the engine's canonical order: products added one by one in
// kernel order (ky, kx, cin), starting from +0, then bias, activation, epilogue — each step
// rounded to float32 — so the engine must agree to the bit in mixed configurations too.
//
// A node runs in integers only when all its tensors have formats (its inputs', weights, bias,
// epilogue scale and shift, output); otherwise in float32 with fixed tensors dequantized and
// its output, when it has a format, rounded half up to that grid and saturated.
import type { QuantConfig } from './config.ts';
import type { Format } from './format.ts';
import { formatRange } from './format.ts';
import type { Graph, GraphNode, Pads, Shape3 } from './graph.ts';
import { elementCount, forEachPoolWindow, forEachWindowTap } from './graph.ts';
import { activateBig, activateF32, dequantizeTensor, effectiveParam, quantizeTensor, saturateBig, shiftRoundBig } from './quantize.ts';

export type RefTensor =
  | { kind: 'fixed'; format: Format; q: Int32Array }
  | { kind: 'float'; x: Float32Array };

/** Every node's output for one image (HWC floats of the input shape), indexed like graph.nodes. */
export function referenceForward(graph: Graph, config: QuantConfig, image: Float32Array): RefTensor[] {
  const outs: RefTensor[] = [];
  graph.nodes.forEach((node, i) => outs.push(forwardNode(graph, config, node, i, outs, image)));
  return outs;
}

/** Output values as floats (dequantized when fixed). */
export function tensorValues(t: RefTensor): Float32Array {
  return t.kind === 'float' ? t.x : dequantizeTensor(t.q, t.format);
}

/** Top-1: the largest output, the lowest index on ties. */
export function referencePredict(graph: Graph, config: QuantConfig, image: Float32Array): number {
  const t = referenceForward(graph, config, image)[graph.output];
  const v: ArrayLike<number> = t.kind === 'float' ? t.x : t.q;
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

const floatOf = (t: RefTensor): Float32Array => (t.kind === 'float' ? t.x : dequantizeTensor(t.q, t.format));

function finishFloat(x: Float32Array, out: Format | null | undefined): RefTensor {
  if (!out) return { kind: 'float', x };
  return { kind: 'fixed', format: out, q: quantizeTensor(x, out) };
}

function forwardNode(graph: Graph, config: QuantConfig, node: GraphNode, index: number, outs: RefTensor[], image: Float32Array): RefTensor {
  const f = config.nodes[index] ?? {};
  const ins = node.inputs.map((p) => outs[p]);
  const inShape = (k = 0): Shape3 => graph.nodes[node.inputs[k]].shape;
  const allFixed = ins.every((t) => t.kind === 'fixed');
  switch (node.kind) {
    case 'input': {
      const x = Float32Array.from(image);
      return f.output ? { kind: 'fixed', format: f.output, q: quantizeTensor(x, f.output) } : { kind: 'float', x };
    }
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'dense': {
      const epi = node.epilogue;
      const intMode = allFixed && !!f.weights && (!node.bias || !!f.bias) && (!epi || (!!f.scale && !!f.shift)) && !!f.output;
      const g = convGeometry(node, inShape());
      if (intMode) {
        const inp = ins[0] as Extract<RefTensor, { kind: 'fixed' }>;
        const fi = inp.format.frac, fw = f.weights!.frac;
        const F = fi + fw;
        const qw = quantizeTensor(node.kernel, f.weights!);
        const qb = node.bias ? quantizeTensor(node.bias, f.bias!) : null;
        const qs = epi ? quantizeTensor(epi.scale, f.scale!) : null;
        const qt = epi ? quantizeTensor(epi.shift, f.shift!) : null;
        const [lo, hi] = formatRange(inp.format);
        const [wlo, whi] = formatRange(f.weights!);
        const exact = g.taps * Math.max(-lo, hi) * Math.max(-wlo, whi) < 2 ** 53;
        const out = new Int32Array(g.outCount);
        g.forEach((o, ch, taps) => {
          let acc: bigint;
          if (exact) {
            let s = 0;
            for (const [xi, wi] of taps) s += inp.q[xi] * qw[wi];
            acc = BigInt(s);
          } else {
            acc = 0n;
            for (const [xi, wi] of taps) acc += BigInt(inp.q[xi]) * BigInt(qw[wi]);
          }
          if (qb) acc += shiftRoundBig(BigInt(qb[ch]), f.bias!.frac - F);
          acc = activateBig(acc, node.activation, F);
          let s = F - f.output!.frac;
          if (qs && qt) {
            acc = acc * BigInt(qs[ch]) + shiftRoundBig(BigInt(qt[ch]), f.shift!.frac - (F + f.scale!.frac));
            s += f.scale!.frac;
          }
          out[o] = saturateBig(shiftRoundBig(acc, s), f.output!);
        });
        return { kind: 'fixed', format: f.output!, q: out };
      }
      const x = floatOf(ins[0]);
      const w = effectiveParam(node.kernel, f.weights);
      const b = node.bias ? effectiveParam(node.bias, f.bias) : null;
      const sc = epi ? effectiveParam(epi.scale, f.scale) : null;
      const sh = epi ? effectiveParam(epi.shift, f.shift) : null;
      const y = new Float32Array(g.outCount);
      g.forEach((o, ch, taps) => {
        let acc = 0;
        for (const [xi, wi] of taps) acc = Math.fround(acc + Math.fround(x[xi] * w[wi]));
        if (b) acc = Math.fround(acc + b[ch]);
        acc = activateF32(acc, node.activation);
        if (sc && sh) acc = Math.fround(Math.fround(acc * sc[ch]) + sh[ch]);
        y[o] = acc;
      });
      return finishFloat(y, f.output);
    }
    case 'affine': {
      const C = node.shape[2];
      const n = elementCount(node.shape);
      if (allFixed && f.weights && f.bias && f.output) {
        const inp = ins[0] as Extract<RefTensor, { kind: 'fixed' }>;
        const F = inp.format.frac + f.weights.frac;
        const qs = quantizeTensor(node.scale, f.weights);
        const qt = quantizeTensor(node.shift, f.bias);
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const c = i % C;
          let acc = BigInt(inp.q[i]) * BigInt(qs[c]) + shiftRoundBig(BigInt(qt[c]), f.bias.frac - F);
          acc = activateBig(acc, node.activation, F);
          out[i] = saturateBig(shiftRoundBig(acc, F - f.output.frac), f.output);
        }
        return { kind: 'fixed', format: f.output, q: out };
      }
      const x = floatOf(ins[0]);
      const s = effectiveParam(node.scale, f.weights);
      const t = effectiveParam(node.shift, f.bias);
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const c = i % C;
        y[i] = activateF32(Math.fround(Math.fround(x[i] * s[c]) + t[c]), node.activation);
      }
      return finishFloat(y, f.output);
    }
    case 'maxPool':
    case 'avgPool':
      return pool(ins[0], inShape(), node.shape, node.pool, node.strides, node.pads, node.kind === 'maxPool');
    case 'add': {
      const n = elementCount(node.shape);
      if (allFixed && f.output) {
        const fixed = ins as Array<Extract<RefTensor, { kind: 'fixed' }>>;
        const F = Math.max(...fixed.map((t) => t.format.frac));
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0n;
          for (const t of fixed) s += BigInt(t.q[i]) << BigInt(F - t.format.frac);
          out[i] = saturateBig(shiftRoundBig(activateBig(s, node.activation, F), F - f.output.frac), f.output);
        }
        return { kind: 'fixed', format: f.output, q: out };
      }
      const xs = ins.map(floatOf);
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let s = xs[0][i];
        for (let k = 1; k < xs.length; k++) s = Math.fround(s + xs[k][i]);
        y[i] = activateF32(s, node.activation);
      }
      return finishFloat(y, f.output);
    }
    case 'concat': {
      const [h, w, c] = node.shape;
      if (allFixed && f.output) {
        const out = new Int32Array(h * w * c);
        let offset = 0;
        ins.forEach((t, k) => {
          const tf = t as Extract<RefTensor, { kind: 'fixed' }>;
          const ck = inShape(k)[2];
          for (let p = 0; p < h * w; p++) {
            for (let j = 0; j < ck; j++) {
              out[p * c + offset + j] = saturateBig(shiftRoundBig(BigInt(tf.q[p * ck + j]), tf.format.frac - f.output!.frac), f.output!);
            }
          }
          offset += ck;
        });
        return { kind: 'fixed', format: f.output, q: out };
      }
      const y = new Float32Array(h * w * c);
      let offset = 0;
      ins.forEach((t, k) => {
        const ck = inShape(k)[2];
        const v = floatOf(t);
        for (let p = 0; p < h * w; p++) for (let j = 0; j < ck; j++) y[p * c + offset + j] = v[p * ck + j];
        offset += ck;
      });
      return finishFloat(y, f.output);
    }
    case 'pad': {
      const [ih, iw, c] = inShape();
      const [h, w] = node.shape;
      const [top, left] = node.pads;
      const src = ins[0];
      const v: Int32Array | Float32Array = src.kind === 'fixed' ? src.q : src.x;
      const out = src.kind === 'fixed' ? new Int32Array(h * w * c) : new Float32Array(h * w * c);
      for (let y = 0; y < ih; y++) out.set(v.subarray(y * iw * c, (y + 1) * iw * c), ((y + top) * w + left) * c);
      return src.kind === 'fixed' ? { kind: 'fixed', format: src.format, q: out as Int32Array } : { kind: 'float', x: out as Float32Array };
    }
    case 'activation': {
      const src = ins[0];
      if (src.kind === 'fixed') {
        const out = new Int32Array(src.q.length);
        for (let i = 0; i < out.length; i++) out[i] = Number(activateBig(BigInt(src.q[i]), node.activation, src.format.frac));
        return { kind: 'fixed', format: src.format, q: out };
      }
      return { kind: 'float', x: src.x.map((v) => activateF32(v, node.activation)) };
    }
    case 'reshape':
      return ins[0];
  }
}

interface ConvGeometry {
  outCount: number;
  /** Taps per output (the largest, unpadded window). */
  taps: number;
  /** Calls fn(outputIndex, outputChannel, [inputIndex, weightIndex][]) in NHWC order, taps in (ky, kx, cin) order. */
  forEach(fn: (o: number, ch: number, taps: Array<[number, number]>) => void): void;
}

function convGeometry(node: Extract<GraphNode, { kind: 'conv2d' | 'depthwiseConv2d' | 'dense' }>, inShape: Shape3): ConvGeometry {
  const [oh, ow, cout] = node.shape;
  if (node.kind === 'dense') {
    const [nIn, nOut] = node.kernelShape;
    return {
      outCount: nOut, taps: nIn,
      forEach(fn) {
        for (let o = 0; o < nOut; o++) {
          const taps: Array<[number, number]> = [];
          for (let i = 0; i < nIn; i++) taps.push([i, i * nOut + o]);
          fn(o, o, taps);
        }
      },
    };
  }
  const [, iw, cin] = inShape;
  const [kh, kw, , km] = node.kernelShape;
  const depthwise = node.kind === 'depthwiseConv2d';
  return {
    outCount: oh * ow * cout, taps: depthwise ? kh * kw : kh * kw * cin,
    forEach(fn) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          for (let o = 0; o < cout; o++) {
            const taps: Array<[number, number]> = [];
            forEachWindowTap(oy, ox, inShape, node.kernelShape, node.strides, node.dilation, node.pads, (ky, kx, iy, ix) => {
              if (depthwise) {
                const c = Math.floor(o / km);
                taps.push([(iy * iw + ix) * cin + c, ((ky * kw + kx) * cin + c) * km + (o % km)]);
              } else {
                for (let ci = 0; ci < cin; ci++) taps.push([(iy * iw + ix) * cin + ci, ((ky * kw + kx) * cin + ci) * cout + o]);
              }
            });
            fn((oy * ow + ox) * cout + o, o, taps);
          }
        }
      }
    },
  };
}

function pool(src: RefTensor, inShape: Shape3, outShape: Shape3, size: [number, number], strides: [number, number], pads: Pads, isMax: boolean): RefTensor {
  const [, iw, c] = inShape;
  const n = elementCount(outShape);
  const fixed = src.kind === 'fixed';
  const qo = new Int32Array(fixed ? n : 0);
  const xo = new Float32Array(fixed ? 0 : n);
  forEachPoolWindow(inShape, outShape, size, strides, pads, (at, y0, y1, x0, x1, count) => {
    for (let ch = 0; ch < c; ch++) {
      const o = at * c + ch;
      if (fixed) {
        let r = isMax ? -Infinity : 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
          const v = src.q[(y * iw + x) * c + ch];
          if (isMax) r = v > r ? v : r; else r += v;
        }
        // Half-up division, floor((2·sum + n) / (2·n)); the sum of ≤ 17-bit values is exact.
        qo[o] = isMax ? r : Math.floor((2 * r + count) / (2 * count));
      } else {
        let r = isMax ? -Infinity : 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
          const v = src.x[(y * iw + x) * c + ch];
          if (isMax) r = r < v ? v : r; else r = Math.fround(r + v);
        }
        xo[o] = isMax ? r : Math.fround(r / count);
      }
    }
  });
  return fixed ? { kind: 'fixed', format: src.format, q: qo } : { kind: 'float', x: xo };
}

