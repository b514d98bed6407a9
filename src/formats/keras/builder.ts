// Accumulates graph nodes while a Keras model is walked. A Value is one Keras tensor: the node
// that produces it, plus whether a softmax was applied on top (dropped only when it is the
// network's answer; anything consuming a softmax is refused).
import type { GraphNode, Shape3 } from '../../core/graph.ts';
import type { NodeOrigin } from '../graph-passes.ts';

export interface Value {
  node: number;
  /** Name of the layer whose softmax this tensor carries. */
  softmax?: string;
}

/** A node without its `inputs`, which the builder fills from the Values it is given. */
export type NodeSpec = GraphNode extends infer N ? (N extends GraphNode ? Omit<N, 'inputs'> : never) : never;

export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly origin = new Map<GraphNode, NodeOrigin>();
  readonly notes: string[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly fail: (message: string) => never) {}

  shape(v: Value): Shape3 {
    return this.nodes[v.node].shape;
  }

  /** A name not used yet: the layer's own, else prefixed by its nested model, else numbered. */
  uniqueName(name: string, scope: string[] = []): string {
    let n = name;
    if (this.names.has(n) && scope.length) n = `${scope.join('/')}/${name}`;
    for (let k = 1; this.names.has(n); k++) n = `${name}_${k}`;
    this.names.add(n);
    return n;
  }

  add(spec: NodeSpec, inputs: Value[], origin?: NodeOrigin): Value {
    for (const v of inputs) {
      if (v.softmax) {
        this.fail(`layer ${spec.name} takes the output of softmax ${v.softmax}; a softmax is only supported as the network's final layer`);
      }
    }
    const node = { ...spec, inputs: inputs.map((v) => v.node) } as GraphNode;
    this.nodes.push(node);
    if (origin) this.origin.set(node, origin);
    return { node: this.nodes.length - 1 };
  }
}
