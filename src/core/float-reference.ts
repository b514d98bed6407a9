// Plain scalar float forward pass of every node kind: the reference that importers are checked
// against (TensorFlow.js predictions) and that the engine's float path can be compared with.
// Sums are accumulated in double precision and each node's output is rounded to float32, so
// it is at least as accurate as a float32 kernel; loops favour clarity over speed.
import type { Activation, Epilogue, Graph, GraphNode, Pads, Shape3 } from './graph.ts';
import { elementCount, forEachPoolWindow, forEachWindowTap } from './graph.ts';

export function applyActivation(x: number, a: Activation): number {
  switch (a.type) {
    case 'linear':
      return x;
    case 'relu': {
      const y = x > 0 ? x : 0;
      return a.max !== undefined && y > a.max ? a.max : y;
    }
    case 'leakyRelu':
      return x < 0 ? x * a.alpha : x;
  }
}

/** Outputs of every node for one image (HWC float32 of the input node's shape), indexed like graph.nodes. */
export function forwardFloat(graph: Graph, input: Float32Array): Float32Array[] {
  const outs: Float32Array[] = [];
  for (const node of graph.nodes) outs.push(forwardNode(graph, node, outs, input));
  return outs;
}

/** The output node's values (logits) for one image. */
export function predictFloat(graph: Graph, input: Float32Array): Float32Array {
  return forwardFloat(graph, input)[graph.output];
}

/** Index of the largest value; the lowest index wins ties (DESIGN.md §4). */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

function forwardNode(graph: Graph, node: GraphNode, outs: Float32Array[], input: Float32Array): Float32Array {
  const inShape = (k = 0): Shape3 => graph.nodes[node.inputs[k]].shape;
  const x = (k = 0): Float32Array => outs[node.inputs[k]];
  switch (node.kind) {
    case 'input':
      if (input.length !== elementCount(node.shape)) {
        throw new Error(`input has ${input.length} values, the model expects ${node.shape.join('×')} = ${elementCount(node.shape)}`);
      }
      return Float32Array.from(input);
    case 'conv2d':
      return conv(x(), inShape(), node.shape, node.kernel, node.kernelShape, node.strides, node.dilation, node.pads,
        node.bias, node.activation, node.epilogue, false);
    case 'depthwiseConv2d':
      return conv(x(), inShape(), node.shape, node.kernel, node.kernelShape, node.strides, node.dilation, node.pads,
        node.bias, node.activation, node.epilogue, true);
    case 'dense': {
      const [nIn, nOut] = node.kernelShape;
      const v = x();
      const acc = new Float64Array(nOut);
      if (node.bias) acc.set(node.bias);
      for (let i = 0; i < nIn; i++) {
        const xi = v[i];
        if (xi === 0) continue;
        const row = i * nOut;
        for (let o = 0; o < nOut; o++) acc[o] += xi * node.kernel[row + o];
      }
      return finish(acc, nOut, node.activation, node.epilogue);
    }
    case 'affine': {
      const v = x();
      const c = node.shape[2];
      const out = new Float32Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = applyActivation(v[i] * node.scale[i % c] + node.shift[i % c], node.activation);
      return out;
    }
    case 'maxPool':
    case 'avgPool':
      return pool(x(), inShape(), node.shape, node.pool, node.strides, node.pads, node.kind === 'maxPool');
    case 'add': {
      const out = new Float32Array(elementCount(node.shape));
      for (let i = 0; i < out.length; i++) {
        let s = 0;
        for (const p of node.inputs) s += outs[p][i];
        out[i] = applyActivation(s, node.activation);
      }
      return out;
    }
    case 'concat': {
      const [h, w, c] = node.shape;
      const out = new Float32Array(h * w * c);
      let offset = 0;
      for (let k = 0; k < node.inputs.length; k++) {
        const ck = inShape(k)[2];
        const v = x(k);
        for (let p = 0; p < h * w; p++) for (let j = 0; j < ck; j++) out[p * c + offset + j] = v[p * ck + j];
        offset += ck;
      }
      return out;
    }
    case 'pad': {
      const [ih, iw, c] = inShape();
      const [h, w] = node.shape;
      const [top, left] = node.pads;
      const out = new Float32Array(h * w * c);
      const v = x();
      for (let y = 0; y < ih; y++) out.set(v.subarray(y * iw * c, (y + 1) * iw * c), ((y + top) * w + left) * c);
      return out;
    }
    case 'activation': {
      const v = x();
      const out = new Float32Array(v.length);
      for (let i = 0; i < v.length; i++) out[i] = applyActivation(v[i], node.activation);
      return out;
    }
    case 'reshape':
      return x();
  }
}

function finish(acc: Float64Array, channels: number, act: Activation, epi: Epilogue | null): Float32Array {
  const out = new Float32Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    let y = applyActivation(acc[i], act);
    if (epi) y = y * epi.scale[i % channels] + epi.shift[i % channels];
    out[i] = y;
  }
  return out;
}

function conv(
  v: Float32Array, inShape: Shape3, [oh, ow, cout]: Shape3, kernel: Float32Array,
  kernelShape: [number, number, number, number], strides: [number, number], dilation: [number, number],
  pads: Pads, bias: Float32Array | null, act: Activation, epi: Epilogue | null, depthwise: boolean,
): Float32Array {
  const [, iw, cin] = inShape;
  const [, kw, , km] = kernelShape;
  const acc = new Float64Array(oh * ow * cout);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      const base = (oy * ow + ox) * cout;
      if (bias) for (let o = 0; o < cout; o++) acc[base + o] = bias[o];
      forEachWindowTap(oy, ox, inShape, kernelShape, strides, dilation, pads, (ky, kx, iy, ix) => {
        const inBase = (iy * iw + ix) * cin;
        const kBase = (ky * kw + kx) * cin * km;
        for (let ci = 0; ci < cin; ci++) {
          const xi = v[inBase + ci];
          if (xi === 0) continue;
          if (depthwise) {
            for (let m = 0; m < km; m++) acc[base + ci * km + m] += xi * kernel[kBase + ci * km + m];
          } else {
            const kRow = kBase + ci * km;
            for (let o = 0; o < cout; o++) acc[base + o] += xi * kernel[kRow + o];
          }
        }
      });
    }
  }
  return finish(acc, cout, act, epi);
}

function pool(
  v: Float32Array, inShape: Shape3, outShape: Shape3, size: [number, number],
  strides: [number, number], pads: Pads, isMax: boolean,
): Float32Array {
  const [, iw, c] = inShape;
  const out = new Float32Array(elementCount(outShape));
  forEachPoolWindow(inShape, outShape, size, strides, pads, (o, y0, y1, x0, x1, count) => {
    for (let ch = 0; ch < c; ch++) {
      let r = isMax ? -Infinity : 0;
      for (let y = y0; y < y1; y++) {
        for (let xx = x0; xx < x1; xx++) {
          const val = v[(y * iw + xx) * c + ch];
          if (isMax) { if (val > r) r = val; } else r += val;
        }
      }
      out[o * c + ch] = isMax ? r : r / count;
    }
  });
  return out;
}
