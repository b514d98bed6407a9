// A/B timing of two engine builds in one process, alternating (tuning aid).
// npx tsx bench/ab.ts a.wasm b.wasm [seq|demo] [bits]
import { readFileSync } from 'node:fs';
import { createEngineSync } from '../src/engine/engine.ts';
import { demoGraph, h5Graph, mnistDigits } from '../src/testing/models.ts';
import { uniformConfig } from '../src/core/cost.ts';
import { floatConfig } from '../src/core/config.ts';

// With the same file twice and a fifth argument (narrowInputs, fuseEpilogue, directC1 or windowGemm), B runs
// with that tuning switch off instead.
const [fa, fb, which = 'demo', bits = '8', flip] = process.argv.slice(2);
const g = which === 'seq' ? await h5Graph('mnist_seq_large.h5') : await demoGraph();
const d = mnistDigits(which === 'seq' ? 200 : 1000);
if (flip && !(['narrowInputs', 'fuseEpilogue', 'directC1', 'windowGemm'] as const).includes(flip as never)) throw new Error(`${flip}: not a tuning switch (narrowInputs, fuseEpilogue, directC1, windowGemm)`);
const options = [{ relaxed: false }, { relaxed: false, ...(flip ? { [flip]: false } : {}) }];
const engines = [fa, fb].map((f, j) => createEngineSync({ simd: new Uint8Array(readFileSync(f)) }, options[j]));
const stats = (() => { const e = engines[0]; e.load(g, 32); return e.activationStats(d.images.subarray(0, 100 * 784)); })();
for (const e of engines) { e.load(g, 32); e.setConfig(bits === 'float' ? floatConfig(g.nodes.length) : uniformConfig(g, stats, Number(bits))); }
const best = [Infinity, Infinity];
for (let round = 0; round < 30; round++) {
  for (let j = 0; j < 2; j++) {
    const t = performance.now();
    engines[j].run(d.images, null);
    const s = performance.now() - t;
    if (round >= 3) best[j] = Math.min(best[j], s);
  }
  if (round === 2) await new Promise((r) => setTimeout(r, 300));
}
console.log(`A ${(d.count / best[0] * 1000).toFixed(0)} img/s   B ${(d.count / best[1] * 1000).toFixed(0)} img/s   B/A ${(best[0] / best[1]).toFixed(3)}`);
