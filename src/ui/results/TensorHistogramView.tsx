// One tensor of the chosen configuration: its float values as a histogram, with the format's
// representable range drawn over it (what lies outside is clipped, in red) and its step.
import { useEffect, useState } from 'react';
import { Bar, CartesianGrid, Cell, ComposedChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatRange } from '../../core/format.ts';
import type { Format, ResultPoint, TensorHistogram, TensorSlot } from '../../worker/contract.ts';
import { big, errorText } from '../common/format.ts';
import { formatDetail, formatLabel, num } from './format-label.ts';
import { formatLayers } from './layers.ts';

interface Props {
  picked: ResultPoint;
  fetchHistogram(layer: string, slot: TensorSlot, format: Format | null): Promise<TensorHistogram>;
}

const SLOT_LABEL: Partial<Record<TensorSlot, string>> = { weights: 'weights', bias: 'biases', output: 'activations (output)' };

export function TensorHistogramView({ picked, fetchHistogram }: Props) {
  const layers = formatLayers(picked.layers);
  const [name, setName] = useState(layers[0]?.name ?? '');
  const [slot, setSlot] = useState<TensorSlot>('weights');
  const [hist, setHist] = useState<TensorHistogram | null>(null);
  const [error, setError] = useState<string | null>(null);
  const layer = layers.find((l) => l.name === name) ?? layers[0];
  const slots = (['weights', 'bias', 'output'] as TensorSlot[]).filter((s) => layer && (s === 'output' || layer.params > 0) && layer[s]);
  const useSlot = slots.includes(slot) ? slot : slots[0] ?? 'output';
  const format = (layer?.[useSlot] as Format | null | undefined) ?? null;
  // The effect depends on values, not objects: a new but equal format must not fetch again.
  const layerName = layer?.name;
  const [bits, frac, signed] = format ? [format.bits, format.frac, format.signed] : [0, 0, false];

  useEffect(() => {
    if (layerName === undefined) return;
    let live = true;
    const f = bits > 0 ? { bits, frac, signed } : null;
    fetchHistogram(layerName, useSlot, f).then((h) => { if (live) { setHist(h); setError(null); } }, (e) => live && setError(errorText(e)));
    return () => { live = false; };
  }, [layerName, useSlot, bits, frac, signed, fetchHistogram]);

  return (
    <figure className="tradeoff" data-testid="tensor-histogram" aria-label="histogram of a tensor's values with its format's range">
      <div className="histogram-controls">
        <label>Layer <select value={layer?.name} onChange={(e) => setName(e.target.value)} data-testid="hist-layer">
          {layers.map((l) => <option key={l.name} value={l.name}>{l.name}</option>)}
        </select></label>
        <label>Tensor <select value={useSlot} onChange={(e) => setSlot(e.target.value as TensorSlot)} data-testid="hist-slot">
          {slots.map((s) => <option key={s} value={s}>{SLOT_LABEL[s]}</option>)}
        </select></label>
        <span title={formatDetail(format)}>{formatLabel(format)}</span>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {hist && <HistogramPlot hist={hist} format={format} />}
    </figure>
  );
}

function HistogramPlot({ hist, format }: { hist: TensorHistogram; format: Format | null }) {
  const step = format ? 2 ** -format.frac : 0;
  const [qlo, qhi] = format ? formatRange(format) : [0, 0];
  // Saturation starts half a step past the extreme values (round half up).
  const lo = format ? (qlo - 0.5) * step : -Infinity;
  const hi = format ? (qhi + 0.5) * step : Infinity;
  const span = hist.max - hist.min || 1;
  // The plot shows the data, widened to the format's range unless that is far wider.
  const x0 = Math.max(Math.min(hist.min, lo), hist.min - span * 0.4);
  const x1 = Math.min(Math.max(hist.max, hi), hist.max + span * 0.4);
  const data = hist.bins.map((b) => ({ mid: (b.x0 + b.x1) / 2, count: b.count, clipped: b.x1 <= lo || b.x0 >= hi }));
  const ticks = format && (x1 - x0) / step <= 48 ? Array.from({ length: Math.floor(x1 / step) - Math.ceil(x0 / step) + 1 }, (_, k) => (Math.ceil(x0 / step) + k) * step) : [];
  const clipped = hist.clippedLow + hist.clippedHigh;
  const pctOf = (n: number) => `${((100 * n) / Math.max(1, hist.count)).toFixed(2)}%`;
  return (
    <>
      <ResponsiveContainer width="100%" height={230}>
        <ComposedChart data={data} margin={{ top: 18, right: 12, bottom: 22, left: 0 }} barCategoryGap={0}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" vertical={false} />
          <XAxis type="number" dataKey="mid" domain={[x0, x1]} allowDataOverflow tickFormatter={num} fontSize={11}
            label={{ value: `${hist.name} value`, position: 'bottom', offset: 4, fontSize: 12 }} />
           <YAxis fontSize={11} width={48} scale="sqrt" tickFormatter={big} label={{ value: 'count (√)', angle: -90, position: 'insideLeft', fontSize: 12 }} />
          <Tooltip isAnimationActive={false} labelFormatter={(v) => `around ${num(Number(v))}`} />
          {format && lo > x0 && <ReferenceArea x1={x0} x2={lo} fill="#d33" fillOpacity={0.08} ifOverflow="hidden" />}
          {format && hi < x1 && <ReferenceArea x1={hi} x2={x1} fill="#d33" fillOpacity={0.08} ifOverflow="hidden" />}
          {ticks.map((t) => <ReferenceLine key={t} x={t} stroke="#e08a2f" strokeOpacity={0.35} />)}
          {format && <ReferenceLine x={qlo * step} stroke="#c0157a" strokeDasharray="4 3" ifOverflow="hidden" label={{ value: 'min', position: 'top', fontSize: 10 }} />}
          {format && <ReferenceLine x={qhi * step} stroke="#c0157a" strokeDasharray="4 3" ifOverflow="hidden" label={{ value: 'max', position: 'top', fontSize: 10 }} />}
          <Bar dataKey="count" isAnimationActive={false} name="values">
            {data.map((d) => <Cell key={d.mid} fill={d.clipped ? '#d33' : '#2f6be0'} />)}
          </Bar>
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="hint" data-testid="histogram-caption">
        {hist.count.toLocaleString('en')} values{hist.images ? ` from ${hist.images} search images` : ''}, {num(hist.min)} … {num(hist.max)}.{' '}
        {format ? <>
          {formatLabel(format)} holds {num(qlo * step)} … {num(qhi * step)} in steps of {num(step)}
          {ticks.length > 0 ? ' (orange lines)' : ''}.{' '}
          <span className={clipped > 0 ? 'over-budget' : ''} data-testid="clipped">
            Clipped: {clipped.toLocaleString('en')} ({pctOf(clipped)}){clipped > 0 ? ' — in red, saturated to the nearest end' : ''}.
          </span>{' '}
          Rounded to zero: {hist.toZero.toLocaleString('en')} ({pctOf(hist.toZero)}).
          {(hi < hist.max || lo > hist.min) ? '' : x1 < hi || x0 > lo ? ' The range reaches beyond the plot.' : ''}
        </> : 'Float: not quantized.'}
      </figcaption>
    </>
  );
}
