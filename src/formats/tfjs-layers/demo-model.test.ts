// The embedded demo (public/models/lenet5-mnist, trained by scripts/train-demo-model.ts) against
// TensorFlow.js loading the very same files, on the demo's own test digits.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { preprocessImage } from '../../core/preprocess.ts';
import { summarizeGraph } from '../../core/summary.ts';
import { openDataset, openModel } from '../index.ts';
import { readPathAsFiles } from '../node-files.ts';
import { agreement, tf, tfjsPredict, useTfjsCpu } from '../../testing/tfjs.ts';

const MODEL = 'public/models/lenet5-mnist';
const DATA = 'public/data/mnist-demo';

describe.skipIf(!existsSync(`${MODEL}/model.json`) || !existsSync(`${DATA}/manifest.json`))('demo model', () => {
  beforeAll(useTfjsCpu);

  it('loads, matches tfjs, and classifies the demo digits', async () => {
    const files = readPathAsFiles(`${MODEL}/model.json`);
    const graph = await openModel(files);
    expect(graph.nodes.map((n) => n.kind)).toEqual(['input', 'conv2d', 'maxPool', 'conv2d', 'maxPool', 'reshape', 'dense', 'dense', 'dense']);
    const json = JSON.parse(new TextDecoder().decode(files[0].data));
    const weights = files.slice(1).map((f) => f.data);
    const joined = new Uint8Array(weights.reduce((n, w) => n + w.length, 0));
    let o = 0;
    for (const w of weights) {
      joined.set(w, o);
      o += w.length;
    }
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: joined.buffer,
    }));
    const ds = await openDataset(readPathAsFiles(DATA));
    const test = ds.images.slice(ds.heldOutFrom, (ds.heldOutFrom ?? 0) + 200);
    const inputs = test.map((img) => preprocessImage(img, { height: 28, width: 28, channels: 1 }));
    const a = agreement(graph, inputs.slice(0, 50), (x) => tfjsPredict(model, x, [28, 28, 1]));
    expect(a.maxRelError).toBeLessThan(1e-5);
    expect(a.top1Agree).toBe(50);
    const s = summarizeGraph(graph, { inputs, labels: ds.labels!.subarray(ds.heldOutFrom!, ds.heldOutFrom! + 200) });
    expect(s.accuracy).toBeGreaterThan(0.9);
  });
});
