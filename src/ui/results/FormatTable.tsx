// The per-layer formats of the chosen configuration, readable, each editable and lockable. An
// edit is scored again on request; a locked format is kept by the next search.
import { useEffect, useMemo, useState } from 'react';
import type { Format } from '../../core/format.ts';
import { namedConfig } from '../../core/report.ts';
import type { LayerLock, NamedConfig, ResultPoint, TensorSlot } from '../../worker/contract.ts';
import { big } from '../common/format.ts';
import { FORMAT_LEGEND, formatDetail, formatLabel } from './format-label.ts';
import { formatLayers } from './layers.ts';

interface Props {
  picked: ResultPoint;
  locks: LayerLock[];
  busy: boolean;
  onLocks(locks: LayerLock[]): void;
  onRescore(config: NamedConfig): void;
}

const SLOTS: { slot: TensorSlot; head: string }[] = [
  { slot: 'weights', head: 'weights' }, { slot: 'bias', head: 'bias' }, { slot: 'scale', head: 'BN scale' },
  { slot: 'shift', head: 'BN shift' }, { slot: 'output', head: 'output' },
];

/** A row of the table: a layer by name, or (layer null) the input image, whose format is NamedConfig's `input`. */
interface Row {
  layer: string | null;
  name: string;
  kind: string;
  macs: number;
}

const keyOf = (layer: string | null, slot: TensorSlot) => `${layer ?? 'input'}-${slot}`;
const same = (a: Format | null | undefined, b: Format | null | undefined) => (!a && !b) || (!!a && !!b && a.bits === b.bits && a.frac === b.frac && a.signed === b.signed);

/** A row's format in a configuration (undefined where the row has no such tensor). */
function formatIn(c: NamedConfig, layer: string | null, slot: TensorSlot): Format | null | undefined {
  if (layer === null) return slot === 'output' ? c.input : undefined;
  return c.layers.find((l) => l.name === layer)?.[slot];
}

function withFormatIn(c: NamedConfig, layer: string | null, slot: TensorSlot, f: Format): NamedConfig {
  if (layer === null) return { ...c, input: f };
  return { ...c, layers: c.layers.map((l) => (l.name === layer ? { ...l, [slot]: f } : l)) };
}

export function FormatTable({ picked, locks, busy, onLocks, onRescore }: Props) {
  const original = useMemo(() => namedConfig(picked), [picked]);
  const [draft, setDraft] = useState<NamedConfig>(original);
  const [editing, setEditing] = useState(false);
  useEffect(() => setDraft(original), [original]);
  const layers = formatLayers(picked.layers);
  // The input image has a format too (report.json's `input`): editable and lockable like the rest.
  const rows: Row[] = [
    ...(picked.input ? [{ layer: null, name: 'input', kind: 'input', macs: 0 }] : []),
    ...layers.map((l) => ({ layer: l.name, name: l.name, kind: l.kind, macs: l.macs })),
  ];
  const changed = useMemo(
    () => !same(draft.input, original.input) || draft.layers.some((l, k) => SLOTS.some(({ slot }) => !same(l[slot], original.layers[k]?.[slot]))),
    [draft, original],
  );
  const shown = SLOTS.filter(({ slot }) => layers.some((l) => l[slot]));
  const lockOf = (layer: string | null, slot: TensorSlot) => locks.find((l) => l.layer === layer && l.slot === slot);

  const setFormat = (layer: string | null, slot: TensorSlot, f: Format) => {
    setDraft((d) => withFormatIn(d, layer, slot, f));
    // A locked format follows its edit: the lock means "keep what I set".
    if (lockOf(layer, slot)) onLocks(locks.map((l) => (l.layer === layer && l.slot === slot ? { ...l, format: f } : l)));
  };
  const toggleLock = (layer: string | null, slot: TensorSlot, f: Format) =>
    onLocks(lockOf(layer, slot) ? locks.filter((l) => !(l.layer === layer && l.slot === slot)) : [...locks, { layer, slot, format: f }]);

  const cell = (r: Row, slot: TensorSlot) => {
    const f = formatIn(draft, r.layer, slot) ?? null;
    if (!formatIn(original, r.layer, slot) || !f) return <td key={slot} />;
    const id = keyOf(r.layer, slot);
    const locked = !!lockOf(r.layer, slot);
    const edited = !same(f, formatIn(original, r.layer, slot));
    const num = (field: 'bits' | 'frac', min: number, max: number) => (
      <input type="number" value={f[field]} min={min} max={max} step={1} data-testid={`${field}-${id}`}
        aria-label={`${r.name} ${slot} ${field === 'bits' ? 'bits' : 'fractional bits'}`}
        onChange={(e) => { const v = Math.round(Number(e.target.value)); if (Number.isFinite(v) && v >= min && v <= max) setFormat(r.layer, slot, { ...f, [field]: v }); }} />
    );
    return (
      <td key={slot} className={`fmt-cell${locked ? ' locked' : ''}${edited ? ' edited' : ''}`} data-testid={`fmt-${id}`} title={formatDetail(f)}>
        {editing ? <>{num('bits', 1, slot === 'bias' || slot === 'shift' ? 32 : 16)} bits, {num('frac', -64, 64)} frac</> : formatLabel(f)}{' '}
        <label title={locked ? 'Locked: the next search keeps this format' : 'Lock: the next search keeps this format'}>
          <input type="checkbox" checked={locked} onChange={() => toggleLock(r.layer, slot, f)} data-testid={`lock-${id}`} aria-label={`lock ${r.name} ${slot}`} />
          <span className="lock-text">lock</span>
        </label>
      </td>
    );
  };

  return (
    <div data-testid="format-editor">
      <h3>Formats per layer</h3>
      <p className="hint" data-testid="format-legend">{FORMAT_LEGEND} “lock” keeps a format in the next search.</p>
      <div className="editor-actions">
        <button type="button" className="secondary" onClick={() => setEditing((e) => !e)} data-testid="edit-formats" aria-pressed={editing}>
          {editing ? 'Done editing' : 'Edit formats'}
        </button>
        <button type="button" onClick={() => onRescore(draft)} disabled={!changed || busy} data-testid="rescore">
          {busy ? 'Scoring…' : 'Score this configuration'}
        </button>
        {changed && <button type="button" className="secondary" onClick={() => setDraft(original)} data-testid="revert">Undo edits</button>}
        {locks.length > 0 && <span className="hint" data-testid="lock-count">{locks.length} format{locks.length > 1 ? 's' : ''} locked for the next search</span>}
      </div>
      <div className="scroll">
        <table data-testid="format-table">
          <thead><tr><th>layer</th><th>kind</th><th>MACs</th>{shown.map((s) => <th key={s.slot}>{s.head}</th>)}</tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={keyOf(r.layer, 'output')}>
                <td>{r.name}</td><td>{r.kind}</td><td>{r.macs ? big(r.macs) : ''}</td>
                {shown.map((s) => cell(r, s.slot))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
