// The per-layer formats of the chosen configuration, readable, each editable and lockable. An
// edit is scored again on request; a locked format is kept by the next search.
import { useEffect, useMemo, useState } from 'react';
import type { Format } from '../../core/format.ts';
import type { LayerRow, LockedFormat, QuantConfig, ResultPoint, TensorSlot } from '../../worker/contract.ts';
import { big } from '../common/format.ts';
import { FORMAT_LEGEND, formatDetail, formatLabel } from './format-label.ts';

interface Props {
  picked: ResultPoint;
  locks: LockedFormat[];
  busy: boolean;
  onLocks(locks: LockedFormat[]): void;
  onRescore(config: QuantConfig): void;
}

const SLOTS: { slot: TensorSlot; head: string }[] = [
  { slot: 'weights', head: 'weights' }, { slot: 'bias', head: 'bias' }, { slot: 'scale', head: 'BN scale' },
  { slot: 'shift', head: 'BN shift' }, { slot: 'output', head: 'output' },
];

const keyOf = (node: number, slot: TensorSlot) => `${node}-${slot}`;
const same = (a: Format | null | undefined, b: Format | null | undefined) => (!a && !b) || (!!a && !!b && a.bits === b.bits && a.frac === b.frac && a.signed === b.signed);

export function FormatTable({ picked, locks, busy, onLocks, onRescore }: Props) {
  const [draft, setDraft] = useState<QuantConfig>(picked.config);
  const [editing, setEditing] = useState(false);
  useEffect(() => setDraft(picked.config), [picked]);
  const changed = useMemo(() => draft.nodes.some((n, i) => SLOTS.some(({ slot }) => !same(n[slot], picked.config.nodes[i]?.[slot]))), [draft, picked]);
  // The input image has a format too (node 0's output): editable and lockable like the rest.
  const inputRow: LayerRow | null = picked.input
    ? { node: 0, name: 'input', kind: 'input', macs: 0, params: 0, weights: null, bias: null, scale: null, shift: null, output: picked.input }
    : null;
  const rows = inputRow ? [inputRow, ...picked.layers] : picked.layers;
  const shown = SLOTS.filter(({ slot }) => picked.layers.some((l) => l[slot]));
  const lockOf = (node: number, slot: TensorSlot) => locks.find((l) => l.node === node && l.slot === slot);

  const setFormat = (node: number, slot: TensorSlot, f: Format) => {
    setDraft((d) => ({ nodes: d.nodes.map((n, i) => (i === node ? { ...n, [slot]: f } : n)) }));
    // A locked format follows its edit: the lock means "keep what I set".
    if (lockOf(node, slot)) onLocks(locks.map((l) => (l.node === node && l.slot === slot ? { ...l, format: f } : l)));
  };
  const toggleLock = (node: number, slot: TensorSlot, f: Format) =>
    onLocks(lockOf(node, slot) ? locks.filter((l) => !(l.node === node && l.slot === slot)) : [...locks, { node, slot, format: f }]);

  const cell = (l: LayerRow, slot: TensorSlot) => {
    const f = draft.nodes[l.node]?.[slot] ?? null;
    if (!l[slot] || !f) return <td key={slot} />;
    const id = keyOf(l.node, slot);
    const locked = !!lockOf(l.node, slot);
    const edited = !same(f, picked.config.nodes[l.node]?.[slot]);
    const num = (field: 'bits' | 'frac', min: number, max: number) => (
      <input type="number" value={f[field]} min={min} max={max} step={1} data-testid={`${field}-${id}`}
        aria-label={`${l.name} ${slot} ${field === 'bits' ? 'bits' : 'fractional bits'}`}
        onChange={(e) => { const v = Math.round(Number(e.target.value)); if (Number.isFinite(v) && v >= min && v <= max) setFormat(l.node, slot, { ...f, [field]: v }); }} />
    );
    return (
      <td key={slot} className={`fmt-cell${locked ? ' locked' : ''}${edited ? ' edited' : ''}`} data-testid={`fmt-${id}`} title={formatDetail(f)}>
        {editing ? <>{num('bits', 1, slot === 'bias' || slot === 'shift' ? 32 : 16)} bits, {num('frac', -64, 64)} frac</> : formatLabel(f)}{' '}
        <label title={locked ? 'Locked: the next search keeps this format' : 'Lock: the next search keeps this format'}>
          <input type="checkbox" checked={locked} onChange={() => toggleLock(l.node, slot, f)} data-testid={`lock-${id}`} aria-label={`lock ${l.name} ${slot}`} />
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
        {changed && <button type="button" className="secondary" onClick={() => setDraft(picked.config)} data-testid="revert">Undo edits</button>}
        {locks.length > 0 && <span className="hint" data-testid="lock-count">{locks.length} format{locks.length > 1 ? 's' : ''} locked for the next search</span>}
      </div>
      <div className="scroll">
        <table data-testid="format-table">
          <thead><tr><th>layer</th><th>kind</th><th>MACs</th>{shown.map((s) => <th key={s.slot}>{s.head}</th>)}</tr></thead>
          <tbody>
            {rows.map((l) => (
              <tr key={l.node}>
                <td>{l.name}</td><td>{l.kind}</td><td>{l.macs ? big(l.macs) : ''}</td>
                {shown.map((s) => cell(l, s.slot))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
