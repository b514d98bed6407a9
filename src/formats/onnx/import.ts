// ONNX ModelProto → our Graph: check the opset, read initializers, pick the image input, walk
// the nodes in topological order through the op handlers, then keep only what the output needs.
import type { Graph, GraphNode } from '../../core/graph.ts';
import { GraphBuilder } from './builder.ts';
import type { ImportState } from './context.ts';
import { OpContext } from './context.ts';
import { OnnxFormatError, dimsText } from './errors.ts';
import { convOps } from './ops-conv.ts';
import { layoutOps } from './ops-layout.ts';
import { mathOps } from './ops-math.ts';
import type { ModelProto, NodeProto, ValueInfoProto } from './proto.ts';
import { Attrs, checkFinite, decodeModel, num, tensorValues } from './proto.ts';
import type { Value } from './values.ts';
import { materialize } from './values.ts';

export const MIN_OPSET = 7;
export const MAX_OPSET = 21;

// A Map, so an op named `constructor` or `__proto__` is looked up as data, never as a property.
const handlers = new Map(Object.entries({ ...convOps, ...mathOps, ...layoutOps }));
export const SUPPORTED_OPS: readonly string[] = [...handlers.keys()].sort();

/** Ops through which a value reaches the output unchanged in order (a Softmax before them is final). */
const passOps = new Set(['Identity', 'Dropout', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Cast']);

export function onnxToGraph(data: Uint8Array, fileName: string): Graph {
  const model = decodeModel(data, fileName);
  return modelToGraph(model, fileName.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, ''));
}

export function modelToGraph(model: ModelProto, name: string): Graph {
  const opsets = new Map<string, number>();
  for (const o of model.opsetImport ?? []) opsets.set(o.domain === 'ai.onnx' ? '' : (o.domain ?? ''), num(o.version));
  const opset = opsets.get('');
  if (opset === undefined) throw new OnnxFormatError(`ONNX model "${name}" declares no opset for the standard ONNX operators.`);
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxFormatError(`ONNX model "${name}" uses opset ${opset}; Fixpoint reads opsets ${MIN_OPSET} to ${MAX_OPSET}. Re-export it with an opset in that range.`);
  }
  const g = model.graph!;
  const values = new Map<string, Value>();
  for (const t of g.initializer ?? []) {
    const what = `initializer "${t.name}"`;
    const v = tensorValues(t, what);
    checkFinite(v, what);
    values.set(t.name ?? '', { kind: 'const', dims: v.dims, data: v.data, float: v.float });
  }
  const nodes = topoSort(g.node ?? []);
  const uses = new Map<string, number>();
  for (const n of nodes) for (const i of n.input ?? []) if (i) uses.set(i, (uses.get(i) ?? 0) + 1);
  const outputNames = (g.output ?? []).map((o) => o.name ?? '');
  if (outputNames.length === 0) throw new OnnxFormatError(`ONNX model "${name}" declares no graph output.`);
  const outputs = new Set(outputNames);

  const inputs = (g.input ?? []).filter((i) => !values.has(i.name ?? ''));
  const listedInits = (g.input ?? []).length - inputs.length;
  if (inputs.length === 0) throw new OnnxFormatError(`ONNX model "${name}" has no image input (every graph input is an initializer).`);
  const builder = new GraphBuilder(uses, outputs);
  const st: ImportState = {
    values, builder, unbound: new Set(inputs.slice(1).map((i) => i.name ?? '')), final: finalTensors(nodes, outputs),
    outputUsed: (t) => uses.has(t) || outputs.has(t),
  };
  addInput(inputs[0], nodes, st);
  if (listedInits > 0) {
    builder.notes.push(`${listedInits} initializer${listedInits > 1 ? 's are' : ' is'} also listed as graph input${listedInits > 1 ? 's' : ''} (older exporters do this); treated as constants.`);
  }

  nodes.forEach((node, index) => {
    const domain = node.domain === 'ai.onnx' ? '' : (node.domain ?? '');
    const version = opsets.get(domain) ?? opset;
    const op = domain ? `${domain}.${node.opType}` : (node.opType ?? '');
    const handler = domain ? undefined : handlers.get(op);
    const ctx = new OpContext({ ...node, opType: op }, version, new Attrs(node), st, index);
    if (!handler) throw new OnnxFormatError(`${ctx.label} is not supported. Supported ops: ${SUPPORTED_OPS.join(', ')}.`);
    handler(ctx);
  });

  const outName = outputNames[0];
  if (outputNames.length > 1) builder.notes.push(`The model has ${outputNames.length} outputs; Fixpoint uses the first, "${outName}".`);
  const out = values.get(outName);
  if (!out) throw new OnnxFormatError(`ONNX graph output "${outName}" is not produced by any node.`);
  if (out.kind !== 'act') throw new OnnxFormatError(`ONNX graph output "${outName}" is a constant; it does not depend on the image.`);
  if (materialize(out.dims, out.perm)) {
    throw new OnnxFormatError(`ONNX graph output "${outName}" is a ${dimsText(out.dims)} NCHW feature map; Fixpoint expects a vector of class scores.`);
  }
  return prune({ name: name || g.name || 'onnx-model', nodes: builder.nodes, output: out.node, notes: builder.notes });
}

function addInput(input: ValueInfoProto, nodes: NodeProto[], st: ImportState): void {
  const name = input.name ?? 'input';
  const dimProtos = input.type?.tensorType?.shape?.dim;
  const dims = (dimProtos ?? []).map((d) => (d.dimParam ? -1 : num(d.dimValue)));
  const text = (dimProtos ?? []).map((d, i) => (d.dimParam || dims[i] <= 0 ? (i === 0 ? 'N' : '?') : String(dims[i]))).join('×');
  if (!dimProtos || dims.length !== 4) {
    throw new OnnxFormatError(`ONNX graph input "${name}" has shape ${text || 'unknown'}; Fixpoint needs an image tensor N×C×H×W (or N×H×W×C).`);
  }
  if (dims.slice(1).some((d) => d <= 0)) throw new OnnxFormatError(`ONNX graph input "${name}" has shape ${text}; its channels, height and width must be fixed numbers.`);
  if (dims[0] > 1) throw new OnnxFormatError(`ONNX graph input "${name}" has a fixed batch of ${dims[0]} (${text}); re-export it with batch 1 or a dynamic batch.`);
  // Channels-last exports (tf2onnx) start with a Transpose of the NHWC input to NCHW.
  const readers = nodes.filter((n) => (n.input ?? []).includes(name));
  const channelsLast = readers.length > 0 && readers.every((n) => n.opType === 'Transpose' && new Attrs(n).ints('perm')?.join(',') === '0,3,1,2');
  const b = st.builder;
  if (channelsLast) {
    const [, h, w, c] = dims;
    st.values.set(name, b.emit({ kind: 'input', name: b.uniqueName(name), inputs: [], shape: [h, w, c] }, name, [1, h, w, c], null));
    b.notes.push(`input "${name}" NHWC ${text} is channels-last already; its Transpose to NCHW is only a relabelling.`);
  } else {
    const [, c, h, w] = dims;
    st.values.set(name, b.emit({ kind: 'input', name: b.uniqueName(name), inputs: [], shape: [h, w, c] }, name, [1, c, h, w], 'nchw'));
    b.notes.push(`input "${name}" NCHW ${text} transposed to NHWC ${h}×${w}×${c}.`);
  }
}

/** Nodes in dependency order (ONNX requires it, but not every writer obeys), stable otherwise. */
function topoSort(nodes: NodeProto[]): NodeProto[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => (n.output ?? []).forEach((o) => o && producer.set(o, i)));
  const done = new Array<boolean>(nodes.length).fill(false);
  const out: NodeProto[] = [];
  let progress = true;
  while (out.length < nodes.length && progress) {
    progress = false;
    nodes.forEach((n, i) => {
      if (done[i]) return;
      const ready = (n.input ?? []).every((t) => {
        const p = producer.get(t);
        return p === undefined || p === i || done[p];
      });
      if (ready) { done[i] = true; out.push(n); progress = true; }
    });
  }
  if (out.length < nodes.length) {
    const stuck = nodes.find((_, i) => !done[i]);
    throw new OnnxFormatError(`ONNX graph has a cycle through node "${stuck?.name || stuck?.output?.[0]}"; it is not a feed-forward network.`);
  }
  return out;
}

function finalTensors(nodes: NodeProto[], outputs: Set<string>): Set<string> {
  const final = new Set(outputs);
  const readers = new Map<string, NodeProto[]>();
  for (const n of nodes) for (const t of n.input ?? []) if (t) readers.set(t, [...(readers.get(t) ?? []), n]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    for (const t of nodes[i].output ?? []) {
      const rs = readers.get(t) ?? [];
      if (rs.length > 0 && rs.every((r) => passOps.has(r.opType ?? '') && r.input?.[0] === t && final.has(r.output?.[0] ?? ''))) final.add(t);
    }
  }
  return final;
}

/** Drops nodes the output does not need (shape plumbing, unused branches); keeps the input first. */
function prune(g: Graph): Graph {
  const keep = new Array<boolean>(g.nodes.length).fill(false);
  keep[0] = true;
  const stack = [g.output];
  while (stack.length) {
    const i = stack.pop()!;
    if (keep[i] && i !== 0) continue;
    keep[i] = true;
    stack.push(...g.nodes[i].inputs);
  }
  const index = new Map<number, number>();
  const nodes: GraphNode[] = [];
  g.nodes.forEach((n, i) => {
    if (!keep[i]) return;
    index.set(i, nodes.length);
    nodes.push({ ...n, inputs: n.inputs.map((p) => index.get(p)!) });
  });
  return { ...g, nodes, output: index.get(g.output)! };
}
