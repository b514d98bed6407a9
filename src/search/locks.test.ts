import { describe, expect, it } from 'vitest';
import { getFormat, quantTensors } from '../core/tensors.ts';
import type { LockedFormat } from './locks.ts';
import { runSearch } from './run.ts';
import type { Progress } from './scorer.ts';
import { fixture } from '../testing/search-fixture.ts';

const B = 0.02;

describe('locked formats', () => {
  const f = fixture();
  const tensors = quantTensors(f.graph, f.stats);
  const conv2w = tensors.find((t) => t.name === 'conv2.weights')!;
  // A format no method would pick by itself (wide and oddly placed), so keeping it is no accident.
  const lock: LockedFormat = { node: conv2w.node, slot: 'weights', format: { bits: 11, frac: 9, signed: true } };

  for (const method of ['paper', 'frontier', 'naive', 'uniform'] as const) {
    it(`${method}: the locked tensor keeps its format in every configuration scored, and is never searched`, async () => {
      const progress: Progress[] = [];
      const r = await runSearch(method, { graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats, locked: [lock], onProgress: (p) => progress.push(p) });
      expect(getFormat(r.chosen.config, lock)).toEqual(lock.format);
      // Every record after the 8-bit baseline (the first) carries the lock.
      for (const rec of r.records.slice(1)) expect(getFormat(rec.config, lock)).toEqual(lock.format);
      expect(r.frontier.every((p) => getFormat(p.config, lock)?.bits === 11)).toBe(true);
      expect(r.trace.some((s) => s.tensor === 'conv2.weights')).toBe(false);
      expect(progress.some((p) => p.tensor === 'conv2.weights')).toBe(false);
      // The baseline stays plain 8-bit.
      expect(getFormat(r.baseline8.config, lock)!.bits).toBe(8);
    });
  }

  it('refuses a lock outside the allowed widths, naming the tensor', async () => {
    const bad: LockedFormat = { ...lock, format: { bits: 17, frac: 3, signed: true } };
    await expect(runSearch('paper', { graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats, locked: [bad] }))
      .rejects.toThrow('conv2.weights: locked at 17 bits; use 1 to 16');
  });

  it('progress carries each configuration scored on all search images, once, with its record index', async () => {
    const progress: Progress[] = [];
    const r = await runSearch('paper', { graph: f.graph, evaluator: f.search(), budget: B, stats: f.stats, onProgress: (p) => progress.push(p) });
    const points = progress.flatMap((p) => (p.point ? [p.point] : []));
    const full = r.records.map((rec, id) => ({ rec, id })).filter(({ rec }) => rec.subset === 'full' && rec.exact);
    expect(points.map((p) => p.id)).toEqual(full.map((x) => x.id));
    for (const p of points) {
      expect(p.memory_kb).toBe(r.records[p.id].memory_kb);
      expect(p.calibration_loss).toBe(r.records[p.id].calibration_loss);
    }
  });
});
