// Configurations leave the workspace by layer name (core/report.ts NamedConfig): edits scored
// again, locks, histograms, the search and the picked configuration a page kept — including
// what pages kept by node index before names.
import { beforeAll, describe, expect, it } from 'vitest';
import { namedConfig } from '../core/report.ts';
import { readPathAsFiles } from '../formats/node-files.ts';
import type { SearchResult } from '../search/run.ts';
import { simdEngine } from '../testing/engines.ts';
import type { ResultPoint } from '../worker/contract.ts';
import { Workspace } from './workspace.ts';

const MODEL = 'public/models/lenet5-mnist/model.json';
const DATA = 'public/data/mnist-demo';

let ws: Workspace;
let result: SearchResult;
let chosen: ResultPoint;

beforeAll(async () => {
  ws = new Workspace(simdEngine());
  await ws.loadModel(readPathAsFiles(MODEL));
  await ws.loadData(readPathAsFiles(DATA));
  const view = await ws.run({ method: 'uniform', budget: 0.01 });
  result = ws.lastSearch!;
  chosen = view.chosen;
}, 60_000);

const formatsOf = (p: ResultPoint) => namedConfig(p);

describe('configurations by layer name', () => {
  it('a point carries its configuration by name; scoring that again gives the same point', async () => {
    expect(chosen.layers.map((l) => l.name)).toEqual(['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1', 'fc2', 'logits']);
    expect(chosen.layers[0].weights).toMatchObject({ bits: 8, signed: true });
    expect(chosen.layers[1].output).toEqual(chosen.layers[0].output); // the pool keeps conv1's format
    const again = await ws.use(formatsOf(chosen));
    expect(again.memory_kb).toBe(chosen.memory_kb);
    expect(again.mult_cost).toBe(chosen.mult_cost);
    expect(again.layers).toEqual(chosen.layers);
    expect(again.validation).toEqual(chosen.validation);
  });

  it('an edit by name changes that layer only, and the report follows it', async () => {
    const edited = formatsOf(chosen);
    edited.layers[0] = { ...edited.layers[0], weights: { bits: 4, frac: 3, signed: true } };
    const p = await ws.use(edited);
    expect(p.layers[0].weights).toEqual({ bits: 4, frac: 3, signed: true });
    expect(p.layers.slice(1)).toEqual(chosen.layers.slice(1));
    expect(p.memory_kb).toBeLessThan(chosen.memory_kb);
    expect(ws.result().report.layers[0].weights).toEqual({ bits: 4, frac: 3, signed: true });
  });

  it('a picked configuration kept by name or (older pages) by node index comes back the same', async () => {
    const edited = formatsOf(chosen);
    edited.layers[5] = { ...edited.layers[5], weights: { bits: 5, frac: 6, signed: true } };
    await ws.use(edited);
    const byIndex = ws.result().config;
    await ws.adopt(result, edited);
    const fromName = ws.currentPoint!;
    await ws.adopt(result, byIndex);
    expect(ws.currentPoint).toEqual(fromName);
    expect(fromName.layers[5].weights).toEqual({ bits: 5, frac: 6, signed: true });
  });

  it('a search is kept by layer name and comes back as it was, as does one kept by node index', async () => {
    await ws.adopt(result);
    const saved = JSON.parse(JSON.stringify(ws.savedSearch()));
    expect(saved.chosen.config.layers.map((l: { name: string }) => l.name)).toContain('fc1');
    expect(saved.records.every((r: { config: object }) => 'layers' in r.config && !('nodes' in r.config))).toBe(true);
    const viewFromIndex = await ws.adopt(result);
    const viewFromName = await ws.adopt(saved);
    expect(viewFromName).toEqual(viewFromIndex);
    expect(ws.lastSearch!.records.map((r) => r.config)).toEqual(result.records.map((r) => r.config));
  });

  it('locks name their layer (null: the input image); an unknown name is refused in words', async () => {
    const view = await ws.run({
      method: 'uniform', budget: 0.01,
      locked: [{ layer: 'fc1', slot: 'weights', format: { bits: 3, frac: 4, signed: true } }, { layer: null, slot: 'output', format: { bits: 6, frac: 5, signed: false } }],
    });
    expect(view.chosen.layers[5].weights).toEqual({ bits: 3, frac: 4, signed: true });
    expect(view.chosen.input).toEqual({ bits: 6, frac: 5, signed: false });
    await expect(ws.run({ method: 'uniform', budget: 0.01, locked: [{ layer: 'nope', slot: 'weights', format: { bits: 3, frac: 4, signed: true } }] }))
      .rejects.toThrow('A locked format names layer "nope", which this model does not have');
  });

  it('histograms name their layer', () => {
    const h = ws.histogram('conv2', 'weights', { bits: 4, frac: 5, signed: true });
    expect(h.count).toBe(2400);
    expect(() => ws.histogram('nope', 'weights', null)).toThrow('No layer nope in this model.');
  });
});
