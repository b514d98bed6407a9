// The command line as a script would use it: exit codes, stdout JSON, report.json's normative
// fields (DESIGN.md §8), and eval --config reproducing the quantized accuracy of the report.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { make, objectSections, rodataBytes } from '../testing/c-compiler.ts';
import { main } from './main.ts';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('fixpoint eval', () => {
  it('prints the demo float accuracy on its 1,000 test digits as JSON', async () => {
    const r = await run(['eval', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.float_acc).toBe(0.985);
    expect(j.images).toBe(1000);
    expect(j.model).toEqual({ name: 'lenet5_mnist', nodes: 9, params: 61706, macs: 416520 });
  });

  it('reads an ONNX model and the demo digits', async () => {
    const r = await run(['eval', '--json', '--model', '../shared/fixtures/onnx/mnist-8.onnx']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).float_acc).toBeGreaterThan(0.98);
  });

  it.each([
    [['eval', '--bogus'], 'unknown flag --bogus'],
    [['eval', '--range', '1,0'], 'upper end must be above'],
    [['eval', '--model', '/no/such/model.h5'], 'does not exist'],
    [['frobnicate'], 'unknown command'],
    [['quantize', '--method', 'magic'], '--method magic is unknown'],
    [['quantize', '--budget', 'lots'], '--budget got "lots"'],
    [['quantize', '--export', 'pdf'], '--export pdf is unknown'],
  ])('%j exits 2 with one line saying what is wrong', async (argv, text) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(text);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('fixpoint quantize', () => {
  it('writes report.json with the normative fields, and eval --config reproduces it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fixpoint-'));
    const r = await run(['quantize', '--method', 'uniform', '--bits', '6', '--out', out, '--export', 'json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(rep.model).toEqual({ name: 'lenet5_mnist', nodes: 9, params: 61706, macs: 416520 });
    // The demo's own 1,000 test digits are held out; its 1,000 calibration digits split 30 / 70.
    expect(rep.data).toEqual({ calibration: 300, confirmation: 700, validation: 1000, labels: 'given' });
    expect(rep).toMatchObject({ method: 'uniform', budget: 0.01, seed: 0, pick: { on: 'search', z: null }, over_budget: false });
    expect(rep.float).toMatchObject({ calibration_acc: 298 / 300, validation_acc: 0.985 });
    // Every loss with its interval and the exact counts behind it.
    const c = rep.quantized.counts.validation;
    expect(c.total).toBe(1000);
    expect(rep.quantized.validation_acc).toBe(c.correct / 1000);
    expect(rep.quantized.validation_loss).toBeCloseTo((c.lost - c.gained) / c.float_correct, 12);
    for (const k of ['calibration_loss_ci', 'confirmation_loss_ci', 'validation_loss_ci']) {
      const [lo, hi] = rep.quantized[k];
      expect(lo).toBeLessThan(hi);
    }
    expect(rep.quantized.validation_loss_ci[0]).toBeLessThanOrEqual(rep.quantized.validation_loss);
    expect(rep.quantized.validation_loss_ci[1]).toBeGreaterThanOrEqual(rep.quantized.validation_loss);
    expect(r.stderr).toMatch(/held-out loss [\d.-]+% \(95% [\d.-]+% to [\d.-]+%, 1000 images\): within the 1\.00% budget/);
    expect(r.stderr).toMatch(/confirmation loss [\d.-]+% \(95% /);
    for (const k of ['calibration_acc', 'validation_acc', 'memory_kb', 'weights_kb', 'peak_activation_kb', 'mult_cost', 'mult_cost_paper']) {
      expect(typeof rep.quantized[k]).toBe('number');
      expect(typeof rep.baseline8[k]).toBe('number');
    }
    // Uniform 6-bit: every weight at 6 bits, so weights + biases are 6/8 of the 8-bit baseline's.
    expect(rep.quantized.weights_kb / rep.baseline8.weights_kb).toBeCloseTo(6 / 8, 6);
    expect(rep.input).toMatchObject({ bits: 6 });
    expect(rep.layers.map((l: { name: string }) => l.name)).toEqual(['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1', 'fc2', 'logits']);
    expect(rep.layers[0].weights.bits).toBe(6);
    expect(Array.isArray(rep.frontier)).toBe(true);
    expect(readFileSync(join(out, 'layers.csv'), 'utf8').split('\n')[0]).toContain('name,kind');
    expect(readFileSync(join(out, 'model.fxp.bin')).length).toBeGreaterThan(0);

    const e = await run(['eval', '--json', '--config', join(out, 'report.json')]);
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout).quantized_acc).toBe(rep.quantized.validation_acc);
  });

  it('flags a held-out loss above the budget, and --strict exits 3 for it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fixpoint-strict-'));
    const args = ['quantize', '--method', 'uniform', '--bits', '3', '--budget', '1', '--out', out];
    const lax = await run(args);
    expect(lax.code).toBe(0);
    expect(lax.stderr).toMatch(/held-out loss .*: OVER BUDGET: above the 1\.00% budget/);
    expect(lax.stderr).toContain('warning: Over budget: the held-out loss');
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).over_budget).toBe(true);
    const strict = await run([...args, '--strict']);
    expect(strict.code).toBe(3);
  });

  it('takes the split from --search, --confirmation and --validation, and warns when the budget is a few images', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fixpoint-split-'));
    const r = await run(['quantize', '--method', 'uniform', '--search', '300', '--confirmation', '200', '--validation', '100', '--out', out]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).data).toEqual({ calibration: 300, confirmation: 200, validation: 100, labels: 'given' });
    expect(r.stderr).toContain('warning: Too few held-out images to judge a 1.00% budget');
  });

  /** `quantize --method M --seed 2 --workers N` on the demo: its report and log. */
  const quantizeWith = async (method: string, workers: string) => {
    const out = mkdtempSync(join(tmpdir(), `fixpoint-${method}${workers}-`));
    const r = await run(['quantize', '--method', method, '--seed', '2', '--workers', workers, '--out', out]);
    expect(r.code).toBe(0);
    return { report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), log: r.stderr };
  };

  it('--workers 2 (its threads run the float pass of the confirmation and held-out images) writes the report of one engine', async () => {
    const report = async (workers: string) => {
      const { report: { seconds: _s, frontier, ...rest }, log } = await quantizeWith('frontier', workers);
      // A rejected point's confirmation score stops early on each shard's own wrong answers, so
      // those figures depend on the shard count (shard-protocol.ts startPool); the rest may not.
      const points = frontier.map(({ confirmation_loss: _l, confirmation_upper: _u, ...p }: Record<string, unknown>) => p);
      return { rest, points, log: log.split('\n').find((l) => l.includes('float accuracy')) };
    };
    const one = await report('1');
    const two = await report('2');
    expect(two).toEqual(one);
    expect(one.log).toContain('on 700 confirmation images');
  });

  it('--workers 2 takes the paper method\'s steps of one engine', async () => {
    const report = async (workers: string) => {
      // The walk's steps and what they give. (Which rejected scores ran to the end, and so which
      // of them are drawn as exact points, can depend on the threads' timing.)
      const { input, layers, quantized, baseline8, reductions } = (await quantizeWith('paper', workers)).report;
      return { input, layers, quantized, baseline8, reductions };
    };
    expect(await report('2')).toEqual(await report('1'));
  });

  it('--export c writes C whose make test matches the engine bit for bit and whose flash is weights_kb', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fixpoint-c-'));
    const r = await run(['quantize', '--out', out, '--export', 'c,report']);
    expect(r.code).toBe(0);
    const dir = join(out, 'c');
    expect(make(dir, 'test')).toContain('PASS: lenet5_mnist: all 16 test vectors bit-exact');
    // The searched widths are stored packed: .rodata is report.json's weights_kb (issue 14).
    const weightBytes = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).quantized.weights_kb * 1024;
    const tensors = (readFileSync(join(dir, 'model_q.c'), 'utf8').match(/^static const \w+ \w+\[\d+\] = \{$/gm) ?? []).length;
    expect(tensors).toBeGreaterThanOrEqual(8);
    expect(Math.abs(rodataBytes(objectSections(dir)) - weightBytes)).toBeLessThanOrEqual(0.02 * weightBytes + 64 * tensors);
  });

  it('--export tfjs writes a model tf.loadLayersModel loads, with the accuracy its README states', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fixpoint-tfjs-'));
    const r = await run(['quantize', '--method', 'uniform', '--bits', '5', '--out', out, '--export', 'tfjs']);
    expect(r.code).toBe(0);
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const json = JSON.parse(readFileSync(join(out, 'tfjs', 'model.json'), 'utf8'));
    const weights = readFileSync(join(out, 'tfjs', json.weightsManifest[0].paths[0]));
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
    const px = readFileSync('public/data/mnist-demo/test-images.u8');
    const labels = readFileSync('public/data/mnist-demo/test-labels.u8');
    const pred = tf.tidy(() => (model.predict(tf.tensor4d(new Float32Array(px), [1000, 28, 28, 1]).div(255)) as import('@tensorflow/tfjs').Tensor).argMax(-1).dataSync());
    let ok = 0;
    for (let i = 0; i < 1000; i++) ok += pred[i] === labels[i] ? 1 : 0;
    const stated = /held-out images: ([\d.]+)%/.exec(readFileSync(join(out, 'tfjs', 'README.md'), 'utf8'))![1];
    expect((ok / 10).toFixed(2)).toBe(stated);
  });
});
