// One trade-off: search loss against one cost measure. Every configuration the search scored is
// a faint dot, the non-dominated ones are joined by the frontier line, float and uniform 8-bit
// are marked wherever they fall, the budget is a line, and the chosen configuration stands out.
// Clicking a dot makes it the chosen configuration, as the slider does.
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { RecordedCosts, ScoredPoint } from '../../worker/contract.ts';
import { ChartText } from '../common/ChartText.tsx';
import { big, kb } from '../common/format.ts';
import { ChartTooltip, type ChartDatum } from './ChartTooltip.tsx';
import { axesFor, type CostMeasure, logTicks, lossTicks, MEASURE_LABEL, type Marker, nonDominated } from './tradeoff-data.ts';
import { tradeoffText } from './tradeoff-text.ts';

export type ChartMarker = Marker & { costs: RecordedCosts; validation_loss?: number };

export interface ChartMarkers {
  float: ChartMarker;
  baseline8: ChartMarker;
  /** The configuration shown in the result (null while searching or when none fits). */
  chosen: ChartMarker | null;
}

interface Props {
  measure: CostMeasure;
  points: readonly ScoredPoint[];
  budget: number;
  markers: ChartMarkers;
  /** Called with a point's id when it is clicked (absent while searching). */
  onSelect?: (id: number) => void;
  testId: string;
}

const tick = (m: CostMeasure) => (v: number) => (m === 'memory_kb' ? kb(v) : big(v));

export function TradeoffChart({ measure, points, budget, markers, onSelect, testId }: Props) {
  const fixed = [markers.float, markers.baseline8, ...(markers.chosen ? [markers.chosen] : [])].map((m) => ({ cost: m.costs[measure], loss: m.loss }));
  const axes = axesFor(points, measure, budget, fixed);
  const top = axes.y[1];
  const datum = (p: RecordedCosts & { calibration_loss: number }, kind: ChartDatum['kind'], extra: Partial<ChartDatum> = {}): ChartDatum => ({
    x: p[measure], y: Math.min(p.calibration_loss * 100, top), kind, costs: p, loss: p.calibration_loss, ...extra,
  });
  const all = points.map((p) => datum(p, 'evaluated', { id: p.id, bound: p.loss_bound }));
  const front = nonDominated(points, measure).filter((p) => p.calibration_loss * 100 <= top).map((p) => datum(p, 'frontier', { id: p.id, bound: p.loss_bound }));
  const mark = (m: ChartMarker, kind: ChartDatum['kind']) => [datum({ ...m.costs, calibration_loss: m.loss }, kind, { validation: m.validation_loss })];
  const click = onSelect ? (item: { payload?: ChartDatum }) => { if (item.payload?.id !== undefined) onSelect(item.payload.id); } : undefined;
  const label = MEASURE_LABEL[measure];
  const words = tradeoffText(measure, points, budget, markers);
  return (
    <figure className="tradeoff" data-testid={testId} data-points={points.length} data-frontier={front.length}
      aria-label={`trade-off chart: loss against ${label}`} aria-describedby={`${testId}-text`}>
      <ResponsiveContainer width="100%" height={290}>
        <ScatterChart margin={{ top: 12, right: 16, bottom: 34, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis type="number" dataKey="x" scale="log" domain={axes.x} allowDataOverflow tickFormatter={tick(measure)} ticks={logTicks(axes.x[0], axes.x[1])}
            label={{ value: `${label}, log scale →`, position: 'bottom', offset: 14, fontSize: 12 }} fontSize={11} />
          <YAxis type="number" dataKey="y" domain={axes.y} allowDataOverflow unit="%" width={64} fontSize={11} ticks={lossTicks(axes.y[1])}
            label={{ value: 'loss, search images (%)', angle: -90, position: 'insideLeft', offset: 0, dy: 70, fontSize: 12 }} />
          <Tooltip content={<ChartTooltip budget={budget} />} isAnimationActive={false} />
          <ReferenceLine y={budget * 100} stroke="#c0157a" strokeDasharray="5 4" ifOverflow="extendDomain"
            label={{ value: `budget ${(budget * 100).toFixed(1)}%`, position: 'insideTopRight', fill: '#c0157a', fontSize: 11 }} className="budget-line" />
          <ReferenceLine x={markers.baseline8.costs[measure]} stroke="#8a93a0" strokeDasharray="2 3" ifOverflow="extendDomain" />
          <Scatter name="evaluated" data={all} isAnimationActive={false} onClick={click}
            shape={(p: { cx?: number; cy?: number; payload?: ChartDatum }) => <circle className="pt" cx={p.cx} cy={p.cy} r={3} data-id={p.payload?.id} />} />
          <Scatter name="frontier" data={front} line={{ stroke: '#2f6be0', strokeWidth: 2 }} lineType="joint" isAnimationActive={false} onClick={click}
            shape={(p: { cx?: number; cy?: number; payload?: ChartDatum }) => <FrontierDot cx={p.cx} cy={p.cy} d={p.payload} measure={measure} onSelect={onSelect} />} />
          <Scatter name="float" data={mark(markers.float, 'float')} isAnimationActive={false}
            shape={(p: { cx?: number; cy?: number }) => <Labelled cx={p.cx} cy={p.cy} text="float" className="mark-float" d="M0,-7 L6,5 L-6,5 Z" left />} />
          <Scatter name="uniform 8-bit" data={mark(markers.baseline8, 'baseline8')} isAnimationActive={false}
            shape={(p: { cx?: number; cy?: number }) => <Labelled cx={p.cx} cy={p.cy} text="8-bit" className="mark-8bit" d="M0,-7 L7,0 L0,7 L-7,0 Z" />} />
          {markers.chosen && (
            <Scatter name="chosen" data={mark(markers.chosen, 'chosen')} isAnimationActive={false}
              shape={(p: { cx?: number; cy?: number }) => <Labelled cx={p.cx} cy={p.cy} text="chosen" className="mark-chosen" d="M0,-9 L2.6,-3 L9,-3 L4,1.5 L6,8 L0,4 L-6,8 L-4,1.5 L-9,-3 L-2.6,-3 Z" />} />
          )}
        </ScatterChart>
      </ResponsiveContainer>
      <figcaption className="hint">
        {points.length} configurations scored on all search images, {front.length} on the frontier (no other is both cheaper and more accurate).
        {axes.hiddenAbove > 0 && ` ${axes.hiddenAbove} with more than ${top.toFixed(1)}% loss are drawn at the top edge.`}
      </figcaption>
      <ChartText id={`${testId}-text`} {...words} />
    </figure>
  );
}

/** A frontier point; with onSelect also a button for the keyboard (Tab, then Enter or Space). */
function FrontierDot({ cx, cy, d, measure, onSelect }: { cx?: number; cy?: number; d?: ChartDatum; measure: CostMeasure; onSelect?: (id: number) => void }) {
  if (!onSelect || d?.id === undefined) return <circle className="front" cx={cx} cy={cy} r={4} data-id={d?.id} />;
  const id = d.id;
  return (
    <circle className="front" cx={cx} cy={cy} r={4} data-id={id} tabIndex={0} role="button"
      aria-label={`choose ${tick(measure)(d.x)} at ${(d.loss * 100).toFixed(2)}% loss`}
      onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(id); } }} />
  );
}

function Labelled({ cx = 0, cy = 0, text, className, d, left }: { cx?: number; cy?: number; text: string; className: string; d: string; left?: boolean }) {
  return (
    <g className={className} transform={`translate(${cx},${cy})`}>
      <path d={d} />
      <text x={left ? -9 : 9} y={-8} fontSize={11} textAnchor={left ? 'end' : 'start'}>{text}</text>
    </g>
  );
}
