// Uniform configurations for tests and benchmarks: every tensor at `bits` with its no-clipping
// fractional length (weights from their values, activations from float statistics).
import type { NodeFormats, QuantConfig } from '../core/config.ts';
import type { Format } from '../core/format.ts';
import { noClipFrac } from '../core/format.ts';
import type { Graph } from '../core/graph.ts';
import { isParamNode, ownsOutputFormat } from '../core/graph.ts';
import type { TensorStats } from '../core/tensor-stats.ts';

const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

export function uniformConfig(g: Graph, stats: TensorStats[], bits: number, biasBits = bits): QuantConfig {
  const f = (m: number, b: number): Format => ({ bits: b, frac: noClipFrac(m, b, true), signed: true });
  return {
    nodes: g.nodes.map((n, i) => {
      const c: NodeFormats = {};
      if (isParamNode(n)) {
        if (n.kind === 'affine') {
          c.weights = f(maxAbs(n.scale), bits);
          c.bias = f(maxAbs(n.shift), biasBits);
        } else {
          c.weights = f(maxAbs(n.kernel), bits);
          if (n.bias) c.bias = f(maxAbs(n.bias), biasBits);
          if (n.epilogue) {
            c.scale = f(maxAbs(n.epilogue.scale), bits);
            c.shift = f(maxAbs(n.epilogue.shift), biasBits);
          }
        }
      }
      if (ownsOutputFormat(n)) c.output = f(stats[i].maxAbs, bits);
      return c;
    }),
  };
}
