// Time per Wasm kernel while running a model (tuning aid, not part of the suite).
import { createEngineSync } from '../src/engine/engine.ts';
import { kernelTimer } from '../src/engine/kernel-timer.ts';
import { loadEngineWasmNode } from '../src/engine/load-node.ts';
import { h5Graph, demoGraph, mnistDigits } from '../src/testing/models.ts';
import { uniformConfig } from '../src/core/cost.ts';

const which = process.argv[2] ?? 'seq';
const g = which === 'seq' ? await h5Graph('mnist_seq_large.h5') : await demoGraph();
const digits = mnistDigits(640);
const { instrument, times } = kernelTimer();
const engine = createEngineSync(loadEngineWasmNode(), { relaxed: false, instrument });
engine.load(g, Number(process.argv[3] ?? 32));
const stats = engine.activationStats(digits.images.subarray(0, 100 * 784));
if (process.argv[4] !== 'float') engine.setConfig(uniformConfig(g, stats, Number(process.argv[4] ?? 8)));
for (let i = 0; i < 3; i++) engine.run(digits.images, null);
await new Promise((r) => setTimeout(r, 300));
times.clear();
const t0 = performance.now();
engine.run(digits.images, null);
const total = performance.now() - t0;
const sum = [...times.values()].reduce((a, b) => a + b, 0);
console.log('total', total.toFixed(1), 'ms; in kernels', sum.toFixed(1), 'ms;', (640 / total * 1000).toFixed(0), 'img/s');
for (const [n, t] of [...times].sort((a, b) => b[1] - a[1])) console.log(n.padEnd(20), t.toFixed(1));
