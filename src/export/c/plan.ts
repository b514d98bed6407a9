// Which nodes the C program runs, the format and C type of every value, and where in the static
// activation arena (arena.ts) each computed value lives.
import type { QuantConfig } from '../../core/config.ts';
import type { Format } from '../../core/format.ts';
import type { Graph } from '../../core/graph.ts';
import { elementCount, isParamNode } from '../../core/graph.ts';
import { ExportError } from '../files.ts';
import { formatOwnerOf, liveNodes } from '../graph-walk.ts';
import { nodeParams } from '../params.ts';
import type { ArenaValue } from './arena.ts';
import { planArena } from './arena.ts';
import type { StorageType } from './ctype.ts';
import { storageType } from './ctype.ts';
import { BYTES } from './storage.ts';

export interface ValuePlan {
  live: boolean[];
  /** Format of each node's output values (its own, or its source's through pool/pad/reshape/activation). */
  format: Array<Format | null>;
  type: Array<StorageType | null>;
  /** C expression of the buffer holding each node's output: "input", or a place in the arena. */
  buffer: string[];
  /** Nodes that compute (have a layer function), in order. */
  computed: number[];
  /** The static activation arena: its C element type, size and where each computed node writes. */
  arena: { type: 'int8_t' | 'int16_t'; bytes: number; lowerBound: number; slots: Array<{ node: number; macro: string; offset: number; bytes: number }> };
}

const BITS_LIMIT = 32;

/** Every tensor the C program needs must have a format; lists all that do not. */
export function checkFullyFixed(g: Graph, c: QuantConfig, live: boolean[]): void {
  const missing: string[] = [];
  const bad: string[] = [];
  const check = (label: string, f: Format | null | undefined) => {
    if (!f) missing.push(label);
    else if (!Number.isInteger(f.bits) || f.bits < 1 || f.bits > BITS_LIMIT || !Number.isInteger(f.frac) || typeof f.signed !== 'boolean') bad.push(`${label} ${JSON.stringify(f)}`);
    // The engine and the reference hold integers in Int32Array, where unsigned 32-bit values
    // above 2^31 - 1 wrap; refusing them keeps the C program equal to the engine.
    else if (f.bits === 32 && !f.signed) bad.push(`${label} (unsigned 32-bit)`);
  };
  g.nodes.forEach((n, i) => {
    if (!live[i]) return;
    const f = c.nodes[i] ?? {};
    if (isParamNode(n)) for (const p of nodeParams(n)) check(`${n.name}.${p.slot}`, f[p.slot]);
    if (n.kind === 'input' || isParamNode(n) || n.kind === 'add' || n.kind === 'concat') check(n.kind === 'input' ? `${n.name} (the input)` : `${n.name}.output`, f.output);
  });
  if (missing.length) {
    const list = missing.slice(0, 8).join(', ') + (missing.length > 8 ? `, and ${missing.length - 8} more` : '');
    throw new ExportError(`the C export needs a fixed-point format for every tensor, and ${missing.length} ${missing.length === 1 ? 'is' : 'are'} still float: ${list}`);
  }
  if (bad.length) throw new ExportError(`the C export supports formats of 1–32 bits (unsigned up to 31) with an integer frac; not: ${bad.join(', ')}`);
}

/** `macroOf(i)`: the #define naming node i's byte offset in the arena. */
export function planValues(g: Graph, c: QuantConfig, macroOf: (node: number) => string): ValuePlan {
  const live = liveNodes(g);
  checkFullyFixed(g, c, live);
  const n = g.nodes.length;
  const format: ValuePlan['format'] = g.nodes.map((_, i) => (live[i] ? c.nodes[formatOwnerOf(g, i)]!.output! : null));
  const type = format.map((f) => (f ? storageType(f) : null));
  const alias = g.nodes.map((node) => node.kind === 'input' || node.kind === 'reshape' || (node.kind === 'activation' && node.activation.type === 'linear'));
  // holder[i]: the node whose buffer holds node i's output.
  const holder: number[] = [];
  g.nodes.forEach((node, i) => { holder[i] = node.kind === 'input' ? i : alias[i] ? holder[node.inputs[0]] : i; });
  const lastUse = new Array<number>(n).fill(-1);
  g.nodes.forEach((node, i) => {
    if (live[i]) for (const p of node.inputs) lastUse[holder[p]] = Math.max(lastUse[holder[p]], i);
  });
  lastUse[holder[g.output]] = n;
  const computed = g.nodes.map((_, i) => i).filter((i) => live[i] && !alias[i]);
  const width = (i: number) => BYTES[type[i]!];
  const values: ArenaValue[] = computed.map((i) => ({ bytes: elementCount(g.nodes[i].shape) * width(i), align: width(i), from: i, to: Math.max(i, lastUse[i]) }));
  const placed = planArena(values);
  const arenaType = computed.some((i) => width(i) === 2) ? 'int16_t' : 'int8_t';
  const buffer: string[] = new Array<string>(n).fill('');
  computed.forEach((i) => {
    const t = type[i]!;
    const at = width(i) === 1 ? macroOf(i) : `${macroOf(i)} / 2`;
    buffer[i] = t === arenaType ? `(fxp_arena + ${at})` : `((${t} *)fxp_arena + ${at})`;
  });
  g.nodes.forEach((_, i) => { if (live[i] && alias[i]) buffer[i] = g.nodes[i].kind === 'input' ? 'input' : buffer[holder[i]]; });
  return {
    live, format, type, buffer, computed,
    arena: {
      type: arenaType, bytes: placed.bytes, lowerBound: placed.lowerBound,
      slots: computed.map((i, k) => ({ node: i, macro: macroOf(i), offset: placed.offsets[k], bytes: values[k].bytes })),
    },
  };
}
