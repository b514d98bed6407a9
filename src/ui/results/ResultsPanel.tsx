// Step 4: the result — whether it keeps the budget, costs against float and uniform 8-bit,
// accuracy on the search and the held-out images, both trade-off charts, and the per-layer
// view: bit widths, a tensor's histogram, formats to edit, lock and score again.
import type { Format, LayerLock, LossFigure, NamedConfig, ResultPoint, RunView, TensorHistogram, TensorSlot } from '../../worker/contract.ts';
import { reduction } from '../../core/cost.ts';
import { big, kb, pct } from '../common/format.ts';
import { BitWidthBars } from './BitWidthBars.tsx';
import { BudgetVerdict } from './BudgetVerdict.tsx';
import { FormatTable } from './FormatTable.tsx';
import { TensorHistogramView } from './TensorHistogramView.tsx';
import { TradeoffCharts } from './TradeoffCharts.tsx';
import type { ChartMarkers } from './TradeoffChart.tsx';
import './results.css';

interface Props {
  run: RunView;
  picked: ResultPoint | null;
  budget: number;
  /** The shown configuration was edited by hand (not a search's pick). */
  edited: boolean;
  locks: LayerLock[];
  rescoring: boolean;
  onLocks(locks: LayerLock[]): void;
  onSelect(id: number): void;
  onRescore(config: NamedConfig): void;
  fetchHistogram(layer: string, slot: TensorSlot, format: Format | null): Promise<TensorHistogram>;
}

export function chartMarkers(run: RunView, picked: ResultPoint | null): ChartMarkers {
  const b = run.baseline8;
  return {
    float: { cost: 0, loss: 0, costs: run.float, validation_loss: 0 },
    baseline8: { cost: 0, loss: b.calibration_loss, costs: b, validation_loss: b.validation_loss },
    chosen: picked && { cost: 0, loss: picked.calibration_loss, costs: picked, validation_loss: picked.validation_loss },
  };
}

/** A loss with its 95% interval, flagged when above the budget. */
function Loss({ f, budget, testId }: { f: LossFigure; budget: number; testId?: string }) {
  const over = f.loss > budget + 1e-12;
  return (
    <span className={over ? 'over-budget' : undefined} data-testid={testId}>
      {pct(f.loss)} <span className="hint">(95% {pct(f.ci[0])} to {pct(f.ci[1])}, {f.total} images)</span>{over ? ' — over budget' : ''}
    </span>
  );
}

export function ResultsPanel({ run, picked, budget, edited, locks, rescoring, onLocks, onSelect, onRescore, fetchHistogram }: Props) {
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
      {picked && <BudgetVerdict method={run.method} picked={picked} budget={budget} edited={edited} />}
      {!picked && <TradeoffCharts points={run.points} budget={budget} markers={chartMarkers(run, null)} onSelect={onSelect} />}
      {picked && (
        <>
          <div className="cards">
            <div className="card" data-testid="card-memory">
              <div className="big-number">{pct(reduction(picked.memory_kb, base.memory_kb), 1)}</div>
              less memory than 8-bit ({kb(picked.memory_kb)} vs {kb(base.memory_kb)})
            </div>
            <div className="card" data-testid="card-mult">
              <div className="big-number">{pct(reduction(picked.mult_cost_paper, base.mult_cost_paper), 1)}</div>
              cheaper multiplications than 8-bit (paper's measure)
            </div>
            <div className={`card${picked.validation_loss > budget + 1e-12 ? ' over-budget' : ''}`} data-testid="card-accuracy">
              <div className="big-number" data-testid="heldout-loss">{pct(picked.validation_loss)}{picked.validation_loss > budget + 1e-12 ? ' ⚠' : ''}</div>
              held-out loss ({pct(picked.validation_acc)} vs float {pct(run.float.validation_acc)}); {pct(picked.calibration_loss)} on the search images
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
          <TradeoffCharts points={run.points} budget={budget} markers={chartMarkers(run, picked)} onSelect={onSelect} />
          <table data-testid="cost-table">
            <thead><tr><th /><th>float</th><th>uniform 8-bit</th><th>this result</th><th>vs 8-bit</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <td>{r.label}</td>
                  <td>{r.show(run.float[r.key])}</td>
                  <td>{r.show(base[r.key])}</td>
                  <td>{r.show(picked[r.key])}</td>
                  <td>−{pct(reduction(picked[r.key], base[r.key]), 1)}</td>
                </tr>
              ))}
              <tr><td>accuracy, search images</td><td>{pct(run.float.calibration_acc)}</td><td>{pct(base.calibration_acc)}</td><td>{pct(picked.calibration_acc)}</td><td /></tr>
              <tr><td>accuracy, held-out images</td><td>{pct(run.float.validation_acc)}</td><td>{pct(base.validation_acc)}</td><td>{pct(picked.validation_acc)}</td><td /></tr>
            </tbody>
          </table>
          <h3>Where the bits went</h3>
          <div className="layer-view">
            <BitWidthBars picked={picked} />
            <TensorHistogramView picked={picked} fetchHistogram={fetchHistogram} />
          </div>
          <FormatTable picked={picked} locks={locks} busy={rescoring} onLocks={onLocks} onRescore={onRescore} />
        </>
      )}
    </section>
  );
}
