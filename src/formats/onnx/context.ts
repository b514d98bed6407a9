// What an op handler sees of one ONNX node: its inputs as values, its attributes, the graph
// being built, and a `fail` that names the node, its op and the opset in the error.
import type { GraphBuilder } from './builder.ts';
import { OnnxFormatError, dimsText } from './errors.ts';
import type { Attrs, NodeProto } from './proto.ts';
import type { ActValue, ConstValue, Value } from './values.ts';

export interface ImportState {
  values: Map<string, Value>;
  /** Graph inputs that have no initializer, besides the image input. */
  unbound: Set<string>;
  /** Tensors whose value only flows, through layout ops, to the graph output. */
  final: Set<string>;
  builder: GraphBuilder;
  /** Whether any node reads the tensor or it is a graph output. */
  outputUsed(name: string): boolean;
}

export class OpContext {
  readonly op: string;
  readonly label: string;
  /** Base for names of nodes this op emits. */
  readonly name: string;

  constructor(readonly node: NodeProto, readonly opset: number, readonly attrs: Attrs, private readonly st: ImportState, index: number) {
    this.op = node.opType ?? '';
    this.name = node.name || node.output?.[0] || `node_${index}`;
    this.label = `ONNX node "${this.name}" (op ${this.op}, opset ${opset})`;
  }

  get b(): GraphBuilder { return this.st.builder; }

  fail(message: string): never {
    throw new OnnxFormatError(`${this.label}: ${message}`);
  }

  inputName(i: number): string {
    return this.node.input?.[i] ?? '';
  }

  get inputCount(): number {
    return this.node.input?.length ?? 0;
  }

  /** The value of input i, or undefined when the optional input is absent. */
  input(i: number): Value | undefined {
    const name = this.inputName(i);
    if (!name) return undefined;
    const v = this.st.values.get(name);
    if (v) return v;
    if (this.st.unbound.has(name)) {
      this.fail(`input "${name}" is a graph input without an initializer. Fixpoint needs the weights stored in the file (is an initializer missing?).`);
    }
    return this.fail(`input "${name}" is not defined: no initializer, Constant node, graph input or earlier node provides it.`);
  }

  act(i: number, role = 'data'): ActValue {
    const v = this.input(i);
    if (!v) return this.fail(`the ${role} input is missing.`);
    if (v.kind !== 'act') return this.fail(`the ${role} input "${this.inputName(i)}" is a constant; Fixpoint expects it to come from the image.`);
    return v;
  }

  constant(i: number, role: string): ConstValue {
    const v = this.input(i);
    if (!v) return this.fail(`the ${role} input is missing.`);
    if (v.kind !== 'const') return this.fail(`the ${role} input "${this.inputName(i)}" is computed from the image; Fixpoint needs it to be a constant (initializer).`);
    return v;
  }

  optConstant(i: number, role: string): ConstValue | undefined {
    return this.inputName(i) ? this.constant(i, role) : undefined;
  }

  /** Integer list from a constant input (shapes, axes, pads). */
  ints(i: number, role: string): number[] {
    return Array.from(this.constant(i, role).data);
  }

  scalar(i: number, role: string): number | undefined {
    const c = this.optConstant(i, role);
    if (!c) return undefined;
    if (c.data.length !== 1) this.fail(`the ${role} input must be a single value, not ${dimsText(c.dims)}.`);
    return c.data[0];
  }

  out(i = 0): string {
    return this.node.output?.[i] ?? '';
  }

  outputUsed(i: number): boolean {
    const name = this.out(i);
    return name !== '' && this.st.outputUsed(name);
  }

  set(i: number, v: Value): void {
    const name = this.out(i);
    if (name) this.st.values.set(name, v);
  }

  isFinal(tensor: string): boolean {
    return this.st.final.has(tensor);
  }

  /** Normalised axis for a tensor of this rank. */
  axis(a: number, rank: number): number {
    const x = a < 0 ? a + rank : a;
    if (x < 0 || x >= rank) this.fail(`axis ${a} is out of range for a tensor of rank ${rank}.`);
    return x;
  }
}

export type OpHandler = (ctx: OpContext) => void;
