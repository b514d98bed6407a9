// Fuzzing (issue 15): valid model.json, .h5, .onnx, IDX, PNG, BMP and zip inputs mutated by
// fast-check (bytes overwritten, inserted, cut) and opened by the parsers. Every outcome must be
// a result or a FormatError/LimitError with a one-line message, within a time limit per case,
// with the resident size bounded. Runs: FUZZ_RUNS (default 25 per format, what CI runs; locally
// e.g. FUZZ_RUNS=1000). The seed is printed; FUZZ_SEED=<seed> replays a run.
import { strToU8, zipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LimitError } from '../core/limits.ts';
import { bmp8, demoModel, idx, kerasH5, onnxWith, png } from '../testing/hostile/bytes.ts';
import { openDataset, openModel } from './index.ts';
import type { FileEntry } from './types.ts';
import { FormatError } from './types.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CASE_MS = 5_000;
const MAX_RSS = 1.5 * 1024 ** 3;
const root = new URL('../..', import.meta.url).pathname;

process.stdout.write(`fuzz: seed ${SEED}, ${RUNS} runs per format (replay with FUZZ_SEED=${SEED})\n`);

/** A mutation: some bytes overwritten, a slice inserted or the file cut short. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  // A 32-bit field made huge or zero: how declared sizes lie.
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), bytes: fc.constantFrom(new Uint8Array([0xff, 0xff, 0xff, 0x7f]), new Uint8Array([0, 0, 0, 0]), new Uint8Array([0xff, 0xff, 0xff, 0xff])) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(data: Uint8Array, ms: Mutation[]): Uint8Array {
  let d = data;
  for (const m of ms) {
    const at = d.length ? m.at % d.length : 0;
    if (m.kind === 'cut') d = d.slice(0, at);
    else if (m.kind === 'insert') d = new Uint8Array([...d.subarray(0, at), ...m.bytes, ...d.subarray(at)]);
    else { d = d.slice(); d.set(m.bytes.subarray(0, d.length - at), at); }
  }
  return d;
}

async function expectClean(open: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  try {
    await open();
  } catch (e) {
    if (!(e instanceof FormatError || e instanceof LimitError)) throw new Error(`raw error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    expect(e.message).not.toMatch(/\n/);
  }
  expect(performance.now() - t0).toBeLessThan(CASE_MS);
  expect(process.memoryUsage().rss).toBeLessThan(MAX_RSS);
}

interface Target { name: string; kind: 'model' | 'data'; files: () => Promise<FileEntry[]>; fuzzed: string }

const demo = demoModel(root);
const TARGETS: Target[] = [
  { name: 'model.json', kind: 'model', fuzzed: 'model.json', files: async () => [{ path: 'model.json', data: strToU8(JSON.stringify(demo.json)) }, { path: 'weights.bin', data: demo.weights }] },
  { name: 'weights shard', kind: 'model', fuzzed: 'weights.bin', files: async () => [{ path: 'model.json', data: strToU8(JSON.stringify(demo.json)) }, { path: 'weights.bin', data: demo.weights }] },
  { name: '.h5', kind: 'model', fuzzed: 'model.h5', files: async () => [{ path: 'model.h5', data: await kerasH5(root, [120, 84]) }] },
  { name: '.onnx', kind: 'model', fuzzed: 'model.onnx', files: async () => [{ path: 'model.onnx', data: onnxWith() }] },
  { name: 'IDX', kind: 'data', fuzzed: 't10k-images-idx3-ubyte', files: async () => [{ path: 't10k-images-idx3-ubyte', data: idx([4, 28, 28]) }, { path: 't10k-labels-idx1-ubyte', data: idx([4]) }] },
  { name: 'PNG', kind: 'data', fuzzed: 'd/1/x.png', files: async () => [{ path: 'd/0/a.png', data: png(28, 28) }, { path: 'd/1/x.png', data: png(28, 28) }] },
  { name: 'BMP', kind: 'data', fuzzed: 'd/1/x.bmp', files: async () => [{ path: 'd/0/a.png', data: png(28, 28) }, { path: 'd/1/x.bmp', data: bmp8(28, 28) }] },
  { name: 'zip', kind: 'data', fuzzed: 'set.zip', files: async () => [{ path: 'set.zip', data: zipSync({ 'set/0/a.png': png(28, 28), 'set/1/b.png': png(28, 28) }) }] },
];

describe('fuzzed inputs into the parsers', () => {
  for (const t of TARGETS) {
    it(`${t.name}: a result or one clean message`, async () => {
      const base = await t.files();
      await fc.assert(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (ms) => {
        const files = base.map((f) => (f.path === t.fuzzed ? { path: f.path, data: mutate(f.data, ms) } : f));
        await expectClean(() => (t.kind === 'model' ? openModel(files) : openDataset(files)));
      }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    }, 600_000);
  }
});

// Counterexamples fuzzing found, kept as fixed cases.
describe('inputs fuzzing found', () => {
  it('a manifest weight whose name was mangled (seed 680387198) is refused in one line', async () => {
    const json = structuredClone(demo.json) as { weightsManifest: { weights: Record<string, unknown>[] }[] };
    json.weightsManifest[0].weights[3] = { ...json.weightsManifest[0].weights[3], name: undefined, 'na\uFFFDme': 'conv2/bias' };
    const files = [{ path: 'model.json', data: strToU8(JSON.stringify(json)) }, { path: 'weights.bin', data: demo.weights }];
    await expect(openModel(files)).rejects.toThrow('weight 4 of weightsManifest group 1 has no name: model.json is corrupt; export or download the model again');
  });
});
