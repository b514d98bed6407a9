// Dense layers (Gemm, MatMul), element-wise arithmetic with constants (bias adds, scales),
// BatchNormalization, activations and the final Softmax.
import type { Activation } from '../../core/graph.ts';
import type { OpContext, OpHandler } from './context.ts';
import { dimsText } from './errors.ts';
import type { ActValue, ConstValue, Value } from './values.ts';
import { broadcastDims, broadcastTo, materialize, perChannel, sameDims, samePerm } from './values.ts';

const isVector = (dims: readonly number[]): boolean => dims.slice(0, -1).every((d) => d === 1);

function emitDense(ctx: OpContext, a: ActValue, k: number, n: number, weight: (row: number, col: number) => number,
  bias: Float64Array | null, dims: number[]): void {
  const perm = materialize(a.dims, a.perm);
  // Row r of the ONNX weight multiplies logical element r, which lives at memory index perm[r].
  const kernel = new Float32Array(k * n);
  for (let r = 0; r < k; r++) {
    const row = (perm ? perm[r] : r) * n;
    for (let c = 0; c < n; c++) kernel[row + c] = weight(r, c);
  }
  const name = ctx.b.uniqueName(ctx.name);
  if (perm) ctx.b.notes.push(`Dense "${name}": weight rows reordered to read the NHWC-flattened input (the ONNX model flattens NCHW).`);
  ctx.set(0, ctx.b.emit({
    kind: 'dense', name, inputs: [a.node], shape: [1, 1, n], kernel, kernelShape: [k, n],
    bias: bias ? Float32Array.from(bias) : null, activation: { type: 'linear' }, epilogue: null,
  }, ctx.out(0), dims, null));
}

const Gemm: OpHandler = (ctx) => {
  const a = ctx.act(0, 'A');
  const bw = ctx.constant(1, 'B (weight)');
  const transA = ctx.attrs.int('transA', 0) === 1;
  const transB = ctx.attrs.int('transB', 0) === 1;
  const alpha = ctx.attrs.float('alpha', 1);
  const beta = ctx.attrs.float('beta', 1);
  let k: number;
  if (!transA && a.dims.length === 2 && a.dims[0] === 1) k = a.dims[1];
  else if (transA && a.dims.length === 2 && a.dims[1] === 1) k = a.dims[0];
  else return ctx.fail(`input A ${dimsText(a.dims)}${transA ? ' (transposed)' : ''} must be one row (batch 1).`);
  if (bw.dims.length !== 2) ctx.fail(`weight B ${dimsText(bw.dims)} must be 2-D.`);
  const [kb, n] = transB ? [bw.dims[1], bw.dims[0]] : bw.dims;
  if (kb !== k) ctx.fail(`weight B ${dimsText(bw.dims)}${transB ? ' (transposed)' : ''} does not fit an input of ${k} values.`);
  let bias: Float64Array | null = null;
  const c = ctx.optConstant(2, 'C (bias)');
  if (c) {
    const bd = broadcastDims(c.dims, [1, n]);
    if (!bd || !sameDims(bd, [1, n])) ctx.fail(`bias C ${dimsText(c.dims)} does not broadcast to 1×${n}.`);
    bias = broadcastTo(c, [1, n]).map((x) => x * beta);
  }
  const w = bw.data;
  emitDense(ctx, a, k, n, transB ? (r, col) => alpha * w[col * k + r] : (r, col) => alpha * w[r * n + col], bias, [1, n]);
};

const MatMul: OpHandler = (ctx) => {
  const first = ctx.input(0);
  if (first?.kind === 'const') ctx.fail('constant × activation products are not supported; the activation must be the first input.');
  const a = ctx.act(0, 'A');
  const bw = ctx.constant(1, 'B (weight)');
  const bd = bw.dims.slice();
  while (bd.length > 2 && bd[0] === 1) bd.shift();
  if (bd.length !== 2) ctx.fail(`weight B ${dimsText(bw.dims)} must be a 2-D matrix.`);
  const [k, n] = bd;
  if (!isVector(a.dims) || a.dims[a.dims.length - 1] !== k) ctx.fail(`input A ${dimsText(a.dims)} must be one row of ${k} values (batch 1).`);
  const dims = a.dims.length === 1 ? [n] : [...a.dims.slice(0, -1), n];
  while (dims.length < bw.dims.length) dims.unshift(1);
  emitDense(ctx, a, k, n, (r, col) => bw.data[r * n + col], null, dims);
};

/** A constant's per-channel vector over an activation, or a clear refusal. */
function channelVector(ctx: OpContext, v: ActValue, c: ConstValue, role: string): { values: Float64Array; dims: number[] } {
  const r = perChannel(v, ctx.b.shape(v)[2], c);
  if (r === 'shape') return ctx.fail(`the ${role} of shape ${dimsText(c.dims)} would broadcast the activation ${dimsText(v.dims)} to a larger shape.`);
  if (!r) return ctx.fail(`the ${role} of shape ${dimsText(c.dims)} varies within a channel of ${dimsText(v.dims)}; only per-channel constants are supported.`);
  return r;
}

function foldConstants(ctx: OpContext, a: ConstValue, b: ConstValue, f: (x: number, y: number) => number): void {
  const dims = broadcastDims(a.dims, b.dims) ?? ctx.fail(`${dimsText(a.dims)} and ${dimsText(b.dims)} do not broadcast.`);
  const x = broadcastTo(a, dims);
  const y = broadcastTo(b, dims);
  const float = a.float || b.float;
  const out = x.map((v, i) => (float ? f(v, y[i]) : Math.trunc(f(v, y[i]))));
  ctx.set(0, { kind: 'const', dims, data: out, float });
}

function emitAdd(ctx: OpContext, acts: ActValue[]): void {
  const first = acts[0];
  const shape = ctx.b.shape(first);
  for (const v of acts) {
    if (!sameDims(v.dims, first.dims) || !sameDims(ctx.b.shape(v), shape) || !samePerm(v, first)) {
      ctx.fail(`adding ${acts.map((x) => dimsText(x.dims)).join(' and ')} needs equal shapes and layouts.`);
    }
  }
  ctx.set(0, ctx.b.emit({ kind: 'add', name: ctx.b.uniqueName(ctx.name), inputs: acts.map((v) => v.node), shape: [...shape], activation: { type: 'linear' } },
    ctx.out(0), first.dims, first.perm));
}

function binary(op: 'Add' | 'Sub' | 'Mul' | 'Div'): OpHandler {
  const f = { Add: (x: number, y: number) => x + y, Sub: (x: number, y: number) => x - y, Mul: (x: number, y: number) => x * y, Div: (x: number, y: number) => x / y }[op];
  return (ctx) => {
    const a = ctx.input(0);
    const b = ctx.input(1);
    if (!a || !b) return ctx.fail('it needs two inputs.');
    if (a.kind === 'const' && b.kind === 'const') return foldConstants(ctx, a, b, f);
    if (a.kind === 'act' && b.kind === 'act') {
      if (op !== 'Add') ctx.fail(`${op} of two activations is not supported; only Add joins two branches.`);
      return emitAdd(ctx, [a, b]);
    }
    const v = (a.kind === 'act' ? a : b) as ActValue;
    const c = (a.kind === 'const' ? a : b) as ConstValue;
    const constFirst = a.kind === 'const';
    const { values, dims } = channelVector(ctx, v, c, 'constant');
    let s: Float64Array | null = null;
    let t: Float64Array | null = null;
    if (op === 'Add') t = values;
    else if (op === 'Sub') [s, t] = constFirst ? [values.map(() => -1), values] : [null, values.map((x) => -x)];
    else if (op === 'Mul') s = values;
    else if (constFirst) return ctx.fail('dividing a constant by an activation is not supported.');
    else if (values.some((x) => x === 0)) return ctx.fail('it divides by zero.');
    else s = values.map((x) => 1 / x);
    ctx.set(0, ctx.b.scaleShift(v, s, t, ctx.out(0), ctx.name, dims).value);
  };
}

const Sum: OpHandler = (ctx) => {
  const vals: Value[] = [];
  for (let i = 0; i < ctx.inputCount; i++) {
    const v = ctx.input(i);
    if (v) vals.push(v);
  }
  if (vals.length === 1) return ctx.set(0, vals[0].kind === 'act' ? ctx.b.alias(vals[0], ctx.out(0)) : vals[0]);
  if (!vals.every((v) => v.kind === 'act')) ctx.fail('Sum is supported only over activations.');
  emitAdd(ctx, vals as ActValue[]);
};

const BatchNormalization: OpHandler = (ctx) => {
  const v = ctx.act(0);
  if (ctx.opset < 9 && ctx.attrs.int('spatial', 1) === 0) ctx.fail('spatial=0 (per-element statistics) is not supported.');
  if (ctx.attrs.int('training_mode', 0) === 1 || [1, 2, 3, 4].some((i) => ctx.outputUsed(i))) {
    ctx.fail('training mode (running statistics outputs) is not supported; export the model in inference mode.');
  }
  if (v.dims.length < 2) ctx.fail(`input ${dimsText(v.dims)} has no channel axis.`);
  const ch = v.dims[1];
  const [gamma, beta, mean, variance] = ['scale', 'B', 'mean', 'var'].map((role, i) => {
    const c = ctx.constant(i + 1, role);
    if (c.data.length !== ch) ctx.fail(`${role} ${dimsText(c.dims)} does not match ${ch} channels.`);
    return c.data;
  });
  const eps = ctx.attrs.float('epsilon', 1e-5);
  const s = gamma.map((g, i) => g / Math.sqrt(variance[i] + eps));
  const t = beta.map((b, i) => b - mean[i] * s[i]);
  const cdims = v.dims.map((d, i) => (i === 1 ? d : 1));
  const sv = channelVector(ctx, v, { kind: 'const', dims: cdims, data: s, float: true }, 'scale');
  const tv = channelVector(ctx, v, { kind: 'const', dims: cdims, data: t, float: true }, 'shift');
  const producer = ctx.b.nodes[v.node].name;
  const { value, how } = ctx.b.scaleShift(v, sv.values, tv.values, ctx.out(0), ctx.name);
  ctx.set(0, value);
  const text = {
    identity: 'has no effect and was dropped',
    folded: `was folded into the weights and bias of "${producer}"`,
    epilogue: `was fused into "${producer}" as a per-channel epilogue after its activation`,
    affine: 'was kept as a per-channel affine node',
  }[how];
  ctx.b.notes.push(`BatchNormalization "${ctx.name}" ${text}.`);
};

function activation(act: (ctx: OpContext) => Activation): OpHandler {
  return (ctx) => {
    const v = ctx.act(0);
    ctx.set(0, ctx.b.activation(v, act(ctx), ctx.out(0), ctx.name));
  };
}

const FLT_MAX = 3.4028234663852886e38;

function clipActivation(ctx: OpContext): Activation {
  let lo = -Infinity;
  let hi = Infinity;
  if (ctx.opset < 11) {
    lo = ctx.attrs.float('min', -Infinity);
    hi = ctx.attrs.float('max', Infinity);
  } else {
    lo = ctx.scalar(1, 'min') ?? -Infinity;
    hi = ctx.scalar(2, 'max') ?? Infinity;
  }
  if (lo <= -FLT_MAX) lo = -Infinity;
  if (hi >= FLT_MAX) hi = Infinity;
  if (lo === -Infinity && hi === Infinity) return { type: 'linear' };
  if (lo === 0 && hi > 0) return hi === Infinity ? { type: 'relu' } : { type: 'relu', max: hi };
  return ctx.fail(`Clip to [${lo}, ${hi}] is not supported; only Clip with min 0 (ReLU, ReLU6, ReLU with a maximum).`);
}

function finalSoftmax(ctx: OpContext): void {
  const v = ctx.act(0);
  if (!ctx.isFinal(ctx.out(0))) ctx.fail(`only a ${ctx.op} at the end of the network is supported (it is dropped there).`);
  if (v.dims.filter((d) => d !== 1).length > 1) ctx.fail(`only a ${ctx.op} over a vector of class scores is supported, not over ${dimsText(v.dims)}.`);
  ctx.set(0, ctx.b.alias(v, ctx.out(0)));
  ctx.b.notes.push(`${ctx.op} "${ctx.name}" at the output was dropped: it does not change the top-1 answer, so the graph outputs logits.`);
}

export const mathOps: Record<string, OpHandler> = {
  Gemm, MatMul, Add: binary('Add'), Sub: binary('Sub'), Mul: binary('Mul'), Div: binary('Div'), Sum, BatchNormalization,
  Relu: activation(() => ({ type: 'relu' })),
  LeakyRelu: activation((ctx) => ({ type: 'leakyRelu', alpha: ctx.attrs.float('alpha', 0.01) })),
  Clip: activation(clipActivation),
  Softmax: finalSoftmax, LogSoftmax: finalSoftmax,
};
