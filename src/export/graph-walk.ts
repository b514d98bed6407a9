// Small graph queries shared by the writers.
import type { Graph } from '../core/graph.ts';
import { ownsOutputFormat } from '../core/graph.ts';

/** The node whose output format node i's values are in: itself, or through pool/pad/reshape/activation. */
export function formatOwnerOf(g: Graph, i: number): number {
  let k = i;
  while (!ownsOutputFormat(g.nodes[k])) k = g.nodes[k].inputs[0];
  return k;
}

/** Nodes the output depends on (the output included). */
export function liveNodes(g: Graph): boolean[] {
  const live = g.nodes.map(() => false);
  live[g.output] = true;
  for (let i = g.output; i >= 0; i--) if (live[i]) for (const p of g.nodes[i].inputs) live[p] = true;
  return live;
}
