// Both trade-offs side by side: loss against memory and loss against multiplication cost, the
// latter by the true input bitwidths or by the paper's formula (a switch).
import { useState } from 'react';
import type { ScoredPoint } from '../../worker/contract.ts';
import type { ChartMarkers } from './TradeoffChart.tsx';
import { TradeoffChart } from './TradeoffChart.tsx';
import './results.css';

interface Props {
  points: readonly ScoredPoint[];
  budget: number;
  markers: ChartMarkers;
  onSelect?: (id: number) => void;
}

export function TradeoffCharts({ points, budget, markers, onSelect }: Props) {
  const [mult, setMult] = useState<'mult_cost' | 'mult_cost_paper'>('mult_cost_paper');
  return (
    <div className="tradeoffs" data-testid="tradeoff-charts">
      <div className="tradeoff-switch" role="group" aria-label="multiplication cost measure">
        Multiplication cost by{' '}
        <label><input type="radio" name="mult-measure" checked={mult === 'mult_cost_paper'} onChange={() => setMult('mult_cost_paper')} data-testid="measure-paper" /> the paper's formula (weight × output bits)</label>{' '}
        <label><input type="radio" name="mult-measure" checked={mult === 'mult_cost'} onChange={() => setMult('mult_cost')} data-testid="measure-true" /> the bits really multiplied (weight × input bits)</label>
      </div>
      <div className="tradeoff-grid">
        <TradeoffChart measure="memory_kb" points={points} budget={budget} markers={markers} onSelect={onSelect} testId="chart-memory" />
        <TradeoffChart measure={mult} points={points} budget={budget} markers={markers} onSelect={onSelect} testId="chart-mult" />
      </div>
      <ul className="chart-legend" aria-label="chart legend">
        <li><span className="key pt" /> a configuration scored</li>
        <li><span className="key front" /> frontier</li>
        <li><span className="key budget" /> budget</li>
        <li><span className="key float">▲</span> float</li>
        <li><span className="key eight">◆</span> uniform 8-bit</li>
        {markers.chosen && <li><span className="key chosen">★</span> chosen</li>}
        {onSelect && <li className="hint">Click a point to choose it.</li>}
      </ul>
    </div>
  );
}
