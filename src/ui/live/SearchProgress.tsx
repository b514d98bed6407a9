// The running search: a bar that only moves forward, a smoothed time left (or "estimating…"
// at first, "finishing…" at the end), what is being searched and the best result so far.
import { useEffect, useRef, useState } from 'react';
import type { RunProgress } from '../../worker/contract.ts';
import { pct } from '../common/format.ts';
import { EtaEstimator } from './eta.ts';

const clock = () => performance.now() / 1000;

export function SearchProgress({ progress }: { progress: RunProgress | null }) {
  // One estimator per run: this component is mounted when a run starts.
  const eta = useRef(new EtaEstimator());
  const started = useRef(clock());
  const [, tick] = useState(0);
  useEffect(() => {
    if (progress) eta.current.update(progress.fraction, clock() - started.current, progress.phase === 'done');
  }, [progress]);
  // Between messages the time left keeps counting down.
  useEffect(() => {
    const t = setInterval(() => tick((k) => k + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const view = eta.current.read(clock() - started.current);
  // Screen readers hear the phase and each tenth of the way, not every count-down second.
  const tenth = Math.floor(view.fraction * 10) * 10;
  const key = progress ? `${progress.phase}|${tenth}` : '';
  const said = useRef({ key, text: '' });
  if (said.current.key !== key || !said.current.text) {
    said.current = { key, text: progress ? `${progress.phase}, ${tenth}% done, ${view.text}` : 'search starting' };
  }
  return (
    <div className="progress" data-testid="progress">
      <progress max={1} value={view.fraction} aria-label="search progress" data-testid="progress-bar" />
      <span data-testid="progress-text">
        <span data-testid="eta">{progress ? view.text : 'starting…'}</span>
        {progress ? ` · ${progress.phase}${progress.tensor ? ` · ${progress.tensor}` : ''} · ${progress.evaluations} evaluations` : ''}
        {progress?.best ? ` · best so far ${progress.best.memory_kb.toFixed(1)} KB at ${pct(progress.best.calibration_loss)} loss` : ''}
      </span>
      <span className="sr-only" role="status" aria-live="polite" data-testid="progress-announcer">{said.current.text}</span>
    </div>
  );
}
