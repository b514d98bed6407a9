// Ops that only move or relabel data, and the constant plumbing that feeds shapes
// (Constant, Shape, Gather, Cast, Concat of shape pieces — PyTorch's flatten idiom).
import type { Shape3 } from '../../core/graph.ts';
import type { OpContext, OpHandler } from './context.ts';
import { dimsText } from './errors.ts';
import { checkFinite, onnx, tensorValues } from './proto.ts';
import type { ActValue, ConstValue, Value } from './values.ts';
import { isNchw, materialize, normalizePerm, product, transposeIndex } from './values.ts';

const constant = (dims: number[], data: Float64Array, float: boolean): ConstValue => ({ kind: 'const', dims, data, float });

function relabel(ctx: OpContext, v: Value, dims: number[]): Value {
  if (product(dims) !== product(v.dims)) {
    ctx.fail(`cannot turn ${dimsText(v.dims)} (${product(v.dims)} values) into ${dimsText(dims)} (${product(dims)} values).`);
  }
  if (v.kind === 'const') return constant(dims, v.data, v.float);
  return ctx.b.reshape(v, dims, ctx.out(0), ctx.name);
}

const passThrough: OpHandler = (ctx) => {
  const v = ctx.input(0);
  if (!v) return ctx.fail('the data input is missing.');
  ctx.set(0, v.kind === 'const' ? v : ctx.b.alias(v, ctx.out(0)));
};

const Constant: OpHandler = (ctx) => {
  const a = ctx.attrs;
  const t = a.tensor('value');
  if (t) {
    const what = `Constant "${ctx.name}"`;
    const v = tensorValues(t, what);
    checkFinite(v, what);
    return ctx.set(0, constant(v.dims, v.data, v.float));
  }
  const f = a.floats('value_floats');
  const i = a.ints('value_ints');
  if (a.has('value_float')) return ctx.set(0, constant([], Float64Array.of(a.float('value_float', 0)), true));
  if (a.has('value_int')) return ctx.set(0, constant([], Float64Array.of(a.int('value_int', 0)), false));
  if (f) return ctx.set(0, constant([f.length], Float64Array.from(f), true));
  if (i) return ctx.set(0, constant([i.length], Float64Array.from(i), false));
  return ctx.fail(`only dense numeric constants are supported (attributes: ${a.names().join(', ') || 'none'}).`);
};

const Dropout: OpHandler = (ctx) => {
  if (ctx.outputUsed(1)) ctx.fail('its mask output is used; only inference-mode Dropout (an identity) is supported.');
  passThrough(ctx);
};

const DT = onnx.TensorProto.DataType;
const Cast: OpHandler = (ctx) => {
  const to = ctx.attrs.int('to', DT.FLOAT);
  const toFloat = to === DT.FLOAT || to === DT.DOUBLE || to === DT.FLOAT16 || to === DT.BFLOAT16;
  const v = ctx.input(0);
  if (!v) return ctx.fail('the data input is missing.');
  if (v.kind === 'act') {
    if (!toFloat) ctx.fail('casting an activation to an integer type is not supported.');
    return ctx.set(0, ctx.b.alias(v, ctx.out(0)));
  }
  ctx.set(0, constant(v.dims, toFloat ? v.data : v.data.map(Math.trunc), toFloat));
};

const Shape: OpHandler = (ctx) => {
  const v = ctx.input(0);
  if (!v) return ctx.fail('the data input is missing.');
  const r = v.dims.length;
  const clamp = (x: number): number => Math.min(r, Math.max(0, x < 0 ? x + r : x));
  const start = clamp(ctx.attrs.int('start', 0));
  const end = clamp(ctx.attrs.int('end', r));
  const d = v.dims.slice(start, Math.max(start, end));
  ctx.set(0, constant([d.length], Float64Array.from(d), false));
};

const Gather: OpHandler = (ctx) => {
  const data = ctx.input(0);
  if (data?.kind === 'act') ctx.fail('gathering from an activation is not supported (only from constants, e.g. a shape).');
  const d = ctx.constant(0, 'data');
  const ind = ctx.constant(1, 'indices');
  const axis = ctx.axis(ctx.attrs.int('axis', 0), d.dims.length);
  const n = d.dims[axis];
  const outer = product(d.dims.slice(0, axis));
  const inner = product(d.dims.slice(axis + 1));
  const out = new Float64Array(outer * ind.data.length * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (const raw of ind.data) {
      const j = raw < 0 ? raw + n : raw;
      if (j < 0 || j >= n) ctx.fail(`index ${raw} is out of range for an axis of size ${n}.`);
      for (let i = 0; i < inner; i++) out[k++] = d.data[(o * n + j) * inner + i];
    }
  }
  ctx.set(0, constant([...d.dims.slice(0, axis), ...ind.dims, ...d.dims.slice(axis + 1)], out, d.float));
};

const Reshape: OpHandler = (ctx) => {
  const v = ctx.input(0);
  if (!v) return ctx.fail('the data input is missing.');
  const target = ctx.ints(1, 'shape');
  const allowZero = ctx.attrs.int('allowzero', 0) === 1;
  const dims = target.map((d, i) => (d === 0 && !allowZero ? v.dims[i] : d));
  const unknown = dims.filter((d) => d === -1).length;
  if (unknown > 1 || dims.some((d) => d < -1 || d === undefined)) ctx.fail(`invalid target shape [${target.join(', ')}].`);
  if (unknown === 1) {
    const known = product(dims.filter((d) => d !== -1));
    const total = product(v.dims);
    if (known === 0 || total % known !== 0) ctx.fail(`cannot reshape ${dimsText(v.dims)} into [${target.join(', ')}].`);
    dims[dims.indexOf(-1)] = total / known;
  }
  ctx.set(0, relabel(ctx, v, dims));
};

const Flatten: OpHandler = (ctx) => {
  const v = ctx.input(0);
  if (!v) return ctx.fail('the data input is missing.');
  const r = v.dims.length;
  const a = ctx.attrs.int('axis', 1);
  const axis = a < 0 ? a + r : a;
  if (axis < 0 || axis > r) ctx.fail(`axis ${a} is out of range for a tensor of rank ${r}.`);
  ctx.set(0, relabel(ctx, v, [product(v.dims.slice(0, axis)), product(v.dims.slice(axis))]));
};

function axesOf(ctx: OpContext, required: boolean): number[] | undefined {
  const axes = ctx.opset >= 13 ? (ctx.inputName(1) ? ctx.ints(1, 'axes') : undefined) : ctx.attrs.ints('axes');
  if (!axes && required) ctx.fail('the axes are missing.');
  return axes;
}

const Squeeze: OpHandler = (ctx) => {
  const v = ctx.input(0);
  if (!v) return ctx.fail('the data input is missing.');
  const r = v.dims.length;
  const axes = axesOf(ctx, false)?.map((a) => ctx.axis(a, r)) ?? v.dims.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const a of axes) if (v.dims[a] !== 1) ctx.fail(`axis ${a} has size ${v.dims[a]}; only dimensions of size 1 can be squeezed.`);
  ctx.set(0, relabel(ctx, v, v.dims.filter((_, i) => !axes.includes(i))));
};

const Unsqueeze: OpHandler = (ctx) => {
  const v = ctx.input(0);
  if (!v) return ctx.fail('the data input is missing.');
  const axesRaw = axesOf(ctx, true) ?? [];
  const r = v.dims.length + axesRaw.length;
  const axes = axesRaw.map((a) => ctx.axis(a, r));
  const dims: number[] = [];
  let k = 0;
  for (let i = 0; i < r; i++) dims.push(axes.includes(i) ? 1 : v.dims[k++]);
  ctx.set(0, relabel(ctx, v, dims));
};

const Transpose: OpHandler = (ctx) => {
  const v = ctx.input(0);
  if (!v) return ctx.fail('the data input is missing.');
  const r = v.dims.length;
  const perm = ctx.attrs.ints('perm') ?? [...Array(r).keys()].reverse();
  if (perm.length !== r || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) ctx.fail(`perm [${perm.join(', ')}] is not a permutation of ${r} axes.`);
  const dims = perm.map((p) => v.dims[p]);
  const src = transposeIndex(v.dims, perm);
  if (v.kind === 'const') return ctx.set(0, constant(dims, Float64Array.from(src, (s) => v.data[s]), v.float));
  // Only a relabelling: element j of the result is memory element perm[src[j]] of the same node.
  const p = materialize(v.dims, v.perm);
  const composed = p ? src.map((s) => p[s]) : src;
  ctx.set(0, ctx.b.alias(v, ctx.out(0), dims, normalizePerm(dims, composed)));
};

const Concat: OpHandler = (ctx) => {
  const vals: Value[] = [];
  for (let i = 0; i < ctx.inputCount; i++) {
    const v = ctx.input(i);
    if (v) vals.push(v);
  }
  if (vals.length === 0) return ctx.fail('it has no inputs.');
  const r = vals[0].dims.length;
  const axis = ctx.axis(ctx.attrs.int('axis', 1), r);
  for (const v of vals) {
    if (v.dims.length !== r || v.dims.some((d, i) => i !== axis && d !== vals[0].dims[i])) {
      ctx.fail(`inputs ${vals.map((x) => dimsText(x.dims)).join(', ')} cannot be joined along axis ${axis}.`);
    }
  }
  const dims = vals[0].dims.map((d, i) => (i === axis ? vals.reduce((s, v) => s + v.dims[axis], 0) : d));
  if (vals.every((v) => v.kind === 'const')) {
    const consts = vals as ConstValue[];
    const outer = product(dims.slice(0, axis));
    const out = new Float64Array(product(dims));
    let k = 0;
    for (let o = 0; o < outer; o++) {
      for (const c of consts) {
        const n = product(c.dims.slice(axis));
        out.set(c.data.subarray(o * n, (o + 1) * n), k);
        k += n;
      }
    }
    return ctx.set(0, constant(dims, out, consts.some((c) => c.float)));
  }
  if (vals.some((v) => v.kind === 'const')) ctx.fail('joining an activation with a constant is not supported.');
  const acts = vals as ActValue[];
  const shapes = acts.map((v) => ctx.b.shape(v));
  // Channels of our NHWC nodes: axis 1 of NCHW tensors, or the last axis of vectors/NHWC tensors.
  const nchw = r === 4 && axis === 1 && acts.every((v, i) => isNchw(v, shapes[i]));
  // With logical order = memory order, a last axis as long as the node's channels is the channel axis.
  const last = axis === r - 1 && acts.every((v, i) => v.perm === null && shapes[i][2] === v.dims[r - 1]);
  if (!nchw && !last) ctx.fail(`only joins along the channel axis are supported (inputs ${acts.map((v) => dimsText(v.dims)).join(', ')}, axis ${axis}).`);
  const shape: Shape3 = [shapes[0][0], shapes[0][1], shapes.reduce((s, x) => s + x[2], 0)];
  if (shapes.some((s) => s[0] !== shape[0] || s[1] !== shape[1])) ctx.fail('inputs differ in height or width.');
  const value = ctx.b.emit({ kind: 'concat', name: ctx.b.uniqueName(ctx.name), inputs: acts.map((v) => v.node), shape }, ctx.out(0), dims, nchw ? 'nchw' : null);
  ctx.set(0, value);
};

const Pad: OpHandler = (ctx) => {
  const mode = ctx.attrs.string('mode', 'constant');
  if (mode !== 'constant') ctx.fail(`mode "${mode}" is not supported; only constant zero padding.`);
  const v = ctx.act(0);
  const r = v.dims.length;
  let pads: number[];
  let value = 0;
  if (ctx.opset < 11) {
    pads = ctx.attrs.ints('pads') ?? ctx.fail('the pads attribute is missing.');
    value = ctx.attrs.float('value', 0);
  } else {
    const raw = ctx.ints(1, 'pads');
    value = ctx.scalar(2, 'constant_value') ?? 0;
    const axes = ctx.inputName(3) ? ctx.ints(3, 'axes').map((a) => ctx.axis(a, r)) : [...Array(r).keys()];
    if (raw.length !== 2 * axes.length) ctx.fail(`${raw.length} pads do not fit ${axes.length} axes.`);
    pads = new Array(2 * r).fill(0);
    axes.forEach((a, i) => { pads[a] = raw[i]; pads[a + r] = raw[i + axes.length]; });
  }
  if (pads.length !== 2 * r) ctx.fail(`${pads.length} pads do not fit a tensor of rank ${r}.`);
  if (value !== 0) ctx.fail(`padding with ${value} is not supported; only zero padding.`);
  if (pads.every((p) => p === 0)) return ctx.set(0, ctx.b.alias(v, ctx.out(0)));
  const shape = ctx.b.shape(v);
  if (!isNchw(v, shape)) ctx.fail(`only NCHW image tensors can be padded (got ${dimsText(v.dims)}).`);
  if (pads[0] || pads[1] || pads[4] || pads[5]) ctx.fail('only the height and width axes can be padded.');
  if (pads.some((p) => p < 0)) ctx.fail('negative pads (cropping) are not supported.');
  const [top, left, bottom, right] = [pads[2], pads[3], pads[6], pads[7]];
  const out: Shape3 = [shape[0] + top + bottom, shape[1] + left + right, shape[2]];
  ctx.set(0, ctx.b.emit({ kind: 'pad', name: ctx.b.uniqueName(ctx.name), inputs: [v.node], shape: out, pads: [top, left, bottom, right] },
    ctx.out(0), [1, out[2], out[0], out[1]], 'nchw'));
};

export const layoutOps: Record<string, OpHandler> = {
  Constant, Identity: passThrough, Dropout, Cast, Shape, Gather, Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Pad,
};
