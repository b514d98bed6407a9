// The budget issue's measurement (src/search/README.md): frontier at the shipped defaults against
// the paper method over seeded splits and budgets — held-out loss against the budget, and costs.
// One frontier walk per (model, seed) serves every budget and every z (the walk does not depend
// on them once confirmation turns polish off); the confirmation runs at the smallest z and larger
// ones are re-derived from the stored counts.
//
//   npx tsx scripts/budget-sweep.ts [--models demo,keras,onnx] [--seeds 5] [--budgets 1,2] [--paper-budgets 1] [--z 1.645]
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
// Paper searches are long on the big models: `--paper-budgets 1` runs only the 1% one.
const paperBudgets = arg('paper-budgets', arg('budgets', '1,2')).split(',').map((b) => +b / 100);
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
    // Frontier rows first (one walk serves every budget), so a long paper search cannot hide them.
    const picks = new Map<string, Record<string, unknown>>();
    for (const budget of budgets) {
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
        };
        picks.set(`${budget} ${z}`, { ...row, kb: pick.memory_kb, mcp: pick.mult_cost_paper });
        process.stdout.write(JSON.stringify({ stage: 'frontier', ...row }) + '\n');
      }
    }
    if (noPaper) continue;
    for (const budget of paperBudgets) {
      const t1 = performance.now();
      const p = await runSearch('paper', { graph: session.graph, evaluator: session.evaluators().search, budget, stats: data.stats, seed });
      const c = p.chosen.cost;
      const paper = {
        paper_search: pct(p.chosen.calibration_loss), paper_heldout: pct(await heldOut(p.chosen.config)), paper_kb: +c.memory_kb.toFixed(2),
        paper_mcp: c.mult_cost_paper, paper_s: +((performance.now() - t1) / 1000).toFixed(1), paper_reduction: red(c),
      };
      for (const z of zs) {
        const { kb, mcp, ...row } = picks.get(`${budget} ${z}`) ?? { kb: Number.NaN, mcp: Number.NaN };
        const ratios = { mem_ratio: +((kb as number) / c.memory_kb).toFixed(3), mcp_ratio: +((mcp as number) / c.mult_cost_paper).toFixed(3) };
        process.stdout.write(JSON.stringify({ ...row, ...paper, ...ratios }) + '\n');
      }
    }
  }
}
