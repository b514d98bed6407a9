// One Keras layer call → graph nodes. The layer configs are the same JSON in Keras 2 .h5,
// Keras 3 .keras and TensorFlow.js model.json files, so every format shares this table.
import type { Activation, Pads, Shape3 } from '../../core/graph.ts';
import { samePads, windowOut } from '../../core/graph.ts';
import type { GraphBuilder, Value } from './builder.ts';
import type { LayerRef, WeightStore } from './weights.ts';

/** A Keras tensor: graph value plus its Keras rank (batch included), which axis arguments refer to. */
export interface KValue extends Value {
  rank: number;
}

export interface LayerEnv {
  b: GraphBuilder;
  store: WeightStore;
  fail(message: string): never;
}

export interface LayerCall {
  ref: LayerRef;
  config: Record<string, unknown>;
  inputs: KValue[];
  /** Graph node name for this call. */
  name: string;
}

type Handler = (env: LayerEnv, call: LayerCall, say: (msg: string) => never) => KValue;

const IDENTITY = ['Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization'];

const handlers: Record<string, Handler> = {
  Conv2D: conv2d,
  DepthwiseConv2D: depthwise,
  Dense: dense,
  BatchNormalization: batchNorm,
  Activation: activationLayer,
  ReLU: reluLayer,
  LeakyReLU: leakyReluLayer,
  Softmax: softmaxLayer,
  MaxPooling2D: (e, c, s) => pool2d(e, c, s, 'maxPool'),
  AveragePooling2D: (e, c, s) => pool2d(e, c, s, 'avgPool'),
  GlobalMaxPooling2D: (e, c, s) => globalPool(e, c, s, 'maxPool'),
  GlobalAveragePooling2D: (e, c, s) => globalPool(e, c, s, 'avgPool'),
  Flatten: flatten,
  Reshape: reshape,
  ZeroPadding2D: zeroPadding,
  Add: add,
  Concatenate: concatenate,
  Rescaling: rescaling,
  ...Object.fromEntries(IDENTITY.map((n) => [n, identity])),
};

/** Other spellings Keras and TensorFlow.js have used for the same layers. */
const ALIASES: Record<string, string> = {
  MaxPool2D: 'MaxPooling2D',
  AvgPool2D: 'AveragePooling2D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  BatchNormalizationV1: 'BatchNormalization',
  BatchNormalizationV2: 'BatchNormalization',
};

export const SUPPORTED_LAYERS: string[] = ['InputLayer', 'Sequential', 'Functional', 'Model', ...Object.keys(handlers)].sort();

/** Own properties only: a class named `constructor` or `__proto__` must not find Object's members. */
const own = <T>(table: Record<string, T>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);
const canonical = (className: string): string => own(ALIASES, className) ?? className;

/** Config values that size a layer: a zero or negative one would divide by zero or make an empty tensor. */
const POSITIVE_INTS = ['filters', 'units', 'kernel_size', 'strides', 'pool_size', 'dilation_rate', 'depth_multiplier'];

export function translateLayer(env: LayerEnv, call: LayerCall): KValue {
  const cls = canonical(call.ref.className);
  const say = (msg: string): never => env.fail(`layer ${call.ref.name} (${call.ref.className}): ${msg}`);
  const handler = own(handlers, cls);
  if (!handler) {
    return env.fail(`layer ${call.ref.name} has class ${call.ref.className}, which is not supported. ` +
      `Supported layers: ${SUPPORTED_LAYERS.join(', ')}.`);
  }
  for (const key of POSITIVE_INTS) {
    const v = call.config[key];
    if (v === undefined || v === null) continue;
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x) => Number.isSafeInteger(x) && x >= 1)) say(`${key} is ${JSON.stringify(v)}; it must be a whole number ≥ 1${list.length > 1 ? ' in each dimension' : ''}`);
  }
  if (call.inputs.length === 0) say('it has no input');
  if (cls !== 'Add' && cls !== 'Concatenate' && call.inputs.length !== 1) say(`it takes ${call.inputs.length} inputs; expected one`);
  const dataFormat = call.config.data_format;
  if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channels_last') {
    say(`data_format ${JSON.stringify(dataFormat)} is not supported; only channels_last (NHWC)`);
  }
  return handler(env, call, say);
}

// ---- config readers ----

function int(v: unknown, key: string, say: (m: string) => never, def?: number): number {
  if ((v === undefined || v === null) && def !== undefined) return def;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (Array.isArray(v) && v.length === 1 && Number.isInteger(v[0])) return v[0] as number;
  return say(`${key} = ${JSON.stringify(v)} is not an integer`);
}

function pair(v: unknown, key: string, say: (m: string) => never, def?: [number, number]): [number, number] {
  if ((v === undefined || v === null) && def) return def;
  if (typeof v === 'number' && Number.isInteger(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x))) return [v[0], v[1]];
  return say(`${key} = ${JSON.stringify(v)} is not supported; expected an integer or two`);
}

function padding(v: unknown, say: (m: string) => never): 'valid' | 'same' {
  const p = v ?? 'valid';
  if (p === 'valid' || p === 'same') return p;
  return say(`padding ${JSON.stringify(v)} is not supported; expected valid or same`);
}

function windowPads(shape: Shape3, k: [number, number], s: [number, number], d: [number, number], pad: 'valid' | 'same'): Pads {
  if (pad === 'valid') return [0, 0, 0, 0];
  const [t, b] = samePads(shape[0], k[0], s[0], d[0]);
  const [l, r] = samePads(shape[1], k[1], s[1], d[1]);
  return [t, l, b, r];
}

function windowShape(shape: Shape3, k: [number, number], s: [number, number], d: [number, number], pads: Pads, c: number, say: (m: string) => never): Shape3 {
  const oh = windowOut(shape[0], k[0], s[0], d[0], pads[0], pads[2]);
  const ow = windowOut(shape[1], k[1], s[1], d[1], pads[1], pads[3]);
  if (oh < 1 || ow < 1) say(`a ${k.join('×')} window does not fit its ${shape[0]}×${shape[1]} input`);
  return [oh, ow, c];
}

type ParsedActivation = { act: Activation; softmax: boolean };

const SUPPORTED_ACTIVATIONS = 'linear, relu, relu6, leaky_relu, softmax (as the last layer)';

function parseActivation(v: unknown, say: (m: string) => never): ParsedActivation {
  let name = v;
  if (v && typeof v === 'object' && 'class_name' in v) name = (v as { class_name: unknown }).class_name;
  if (name === undefined || name === null || name === 'linear') return { act: { type: 'linear' }, softmax: false };
  if (typeof name === 'string') {
    switch (name.toLowerCase()) {
      case 'relu': return { act: { type: 'relu' }, softmax: false };
      case 'relu6': return { act: { type: 'relu', max: 6 }, softmax: false };
      case 'leaky_relu': case 'leakyrelu': return { act: { type: 'leakyRelu', alpha: 0.2 }, softmax: false };
      case 'softmax': return { act: { type: 'linear' }, softmax: true };
    }
  }
  return say(`activation ${JSON.stringify(name)} is not supported; supported: ${SUPPORTED_ACTIVATIONS}`);
}

/** Reads a layer's variables in their declared order; `null` specs are variables the layer does not have. */
function weights(env: LayerEnv, call: LayerCall, say: (m: string) => never,
  specs: Array<{ names: string[]; shape: number[] } | null>): Array<Float32Array | null> {
  let index = 0;
  return specs.map((spec) => {
    if (!spec) return null;
    const hits = env.store.find(call.ref, spec.names, index++);
    const want = spec.names[0];
    if (hits.length === 0) {
      return say(`its weight "${want}" is not in the weight data (${env.store.size} variables present); ` +
        'the weights do not belong to this model or the file is incomplete');
    }
    if (hits.length > 1) say(`weight "${want}" is ambiguous: ${hits.map((h) => h.name).join(', ')}`);
    const w = hits[0];
    const count = spec.shape.reduce((a, x) => a * x, 1);
    const shapeOk = w.shape.length === spec.shape.length ? w.shape.every((x, i) => x === spec.shape[i]) : false;
    if (!shapeOk || w.values.length !== count) {
      say(`weight ${w.name} has shape [${w.shape.join(', ')}] but this layer needs [${spec.shape.join(', ')}]`);
    }
    for (let i = 0; i < w.values.length; i++) {
      if (!Number.isFinite(w.values[i])) {
        say(`weight ${w.name} contains ${w.values[i]} (element ${i}): the file is corrupt or training diverged; re-export a model with finite weights`);
      }
    }
    return w.values;
  });
}

const withSoftmax = (v: KValue, parsed: ParsedActivation, name: string): KValue => (parsed.softmax ? { ...v, softmax: name } : v);

// ---- layers ----

function identity(_env: LayerEnv, call: LayerCall): KValue {
  return call.inputs[0];
}

function conv2d(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const filters = int(call.config.filters, 'filters', say);
  return windowLayer(env, call, say, 'conv2d', ['kernel'], filters, filters);
}

function depthwise(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const mult = int(call.config.depth_multiplier, 'depth_multiplier', say, 1);
  return windowLayer(env, call, say, 'depthwiseConv2d', ['depthwise_kernel', 'kernel'], mult, env.b.shape(call.inputs[0])[2] * mult);
}

/** Conv2D and DepthwiseConv2D: the kernel is [kh, kw, cin, `last`] and the layer has `cout` outputs. */
function windowLayer(env: LayerEnv, call: LayerCall, say: (m: string) => never, kind: 'conv2d' | 'depthwiseConv2d',
  kernelNames: string[], last: number, cout: number): KValue {
  const c = call.config;
  const x = call.inputs[0];
  const shape = env.b.shape(x);
  const k = pair(c.kernel_size, 'kernel_size', say);
  const s = pair(c.strides, 'strides', say, [1, 1]);
  const d = pair(c.dilation_rate, 'dilation_rate', say, [1, 1]);
  if (kind === 'conv2d' && int(c.groups, 'groups', say, 1) !== 1) say('grouped convolution (groups > 1) is not supported');
  const pads = windowPads(shape, k, s, d, padding(c.padding, say));
  const act = parseActivation(c.activation, say);
  const useBias = c.use_bias !== false;
  const [kernel, bias] = weights(env, call, say, [
    { names: kernelNames, shape: [k[0], k[1], shape[2], last] },
    useBias ? { names: ['bias'], shape: [cout] } : null,
  ]);
  const v = env.b.add({
    kind, name: call.name, shape: windowShape(shape, k, s, d, pads, cout, say),
    kernel: kernel!, kernelShape: [k[0], k[1], shape[2], last], strides: s, dilation: d, pads,
    bias, activation: act.act, epilogue: null,
  }, [x]);
  return withSoftmax({ ...v, rank: x.rank }, act, call.ref.name);
}

function dense(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const c = call.config;
  const x = call.inputs[0];
  const [h, w, cin] = env.b.shape(x);
  const units = int(c.units, 'units', say);
  const act = parseActivation(c.activation, say);
  const useBias = c.use_bias !== false;
  const [kernel, bias] = weights(env, call, say, [
    { names: ['kernel'], shape: [cin, units] },
    useBias ? { names: ['bias'], shape: [units] } : null,
  ]);
  // Dense acts on the last axis; on an H×W×C tensor (H·W > 1) that is exactly a 1×1 convolution.
  const v = h * w === 1
    ? env.b.add({
      kind: 'dense', name: call.name, shape: [1, 1, units], kernel: kernel!, kernelShape: [cin, units],
      bias, activation: act.act, epilogue: null,
    }, [x])
    : env.b.add({
      kind: 'conv2d', name: call.name, shape: [h, w, units], kernel: kernel!, kernelShape: [1, 1, cin, units],
      strides: [1, 1], dilation: [1, 1], pads: [0, 0, 0, 0], bias, activation: act.act, epilogue: null,
    }, [x]);
  return withSoftmax({ ...v, rank: x.rank }, act, call.ref.name);
}

function channelAxis(v: unknown, rank: number, key: string, say: (m: string) => never): void {
  const a = Array.isArray(v) && v.length === 1 ? v[0] : v ?? -1;
  if (typeof a !== 'number' || (a !== -1 && a !== rank - 1)) {
    say(`${key} = ${JSON.stringify(v)} is not supported; only the channel (last) axis`);
  }
}

function batchNorm(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const c = call.config;
  const x = call.inputs[0];
  channelAxis(c.axis, x.rank, 'axis', say);
  const ch = env.b.shape(x)[2];
  const eps = typeof c.epsilon === 'number' ? c.epsilon : 1e-3;
  const hasScale = c.scale !== false;
  const hasCenter = c.center !== false;
  const [gamma, beta, mean, variance] = weights(env, call, say, [
    hasScale ? { names: ['gamma'], shape: [ch] } : null,
    hasCenter ? { names: ['beta'], shape: [ch] } : null,
    { names: ['moving_mean'], shape: [ch] },
    { names: ['moving_variance'], shape: [ch] },
  ]);
  const scale = new Float32Array(ch);
  const shift = new Float32Array(ch);
  for (let i = 0; i < ch; i++) {
    const s = (gamma ? gamma[i] : 1) / Math.sqrt(variance![i] + eps);
    scale[i] = s;
    shift[i] = (beta ? beta[i] : 0) - mean![i] * s;
  }
  const v = env.b.add({ kind: 'affine', name: call.name, shape: env.b.shape(x), scale, shift, activation: { type: 'linear' } }, [x], 'batchnorm');
  return { ...v, rank: x.rank };
}

function activationNode(env: LayerEnv, call: LayerCall, act: Activation): KValue {
  const x = call.inputs[0];
  if (act.type === 'linear') return x;
  const v = env.b.add({ kind: 'activation', name: call.name, shape: env.b.shape(x), activation: act }, [x]);
  return { ...v, rank: x.rank };
}

function activationLayer(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const parsed = parseActivation(call.config.activation, say);
  if (parsed.softmax) return { ...call.inputs[0], softmax: call.ref.name };
  return activationNode(env, call, parsed.act);
}

function reluLayer(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const c = call.config;
  const max = c.max_value === null || c.max_value === undefined ? undefined : Number(c.max_value);
  const slope = Number(c.negative_slope ?? 0);
  const threshold = Number(c.threshold ?? 0);
  if (threshold !== 0) say(`threshold = ${threshold} is not supported; only 0`);
  if (max !== undefined && !(max > 0)) say(`max_value = ${max} is not supported; it must be positive`);
  if (slope !== 0 && max !== undefined) say('negative_slope together with max_value is not supported');
  if (slope < 0) say(`negative_slope = ${slope} is not supported`);
  const act: Activation = slope !== 0 ? { type: 'leakyRelu', alpha: slope } : max !== undefined ? { type: 'relu', max } : { type: 'relu' };
  return activationNode(env, call, act);
}

function leakyReluLayer(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const alpha = Number(call.config.alpha ?? call.config.negative_slope ?? 0.3);
  if (!Number.isFinite(alpha) || alpha < 0) say(`alpha = ${alpha} is not supported`);
  return activationNode(env, call, { type: 'leakyRelu', alpha });
}

function softmaxLayer(_env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  channelAxis(call.config.axis, call.inputs[0].rank, 'axis', say);
  return { ...call.inputs[0], softmax: call.ref.name };
}

function pool2d(env: LayerEnv, call: LayerCall, say: (m: string) => never, kind: 'maxPool' | 'avgPool'): KValue {
  const c = call.config;
  const x = call.inputs[0];
  const shape = env.b.shape(x);
  const k = pair(c.pool_size, 'pool_size', say, [2, 2]);
  const s = pair(c.strides, 'strides', say, k);
  const pads = windowPads(shape, k, s, [1, 1], padding(c.padding, say));
  const v = env.b.add({ kind, name: call.name, shape: windowShape(shape, k, s, [1, 1], pads, shape[2], say), pool: k, strides: s, pads }, [x]);
  return { ...v, rank: x.rank };
}

function globalPool(env: LayerEnv, call: LayerCall, _say: (m: string) => never, kind: 'maxPool' | 'avgPool'): KValue {
  const x = call.inputs[0];
  const [h, w, ch] = env.b.shape(x);
  const v = env.b.add({ kind, name: call.name, shape: [1, 1, ch], pool: [h, w], strides: [1, 1], pads: [0, 0, 0, 0] }, [x]);
  return { ...v, rank: call.config.keepdims === true ? 4 : 2 };
}

function flatten(env: LayerEnv, call: LayerCall): KValue {
  const x = call.inputs[0];
  const [h, w, c] = env.b.shape(x);
  if (h === 1 && w === 1) return { ...x, rank: 2 };
  const v = env.b.add({ kind: 'reshape', name: call.name, shape: [1, 1, h * w * c] }, [x]);
  return { ...v, rank: 2 };
}

function reshape(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const x = call.inputs[0];
  const inShape = env.b.shape(x);
  const total = inShape[0] * inShape[1] * inShape[2];
  const t = call.config.target_shape;
  if (!Array.isArray(t) || t.length < 1 || t.length > 3 || !t.every((d) => Number.isInteger(d))) {
    return say(`target_shape ${JSON.stringify(t)} is not supported; expected 1 to 3 dimensions`);
  }
  const dims = [...t] as number[];
  const unknown = dims.indexOf(-1);
  if (unknown >= 0) dims[unknown] = total / dims.reduce((a, d, i) => (i === unknown ? a : a * d), 1);
  if (dims.reduce((a, d) => a * d, 1) !== total || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    say(`target_shape ${JSON.stringify(t)} does not hold the ${total} values of its ${inShape.join('×')} input`);
  }
  const shape = [1, 1, 1, ...dims].slice(-3) as Shape3;
  const rank = dims.length + 1;
  if (shape.every((d, i) => d === inShape[i])) return { ...x, rank };
  const v = env.b.add({ kind: 'reshape', name: call.name, shape }, [x]);
  return { ...v, rank };
}

function zeroPadding(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const x = call.inputs[0];
  const p = call.config.padding ?? 1;
  let pads: Pads;
  if (typeof p === 'number') pads = [p, p, p, p];
  else if (Array.isArray(p) && p.length === 2 && p.every((q) => typeof q === 'number')) pads = [p[0], p[1], p[0], p[1]];
  else if (Array.isArray(p) && p.length === 2 && p.every((q) => Array.isArray(q) && q.length === 2)) {
    const [[t, b], [l, r]] = p as number[][];
    pads = [t, l, b, r];
  } else return say(`padding ${JSON.stringify(p)} is not supported`);
  if (!pads.every((q) => Number.isInteger(q) && q >= 0)) say(`padding ${JSON.stringify(p)} is not supported`);
  const [h, w, c] = env.b.shape(x);
  const v = env.b.add({ kind: 'pad', name: call.name, shape: [h + pads[0] + pads[2], w + pads[1] + pads[3], c], pads }, [x]);
  return { ...v, rank: x.rank };
}

function add(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const xs = call.inputs;
  if (xs.length < 2) say('it needs at least two inputs');
  const shape = env.b.shape(xs[0]);
  for (const x of xs) {
    const s = env.b.shape(x);
    if (!s.every((d, i) => d === shape[i])) say(`inputs have shapes ${xs.map((v) => env.b.shape(v).join('×')).join(' and ')}; broadcasting is not supported`);
  }
  // More than two inputs become a chain of two-input adds (the engine aligns two formats at a time).
  let acc: KValue = xs[0];
  for (let k = 1; k < xs.length; k++) {
    const name = k === xs.length - 1 ? call.name : env.b.uniqueName(`${call.name}_${k}`);
    acc = { ...env.b.add({ kind: 'add', name, shape, activation: { type: 'linear' } }, [acc, xs[k]]), rank: xs[0].rank };
  }
  return acc;
}

function concatenate(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const xs = call.inputs;
  channelAxis(call.config.axis, xs[0].rank, 'axis', say);
  const [h, w] = env.b.shape(xs[0]);
  let c = 0;
  for (const x of xs) {
    const s = env.b.shape(x);
    if (s[0] !== h || s[1] !== w) say(`inputs have different spatial sizes: ${xs.map((v) => env.b.shape(v).join('×')).join(', ')}`);
    c += s[2];
  }
  if (xs.length === 1) return xs[0];
  const v = env.b.add({ kind: 'concat', name: call.name, shape: [h, w, c] }, xs);
  return { ...v, rank: xs[0].rank };
}

function perChannel(v: unknown, ch: number, key: string, def: number, say: (m: string) => never): Float32Array {
  if (v === undefined || v === null) return new Float32Array(ch).fill(def);
  if (typeof v === 'number') return new Float32Array(ch).fill(v);
  if (Array.isArray(v) && (v.length === ch || v.length === 1) && v.every((q) => typeof q === 'number')) {
    return Float32Array.from({ length: ch }, (_, i) => v[v.length === 1 ? 0 : i]);
  }
  return say(`${key} = ${JSON.stringify(v)} is not supported; expected a number or one per channel`);
}

function rescaling(env: LayerEnv, call: LayerCall, say: (m: string) => never): KValue {
  const x = call.inputs[0];
  const shape = env.b.shape(x);
  const scale = perChannel(call.config.scale, shape[2], 'scale', 1, say);
  const shift = perChannel(call.config.offset, shape[2], 'offset', 0, say);
  const v = env.b.add({ kind: 'affine', name: call.name, shape, scale, shift, activation: { type: 'linear' } }, [x], 'rescaling');
  return { ...v, rank: x.rank };
}
