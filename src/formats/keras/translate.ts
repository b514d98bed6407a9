// Keras model JSON (Sequential, Functional/Model, nested models, Keras 2 and Keras 3 spellings)
// → Graph. Nested models are flattened: their layers join the outer graph directly.
import type { Graph, Shape3 } from '../../core/graph.ts';
import { optimizeGraph, pruneGraph } from '../graph-passes.ts';
import type { ModelOptions } from '../types.ts';
import { GraphBuilder } from './builder.ts';
import type { KValue, LayerEnv } from './layers.ts';
import { translateLayer } from './layers.ts';
import type { LayerRef, WeightStore } from './weights.ts';

type Json = Record<string, unknown>;

export interface KerasSource {
  /** The model's JSON: `{class_name, config}` (a Keras model_config). */
  topology: unknown;
  store: WeightStore;
  /** Builds the format's own error type. */
  makeError(message: string): Error;
  /** Graph name when the model names itself generically. */
  name?: string;
}

const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keras 3's naming.to_snake_case, which names layers in its weight files. */
export function snakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

interface TensorRef { layer: string; node: number; tensor: number }

/** Keras 2 / TensorFlow.js inbound node: [[name, node, tensor, kwargs?], …]; Keras 3: {args, kwargs}. */
function inboundRefs(node: unknown): TensorRef[] {
  const refs: TensorRef[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      if (v.length >= 3 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number') {
        refs.push({ layer: v[0], node: v[1], tensor: v[2] });
      } else v.forEach(visit);
    } else if (isObj(v)) {
      if (v.class_name === '__keras_tensor__' && isObj(v.config) && Array.isArray(v.config.keras_history)) {
        const [layer, n, t] = v.config.keras_history as [string, number, number];
        refs.push({ layer, node: n, tensor: t });
      } else if ('args' in v) visit(v.args);
    }
  };
  visit(node);
  return refs;
}

/** input_layers / output_layers: a list of [name, node, tensor], or one such triple (Keras 3). */
function refList(v: unknown): TensorRef[] {
  if (!Array.isArray(v)) return [];
  if (v.length >= 3 && typeof v[0] === 'string') return [{ layer: v[0], node: v[1] as number, tensor: v[2] as number }];
  return v.filter(Array.isArray).map((r) => ({ layer: r[0] as string, node: r[1] as number, tensor: r[2] as number }));
}

export function kerasToGraph(src: KerasSource, options: ModelOptions = {}): Graph {
  const fail = (message: string): never => {
    throw src.makeError(message);
  };
  const b = new GraphBuilder(fail);
  const env: LayerEnv = { b, store: src.store, fail };
  const byName = new Map<string, KValue>();

  const topo = untuple(src.topology);
  if (!isObj(topo) || typeof topo.class_name !== 'string') {
    return fail('the model description has no class_name: it is not a Keras model configuration');
  }
  if (!MODEL_CLASSES.has(topo.class_name)) {
    fail(`the top-level model has class ${topo.class_name}; expected Sequential or a Functional model (Model)`);
  }

  const makeInput = (name: string, cfg: Json | undefined, fallback?: unknown): KValue => {
    const dims = inputDims(cfg, fallback);
    if (!dims) return fail(`input ${name} has no known shape (batch_input_shape / batch_shape missing)`);
    if (dims.some((d) => !(Number.isInteger(d) && (d as number) > 0))) {
      fail(`input ${name} has shape [${dims.map((d) => d ?? 'None').join(', ')}]; every dimension but the batch must be fixed`);
    }
    const d = dims as number[];
    if (d.length > 3 || d.length < 1) fail(`input ${name} has ${d.length} dimensions; expected an image H×W×C (or H×W, or a vector)`);
    const shape = (d.length === 3 ? d : d.length === 2 ? [d[0], d[1], 1] : [1, 1, d[0]]) as Shape3;
    const v = b.add({ kind: 'input', name: b.uniqueName(name), shape }, []);
    return { ...v, rank: d.length + 1 };
  };

  const leaf = (ref: LayerRef, config: Json, inputs: KValue[], callIndex: number): KValue => {
    const name = b.uniqueName(callIndex > 0 ? `${ref.name}_${callIndex}` : ref.name, ref.scope);
    const out = translateLayer(env, { ref, config, inputs, name });
    byName.set(ref.name, out);
    return out;
  };

  /** Keras 3 names each layer in its weight file by class, numbered in the model's layer order. */
  const savingPaths = (layers: Json[], modelPath: string): string[] => {
    const used = new Map<string, number>();
    return layers.map((l) => {
      let n = snakeCase(String(l.class_name));
      const k = used.get(n);
      used.set(n, k === undefined ? 0 : k + 1);
      if (k !== undefined) n = `${n}_${k + 1}`;
      return modelPath ? `${modelPath}/layers/${n}` : `layers/${n}`;
    });
  };

  const expand = (model: Json, scope: string[], path: string, inbound: KValue[] | null): { outputs: KValue[]; names: string[] } => {
    const cfg = model.config;
    const layers = (Array.isArray(cfg) ? cfg : isObj(cfg) ? cfg.layers : undefined) as Json[] | undefined;
    if (!Array.isArray(layers) || !layers.every(isObj)) {
      return fail(`model ${scope.join('/') || '(top)'} has no layer list in its configuration`);
    }
    const modelName = String((isObj(cfg) ? cfg.name : undefined) ?? model.name ?? 'model');
    const paths = savingPaths(layers, path);
    const layerName = (l: Json) => String((isObj(l.config) ? l.config.name : undefined) ?? l.name);
    const refOf = (l: Json, i: number): LayerRef => ({ name: layerName(l), className: String(l.class_name), scope, path: paths[i] });

    if (model.class_name === 'Sequential' || Array.isArray(cfg)) {
      let cur: KValue | null = inbound ? inbound[0] : null;
      let last = modelName;
      layers.forEach((l, i) => {
        const lc = (isObj(l.config) ? l.config : {}) as Json;
        const name = layerName(l);
        if (l.class_name === 'InputLayer') {
          if (!cur) cur = makeInput(name, lc);
          return;
        }
        if (MODEL_CLASSES.has(String(l.class_name))) {
          // A nested model as the first layer brings its own input.
          cur = expand(l, [...scope, name], paths[i], cur ? [cur] : null).outputs[0];
          byName.set(name, cur);
        } else {
          if (!cur) {
            const fallback = (isObj(cfg) ? cfg.build_input_shape : undefined) ?? (isObj(l.build_config) ? l.build_config.input_shape : undefined);
            cur = makeInput(`${name}_input`, lc, fallback);
          }
          cur = leaf(refOf(l, i), lc, [cur], 0);
        }
        last = name;
      });
      if (!cur) return fail(`model ${modelName} has no layers`);
      return { outputs: [cur], names: [last] };
    }

    // Functional: layers connected by inbound_nodes, translated as soon as their inputs exist.
    const tensors = new Map<string, KValue>();
    const key = (r: TensorRef) => `${r.layer}|${r.node}|${r.tensor}`;
    const inputRefs = refList(cfg && (cfg as Json).input_layers);
    const outputRefs = refList(cfg && (cfg as Json).output_layers);
    if (inbound && inbound.length !== inputRefs.length) {
      fail(`nested model ${modelName} takes ${inputRefs.length} inputs but is called with ${inbound.length}`);
    }
    inputRefs.forEach((r, i) => {
      const l = layers.find((x) => layerName(x) === r.layer);
      if (!l) fail(`model ${modelName} names input ${r.layer}, which is not among its layers`);
      tensors.set(key(r), inbound ? inbound[i] : makeInput(r.layer, l!.config as Json));
    });
    interface Pending { layer: Json; index: number; node: number; refs: TensorRef[] }
    let pending: Pending[] = [];
    layers.forEach((l, index) => {
      if (l.class_name === 'InputLayer') return;
      const nodes = Array.isArray(l.inbound_nodes) ? l.inbound_nodes : [];
      nodes.forEach((n, node) => pending.push({ layer: l, index, node, refs: inboundRefs(n) }));
    });
    // TensorFlow.js numbers a nested model's calls counting the call that built it (Keras 2
    // renumbers them): a reference to call k of a model may mean the model's call k - 1.
    const modelLayers = new Set(layers.filter((l) => MODEL_CLASSES.has(String(l.class_name))).map(layerName));
    const lookup = (r: TensorRef): KValue | undefined =>
      tensors.get(key(r)) ?? (modelLayers.has(r.layer) && r.node > 0 ? tensors.get(key({ ...r, node: r.node - 1 })) : undefined);
    while (pending.length) {
      const ready = pending.filter((p) => p.refs.every((r) => lookup(r) !== undefined));
      if (ready.length === 0) {
        const p = pending[0];
        const missing = p.refs.find((r) => lookup(r) === undefined)!;
        return fail(`layer ${layerName(p.layer)} reads ${missing?.layer ?? '(nothing)'}, which no layer of model ${modelName} produces`);
      }
      for (const p of ready) {
        const inputs = p.refs.map((r) => lookup(r)!);
        const name = layerName(p.layer);
        const cls = String(p.layer.class_name);
        if (MODEL_CLASSES.has(cls)) {
          const suffix = p.node > 0 ? `_${p.node}` : '';
          const out = expand(p.layer, [...scope, name + suffix], paths[p.index], inputs).outputs;
          out.forEach((v, t) => tensors.set(key({ layer: name, node: p.node, tensor: t }), v));
          byName.set(name, out[out.length - 1]);
        } else {
          tensors.set(key({ layer: name, node: p.node, tensor: 0 }), leaf(refOf(p.layer, p.index), (p.layer.config ?? {}) as Json, inputs, p.node));
        }
      }
      pending = pending.filter((p) => !ready.includes(p));
    }
    const outputs = outputRefs.map((r) => lookup(r) ?? fail(`model ${modelName} declares output ${r.layer}, which is never computed`));
    if (outputs.length === 0) fail(`model ${modelName} declares no outputs`);
    return { outputs, names: outputRefs.map((r) => r.layer) };
  };

  const { outputs, names } = expand(topo, [], '', null);

  // Which output is the answer.
  let chosen = outputs.length - 1;
  let value: KValue | undefined;
  const wanted = options.output;
  if (typeof wanted === 'number') {
    if (!Number.isInteger(wanted) || wanted < 0 || wanted >= outputs.length) {
      fail(`output ${wanted} does not exist: the model has ${outputs.length} output(s): ${names.join(', ')}`);
    }
    chosen = wanted;
  } else if (typeof wanted === 'string') {
    const i = names.indexOf(wanted);
    if (i >= 0) chosen = i;
    else {
      value = byName.get(wanted);
      if (!value) fail(`no output or layer named ${wanted}; outputs: ${names.join(', ')}`);
    }
  }
  if (!value) value = outputs[chosen];
  if (outputs.length > 1 && wanted === undefined) {
    b.notes.push(`the model has ${outputs.length} outputs (${names.join(', ')}); using the last, ${names[chosen]}`);
  }
  if (value.softmax) b.notes.push(`dropped the final softmax (${value.softmax}): top-1 is unchanged`);

  const graph: Graph = {
    name: src.name ?? String((isObj(topo.config) && topo.config.name) || 'model'),
    nodes: b.nodes,
    output: value.node,
    notes: b.notes,
  };
  const dropped = pruneGraph(graph);
  if (dropped.some((n) => n.kind !== 'input' && n.kind !== 'activation')) {
    graph.notes.push(`ignored ${dropped.length} node(s) that do not lead to the chosen output`);
  }
  const inputs = graph.nodes.filter((n) => n.kind === 'input');
  if (inputs.length !== 1) fail(`the model has ${inputs.length} inputs (${inputs.map((n) => n.name).join(', ')}); only single-input models are supported`);
  if (graph.nodes.length < 2) fail('the model computes nothing: its output is its input');
  return optimizeGraph(graph, b.origin);
}

/** tf.keras's JSON encoder may spell tuples and shapes as {class_name: '__tuple__' | 'TensorShape', items}. */
function untuple(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(untuple);
  if (!isObj(v)) return v;
  if ((v.class_name === '__tuple__' || v.class_name === 'TensorShape') && Array.isArray(v.items)) return v.items.map(untuple);
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = untuple(x);
  return out;
}

/** Dimensions after the batch axis from an input layer's (or first layer's) config. */
function inputDims(cfg: Json | undefined, fallback?: unknown): (number | null)[] | null {
  const c = cfg ?? {};
  const batch = c.batch_input_shape ?? c.batch_shape ?? c.batchInputShape;
  if (Array.isArray(batch)) return batch.slice(1) as (number | null)[];
  const shape = c.input_shape ?? c.inputShape;
  if (Array.isArray(shape)) return shape as (number | null)[];
  if (Array.isArray(fallback)) return fallback.slice(1) as (number | null)[];
  return null;
}
