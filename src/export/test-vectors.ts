// Test vectors for the C export from the TypeScript reference (bit-exact with the engine by
// construction). The app and the CLI compute them with the engine; this is for tests and for
// callers without one. The reference is scalar: keep the image count small on large models.
import type { QuantConfig } from '../core/config.ts';
import type { Graph } from '../core/graph.ts';
import { quantizeTensor } from '../core/quantize.ts';
import { referenceForward } from '../core/reference.ts';
import type { TestVectors } from './c/writer.ts';
import { ExportError } from './files.ts';

export function referenceTestVectors(graph: Graph, config: QuantConfig, images: Float32Array[]): TestVectors {
  const fin = config.nodes[0]?.output;
  if (!fin) throw new ExportError('the input has no fixed-point format');
  const inputs: Int32Array[] = [];
  const logits: Int32Array[] = [];
  for (const image of images) {
    inputs.push(quantizeTensor(image, fin));
    const out = referenceForward(graph, config, image)[graph.output];
    if (out.kind !== 'fixed') throw new ExportError('the output is not fixed-point in this configuration');
    logits.push(Int32Array.from(out.q));
  }
  return { inputs, logits };
}
