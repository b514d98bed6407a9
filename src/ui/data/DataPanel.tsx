// Step 2: calibration data, its preprocessing, thumbnails and the float model's accuracy.
// Images that do not fit the model are adapted only with a notice; the preprocessing fields say
// what is wrong with what was typed, and discarding a search result takes a second click.
import { useEffect, useState } from 'react';
import type { DataInfo, FileEntry, Preprocessing, SplitSettings } from '../../worker/contract.ts';
import { DropZone } from '../common/DropZone.tsx';
import { pct } from '../common/format.ts';
import { parseChannelValues } from './prep-fields.ts';
import { Thumbnail } from './Thumbnail.tsx';

interface Props {
  data: DataInfo | null;
  prep: Preprocessing;
  /** The model's input channels (1 grey, 3 RGB), null when unknown. */
  channels: number | null;
  busy: boolean;
  disabled: boolean;
  /** A search result exists: new preprocessing would discard it, so ask first. */
  hasResult: boolean;
  error: string | null;
  onFiles(files: Promise<FileEntry[]>): void;
  onPrep(prep: Preprocessing): void;
  onSplit(split: SplitSettings): void;
}

const RANGES: Record<string, [number, number]> = { '0..1': [0, 1], '-1..1': [-1, 1], '0..255': [0, 255] };
const text = (v: number[] | undefined, def: number) => (v ?? [def]).join(', ');

export function DataPanel({ data, prep, channels, busy, disabled, hasResult, error, onFiles, onPrep, onSplit }: Props) {
  const [mean, setMean] = useState(text(prep.mean, 0));
  const [std, setStd] = useState(text(prep.std, 1));
  const [pending, setPending] = useState<Preprocessing | null>(null);
  // Settings can change from outside (restored after a reload, reset by Clear or the demo).
  useEffect(() => { setMean(text(prep.mean, 0)); setStd(text(prep.std, 1)); }, [prep]);
  const meanParsed = parseChannelValues(mean, 'mean', channels);
  const stdParsed = parseChannelValues(std, 'std', channels);
  const fieldsOk = !meanParsed.error && !stdParsed.error;
  // While a change waits for confirmation the select shows it.
  const shown = pending ?? prep;
  const rangeKey = Object.keys(RANGES).find((k) => RANGES[k].join() === (shown.range ?? [0, 1]).join()) ?? '0..1';
  const off = busy || !data;

  const apply = (next: Partial<Preprocessing>) => {
    const p = { ...prep, ...next };
    if (hasResult) setPending(p);
    else onPrep(p);
  };
  return (
    <section className="panel" data-testid="data-panel" aria-labelledby="data-h">
      <h2 id="data-h">2. Calibration images</h2>
      <DropZone
        testId="data-drop" label="Drop calibration images here" busy={busy || disabled} folders onFiles={onFiles}
        accept=".zip,.gz,.png,.jpg,.jpeg,.bmp,.webp,.json,.u8,application/octet-stream"
        hint={<>A folder (or <code>.zip</code>) with one sub-folder per class, MNIST-style IDX files (<code>.gz</code> too), or a flat folder of unlabeled images</>}
      />
      {disabled && <p className="hint">Load a model first.</p>}
      <form className="prep" noValidate onSubmit={(e) => {
        e.preventDefault();
        if (meanParsed.values && stdParsed.values) apply({ mean: meanParsed.values, std: stdParsed.values });
      }}>
        <label>Pixel range{' '}
          <select value={rangeKey} disabled={off || pending !== null} data-testid="prep-range" onChange={(e) => apply({ range: RANGES[e.target.value] })}>
            {Object.keys(RANGES).map((k) => <option key={k}>{k}</option>)}
          </select>
        </label>
        <label>mean <input value={mean} size={10} onChange={(e) => setMean(e.target.value)} disabled={off} data-testid="prep-mean"
          aria-invalid={!!meanParsed.error} aria-describedby={meanParsed.error ? 'mean-error' : undefined} /></label>
        <label>std <input value={std} size={10} onChange={(e) => setStd(e.target.value)} disabled={off} data-testid="prep-std"
          aria-invalid={!!stdParsed.error} aria-describedby={stdParsed.error ? 'std-error' : undefined} /></label>
        <button type="submit" className="secondary" disabled={off || !fieldsOk || pending !== null} data-testid="prep-apply">Apply</button>
      </form>
      {data && !off && meanParsed.error && <p className="error" id="mean-error" data-testid="prep-error">{meanParsed.error}</p>}
      {data && !off && stdParsed.error && <p className="error" id="std-error" data-testid="prep-error">{stdParsed.error}</p>}
      {pending && (
        <div className="warning confirm" role="alertdialog" aria-labelledby="prep-confirm" data-testid="prep-confirm">
          <p id="prep-confirm">The search result was found with the current preprocessing. Applying the new one discards it.</p>
          <button type="button" className="danger" onClick={() => { onPrep(pending); setPending(null); }} data-testid="prep-confirm-apply">Apply and discard the result</button>{' '}
          <button type="button" className="secondary" onClick={() => { setPending(null); setMean(text(prep.mean, 0)); setStd(text(prep.std, 1)); }}>Keep the result</button>
        </div>
      )}
      {error && <p className="error" role="alert" data-testid="data-error">{error}</p>}
      {busy && <p role="status">Reading and preprocessing the images…</p>}
      {data && (
        <>
          <p data-testid="data-summary">
            <strong>{data.name}</strong>: {data.images.toLocaleString('en')} images, {data.classes.length} classes;{' '}
            {data.calibration} to search on, {data.confirmation} to confirm the pick, {data.validation} held out. Float accuracy{' '}
            <strong data-testid="float-acc">{pct(data.floatAcc.calibrationAll)}</strong>
            {data.labelsFrom === 'float-model' && <> <span className="tag" data-testid="labels-from">labels from the float model</span></>}
            {' '}on the {data.calibration + data.confirmation} search and confirmation images, {pct(data.floatAcc.validation)} held out
            {data.labelsFrom === 'float-model' ? '. These images are unlabeled: the float model\'s answers are the labels, so its accuracy is 100% by definition and a result\'s "accuracy" is its agreement with the float model.' : '.'}
          </p>
          {data.adapted && <p className="notice" role="status" data-testid="data-adapted">{data.adapted}</p>}
          <SplitForm data={data} busy={busy} onSplit={onSplit} />
          {data.warning && <p className="warning" role="alert" data-testid="data-warning">{data.warning}</p>}
          {/* biome-ignore lint/suspicious/noArrayIndexKey: samples have no identity; new data replaces them all */}
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
