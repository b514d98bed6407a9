// Time per Wasm kernel while running a model (tuning aid, not part of the suite).
import { simdEngine } from '../src/testing/engines.ts';
import { h5Graph, demoGraph, mnistDigits } from '../src/testing/models.ts';
import { uniformConfig } from '../src/testing/uniform-config.ts';

const which = process.argv[2] ?? 'seq';
const g = which === 'seq' ? await h5Graph('mnist_seq_large.h5') : await demoGraph();
const digits = mnistDigits(640);
const engine = simdEngine();
engine.load(g, Number(process.argv[3] ?? 32));
const stats = engine.activationStats(digits.images.subarray(0, 100 * 784));
if (process.argv[4] !== 'float') engine.setConfig(uniformConfig(g, stats, Number(process.argv[4] ?? 8)));
for (let i = 0; i < 3; i++) engine.run(digits.images, null);
await new Promise((r) => setTimeout(r, 300));
const holder = engine as unknown as { k: Record<string, unknown> };
const k: Record<string, unknown> = { ...holder.k };
holder.k = k;
const times = new Map<string, number>();
for (const [name, fn] of Object.entries(k)) {
  if (typeof fn !== 'function') continue;
  k[name] = (...args: unknown[]) => { const t = performance.now(); const r = (fn as (...a: unknown[]) => unknown)(...args); times.set(name, (times.get(name) ?? 0) + performance.now() - t); return r; };
}
const t0 = performance.now();
engine.run(digits.images, null);
const total = performance.now() - t0;
const sum = [...times.values()].reduce((a, b) => a + b, 0);
console.log('total', total.toFixed(1), 'ms; in kernels', sum.toFixed(1), 'ms;', (640 / total * 1000).toFixed(0), 'img/s');
for (const [n, t] of [...times].sort((a, b) => b[1] - a[1])) console.log(n.padEnd(20), t.toFixed(1));
