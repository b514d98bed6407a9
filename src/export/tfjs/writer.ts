// A TensorFlow.js Layers model (functional, model.json + one weights file) rebuilt from the
// graph, with every quantized parameter turned back into float32 (DESIGN.md §9): for checking
// a configuration's accuracy in an existing pipeline. Activations are not quantized in it.
//
// Mapping: conv2d → [ZeroPadding2D] Conv2D (with both strides and dilation: at stride 1, then
// a 1×1 MaxPooling2D with the strides), depthwise → [ZeroPadding2D] DepthwiseConv2D (a dilated
// kernel written out undilated),
// dense → [Flatten] Dense; a fused relu stays the layer's activation, relu with a ceiling
// becomes ReLU(max_value), leaky relu LeakyReLU; an epilogue (BatchNormalization after the
// activation) and an affine node become BatchNormalization with gamma = scale, beta = shift,
// moving mean 0, moving variance 1 and epsilon 0, which computes x·gamma + beta; pools map to
// MaxPooling2D / AveragePooling2D ('same' padding when the pads are TensorFlow's), add to Add,
// concat to Concatenate, pad to ZeroPadding2D, reshape to Flatten or Reshape.
import type { QuantConfig } from '../../core/config.ts';
import type { Activation, Graph, GraphNode } from '../../core/graph.ts';
import { samePads } from '../../core/graph.ts';
import { dequantizeTensor } from '../../core/quantize.ts';
import type { ExportFile } from '../files.ts';
import { ExportError } from '../files.ts';
import { liveNodes } from '../graph-walk.ts';
import { uniqueIdentifiers } from '../identifiers.ts';
import type { ParamSlot } from '../params.ts';
import { quantizeParam } from '../params.ts';
import { tfjsReadme } from './readme.ts';

export interface TfjsOptions {
  /** Name of the weights file (default model.weights.bin). */
  weightsFile?: string;
  /** Extra lines for the README (e.g. the preprocessing the model expects). */
  readmeNotes?: string[];
}

interface WeightSpec { name: string; shape: number[]; dtype: 'float32' }
interface LayerJson {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  inbound_nodes: Array<Array<[string, number, number, Record<string, never>]>>;
}
/** A tfjs tensor: the layer producing it and its rank (4: NHWC images, 2: flat vectors). */
interface Ref { layer: string; rank: 2 | 4 }

/** The parameter's values as the model uses them: dequantized when it has a format. */
export function effectiveValues(x: Float32Array, f: QuantConfig['nodes'][number][ParamSlot]): Float32Array {
  return f ? dequantizeTensor(quantizeParam(x, f), f) : x;
}

/** A copy of the graph whose parameters are the dequantized values of `config` (float elsewhere). */
export function dequantizedGraph(graph: Graph, config: QuantConfig): Graph {
  const nodes = graph.nodes.map((n, i): GraphNode => {
    const f = config.nodes[i] ?? {};
    switch (n.kind) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'dense':
        return {
          ...n, kernel: effectiveValues(n.kernel, f.weights), bias: n.bias ? effectiveValues(n.bias, f.bias) : null,
          epilogue: n.epilogue ? { scale: effectiveValues(n.epilogue.scale, f.scale), shift: effectiveValues(n.epilogue.shift, f.shift) } : null,
        } as GraphNode;
      case 'affine':
        return { ...n, scale: effectiveValues(n.scale, f.weights), shift: effectiveValues(n.shift, f.bias) };
      default:
        return n;
    }
  });
  return { ...graph, nodes };
}

/** [kh, kw, cin, m] dilated by [dh, dw] → the equivalent undilated kernel with zero taps between. */
function undilateKernel(k: Float32Array, [kh, kw, cin, m]: readonly number[], [dh, dw]: readonly number[]): { values: Float32Array; shape: number[] } {
  const eh = (kh - 1) * dh + 1, ew = (kw - 1) * dw + 1;
  const out = new Float32Array(eh * ew * cin * m);
  const inner = cin * m;
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out.set(k.subarray((y * kw + x) * inner, (y * kw + x + 1) * inner), (y * dh * ew + x * dw) * inner);
  }
  return { values: out, shape: [eh, ew, cin, m] };
}

const isPadded = (p: readonly number[]) => p.some((v) => v !== 0);
const tfPadding = (p: readonly number[]) => [[p[0], p[2]], [p[1], p[3]]];

class Builder {
  readonly layers: LayerJson[] = [];
  readonly specs: WeightSpec[] = [];
  readonly data: Float32Array[] = [];

  add(className: string, name: string, inputs: Ref[], config: Record<string, unknown>): string {
    this.layers.push({
      class_name: className, name, config: { name, trainable: false, ...config },
      inbound_nodes: inputs.length ? [inputs.map((r) => [r.layer, 0, 0, {}] as [string, number, number, Record<string, never>])] : [],
    });
    return name;
  }

  weight(layer: string, weight: string, shape: number[], values: Float32Array): void {
    this.specs.push({ name: `${layer}/${weight}`, shape, dtype: 'float32' });
    this.data.push(values);
  }

  toRank(r: Ref, rank: 2 | 4, name: string, shape4: number[]): Ref {
    if (r.rank === rank) return r;
    if (rank === 2) return { layer: this.add('Flatten', name, [r], { data_format: 'channels_last' }), rank: 2 };
    return { layer: this.add('Reshape', name, [r], { target_shape: shape4 }), rank: 4 };
  }

  /** An activation that the previous layer could not take as its own. */
  activation(a: Activation, name: string, r: Ref): Ref {
    if (a.type === 'linear') return r;
    if (a.type === 'relu') return { layer: this.add('ReLU', name, [r], { max_value: a.max !== undefined && Number.isFinite(a.max) ? a.max : null }), rank: r.rank };
    return { layer: this.add('LeakyReLU', name, [r], { alpha: a.alpha }), rank: r.rank };
  }

  /** x·gamma + beta per channel, as BatchNormalization with mean 0, variance 1, epsilon 0. */
  scaleShift(name: string, r: Ref, scale: Float32Array, shift: Float32Array): Ref {
    const layer = this.add('BatchNormalization', name, [r], { axis: -1, momentum: 0.99, epsilon: 0, center: true, scale: true });
    const c = scale.length;
    this.weight(layer, 'gamma', [c], scale);
    this.weight(layer, 'beta', [c], shift);
    this.weight(layer, 'moving_mean', [c], new Float32Array(c));
    this.weight(layer, 'moving_variance', [c], new Float32Array(c).fill(1));
    return { layer, rank: r.rank };
  }
}

/** Whether a fused activation can be the layer's own `activation` string. */
const simpleActivation = (a: Activation): 'linear' | 'relu' | null =>
  a.type === 'linear' ? 'linear' : a.type === 'relu' && (a.max === undefined || !Number.isFinite(a.max)) ? 'relu' : null;

export function writeTfjs(graph: Graph, config: QuantConfig, o: TfjsOptions = {}): ExportFile[] {
  const weightsFile = o.weightsFile ?? 'model.weights.bin';
  const g = dequantizedGraph(graph, config);
  const live = liveNodes(g);
  const ids = uniqueIdentifiers(g.nodes.map((n) => n.name), { fallback: 'layer', maxLength: 48 });
  const b = new Builder();
  const refs: Ref[] = [];
  const fail = (i: number, why: string): never => { throw new ExportError(`the TensorFlow.js export cannot represent layer ${g.nodes[i].name}: ${why}`); };
  // Helper layers are named <id>__<role>; sanitised ids never contain "__", so names stay unique.
  g.nodes.forEach((n, i) => {
    if (!live[i]) return;
    const id = ids[i];
    const input = (k = 0) => refs[n.inputs[k]];
    const shape4 = (k = 0) => [...g.nodes[n.inputs[k]].shape];
    switch (n.kind) {
      case 'input':
        refs[i] = { layer: b.add('InputLayer', id, [], { batch_input_shape: [null, ...n.shape], dtype: 'float32', sparse: false }), rank: 4 };
        return;
      case 'conv2d':
      case 'depthwiseConv2d': {
        let r = b.toRank(input(), 4, `${id}__reshape`, shape4());
        if (isPadded(n.pads)) r = { layer: b.add('ZeroPadding2D', `${id}__pad`, [r], { padding: tfPadding(n.pads), data_format: 'channels_last' }), rank: 4 };
        const simple = simpleActivation(n.activation);
        // TensorFlow.js's DepthwiseConv2D layer ignores dilation_rate: a dilated depthwise kernel
        // is written out undilated, with zeros between its taps (the same sums).
        const undilate = n.kind === 'depthwiseConv2d' && n.dilation.some((d) => d > 1);
        const kernel = undilate ? undilateKernel(n.kernel, n.kernelShape, n.dilation) : { values: n.kernel, shape: [...n.kernelShape] };
        const dilation = undilate ? [1, 1] : [...n.dilation];
        const [kh, kw, , m] = kernel.shape;
        // TensorFlow.js convolutions take strides or dilation, not both: a dilated convolution
        // with strides runs at stride 1 and is then subsampled by a 1×1 max-pool with the strides.
        const subsample = n.strides.some((s) => s > 1) && dilation.some((d) => d > 1);
        const common = {
          kernel_size: [kh, kw], strides: subsample ? [1, 1] : [...n.strides], padding: 'valid', data_format: 'channels_last',
          dilation_rate: dilation, activation: simple ?? 'linear', use_bias: n.bias !== null,
        };
        const layer = n.kind === 'conv2d'
          ? b.add('Conv2D', id, [r], { filters: m, ...common })
          : b.add('DepthwiseConv2D', id, [r], { depth_multiplier: m, ...common });
        b.weight(layer, n.kind === 'conv2d' ? 'kernel' : 'depthwise_kernel', kernel.shape, kernel.values);
        if (n.bias) b.weight(layer, 'bias', [n.bias.length], n.bias);
        r = { layer, rank: 4 };
        if (subsample) {
          r = { layer: b.add('MaxPooling2D', `${id}__stride`, [r], { pool_size: [1, 1], strides: [...n.strides], padding: 'valid', data_format: 'channels_last' }), rank: 4 };
        }
        if (!simple) r = b.activation(n.activation, `${id}__act`, r);
        refs[i] = n.epilogue ? b.scaleShift(`${id}__bn`, r, n.epilogue.scale, n.epilogue.shift) : r;
        return;
      }
      case 'dense': {
        const r0 = b.toRank(input(), 2, `${id}__flatten`, shape4());
        const simple = simpleActivation(n.activation);
        const layer = b.add('Dense', id, [r0], { units: n.kernelShape[1], activation: simple ?? 'linear', use_bias: n.bias !== null });
        b.weight(layer, 'kernel', [...n.kernelShape], n.kernel);
        if (n.bias) b.weight(layer, 'bias', [n.bias.length], n.bias);
        let r: Ref = { layer, rank: 2 };
        if (!simple) r = b.activation(n.activation, `${id}__act`, r);
        refs[i] = n.epilogue ? b.scaleShift(`${id}__bn`, r, n.epilogue.scale, n.epilogue.shift) : r;
        return;
      }
      case 'affine':
        refs[i] = b.activation(n.activation, `${id}__act`, b.scaleShift(id, input(), n.scale, n.shift));
        return;
      case 'maxPool':
      case 'avgPool': {
        const r = b.toRank(input(), 4, `${id}__reshape`, shape4());
        const [ih, iw] = shape4();
        let padding = 'valid';
        if (isPadded(n.pads)) {
          const [t, bt] = samePads(ih, n.pool[0], n.strides[0], 1);
          const [l, rt] = samePads(iw, n.pool[1], n.strides[1], 1);
          if (n.pads[0] !== t || n.pads[2] !== bt || n.pads[1] !== l || n.pads[3] !== rt) fail(i, `pooling with pads ${n.pads.join(',')} is neither 'valid' nor TensorFlow's 'same'`);
          padding = 'same';
        }
        const cls = n.kind === 'maxPool' ? 'MaxPooling2D' : 'AveragePooling2D';
        refs[i] = { layer: b.add(cls, id, [r], { pool_size: [...n.pool], strides: [...n.strides], padding, data_format: 'channels_last' }), rank: 4 };
        return;
      }
      case 'add':
      case 'concat': {
        const rank = n.inputs.some((p) => refs[p].rank === 4) ? 4 : 2;
        const ins = n.inputs.map((_, k) => b.toRank(input(k), rank, `${id}__in${k}`, shape4(k)));
        const r: Ref = n.kind === 'add'
          ? { layer: b.add('Add', id, ins, {}), rank }
          : { layer: b.add('Concatenate', id, ins, { axis: -1 }), rank };
        refs[i] = n.kind === 'add' ? b.activation(n.activation, `${id}__act`, r) : r;
        return;
      }
      case 'pad': {
        const r = b.toRank(input(), 4, `${id}__reshape`, shape4());
        refs[i] = { layer: b.add('ZeroPadding2D', id, [r], { padding: tfPadding(n.pads), data_format: 'channels_last' }), rank: 4 };
        return;
      }
      case 'activation':
        refs[i] = n.activation.type === 'linear' ? input() : b.activation(n.activation, id, input());
        return;
      case 'reshape': {
        const [h, w] = n.shape;
        refs[i] = h === 1 && w === 1
          ? b.toRank(input(), 2, id, [])
          : { layer: b.add('Reshape', id, [input()], { target_shape: [...n.shape] }), rank: 4 };
        return;
      }
    }
  });
  // Predictions come out as [batch, outputs] like the graph's logits.
  const out = b.toRank(refs[g.output], 2, `${ids[g.output]}__output`, []);
  const modelName = uniqueIdentifiers([graph.name], { fallback: 'model', maxLength: 48 })[0];
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'Fixpoint',
    convertedBy: null,
    modelTopology: {
      class_name: 'Model',
      config: {
        name: modelName,
        layers: b.layers,
        input_layers: [[refs[0].layer, 0, 0]],
        output_layers: [[out.layer, 0, 0]],
      },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [weightsFile], weights: b.specs }],
  };
  const total = b.data.reduce((s, d) => s + d.length, 0);
  const bin = new Float32Array(total);
  let at = 0;
  for (const d of b.data) {
    bin.set(d, at);
    at += d.length;
  }
  const bytes = new Uint8Array(bin.buffer);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    // tfjs weight files are little-endian; swap on a big-endian host.
    for (let k = 0; k < bytes.length; k += 4) bytes.subarray(k, k + 4).reverse();
  }
  return [
    { name: 'model.json', data: `${JSON.stringify(modelJson, null, 1)}\n` },
    { name: weightsFile, data: bytes },
    { name: 'README.md', data: tfjsReadme({ model: modelName, graph, config, live, ids, notes: o.readmeNotes ?? [] }) },
  ];
}
