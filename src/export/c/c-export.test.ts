// The C export on small graphs: it compiles with strict flags, `make test` passes, names from
// the model file cannot inject code, refusals are clear, and 64-bit arithmetic appears exactly
// where 32 bits could overflow.
import { describe, expect, it } from 'vitest';
import type { QuantConfig } from '../../core/config.ts';
import type { Graph } from '../../core/graph.ts';
import { referencePredict } from '../../core/reference.ts';
import { quantizeTensor } from '../../core/quantize.ts';
import type { ExportFile } from '../files.ts';
import { referenceTestVectors } from '../test-vectors.ts';
import { cAnswers, compile, hasCC, make, removeDir, run, STRICT_CFLAGS, writeFiles } from '../../testing/c-compiler.ts';
import { activationStats, configWith, mixedConfig } from '../../testing/export-configs.ts';
import { images, smallGraph } from '../../testing/small-graph.ts';
import { buildCExport } from './writer.ts';

const text = (files: ExportFile[], name: string) => files.find((f) => f.name === name)!.data as string;

function exportSmall(g: Graph, c: QuantConfig, count = 16) {
  const tv = referenceTestVectors(g, c, images(g, count, 7));
  return buildCExport(g, c, { testVectors: tv });
}

describe.skipIf(!hasCC())('C export', () => {
  const g = smallGraph();
  const stats = activationStats(g, images(g, 50, 1));
  const config = mixedConfig(g, stats);

  it('passes its own `make test` and agrees with the reference on 200 more images', () => {
    const res = exportSmall(g, config);
    expect(res.files.map((f) => f.name).sort()).toEqual(['Makefile', 'README.md', 'bench_main.c', 'model_q.c', 'model_q.h', 'test_main.c', 'test_vectors.h']);
    const dir = writeFiles(res.files);
    try {
      expect(make(dir, 'test')).toMatch(/^PASS: small: all 16 test vectors bit-exact \(4 logits each\)$/m);
      const imgs = images(g, 200, 99);
      const answers = cAnswers(dir, res.model, imgs.map((x) => quantizeTensor(x, config.nodes[0].output!)));
      expect(Array.from(answers)).toEqual(imgs.map((x) => referencePredict(g, config, x)));
      // Not all the same answer: the check means something.
      expect(new Set(answers).size).toBeGreaterThan(1);
    } finally {
      removeDir(dir);
    }
  });

  it('fails `make test` loudly when a logit is off by one', () => {
    const tv = referenceTestVectors(g, config, images(g, 4, 7));
    tv.logits[2] = tv.logits[2].slice();
    tv.logits[2][1] += 1;
    const dir = writeFiles(buildCExport(g, config, { testVectors: tv }).files);
    try {
      compile(dir, ['test_main.c', 'model_q.c'], 'test_main');
      const r = run(dir, 'test_main');
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('vector 2, logit 1: got');
      expect(r.stdout).toMatch(/^FAIL: small: 1 of 4 test vectors differ \(1 logits\)$/m);
    } finally {
      removeDir(dir);
    }
  });

  it('uses integers only: no float, double or allocation, and the smallest C types', () => {
    const files = exportSmall(g, config).files;
    for (const f of files) {
      if (f.name === 'Makefile' || f.name === 'README.md') continue;
      const code = f.data as string;
      expect(code, f.name).not.toMatch(/\b(float|double|malloc|calloc|realloc|free)\b/);
    }
    const c = text(files, 'model_q.c');
    // 54 weights of 7 bits packed in 48 bytes, 3 biases of 20 bits in 8; 16-bit biases and
    // shifts stay int16_t; 8-bit activations share an int8_t arena.
    expect([config.nodes[1].weights!.bits, config.nodes[1].bias!.bits, config.nodes[3].bias!.bits]).toEqual([7, 20, 16]);
    expect(c).toContain('static const uint8_t w_conv[48] = {');
    expect(c).toContain('static const uint8_t b_conv[8] = {');
    expect(c).toContain('static const int16_t b_mix[4] = {');
    expect(c).toContain('static int8_t fxp_arena[FXP_SMALL_ACTIVATION_BYTES];');
    expect(text(files, 'model_q.h')).toContain('void fixpoint_small_run(const uint8_t *input, int8_t *logits);');
    expect(text(files, 'model_q.h')).toContain('int fixpoint_small_argmax(const int8_t *logits);');
    expect(text(files, 'model_q.h')).toMatch(/#define FXP_SMALL_CONV_W_BITS \d+/);
    expect(c).toMatch(/#define FXP_SMALL_FC_OUT_SHIFT -?\(?\d+\)?/);
  });

  it('turns hostile layer and model names into harmless identifiers', () => {
    const hostile = ['in"put', 'a"; system("x"); /*', '1 */ #include <stdio.h>', '*/ int evil; /*', '\\\n#define X'];
    const bad = { ...smallGraph(hostile), name: 'm */ #error "boom"' };
    const c = mixedConfig(bad, activationStats(bad, images(bad, 20, 1)));
    const res = exportSmall(bad, c);
    expect(res.model).toBe('m_error_boom');
    for (const f of res.files) {
      const code = f.data as string;
      for (const name of [...hostile, bad.name]) expect(code, f.name).not.toContain(name);
      expect(code, f.name).not.toContain('system(');
      if (f.name !== 'test_main.c' && f.name !== 'bench_main.c') expect(code, f.name).not.toContain('<stdio.h>');
      // Every comment closes where it should: no comment text outside the generator's own.
      expect(code.split('/*').length, f.name).toBe(code.split('*/').length);
    }
    const src = text(res.files, 'model_q.c');
    for (const id of ['layer_a_system_x', 'layer_n1_include_stdio_h', 'layer_int_evil', 'layer_define_x']) expect(src).toContain(id);
    const dir = writeFiles(res.files);
    try {
      compile(dir, ['test_main.c', 'model_q.c'], 'test_main', STRICT_CFLAGS);
      const r = run(dir, 'test_main');
      expect(r.stdout).toContain('PASS: m_error_boom: all 16 test vectors bit-exact');
      expect(r.status).toBe(0);
    } finally {
      removeDir(dir);
    }
  });

  it('makes identifiers unique even when sanitised names collide', () => {
    const same = { ...smallGraph(['x', 'conv-1', 'conv_1', 'CONV 1', 'conv.1']), name: '42' };
    const res = exportSmall(same, mixedConfig(same, activationStats(same, images(same, 20, 1))), 2);
    const src = text(res.files, 'model_q.c');
    for (const id of ['layer_conv_1(', 'layer_conv_1_2(', 'layer_conv_1_3(', 'layer_conv_1_4(']) expect(src).toContain(id);
    expect(res.model).toBe('n42');
    const dir = writeFiles(res.files);
    try {
      expect(make(dir)).toContain('PASS: n42');
    } finally {
      removeDir(dir);
    }
  });

  it('refuses a configuration that leaves tensors float, naming them', () => {
    const partial: QuantConfig = { nodes: config.nodes.map((n) => ({ ...n })) };
    partial.nodes[1].bias = null;
    partial.nodes[4].output = null;
    expect(() => buildCExport(g, partial, { testVectors: { inputs: [], logits: [] } })).toThrow(
      'the C export needs a fixed-point format for every tensor, and 2 are still float: conv.bias, fc.output',
    );
  });

  it('refuses unsigned 32-bit formats, missing test vectors and values beyond 64 bits', () => {
    const u32: QuantConfig = { nodes: config.nodes.map((n) => ({ ...n })) };
    u32.nodes[1].bias = { bits: 32, frac: 20, signed: false };
    expect(() => buildCExport(g, u32, { testVectors: { inputs: [], logits: [] } })).toThrow(/conv\.bias \(unsigned 32-bit\)/);
    expect(() => buildCExport(g, config, { testVectors: { inputs: [], logits: [] } })).toThrow(/needs test vectors/);
    // A large bias with 50 fractional bits fewer than the accumulator: aligned, it needs ~2^75.
    const big = smallGraph();
    const fc = big.nodes[4] as Extract<Graph['nodes'][number], { kind: 'dense' }>;
    fc.bias = Float32Array.from([1e9, -1e9, 5, 0]);
    const far: QuantConfig = { nodes: config.nodes.map((n) => ({ ...n })) };
    far.nodes[4].bias = { bits: 32, frac: -10, signed: true };
    far.nodes[4].weights = { bits: 16, frac: 40, signed: true };
    expect(() => buildCExport(big, far, { testVectors: referenceTestVectors(g, config, images(g, 1, 1)) })).toThrow(
      /^layer fc: the accumulator can reach \d+ \(7\d bits\), beyond exact 64-bit arithmetic/,
    );
  });

  it('accumulates in 64 bits exactly where a 32-bit sum could overflow', () => {
    // 16-bit inputs and weights: |sum| can exceed 2^31 in the dense layer (36 products of up to 2^30).
    const wide = configWith(g, stats, (t) => (t.role === 'bias' ? 32 : t.role === 'activation' ? 16 : t.node === 4 ? 16 : 8));
    const res = exportSmall(g, wide);
    expect([...res.arith.get(4)!]).toContain('int64_t');
    expect([...res.arith.get(1)!]).toEqual(['int32_t']);
    expect(text(res.files, 'model_q.c')).toMatch(/int64_t acc = 0;\n\s+for \(int32_t i = 0; i < 36; \+\+i\) acc \+= \(int64_t\)in\[i\] \* \(int64_t\)w\[i\];/);
    const dir = writeFiles(res.files);
    try {
      expect(make(dir)).toContain('PASS: small: all 16 test vectors bit-exact');
    } finally {
      removeDir(dir);
    }
  });
});
