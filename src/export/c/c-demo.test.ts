// The C export of the demo LeNet-5: `make test` (the generated Makefile, cc -std=c99 -Wall
// -Wextra -Werror -O2) is bit-exact on 16 test vectors, and the C program's answer equals the
// engine's on all 1,000 calibration digits and the reference's on the first 200 (on all 1,000
// when the Wasm engine is not built); a 16-bit configuration takes the 64-bit path.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuantConfig } from '../../core/config.ts';
import type { Graph } from '../../core/graph.ts';
import { quantizeTensor } from '../../core/quantize.ts';
import { referencePredict } from '../../core/reference.ts';
import { referenceTestVectors } from '../test-vectors.ts';
import { cAnswers, hasCC, make, removeDir, writeFiles } from '../../testing/c-compiler.ts';
import { activationStats, mixedConfig, wideConfig } from '../../testing/export-configs.ts';
import { demoModel, haveDemo } from '../../testing/models.ts';
import { buildCExport } from './writer.ts';

const ENGINE = fileURLToPath(new URL('../../../build/engine-simd.wasm', import.meta.url));

async function engineAnswers(graph: Graph, config: QuantConfig, images: Float32Array[]): Promise<Int32Array> {
  const { createNodeEngine } = await import('../../engine/load-node.ts');
  const engine = await createNodeEngine();
  engine.load(graph, 100);
  engine.setConfig(config);
  const n = images[0].length;
  const flat = new Float32Array(images.length * n);
  images.forEach((x, i) => flat.set(x, i * n));
  return engine.run(flat, null).predictions;
}

describe.skipIf(!hasCC() || !haveDemo())('C export of the demo LeNet-5', () => {
  let graph: Graph;
  let images: Float32Array[];
  let stats: ReturnType<typeof activationStats>;
  beforeAll(async () => {
    ({ graph, images } = await demoModel());
    stats = activationStats(graph, images.slice(0, 200));
  });

  async function check(config: QuantConfig, count: number, referenceCount: number) {
    const res = buildCExport(graph, config, { testVectors: referenceTestVectors(graph, config, images.slice(0, 16)) });
    const dir = writeFiles(res.files);
    try {
      expect(make(dir, 'test')).toBe(`PASS: ${res.model}: all 16 test vectors bit-exact (10 logits each)\n`);
      const some = images.slice(0, count);
      const c = cAnswers(dir, res.model, some.map((x) => quantizeTensor(x, config.nodes[0].output!)));
      expect(c.length).toBe(count);
      const withEngine = existsSync(ENGINE);
      const nRef = withEngine ? referenceCount : count;
      const ref = Int32Array.from(some.slice(0, nRef), (x) => referencePredict(graph, config, x));
      expect(Array.from(c.subarray(0, nRef))).toEqual(Array.from(ref));
      if (withEngine) expect(Array.from(c)).toEqual(Array.from(await engineAnswers(graph, config, some)));
      expect(new Set(c).size).toBe(10);
    } finally {
      removeDir(dir);
    }
    return res;
  }

  it('is bit-exact with a mixed configuration and agrees on all 1,000 calibration digits', async () => {
    const config = mixedConfig(graph, stats);
    const res = await check(config, 1000, 200);
    expect(res.model).toBe('lenet5_mnist');
    // 8-bit activations by 6–8-bit weights: every sum fits in 32 bits.
    for (const [, widths] of res.arith) expect([...widths]).toEqual(['int32_t']);
  });

  it('takes the 64-bit path with 16-bit formats and stays exact', async () => {
    const config = wideConfig(graph, stats);
    const res = await check(config, 1000, 100);
    const wide = [...res.arith].filter(([, w]) => w.has('int64_t')).map(([i]) => graph.nodes[i].name);
    expect(wide).toEqual(['conv1', 'conv2', 'fc1', 'fc2', 'logits']);
  });
});
