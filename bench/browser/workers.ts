// The search on Web Workers, for `npm run bench:browser -- --workers N`: mnist_seq_large.h5 on the
// MNIST test set, the first evaluations of a search scored by N Web Worker shards (the page's
// pool, src/worker/shard-pool.ts), timed like the Node bench does with worker threads.
// Query: ?fixtures=/@fs/…/shared/fixtures/&workers=2&images=1000&evaluations=40&method=paper
import { createBrowserEngine } from '../../src/engine/load-browser.ts';
import { openDataset, openModel } from '../../src/formats/index.ts';
import type { Method } from '../../src/search/scorer.ts';
import { webShardPool } from '../../src/worker/shard-pool.ts';
import { PROXY_IMAGES } from '../../src/app/load-data.ts';
import { Workspace } from '../../src/app/workspace.ts';
import { timeSearch } from '../../src/app/bench/truncated-search.ts';

declare global {
  interface Window { workersResult?: unknown }
}

const q = new URLSearchParams(location.search);
const logEl = document.getElementById('log')!;
const log = (s: string) => { logEl.textContent += `\n${s}`; console.log(s); };

async function file(url: string, path: string) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return { path, data: new Uint8Array(await r.arrayBuffer()) };
}

async function main(): Promise<void> {
  const fixtures = q.get('fixtures')!;
  const workers = Number(q.get('workers') ?? 2);
  const method = (q.get('method') ?? 'paper') as Method;
  const ws = new Workspace(await createBrowserEngine());
  ws.setModel(await openModel([await file(`${fixtures}paper/mnist_seq_large.h5`, 'mnist_seq_large.h5')]));
  const idx = ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
  const data = ws.setData(await openDataset(await Promise.all(idx.map((n) => file(`${fixtures}mnist/${n}`, `mnist/${n}`)))), {},
    { search: Number(q.get('images') ?? 1000), validation: 10 });
  const pool = await webShardPool(ws.graph, data.calibration, PROXY_IMAGES, workers);
  try {
    const t = await timeSearch({ graph: ws.graph, stats: data.stats, method, evaluations: Number(q.get('evaluations') ?? 40) }, pool);
    log(`browser: mnist_seq_large, ${method}, ${workers} Web Worker(s): ${t.evaluations} evaluations in ${t.seconds.toFixed(2)} s`);
    window.workersResult = { model: 'mnist_seq_large', method, images: data.calibration.labels.length, workers, ...t };
  } finally {
    pool.close();
  }
}

main().catch((e: unknown) => {
  window.benchError = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
  log(`failed: ${window.benchError}`);
});
