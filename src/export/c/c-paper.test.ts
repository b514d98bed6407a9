// The C export of the paper's mnist_keras.h5 (convolutions with fused BatchNormalization
// epilogues, max and global max pooling): `make test` is bit-exact, the C answers equal the
// reference's on 24 more digits (the scalar reference needs ~0.5 s a digit here) and, when the
// Wasm engine is built, the engine's on 1,000 digits.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuantConfig } from '../../core/config.ts';
import type { Graph } from '../../core/graph.ts';
import { quantizeTensor } from '../../core/quantize.ts';
import { referencePredict } from '../../core/reference.ts';
import { referenceTestVectors } from '../test-vectors.ts';
import type { CExportResult } from './writer.ts';
import { cAnswers, hasCC, make, removeDir, writeFiles } from '../../testing/c-compiler.ts';
import { activationStats, mixedConfig, wideConfig } from '../../testing/export-configs.ts';
import { haveMnistKeras, mnistKeras } from '../../testing/models.ts';
import { buildCExport } from './writer.ts';

const ENGINE = fileURLToPath(new URL('../../../build/engine-simd.wasm', import.meta.url));

describe.skipIf(!hasCC() || !haveMnistKeras())('C export of mnist_keras.h5', () => {
  let graph: Graph;
  let images: Float32Array[];
  let labels: number[];
  let config: QuantConfig;
  let res: CExportResult;
  let dir: string;
  const quantized = (xs: Float32Array[]) => xs.map((x) => quantizeTensor(x, config.nodes[0].output!));

  beforeAll(async () => {
    ({ graph, images, labels } = await mnistKeras(1000));
    config = mixedConfig(graph, activationStats(graph, images.slice(0, 40)));
    res = buildCExport(graph, config, { testVectors: referenceTestVectors(graph, config, images.slice(0, 16)) });
    dir = writeFiles(res.files);
    return () => removeDir(dir);
  });

  it('passes make test and agrees with the reference on 24 more digits', () => {
    expect(make(dir, 'test')).toBe('PASS: mnist_keras: all 16 test vectors bit-exact (10 logits each)\n');
    const some = images.slice(16, 40);
    const ref = some.map((x) => referencePredict(graph, config, x));
    expect(Array.from(cAnswers(dir, res.model, quantized(some)))).toEqual(ref);
    expect(new Set(ref).size).toBeGreaterThan(6);
  });

  it.skipIf(!existsSync(ENGINE))('agrees with the Wasm engine on 1,000 digits', async () => {
    const { createNodeEngine } = await import('../../engine/load-node.ts');
    const engine = await createNodeEngine();
    engine.load(graph, 50);
    engine.setConfig(config);
    const flat = new Float32Array(images.length * 784);
    images.forEach((x, i) => flat.set(x, i * 784));
    const engineAnswers = engine.run(flat, null).predictions;
    const c = cAnswers(dir, res.model, quantized(images));
    expect(Array.from(c)).toEqual(Array.from(engineAnswers));
    // The configuration is a sensible one: it keeps the float model's accuracy.
    expect(c.filter((a, i) => a === labels[i]).length).toBeGreaterThan(970);
  });

  it('stays exact on the 64-bit path (16-bit formats)', () => {
    const wide = wideConfig(graph, activationStats(graph, images.slice(0, 10)));
    const r = buildCExport(graph, wide, { testVectors: referenceTestVectors(graph, wide, images.slice(100, 104)) });
    expect([...r.arith.values()].some((w) => w.has('int64_t'))).toBe(true);
    const d = writeFiles(r.files);
    try {
      expect(make(d, 'test')).toBe('PASS: mnist_keras: all 4 test vectors bit-exact (10 logits each)\n');
    } finally {
      removeDir(d);
    }
  });
});
