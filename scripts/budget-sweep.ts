// The budget issue's measurement (src/search/README.md): frontier at the shipped defaults against
// the paper method over seeded splits and budgets — held-out loss against the budget, and costs.
// One frontier walk per (model, seed) serves every budget and every z (the walk does not depend
// on them once confirmation turns polish off); the confirmation runs at the smallest z and larger
// ones are re-derived from the stored counts.
//
//   npx tsx scripts/budget-sweep.ts [--models demo,keras,onnx] [--seeds 5] [--budgets 1,2] [--z 1.645]
//                                   [--search N --confirmation N --validation N]
import { readPathAsFiles } from '../src/formats/node-files.ts';
import { openDataset, openModel } from '../src/formats/index.ts';
import { nodeWorkspace } from '../src/cli/inputs.ts';
import { demoDataPath, demoModelPath } from '../src/cli/project.ts';
import { baselineConfig, configCost, reductions } from '../src/core/cost.ts';
import { changesOf, lossUpper } from '../src/core/interval.ts';
import { pickConfirmed } from '../src/search/confirm.ts';
import { relativeLoss } from '../src/search/evaluator.ts';
import { runSearch } from '../src/search/run.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const MODELS: Record<string, { model: string; data: string; resize?: [number, number] }> = {
  demo: { model: demoModelPath(), data: demoDataPath() },
  keras: { model: '../shared/fixtures/paper/mnist_keras.h5', data: '../shared/fixtures/mnist' },
  onnx: { model: '../shared/fixtures/onnx/mnist-8.onnx', data: '../shared/fixtures/mnist' },
  seq: { model: '../shared/fixtures/paper/mnist_seq_large.h5', data: '../shared/fixtures/mnist' },
  simple: { model: '../shared/fixtures/paper/mnist_cnn_simple.h5', data: '../shared/fixtures/mnist' },
  branched: { model: '../shared/fixtures/paper/mnist_vanilla_branched.h5', data: '../shared/fixtures/mnist' },
  // The paper's DF network takes MNIST resized to 96×96 (DESIGN.md §10).
  df: { model: '../shared/fixtures/paper/inception_v3_model_batchnorm.h5', data: '../shared/fixtures/mnist', resize: [96, 96] },
};
const models = arg('models', 'demo,keras,onnx').split(',');
const seeds = +arg('seeds', '5');
const firstSeed = +arg('first-seed', '0');
const budgets = arg('budgets', '1,2').split(',').map((b) => +b / 100);
const zs = arg('z', '1.645').split(',').map(Number).sort((a, b) => a - b);
const noPaper = process.argv.includes('--no-paper');
const split = {
  search: process.argv.includes('--search') ? +arg('search', '0') : undefined,
  confirmation: process.argv.includes('--confirmation') ? +arg('confirmation', '0') : undefined,
  validation: process.argv.includes('--validation') ? +arg('validation', '0') : undefined,
};

const pct = (x: number) => (x * 100).toFixed(2);
for (const name of models) {
  const m = MODELS[name];
  const session = await nodeWorkspace();
  session.setModel(await openModel(readPathAsFiles(m.model)));
  const dataset = await openDataset(readPathAsFiles(m.data));
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const data = session.setData(dataset, m.resize ? { resize: m.resize } : {}, { seed, ...split });
    const base = configCost(session.graph, baselineConfig(session.graph, data.stats));
    const red = (c: { memory_kb: number; mult_cost: number; mult_cost_paper: number }) => {
      const r = reductions({ ...base, ...c }, base);
      return { mem: pct(r.memory), mcp: pct(r.mult_cost_paper) };
    };
    const ev = session.evaluators();
    const t0 = performance.now();
    const f = await runSearch('frontier', {
      graph: session.graph, evaluator: ev.search, confirmation: ev.confirmation, confirmZ: zs[0], budget: Math.min(...budgets), stats: data.stats, seed,
    });
    const fs = (performance.now() - t0) / 1000;
    const heldOut = async (c: Parameters<typeof ev.validation.evaluate>[0]) => relativeLoss(ev.validation.floatCorrect, (await ev.validation.evaluate(c)).correct);
    for (const budget of budgets) {
      let paper: { loss: number; mem: number; mcp: number; mc: number; search: number; s: number } | null = null;
      if (!noPaper) {
        const t1 = performance.now();
        const p = await runSearch('paper', { graph: session.graph, evaluator: session.evaluators().search, budget, stats: data.stats, seed });
        paper = { loss: await heldOut(p.chosen.config), mem: p.chosen.cost.memory_kb, mcp: p.chosen.cost.mult_cost_paper, mc: p.chosen.cost.mult_cost, search: p.chosen.calibration_loss, s: (performance.now() - t1) / 1000 };
      }
      for (const z of zs) {
        const pts = f.frontier.map((p) => ({
          ...p,
          confirmation: p.confirmation ? { ...p.confirmation, upper: lossUpper(changesOf(p.confirmation, p.confirmation.floatCorrect), z) } : p.confirmation,
        }));
        const pick = pickConfirmed(pts, budget) ?? pts[0];
        const loss = await heldOut(pick.config);
        const row = {
          model: name, seed, budget: pct(budget), z, search: data.calibration.labels.length, confirmation: data.confirmation.labels.length,
          heldout: data.validation.labels.length, frontier_heldout: pct(loss), within: loss <= budget + 1e-12,
          frontier_kb: +pick.memory_kb.toFixed(2), frontier_mcp: pick.mult_cost_paper, frontier_s: +fs.toFixed(1),
          frontier_reduction: red({ memory_kb: pick.memory_kb, mult_cost: pick.mult_cost, mult_cost_paper: pick.mult_cost_paper }),
          ...(paper ? {
            paper_search: pct(paper.search), paper_heldout: pct(paper.loss), paper_kb: +paper.mem.toFixed(2), paper_mcp: paper.mcp, paper_s: +paper.s.toFixed(1),
            paper_reduction: red({ memory_kb: paper.mem, mult_cost: paper.mc, mult_cost_paper: paper.mcp }),
            mem_ratio: +(pick.memory_kb / paper.mem).toFixed(3), mcp_ratio: +(pick.mult_cost_paper / paper.mcp).toFixed(3),
          } : {}),
        };
        process.stdout.write(JSON.stringify(row) + '\n');
      }
    }
  }
}
