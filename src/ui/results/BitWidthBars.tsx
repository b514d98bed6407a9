// Bit widths per layer of the chosen configuration — weights, biases and activations side by
// side — so where the bits went is seen at a glance.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ResultPoint } from '../../worker/contract.ts';
import { formatLabel } from './format-label.ts';
import { formatLayers } from './layers.ts';

/** "2–8 bits" over the layers that have the tensor. */
function spread(bits: number[]): string {
  const b = bits.filter((x) => x > 0);
  if (b.length === 0) return 'none';
  const [lo, hi] = [Math.min(...b), Math.max(...b)];
  return lo === hi ? `${lo} bits` : `${lo}–${hi} bits`;
}

export function BitWidthBars({ picked }: { picked: ResultPoint }) {
  const data = formatLayers(picked.layers).map((l) => ({
    name: l.name, weights: l.weights?.bits ?? 0, bias: l.bias?.bits ?? 0, activations: l.output?.bits ?? 0,
    labels: { weights: formatLabel(l.weights), bias: formatLabel(l.bias), activations: formatLabel(l.output) },
  }));
  return (
    <figure className="tradeoff" data-testid="bitwidth-bars" aria-label="bit widths per layer" aria-describedby="bitwidth-text">
      <ResponsiveContainer width="100%" height={250}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 30, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" vertical={false} />
          <XAxis dataKey="name" fontSize={11} interval={0} angle={-20} textAnchor="end" />
          <YAxis allowDecimals={false} fontSize={11} width={36} label={{ value: 'bits', angle: -90, position: 'insideLeft', fontSize: 12 }} />
          <Tooltip isAnimationActive={false} formatter={(v, name, item) => [(item.payload as (typeof data)[number]).labels[name as 'weights'] ?? v, name]} />
          <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="weights" fill="#2f6be0" isAnimationActive={false} />
          <Bar dataKey="bias" fill="#9bb6ef" isAnimationActive={false} />
          <Bar dataKey="activations" fill="#e08a2f" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="hint">Bits per layer: weights, biases and output activations of the chosen configuration.</figcaption>
      <p id="bitwidth-text" className="sr-only" data-testid="chart-summary">
        Over {data.length} layers: weights {spread(data.map((d) => d.weights))}, biases {spread(data.map((d) => d.bias))},
        activations {spread(data.map((d) => d.activations))}. The format table lists every layer's formats.
      </p>
    </figure>
  );
}
