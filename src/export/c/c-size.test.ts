// The C export stores what the cost model counts (issue 14): compiled, the constant data of
// model_q.o (.rodata, from the generated `make size`) is within 2% + 64 bytes a tensor of the
// configuration's weights_kb, for the demo LeNet-5 and the paper's mnist_keras.h5 at low, odd
// widths; the program stays bit-exact, and the activation arena needs no more than the most
// bytes of activations ever live at once.
import { beforeAll, describe, expect, it } from 'vitest';
import { configCost } from '../../core/cost.ts';
import type { QuantConfig } from '../../core/config.ts';
import type { Graph } from '../../core/graph.ts';
import { referenceTestVectors } from '../test-vectors.ts';
import { hasCC, make, objectSections, removeDir, rodataBytes, writeFiles } from '../../testing/c-compiler.ts';
import { activationStats, searchedLikeConfig } from '../../testing/export-configs.ts';
import { demoModel, haveDemo, haveMnistKeras, mnistKeras } from '../../testing/models.ts';
import { buildCExport } from './writer.ts';
import { isPacked } from './storage.ts';

function checkSizes(graph: Graph, config: QuantConfig, images: Float32Array[], logits: number) {
  const res = buildCExport(graph, config, { testVectors: referenceTestVectors(graph, config, images) });
  const z = res.sizes;
  const weightBytes = configCost(graph, config).weights_kb * 1024;
  // Sub-byte and odd widths are really there, packed.
  const widths = new Set(config.nodes.flatMap((n) => [n.weights, n.bias, n.scale, n.shift]).filter((f) => f && isPacked(f)).map((f) => f!.bits));
  expect(widths.size).toBeGreaterThanOrEqual(5);
  // Each packed tensor rounds up to whole bytes: less than one byte a tensor above the count of
  // what is stored (a tensor whose values all vanish at the layer's precision is left out).
  const stored = weightBytes - z.omittedBytes;
  expect(z.weightBytes).toBeGreaterThanOrEqual(stored);
  expect(z.weightBytes).toBeLessThan(stored + z.tensors);
  const dir = writeFiles(res.files);
  try {
    expect(make(dir, 'test')).toBe(`PASS: ${res.model}: all ${images.length} test vectors bit-exact (${logits} logits each)\n`);
    const sections = objectSections(dir);
    const rodata = rodataBytes(sections);
    expect(Math.abs(rodata - weightBytes)).toBeLessThanOrEqual(0.02 * weightBytes + 64 * z.tensors);
    // The arena is the only static RAM, and no placement could be smaller.
    expect(sections.get('.bss')).toBe(z.activationBytes);
    expect(z.activationBytes).toBe(z.activationLowerBound);
    const header = res.files.find((f) => f.name === 'model_q.h')!.data as string;
    expect(header).toContain(`#define FXP_${res.model.toUpperCase()}_WEIGHT_BYTES ${z.weightBytes}\n`);
    expect(header).toContain(`#define FXP_${res.model.toUpperCase()}_ACTIVATION_BYTES ${z.activationBytes}\n`);
    return { ...z, rodata, weightBytes };
  } finally {
    removeDir(dir);
  }
}

describe.skipIf(!hasCC())('size of the C export', () => {
  it.skipIf(!haveDemo())('demo LeNet-5: .rodata within 2% + 64 bytes a tensor of weights_kb', async () => {
    const { graph, images } = await demoModel();
    const config = searchedLikeConfig(graph, activationStats(graph, images.slice(0, 100)));
    const z = checkSizes(graph, config, images.slice(0, 16), 10);
    // 61,706 parameters at 8 bits would take 61,706 bytes.
    expect(z.weightBytes).toBeLessThan(61706 * 0.75);
  });

  describe.skipIf(!haveMnistKeras())('mnist_keras.h5', () => {
    let graph: Graph;
    let images: Float32Array[];
    beforeAll(async () => ({ graph, images } = await mnistKeras(40)));

    it('.rodata within 2% + 64 bytes a tensor of weights_kb', () => {
      const config = searchedLikeConfig(graph, activationStats(graph, images.slice(0, 20)));
      checkSizes(graph, config, images.slice(0, 4), 10);
    });
  });
});
