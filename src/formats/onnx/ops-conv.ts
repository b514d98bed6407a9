// Conv and the pools: NCHW ONNX tensors become our NHWC nodes, OIHW kernels become HWIO
// ([kh,kw,cin,cout]) or, for depthwise groups, [kh,kw,cin,multiplier].
import type { Pads, Shape3 } from '../../core/graph.ts';
import { windowOut } from '../../core/graph.ts';
import type { OpContext, OpHandler } from './context.ts';
import { dimsText } from './errors.ts';
import type { ActValue } from './values.ts';
import { isNchw } from './values.ts';

function imageInput(ctx: OpContext): { x: ActValue; shape: Shape3 } {
  const x = ctx.act(0);
  const shape = ctx.b.shape(x);
  if (x.dims.length !== 4) ctx.fail(`only 2-D image tensors (N×C×H×W) are supported, not ${dimsText(x.dims)}.`);
  if (!isNchw(x, shape)) ctx.fail(`its input ${dimsText(x.dims)} is not in NCHW layout (a Transpose before it that Fixpoint cannot express?).`);
  return { x, shape };
}

function pair(ctx: OpContext, name: string, def: number): [number, number] {
  const v = ctx.attrs.ints(name);
  if (!v) return [def, def];
  if (v.length !== 2) ctx.fail(`${name} [${v.join(', ')}] must have 2 values (height, width).`);
  return [v[0], v[1]];
}

/** Explicit [top, left, bottom, right] from auto_pad / pads (ONNX pads are [h0, w0, h1, w1]). */
function spatialPads(ctx: OpContext, size: [number, number], k: [number, number], s: [number, number], d: [number, number]): Pads {
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  switch (autoPad) {
    case 'NOTSET': {
      const p = ctx.attrs.ints('pads') ?? [0, 0, 0, 0];
      if (p.length !== 4) ctx.fail(`pads [${p.join(', ')}] must have 4 values.`);
      if (p.some((x) => x < 0)) ctx.fail('negative pads are not supported.');
      return [p[0], p[1], p[2], p[3]];
    }
    case 'VALID':
      return [0, 0, 0, 0];
    case 'SAME_UPPER':
    case 'SAME_LOWER': {
      const split = [0, 1].map((i) => {
        const eff = (k[i] - 1) * d[i] + 1;
        const total = Math.max(0, (Math.ceil(size[i] / s[i]) - 1) * s[i] + eff - size[i]);
        const before = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
        return [before, total - before];
      });
      return [split[0][0], split[1][0], split[0][1], split[1][1]];
    }
    default:
      return ctx.fail(`auto_pad "${autoPad}" is not known.`);
  }
}

const Conv: OpHandler = (ctx) => {
  const { x, shape } = imageInput(ctx);
  const [h, w, c] = shape;
  const wt = ctx.constant(1, 'weight');
  if (wt.dims.length !== 4) ctx.fail(`weight ${dimsText(wt.dims)} must be 4-D (M×C×kH×kW).`);
  const [m, cg, kh, kw] = wt.dims;
  const group = ctx.attrs.int('group', 1);
  const ks = ctx.attrs.ints('kernel_shape');
  if (ks && (ks[0] !== kh || ks[1] !== kw)) ctx.fail(`kernel_shape [${ks.join(', ')}] does not match the weight ${dimsText(wt.dims)}.`);
  if (group < 1 || c % group !== 0 || cg !== c / group || m % group !== 0) {
    ctx.fail(`weight ${dimsText(wt.dims)} does not fit ${c} input channels with group=${group}.`);
  }
  const depthwise = group > 1 && group === c;
  if (group > 1 && !depthwise) {
    ctx.fail(`group=${group} (grouped convolution, ${group} groups of ${c / group} input channels) is not supported; only group=1 or depthwise (group = input channels = ${c}).`);
  }
  const strides = pair(ctx, 'strides', 1);
  const dilation = pair(ctx, 'dilations', 1);
  const pads = spatialPads(ctx, [h, w], [kh, kw], strides, dilation);
  const oh = windowOut(h, kh, strides[0], dilation[0], pads[0], pads[2]);
  const ow = windowOut(w, kw, strides[1], dilation[1], pads[1], pads[3]);
  if (oh < 1 || ow < 1) ctx.fail(`the output would be empty (${oh}×${ow}) for an input of ${h}×${w}.`);
  const b = ctx.optConstant(2, 'bias');
  if (b && b.data.length !== m) ctx.fail(`bias ${dimsText(b.dims)} does not match ${m} output channels.`);
  const kernel = new Float32Array(kh * kw * c * (depthwise ? m / c : m));
  for (let o = 0; o < m; o++) {
    for (let ci = 0; ci < cg; ci++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const v = wt.data[((o * cg + ci) * kh + ky) * kw + kx];
          // Depthwise: output channel o = input channel · multiplier + j, as in our layout.
          kernel[depthwise ? ((ky * kw + kx) * c) * (m / c) + o : ((ky * kw + kx) * c + ci) * m + o] = v;
        }
      }
    }
  }
  const common = {
    name: ctx.b.uniqueName(ctx.name), inputs: [x.node], shape: [oh, ow, m] as Shape3, kernel, strides, dilation, pads,
    bias: b ? Float32Array.from(b.data) : null, activation: { type: 'linear' as const }, epilogue: null,
  };
  const node = depthwise
    ? { ...common, kind: 'depthwiseConv2d' as const, kernelShape: [kh, kw, c, m / c] as [number, number, number, number] }
    : { ...common, kind: 'conv2d' as const, kernelShape: [kh, kw, c, m] as [number, number, number, number] };
  ctx.set(0, ctx.b.emit(node, ctx.out(0), [1, m, oh, ow], 'nchw'));
};

function pool(kind: 'maxPool' | 'avgPool'): OpHandler {
  return (ctx) => {
    const { x, shape } = imageInput(ctx);
    const [h, w, c] = shape;
    const k = pair(ctx, 'kernel_shape', 0);
    if (!ctx.attrs.has('kernel_shape')) ctx.fail('kernel_shape is missing.');
    const s = pair(ctx, 'strides', 1);
    const d = pair(ctx, 'dilations', 1);
    if (d[0] !== 1 || d[1] !== 1) ctx.fail(`dilated pooling (dilations [${d.join(', ')}]) is not supported.`);
    if (kind === 'maxPool' && ctx.outputUsed(1)) ctx.fail('its Indices output is used; only the pooled values are supported.');
    const pads = spatialPads(ctx, [h, w], k, s, d);
    // ceil_mode: PyTorch/ONNX add windows that start inside the input (or the leading pad);
    // extra trailing padding reproduces them exactly, since padded positions never count.
    const extra = [0, 0];
    if (ctx.attrs.int('ceil_mode', 0) === 1) {
      [h, w].forEach((size, i) => {
        const padded = size + pads[i] + pads[i + 2];
        let out = Math.ceil((padded - k[i]) / s[i]) + 1;
        if ((out - 1) * s[i] >= size + pads[i]) out--;
        extra[i] = Math.max(0, (out - 1) * s[i] + k[i] - padded);
      });
    }
    let input = x;
    let inShape = shape;
    let ownPads: Pads = [pads[0], pads[1], pads[2] + extra[0], pads[3] + extra[1]];
    const countPad = kind === 'avgPool' && ctx.attrs.int('count_include_pad', 0) === 1 && pads.some((p) => p > 0);
    if (countPad) {
      // Our avgPool divides by the real elements, so padding that counts becomes real zeros.
      inShape = [h + pads[0] + pads[2], w + pads[1] + pads[3], c];
      input = ctx.b.emit({ kind: 'pad', name: ctx.b.uniqueName(`${ctx.name}_pad`), inputs: [x.node], shape: inShape, pads },
        `${ctx.out(0)}#pad`, [1, c, inShape[0], inShape[1]], 'nchw');
      ownPads = [0, 0, extra[0], extra[1]];
      ctx.b.notes.push(`AveragePool "${ctx.name}" counts its padding (count_include_pad=1): converted exactly to a zero Pad followed by an AveragePool.`);
    }
    const oh = windowOut(inShape[0], k[0], s[0], 1, ownPads[0], ownPads[2]);
    const ow = windowOut(inShape[1], k[1], s[1], 1, ownPads[1], ownPads[3]);
    if (oh < 1 || ow < 1) ctx.fail(`the output would be empty (${oh}×${ow}) for an input of ${h}×${w}.`);
    ctx.set(0, ctx.b.emit({ kind, name: ctx.b.uniqueName(ctx.name), inputs: [input.node], shape: [oh, ow, c], pool: k, strides: s, pads: ownPads },
      ctx.out(0), [1, c, oh, ow], 'nchw'));
  };
}

function globalPool(kind: 'maxPool' | 'avgPool'): OpHandler {
  return (ctx) => {
    const { x, shape } = imageInput(ctx);
    const [h, w, c] = shape;
    ctx.set(0, ctx.b.emit({ kind, name: ctx.b.uniqueName(ctx.name), inputs: [x.node], shape: [1, 1, c], pool: [h, w], strides: [1, 1], pads: [0, 0, 0, 0] },
      ctx.out(0), [1, c, 1, 1], 'nchw'));
  };
}

export const convOps: Record<string, OpHandler> = {
  Conv, MaxPool: pool('maxPool'), AveragePool: pool('avgPool'), GlobalAveragePool: globalPool('avgPool'), GlobalMaxPool: globalPool('maxPool'),
};
