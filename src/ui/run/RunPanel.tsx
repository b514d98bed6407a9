// Step 3: budget, method, run, progress with ETA, cancel. After a run the slider re-picks a
// frontier point at once instead of searching again.
import type { Method, RunProgress } from '../../worker/contract.ts';
import { pct } from '../common/format.ts';
import { SearchProgress } from '../live/SearchProgress.tsx';

interface Props {
  budget: number;
  method: Method;
  ready: boolean;
  running: boolean;
  hasResult: boolean;
  /** The loss the last frontier search walked to (null for other methods or before a search). */
  walkedTo: number | null;
  progress: RunProgress | null;
  error: string | null;
  /** Web Workers scoring the search images. */
  workers: number;
  onWorkers(n: number): void;
  onBudget(b: number): void;
  onMethod(m: Method): void;
  onRun(): void;
  onCancel(): void;
}

const METHODS: { id: Method; label: string }[] = [
  { id: 'frontier', label: 'frontier — the whole trade-off (ours, best)' },
  { id: 'paper', label: 'paper — Goyal et al. 2021, as published' },
  { id: 'naive', label: 'naive — each tensor alone (shows why interactions matter)' },
  { id: 'uniform', label: 'uniform 8-bit — what commercial tools do' },
];

/** The slider's range; a frontier search walks to max(5%, budget), so larger budgets mean a longer search. */
export const MAX_BUDGET = 0.1;

/** The page lets a person use more workers than cores, but not without bound. */
const MAX_WORKERS = Math.max(8, typeof navigator === 'undefined' ? 0 : navigator.hardwareConcurrency || 0);

export function RunPanel({ budget, method, ready, running, hasResult, walkedTo, progress, error, workers, onWorkers, onBudget, onMethod, onRun, onCancel }: Props) {
  return (
    <section className="panel" data-testid="run-panel" aria-labelledby="run-h">
      <h2 id="run-h">3. Search</h2>
      <div className="run-controls">
        <label className="budget">
          Accuracy-loss budget <strong data-testid="budget-value">{pct(budget, 1)}</strong>
          <input
            type="range" min={0.001} max={MAX_BUDGET} step={0.001} value={budget} data-testid="budget"
            aria-label="accuracy-loss budget" aria-valuetext={pct(budget, 1)} onChange={(e) => onBudget(Number(e.target.value))}
          />
        </label>
        <label>
          Method{' '}
          <select value={method} onChange={(e) => onMethod(e.target.value as Method)} disabled={running} data-testid="method">
            {METHODS.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </select>
        </label>
        <label title="Web Workers that score the search images in parallel; one core is left for the page by default">
          Workers{' '}
          <input
            type="number" min={1} max={MAX_WORKERS} step={1} value={workers} disabled={running} data-testid="workers"
            onChange={(e) => {
              const n = Math.round(Number(e.target.value));
              if (n >= 1 && n <= MAX_WORKERS) onWorkers(n);
            }}
          />
        </label>
        {running
          ? <button type="button" className="danger" onClick={onCancel} data-testid="cancel">Cancel</button>
          : <button type="button" onClick={onRun} disabled={!ready} data-testid="run">{hasResult ? 'Search again' : 'Run the search'}</button>}
      </div>
      {hasResult && !running && <p className="hint">Moving the slider picks the cheapest configuration of the frontier within the budget, without searching again.</p>}
      {hasResult && !running && walkedTo !== null && budget > walkedTo + 1e-9 && (
        <p className="notice" data-testid="beyond-walk">
          This search explored losses up to {pct(walkedTo, 1)}; the slider now shows its cheapest point. Search again to explore up to {pct(budget, 1)}.
        </p>
      )}
      {running && <SearchProgress progress={progress} />}
      {error && <p className="error" role="alert" data-testid="run-error">{error}</p>}
    </section>
  );
}
