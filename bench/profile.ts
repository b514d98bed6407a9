// Time per node while running a model, best of several passes (tuning aid, not part of the suite).
// npx tsx bench/profile.ts [seq|demo] [batch] [bits|float]
import { simdEngine } from '../src/testing/engines.ts';
import { h5Graph, demoGraph, mnistDigits } from '../src/testing/models.ts';
import { uniformConfig } from '../src/core/cost.ts';
import { nodeMacs } from '../src/core/graph.ts';

const which = process.argv[2] ?? 'seq';
const g = which === 'seq' ? await h5Graph('mnist_seq_large.h5') : await demoGraph();
const N = 320;
const digits = mnistDigits(N);
const engine = simdEngine();
const B = Number(process.argv[3] ?? 32);
engine.load(g, B);
const stats = engine.activationStats(digits.images.subarray(0, 100 * 784));
if (process.argv[4] !== 'float') engine.setConfig(uniformConfig(g, stats, Number(process.argv[4] ?? 8)));
const best = g.nodes.map(() => Infinity);
for (let rep = 0; rep < 12; rep++) {
  const times = engine.nodeTimes(digits.images);
  if (rep >= 2) times.forEach((t, i) => { best[i] = Math.min(best[i], t); });
  if (rep === 1) await new Promise((r) => setTimeout(r, 200));
}
const tot = best.reduce((a, b) => a + b, 0);
g.nodes.forEach((n, i) => console.log(String(i).padStart(2), n.kind.padEnd(8), engine.nodePaths()[i].padEnd(6), best[i].toFixed(2).padStart(7), 'ms', (nodeMacs(n) * N / best[i] / 1e6).toFixed(2).padStart(6), 'GMAC/s', n.shape.join('x')));
console.log('total', tot.toFixed(1), 'ms', (N / tot * 1000).toFixed(0), 'img/s');
