// Speed of the exported C reference next to the Wasm engine, at one configuration, in one run:
//   npx tsx bench/c-reference.ts DIR [--model PATH]
// DIR is the output of `fixpoint quantize --export c,report` (the model defaults to the demo).
// The C side is the export's own `make bench` (native, cc -O2, its 16 test vectors, CPU time);
// the engine runs the report's configuration on the demo's 1,000 calibration digits in batches
// of 32 on one thread. Both are images per second of CPU time (the engine's is the process's,
// garbage collection included), so a busy machine's waiting is left out of both.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { configFromReport } from '../src/core/report-config.ts';
import { createNodeEngine } from '../src/engine/load-node.ts';
import { openModel } from '../src/formats/index.ts';
import { readPathAsFiles } from '../src/formats/node-files.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--model');
const mi = args.indexOf('--model');
if (!dir) {
  process.stderr.write('usage: npx tsx bench/c-reference.ts DIR [--model PATH]  (DIR from fixpoint quantize --export c,report)\n');
  process.exit(2);
}
const modelPath = mi >= 0 ? args[mi + 1] : join(root, 'public/models/lenet5-mnist/model.json');

const cLine = execFileSync('make', ['-s', 'bench'], { cwd: join(dir, 'c'), encoding: 'utf8' }).trim();
const cRate = Number(/(\d+) images\/s/.exec(cLine)![1]);

const graph = await openModel(readPathAsFiles(modelPath));
const config = configFromReport(graph, JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
const px = readFileSync(join(root, 'public/data/mnist-demo/calibration-images.u8'));
const images = Float32Array.from(px, (v) => v / 255);
const count = px.length / 784;
const engine = await createNodeEngine();
engine.load(graph, 32);
engine.setConfig(config);
engine.run(images.subarray(0, 64 * 784), null); // warm-up
let best = Infinity;
let wall = Infinity;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  engine.run(images, null);
  const c = process.cpuUsage(c0);
  best = Math.min(best, (c.user + c.system) / 1000);
  wall = Math.min(wall, performance.now() - t0);
}
const wasmRate = (count / best) * 1000;
process.stdout.write(`C reference (make bench): ${cLine}\n`);
process.stdout.write(`Wasm engine: ${count} images in ${best.toFixed(0)} ms of CPU time (best of 3; wall ${wall.toFixed(0)} ms): ${wasmRate.toFixed(0)} images/s\n`);
process.stdout.write(`ratio engine / C: ${(wasmRate / cRate).toFixed(2)}\n`);
