import { simdEngine } from '../src/engine/testing/engines.ts';
import { h5Graph, demoGraph, mnistDigits } from '../src/engine/testing/models.ts';
import { uniformConfig } from '../src/engine/testing/uniform.ts';
import { nodeMacs } from '../src/core/graph.ts';

const which = process.argv[2] ?? 'seq';
const g = which === 'seq' ? await h5Graph('mnist_seq_large.h5') : await demoGraph();
const digits = mnistDigits(320);
const engine = simdEngine();
const B = Number(process.argv[3] ?? 32);
engine.load(g, B);
const stats = engine.activationStats(digits.images.subarray(0, 100 * 784));
if (process.argv[4] !== 'float') engine.setConfig(uniformConfig(g, stats, Number(process.argv[4] ?? 8)));
const e = engine as unknown as { exec(i: number, nb: number): void; f32(): Float32Array; layout: { staging: number } };
const times = g.nodes.map(() => 0);
for (let rep = 0; rep < 4; rep++) { if (rep === 1) times.fill(0);
for (let b0 = 0; b0 < 320; b0 += B) {
  e.f32().set(digits.images.subarray(b0 * 784, (b0 + B) * 784), e.layout.staging >> 2);
  for (let i = 0; i < g.nodes.length; i++) { const t = performance.now(); e.exec(i, B); times[i] += performance.now() - t; }
}
}
const tot = times.reduce((a, b) => a + b, 0);
g.nodes.forEach((n, i) => console.log(i, n.kind.padEnd(8), engine.nodePaths()[i].padEnd(6), times[i].toFixed(1).padStart(7), 'ms', (nodeMacs(n) * 960 / times[i] / 1e6).toFixed(2), 'GMAC/s', n.shape.join('x')));
console.log('total', tot.toFixed(0), 'ms', (960 / tot * 1000).toFixed(0), 'img/s');
