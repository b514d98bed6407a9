// Static RAM for activations: one arena, and every computed value at a fixed byte offset in it
// for the span of nodes from the one that writes it to the last that reads it. Values whose
// spans overlap never share bytes; the rest reuse them. Each value goes to the lowest offset free
// over its whole span, placing values largest first or in the order they are written, whichever
// needs less; the lower bound is the largest set of values live at once (DESIGN.md §5's peak).
//
// The arena is declared int16_t when any value is 16-bit wide, else int8_t; 8-bit values are read
// through character types and 16-bit ones through int16_t or uint16_t, both of which C allows
// on an int16_t object, so sharing the bytes never breaks the aliasing rules.

export interface ArenaValue {
  /** Bytes of the value, and its alignment: the size of its C element type (1 or 2). */
  bytes: number;
  align: number;
  /** First and last node index at which the value must be intact. */
  from: number;
  to: number;
}

export interface ArenaPlan {
  /** Byte offset of every value, in the order given. */
  offsets: number[];
  /** Arena size in bytes (a multiple of the widest alignment). */
  bytes: number;
  /** Largest total of values live at one node: no placement can use less. */
  lowerBound: number;
}

const overlaps = (a: ArenaValue, b: ArenaValue) => a.from <= b.to && b.from <= a.to;
const alignUp = (x: number, a: number) => Math.ceil(x / a) * a;

function place(values: ArenaValue[], order: number[]): { offsets: number[]; bytes: number } {
  const offsets = new Array<number>(values.length).fill(-1);
  const placed: number[] = [];
  for (const i of order) {
    const v = values[i];
    const busy = placed.filter((j) => overlaps(v, values[j])).sort((a, b) => offsets[a] - offsets[b]);
    let at = 0;
    for (const j of busy) {
      if (at + v.bytes <= offsets[j]) break;
      at = Math.max(at, alignUp(offsets[j] + values[j].bytes, v.align));
    }
    offsets[i] = at;
    placed.push(i);
  }
  const widest = values.reduce((m, v) => Math.max(m, v.align), 1);
  return { offsets, bytes: alignUp(values.reduce((m, v, i) => Math.max(m, offsets[i] + v.bytes), 0), widest) };
}

export function planArena(values: ArenaValue[]): ArenaPlan {
  const index = values.map((_, i) => i);
  const bySize = place(values, [...index].sort((a, b) => values[b].bytes - values[a].bytes || values[a].from - values[b].from));
  const byBirth = place(values, [...index].sort((a, b) => values[a].from - values[b].from));
  const { offsets, bytes } = byBirth.bytes < bySize.bytes ? byBirth : bySize;
  let lowerBound = 0;
  for (const v of values) {
    const live = values.filter((u) => u.from <= v.from && u.to >= v.from).reduce((s, u) => s + u.bytes, 0);
    lowerBound = Math.max(lowerBound, live);
  }
  return { offsets, bytes, lowerBound };
}
