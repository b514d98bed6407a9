// A trade-off chart in words, for screen readers and anyone who wants the numbers: what it
// plots, where the frontier runs, where float, 8-bit, the budget and the chosen point are.
import type { ScoredPoint } from '../../worker/contract.ts';
import { big, kb, pct } from '../common/format.ts';
import type { ChartMarkers } from './TradeoffChart.tsx';
import { type CostMeasure, MEASURE_LABEL, nonDominated } from './tradeoff-data.ts';

export interface ChartWords {
  summary: string;
  columns: string[];
  rows: string[][];
}

export function tradeoffText(measure: CostMeasure, points: readonly ScoredPoint[], budget: number, markers: ChartMarkers): ChartWords {
  const cost = (x: number) => (measure === 'memory_kb' ? kb(x) : big(x));
  const at = (c: number, loss: number) => `${cost(c)} at ${pct(loss)} loss`;
  const front = nonDominated(points, measure);
  const { float, baseline8, chosen } = markers;
  const parts = [`Loss on the search images against ${MEASURE_LABEL[measure]}.`];
  parts.push(front.length > 0
    ? `${points.length} configurations scored; the frontier of ${front.length} runs from ${at(front[0][measure], front[0].calibration_loss)} to ${at(front[front.length - 1][measure], front[front.length - 1].calibration_loss)}.`
    : `${points.length} configurations scored.`);
  parts.push(`Uniform 8-bit: ${at(baseline8.costs[measure], baseline8.loss)}; float: ${cost(float.costs[measure])}. Budget ${pct(budget, 1)}.`);
  if (chosen) parts.push(`Chosen: ${at(chosen.costs[measure], chosen.loss)}${chosen.validation_loss !== undefined ? `, ${pct(chosen.validation_loss)} on held-out images` : ''}.`);
  const row = (name: string, c: number, loss: number) => [name, cost(c), pct(loss)];
  return {
    summary: parts.join(' '),
    columns: ['point', MEASURE_LABEL[measure], 'loss, search images'],
    rows: [
      row('float', float.costs[measure], float.loss),
      row('uniform 8-bit', baseline8.costs[measure], baseline8.loss),
      ...(chosen ? [row('chosen', chosen.costs[measure], chosen.loss)] : []),
      ...front.map((p) => row('frontier', p[measure], p.calibration_loss)),
    ],
  };
}
