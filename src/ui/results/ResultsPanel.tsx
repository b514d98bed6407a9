// Step 4: the result — costs against float and uniform 8-bit, accuracy on the search and the
// held-out images, the frontier, and the per-layer formats.
import type { LossFigure, ResultPoint, RunView } from '../../worker/contract.ts';
import { big, fmt, kb, pct } from '../common/format.ts';
import { FrontierChart } from './FrontierChart.tsx';

interface Props {
  run: RunView;
  picked: ResultPoint | null;
  budget: number;
}

const reduction = (x: number, base: number) => (base > 0 ? 1 - x / base : 0);

/** A loss with its 95% interval, flagged when above the budget. */
function Loss({ f, budget, testId }: { f: LossFigure; budget: number; testId?: string }) {
  const over = f.loss > budget + 1e-12;
  return (
    <span className={over ? 'over-budget' : undefined} data-testid={testId}>
      {pct(f.loss)} <span className="hint">(95% {pct(f.ci[0])} to {pct(f.ci[1])}, {f.total} images)</span>{over ? ' — over budget' : ''}
    </span>
  );
}

export function ResultsPanel({ run, picked, budget }: Props) {
  const base = run.baseline8;
  const rows: { label: string; key: 'memory_kb' | 'weights_kb' | 'peak_activation_kb' | 'mult_cost' | 'mult_cost_paper'; show: (x: number) => string }[] = [
    { label: 'memory (weights + activations)', key: 'memory_kb', show: kb },
    { label: 'weights and biases', key: 'weights_kb', show: kb },
    { label: 'peak activation RAM', key: 'peak_activation_kb', show: kb },
    { label: 'multiplication cost Σ MACs·bw·bi', key: 'mult_cost', show: big },
    { label: 'multiplication cost, paper Σ MACs·bw·bo', key: 'mult_cost_paper', show: big },
  ];
  return (
    <section className="panel" data-testid="results-panel" aria-labelledby="res-h">
      <h2 id="res-h">4. Result</h2>
      <p className="hint">
        {run.method} search: {run.evaluations} evaluations in {run.seconds.toFixed(1)} s, {run.frontier.length} points on the frontier.
      </p>
      {!picked && <p className="warning" data-testid="no-pick">No configuration found within {pct(budget, 1)}: raise the budget.</p>}
      {picked && (
        <>
          <div className="cards">
            <div className="card" data-testid="card-memory">
              <div className="big-number">{pct(reduction(picked.costs.memory_kb, base.costs.memory_kb), 1)}</div>
              less memory than 8-bit ({kb(picked.costs.memory_kb)} vs {kb(base.costs.memory_kb)})
            </div>
            <div className="card" data-testid="card-mult">
              <div className="big-number">{pct(reduction(picked.costs.mult_cost_paper, base.costs.mult_cost_paper), 1)}</div>
              cheaper multiplications than 8-bit (paper's measure)
            </div>
            <div className={picked.over_budget ? 'card over-budget' : 'card'} data-testid="card-accuracy">
              <div className="big-number" data-testid="heldout-loss">{pct(picked.validation_loss)}</div>
              held-out loss ({pct(picked.validation_acc)} vs float {pct(run.float.validation_acc)})
              {picked.over_budget ? <strong data-testid="over-budget"> — over the {pct(picked.budget, 1)} budget</strong> : <> — within the {pct(picked.budget, 1)} budget</>}
            </div>
          </div>
          {picked.warnings.map((w) => <p key={w} className="warning" role="alert" data-testid="result-warning">{w}</p>)}
          <ul className="losses" data-testid="loss-list">
            <li>held out: <Loss f={picked.validation} budget={picked.budget} testId="loss-heldout" /></li>
            {picked.confirmation && <li>confirmation{run.pick.on === 'confirmation' ? ' (the pick was made here)' : ''}: <Loss f={picked.confirmation} budget={picked.budget} testId="loss-confirmation" /></li>}
            <li>search: <Loss f={picked.search} budget={picked.budget} testId="loss-search" /></li>
          </ul>
          {run.method === 'paper' && (
            <p className="hint" data-testid="paper-note">As the paper did, this method searches and judges on the same images (in-sample); the held-out loss shows what that costs.</p>
          )}
          <FrontierChart frontier={run.frontier} picked={picked} baselineKb={base.costs.memory_kb} budget={budget} />
          <table data-testid="cost-table">
            <thead><tr><th /><th>float</th><th>uniform 8-bit</th><th>this result</th><th>vs 8-bit</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <td>{r.label}</td>
                  <td>{r.show(run.float.costs[r.key])}</td>
                  <td>{r.show(base.costs[r.key])}</td>
                  <td>{r.show(picked.costs[r.key])}</td>
                  <td>−{pct(reduction(picked.costs[r.key], base.costs[r.key]), 1)}</td>
                </tr>
              ))}
              <tr><td>accuracy, search images</td><td>{pct(run.float.calibration_acc)}</td><td>{pct(base.calibration_acc)}</td><td>{pct(picked.calibration_acc)}</td><td /></tr>
              <tr><td>accuracy, held-out images</td><td>{pct(run.float.validation_acc)}</td><td>{pct(base.validation_acc)}</td><td>{pct(picked.validation_acc)}</td><td /></tr>
            </tbody>
          </table>
          <h3>Formats per layer <span className="hint">(bits.frac; u = unsigned; input {fmt(picked.input)})</span></h3>
          <div className="scroll">
            <table data-testid="format-table">
              <thead><tr><th>layer</th><th>kind</th><th>MACs</th><th>weights</th><th>bias</th><th>BN scale / shift</th><th>output</th></tr></thead>
              <tbody>
                {picked.layers.map((l) => (
                  <tr key={l.node}>
                    <td>{l.name}</td><td>{l.kind}</td><td>{l.macs ? big(l.macs) : ''}</td>
                    <td>{l.params ? fmt(l.weights) : ''}</td><td>{l.params ? fmt(l.bias) : ''}</td>
                    <td>{l.scale || l.shift ? `${fmt(l.scale)} / ${fmt(l.shift)}` : ''}</td><td>{fmt(l.output)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
