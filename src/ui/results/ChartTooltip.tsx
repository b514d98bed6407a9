// The tooltip of the trade-off charts: every cost of the configuration under the pointer and
// its losses — on the search images, and on the held-out images where it has been scored there.
import { big, kb, pct } from '../common/format.ts';
import type { RecordedCosts } from '../../worker/contract.ts';

export interface ChartDatum {
  x: number;
  y: number;
  kind: 'evaluated' | 'frontier' | 'float' | 'baseline8' | 'chosen';
  id?: number;
  costs: RecordedCosts;
  /** Search-image loss (fraction). */
  loss: number;
  /** The loss the budget is compared with, when it differs from `loss`. */
  bound?: number;
  /** Held-out loss, known for the chosen configuration. */
  validation?: number;
}

const TITLE: Record<ChartDatum['kind'], string> = {
  evaluated: 'configuration scored', frontier: 'frontier configuration', float: 'float model', baseline8: 'uniform 8-bit', chosen: 'chosen configuration',
};

interface Props {
  budget: number;
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: ChartDatum }>;
}

export function ChartTooltip({ active, payload, budget }: Props) {
  const d = payload?.[0]?.payload;
  if (!active || !d) return null;
  const over = d.loss > budget + 1e-12;
  return (
    <div className="chart-tooltip" data-testid="chart-tooltip">
      <strong>{TITLE[d.kind]}</strong>
      <table>
        <tbody>
          <tr><td>loss, search images</td><td className={over ? 'over-budget' : ''}>{pct(d.loss)}{over ? ' (over budget)' : ''}</td></tr>
          {d.bound !== undefined && Math.abs(d.bound - d.loss) > 1e-9 && <tr><td>loss with margin</td><td>{pct(d.bound)}</td></tr>}
          <tr><td>loss, held-out images</td><td>{d.validation !== undefined ? pct(d.validation) : d.kind === 'float' ? pct(0) : d.id !== undefined ? 'click to score' : '—'}</td></tr>
          <tr><td>memory</td><td>{kb(d.costs.memory_kb)}</td></tr>
          <tr><td>weights + biases</td><td>{kb(d.costs.weights_kb)}</td></tr>
          <tr><td>peak activations</td><td>{kb(d.costs.peak_activation_kb)}</td></tr>
          <tr><td>mult. cost (bw·bi)</td><td>{big(d.costs.mult_cost)}</td></tr>
          <tr><td>mult. cost, paper (bw·bo)</td><td>{big(d.costs.mult_cost_paper)}</td></tr>
        </tbody>
      </table>
      {d.id !== undefined && d.kind !== 'chosen' && <div className="hint">Click to choose this configuration.</div>}
    </div>
  );
}
