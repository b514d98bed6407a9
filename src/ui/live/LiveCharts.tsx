// The trade-off charts while the search runs: each configuration appears as it is scored.
import type { RunView, ScoredPoint } from '../../worker/contract.ts';
import { TradeoffCharts } from '../results/TradeoffCharts.tsx';
import type { ChartMarkers } from '../results/TradeoffChart.tsx';

interface Props {
  points: readonly ScoredPoint[];
  budget: number;
  /** Float and 8-bit costs from the previous run or the first points, once known. */
  reference: Pick<RunView, 'float' | 'baseline8'> | null;
}

export function LiveCharts({ points, budget, reference }: Props) {
  // The first point scored is always the 8-bit baseline. Float is 32 bits wherever it has 8
  // (DESIGN.md §5), so its memory is exactly 4 times and its multiplication cost 16 times.
  const base = points[0];
  if (!base) return null;
  const markers: ChartMarkers = {
    float: reference
      ? { cost: 0, loss: 0, costs: reference.float, validation_loss: 0 }
      : { cost: 0, loss: 0, costs: { memory_kb: base.memory_kb * 4, weights_kb: base.weights_kb * 4, peak_activation_kb: base.peak_activation_kb * 4, mult_cost: base.mult_cost * 16, mult_cost_paper: base.mult_cost_paper * 16 }, validation_loss: 0 },
    baseline8: { cost: 0, loss: base.calibration_loss, costs: base },
    chosen: null,
  };
  return (
    <div data-testid="live-charts" aria-label="trade-off charts, updated as the search scores configurations">
      <TradeoffCharts points={points} budget={budget} markers={markers} />
    </div>
  );
}
