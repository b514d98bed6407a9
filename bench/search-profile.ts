// Where a search's time and multiply-accumulates go (tuning aid for DESIGN.md §6's shortcuts).
// npx tsx bench/search-profile.ts [paper|frontier] [model.h5] [search images] [budget %]
// Defaults: paper, ../shared/fixtures/paper/mnist_seq_large.h5, 1000, 1 — on the MNIST test set,
// in one process (one engine), seed 0. Prints seconds, evaluations, MACs per node.
import { nodeWorkspace } from '../src/cli/inputs.ts';
import { openDataset, openModel } from '../src/formats/index.ts';
import { readPathAsFiles } from '../src/formats/node-files.ts';
import { runSearch } from '../src/search/run.ts';
import type { Method } from '../src/search/scorer.ts';

const [method = 'paper', model = '../shared/fixtures/paper/mnist_seq_large.h5', images = '1000', budget = '1'] = process.argv.slice(2);
const ws = await nodeWorkspace();
ws.setModel(await openModel(readPathAsFiles(model)));
// Spatial models get the images resized to their input (the DF model: 96×96).
const data = ws.setData(await openDataset(readPathAsFiles('../shared/fixtures/mnist')), {}, { search: Number(images), validation: 100 });
const graph = ws.graph;
const engine = ws.engine;
const { search } = ws.evaluators();
engine.counters.macs.fill(0);
engine.counters.images.fill(0);
Object.assign(engine.counters, { setConfigMs: 0, runMs: 0, cacheRestores: 0, cacheSaves: 0 });
const t0 = performance.now();
let lastLog = 0;
const r = await runSearch(method as Method, {
  graph, evaluator: search, budget: Number(budget) / 100, stats: data.stats, seed: 0,
  onProgress: (p) => {
    if (performance.now() - lastLog < 10000) return;
    lastLog = performance.now();
    process.stderr.write(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${p.phase} ${p.tensor ?? ''} ${p.evaluations} evaluations\n`);
  },
});
const seconds = (performance.now() - t0) / 1000;
const c = engine.counters;
const macs = c.macs.reduce((a, b) => a + b, 0);
const full = r.records.filter((x) => x.subset === 'full'), proxy = r.records.filter((x) => x.subset === 'proxy');
const modelMacs = graph.nodes.reduce((a, _, i) => a + (c.images[i] ? c.macs[i] / c.images[i] : 0), 0);
console.log(`${method} on ${graph.name}, ${data.calibration.labels.length} search images: ${seconds.toFixed(1)} s, ${r.evaluations} evaluations ` +
  `(${full.length} full, ${full.filter((x) => !x.exact).length} stopped early; ${proxy.length} proxy, ${proxy.filter((x) => !x.exact).length} stopped early)`);
console.log(`MACs run: ${(macs / 1e9).toFixed(1)} G = ${(macs / (modelMacs * data.calibration.labels.length)).toFixed(1)} float passes over the search images; ` +
  `engine.run ${(c.runMs / 1000).toFixed(1)} s, setConfig ${(c.setConfigMs / 1000).toFixed(1)} s, other ${(seconds - (c.runMs + c.setConfigMs) / 1000).toFixed(1)} s; ` +
  `cache restores ${c.cacheRestores}, saves ${c.cacheSaves}`);
console.log(`chosen: calibration loss ${(r.chosen.calibration_loss * 100).toFixed(2)}%, memory ${r.chosen.cost.memory_kb.toFixed(1)} KB, mult_cost ${r.chosen.cost.mult_cost}`);
graph.nodes.forEach((n, i) => {
  if (!c.macs[i]) return;
  console.log(`  ${String(i).padStart(3)} ${n.name.padEnd(28)} ${(c.macs[i] / 1e9).toFixed(2).padStart(8)} G MAC  ${(c.macs[i] / macs * 100).toFixed(1).padStart(5)}%  ${c.images[i]} images`);
});
