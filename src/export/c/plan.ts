// Which nodes the C program runs, the format and C type of every value, and static buffers
// shared between activations whose lifetimes do not overlap (one pool per C type, so no
// buffer is ever read through a pointer of another type).
import type { QuantConfig } from '../../core/config.ts';
import type { Format } from '../../core/format.ts';
import type { Graph } from '../../core/graph.ts';
import { elementCount, isParamNode } from '../../core/graph.ts';
import { ExportError } from '../files.ts';
import { formatOwnerOf, liveNodes } from '../graph-walk.ts';
import { nodeParams } from '../params.ts';
import type { StorageType } from './ctype.ts';
import { storageType } from './ctype.ts';

export interface ValuePlan {
  live: boolean[];
  /** Format of each node's output values (its own, or its source's through pool/pad/reshape/activation). */
  format: Array<Format | null>;
  type: Array<StorageType | null>;
  /** C expression of the buffer holding each node's output: "input", or a static buffer. */
  buffer: string[];
  /** Nodes that compute (have a layer function), in order. */
  computed: number[];
  buffers: Array<{ name: string; type: StorageType; size: number }>;
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

export function planValues(g: Graph, c: QuantConfig): ValuePlan {
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
  lastUse[holder[g.output]] = Infinity;
  const pools = new Map<StorageType, Array<{ name: string; size: number; freeAfter: number }>>();
  const buffer: string[] = new Array<string>(n).fill('');
  const computed: number[] = [];
  const all: ValuePlan['buffers'] = [];
  g.nodes.forEach((node, i) => {
    if (!live[i]) return;
    if (node.kind === 'input') { buffer[i] = 'input'; return; }
    if (alias[i]) { buffer[i] = buffer[holder[i]]; return; }
    computed.push(i);
    const t = type[i]!;
    const pool = pools.get(t) ?? [];
    pools.set(t, pool);
    const size = elementCount(node.shape);
    // Best fit among buffers no longer read: the smallest that already holds `size`, else the largest.
    const free = pool.filter((b) => b.freeAfter < i);
    let slot = free.filter((b) => b.size >= size).sort((a, b) => a.size - b.size)[0] ?? free.sort((a, b) => b.size - a.size)[0];
    if (!slot) {
      slot = { name: `buf_${t.replace(/_t$/, '').replace('int', 'i').replace('ui', 'u')}_${pool.length}`, size, freeAfter: -1 };
      pool.push(slot);
    }
    slot.size = Math.max(slot.size, size);
    slot.freeAfter = lastUse[i];
    buffer[i] = slot.name;
  });
  for (const [t, pool] of pools) for (const b of pool) all.push({ name: b.name, type: t, size: b.size });
  return { live, format, type, buffer, computed, buffers: all };
}
