// Step 2: calibration data, its preprocessing, thumbnails and the float model's accuracy.
import { useState } from 'react';
import type { DataInfo, FileEntry, Preprocessing, SplitSettings } from '../../worker/contract.ts';
import { DropZone } from '../common/DropZone.tsx';
import { pct } from '../common/format.ts';
import { Thumbnail } from './Thumbnail.tsx';

interface Props {
  data: DataInfo | null;
  prep: Preprocessing;
  busy: boolean;
  disabled: boolean;
  error: string | null;
  onFiles(files: Promise<FileEntry[]>): void;
  onPrep(prep: Preprocessing): void;
  onSplit(split: SplitSettings): void;
}

const RANGES: Record<string, [number, number]> = { '0..1': [0, 1], '-1..1': [-1, 1], '0..255': [0, 255] };
const parseList = (s: string): number[] | undefined => {
  const v = s.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
  return v.length && v.every(Number.isFinite) ? v : undefined;
};

export function DataPanel({ data, prep, busy, disabled, error, onFiles, onPrep, onSplit }: Props) {
  const [mean, setMean] = useState((prep.mean ?? [0]).join(','));
  const [std, setStd] = useState((prep.std ?? [1]).join(','));
  const rangeKey = Object.keys(RANGES).find((k) => RANGES[k].join() === (prep.range ?? [0, 1]).join()) ?? '0..1';
  const apply = (next: Partial<Preprocessing>) => onPrep({ ...prep, ...next });
  return (
    <section className="panel" data-testid="data-panel" aria-labelledby="data-h">
      <h2 id="data-h">2. Calibration images</h2>
      <DropZone
        testId="data-drop" label="Drop calibration images here" busy={busy || disabled} folders onFiles={onFiles}
        accept=".zip,.gz,.png,.jpg,.jpeg,.bmp,.webp,.json,.u8,application/octet-stream"
        hint={<>A folder (or <code>.zip</code>) with one sub-folder per class, MNIST-style IDX files (<code>.gz</code> too), or a flat folder of unlabeled images</>}
      />
      {disabled && <p className="hint">Load a model first.</p>}
      <form className="prep" onSubmit={(e) => { e.preventDefault(); apply({ mean: parseList(mean), std: parseList(std) }); }}>
        <label>Pixel range{' '}
          <select value={rangeKey} disabled={busy || !data} data-testid="prep-range" onChange={(e) => apply({ range: RANGES[e.target.value] })}>
            {Object.keys(RANGES).map((k) => <option key={k}>{k}</option>)}
          </select>
        </label>
        <label>mean <input value={mean} size={10} onChange={(e) => setMean(e.target.value)} disabled={busy || !data} /></label>
        <label>std <input value={std} size={10} onChange={(e) => setStd(e.target.value)} disabled={busy || !data} /></label>
        <button type="submit" className="secondary" disabled={busy || !data}>Apply</button>
      </form>
      {error && <p className="error" role="alert" data-testid="data-error">{error}</p>}
      {busy && <p>Reading and preprocessing the images…</p>}
      {data && (
        <>
          <p data-testid="data-summary">
            <strong>{data.name}</strong>: {data.images.toLocaleString('en')} images, {data.classes.length} classes;{' '}
            {data.calibration} to search on, {data.confirmation} to confirm the pick, {data.validation} held out. Float accuracy{' '}
            <strong data-testid="float-acc">{pct(data.floatAcc.calibration)}</strong> on the search images,{' '}
            {pct(data.floatAcc.validation)} held out
            {data.labelsFrom === 'float-model' ? ' (unlabeled: the float model\'s answers are the labels)' : ''}.
          </p>
          <SplitForm data={data} busy={busy} onSplit={onSplit} />
          {data.warning && <p className="warning" role="alert" data-testid="data-warning">{data.warning}</p>}
          <div className="thumbs">{data.samples.map((s, i) => <Thumbnail key={i} sample={s} />)}</div>
        </>
      )}
    </section>
  );
}

/** The split's three counts; empty fields take the defaults, which use every image. */
function SplitForm({ data, busy, onSplit }: { data: DataInfo; busy: boolean; onSplit(split: SplitSettings): void }) {
  const [search, setSearch] = useState(String(data.calibration));
  const [confirmation, setConfirmation] = useState(String(data.confirmation));
  const [validation, setValidation] = useState(String(data.validation));
  const count = (s: string, min: number) => (s.trim() === '' ? undefined : Number.isInteger(+s) && +s >= min ? +s : NaN);
  const split = { search: count(search, 1), confirmation: count(confirmation, 0), validation: count(validation, 1) };
  const bad = Object.values(split).some((v) => Number.isNaN(v));
  return (
    <form className="prep" data-testid="split-form" onSubmit={(e) => { e.preventDefault(); if (!bad) onSplit(split); }}>
      <label>search <input value={search} size={6} inputMode="numeric" data-testid="split-search" onChange={(e) => setSearch(e.target.value)} disabled={busy} /></label>
      <label>confirmation <input value={confirmation} size={6} inputMode="numeric" data-testid="split-confirmation" onChange={(e) => setConfirmation(e.target.value)} disabled={busy} /></label>
      <label>held out <input value={validation} size={6} inputMode="numeric" data-testid="split-validation" onChange={(e) => setValidation(e.target.value)} disabled={busy} /></label>
      <button type="submit" className="secondary" disabled={busy || bad}>Split</button>
      {bad && <span className="error">Image counts are whole numbers (search and held out at least 1); leave a field empty for the default.</span>}
    </form>
  );
}
