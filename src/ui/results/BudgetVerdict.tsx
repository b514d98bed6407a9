// Whether the chosen configuration keeps the budget — on the search, the confirmation and the
// held-out images — said in words (the intervals and small-count warnings sit beside it). An over-budget result is never presented like a good
// one; a naive pick over the budget says why that happens.
import type { Method, ResultPoint } from '../../worker/contract.ts';
import { pct } from '../common/format.ts';

interface Props {
  method: Method;
  picked: ResultPoint;
  budget: number;
  /** The configuration was edited by hand, not picked by a search. */
  edited: boolean;
}

const EPS = 1e-12;

export function BudgetVerdict({ method, picked, budget, edited }: Props) {
  const searchOver = picked.calibration_loss > budget + EPS;
  const heldOver = picked.validation_loss > budget + EPS;
  const confirm = picked.confirmation;
  const confirmOver = !!confirm && confirm.loss > budget + EPS;
  const lines: string[] = [];
  if (searchOver) lines.push(`Over budget on the search images: ${pct(picked.calibration_loss)} loss against a ${pct(budget, 1)} budget.`);
  if (confirmOver) lines.push(`Over budget on the confirmation images: ${pct(confirm.loss)} loss against a ${pct(budget, 1)} budget.`);
  if (heldOver) lines.push(`Over budget on the held-out images: ${pct(picked.validation_loss)} loss against a ${pct(budget, 1)} budget${searchOver ? '' : ', although the search images stayed within it — the search set is too small or this pick was lucky on it'}.`);
  return (
    <div data-testid="budget-verdict">
      {lines.length > 0 ? (
        <div className={`verdict bad`} role="alert" data-testid="over-budget">
          {lines.map((l) => <p key={l} style={{ margin: '0.15rem 0' }}>⚠ {l}</p>)}
          {method === 'naive' && searchOver && !edited && (
            <p style={{ margin: '0.15rem 0' }} data-testid="naive-why">
              Why: the naive method searched every tensor alone, with the rest of the network in float, and each choice kept
              the budget by itself. Put together, their errors add up — the reason the paper searches each tensor with the
              ones already chosen in place. Use the paper or frontier method for a result within the budget.
            </p>
          )}
          {edited && <p style={{ margin: '0.15rem 0' }}>This configuration was edited by hand: widen the formats that lose most, or search again with your locks.</p>}
        </div>
      ) : (
        <p className="verdict good" data-testid="within-budget">
          ✓ Within the {pct(budget, 1)} budget on the search images ({pct(picked.calibration_loss)}){confirm ? <>, the confirmation images ({pct(confirm.loss)})</> : ''} and the held-out images ({pct(picked.validation_loss)}).
        </p>
      )}
    </div>
  );
}
