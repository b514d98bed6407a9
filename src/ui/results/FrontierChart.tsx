// Accuracy loss against memory for every frontier point, with the 8-bit baseline and the
// current pick marked: the trade-off a table cannot show at a glance.
import { CartesianGrid, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { FrontierDot, ResultPoint } from '../../worker/contract.ts';

interface Props {
  frontier: FrontierDot[];
  picked: ResultPoint | null;
  baselineKb: number;
  budget: number;
}

export function FrontierChart({ frontier, picked, baselineKb, budget }: Props) {
  const dots = [...frontier].sort((a, b) => a.memory_kb - b.memory_kb).map((p) => ({ memory: +p.memory_kb.toFixed(2), loss: +(p.calibration_loss * 100).toFixed(3), mult: p.mult_cost_paper }));
  const pick = picked ? [{ memory: +picked.costs.memory_kb.toFixed(2), loss: +(picked.calibration_loss * 100).toFixed(3) }] : [];
  return (
    <div className="chart" data-testid="frontier-chart">
      <ResponsiveContainer width="100%" height={260}>
        <ScatterChart margin={{ top: 10, right: 20, bottom: 25, left: 10 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="memory" name="memory" unit=" KB" label={{ value: 'memory (KB)', position: 'bottom' }} />
          <YAxis type="number" dataKey="loss" name="calibration loss" unit="%" />
          <Tooltip cursor={{ strokeDasharray: '3 3' }} />
          <ReferenceLine x={+baselineKb.toFixed(2)} stroke="#999" strokeDasharray="4 4" label={{ value: '8-bit', position: 'insideTopRight' }} />
          <ReferenceLine y={budget * 100} stroke="#d08" strokeDasharray="4 4" label={{ value: 'budget', position: 'insideTopLeft' }} />
          <Scatter name="frontier" data={dots} fill="#2f6be0" line isAnimationActive={false} />
          <Scatter name="picked" data={pick} fill="#e0532f" shape="star" isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
