// The engine behind the numbers: which WebAssembly build runs and which integer kernel each
// layer of the shown configuration uses — what decides speed, and what an exact result rests on.
import { useEffect, useState } from 'react';
import type { EngineInfo } from '../../worker/contract.ts';
import { errorText } from '../common/format.ts';
import { ScrollTable } from '../common/ScrollTable.tsx';

interface Props {
  fetchInfo(): Promise<EngineInfo>;
  /** Asked again whenever this changes (model, data or chosen configuration), and only while nothing runs. */
  refresh: unknown;
  idle: boolean;
  workers: number;
}

/** In words; the names are src/engine/prepare.ts NodePath and the engine README's table. */
const PATHS: Record<string, string> = {
  'i8-relaxed': '8-bit × 7-bit relaxed-SIMD dot products, 32-bit sums',
  i16: '16-bit SIMD dot products, 32-bit sums',
  'i16-sliced': '16-bit SIMD dot products, slices summed exactly in 64 bits',
  'i16-split': 'wide weights split into two 16-bit halves, summed in 64 bits',
  i64: 'exact 64-bit products (operands too wide for 16 bits)',
  i32: 'direct integer kernel, 32-bit sums',
  float: 'float32 (not quantized)',
};

export function EnginePanel({ fetchInfo, refresh, idle, workers }: Props) {
  const [info, setInfo] = useState<EngineInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` (what the panel describes) changing is the reason to ask again
  useEffect(() => {
    if (!idle) return;
    let live = true;
    fetchInfo().then((i) => { if (live) { setInfo(i); setError(null); } }, (e: unknown) => { if (live) setError(errorText(e)); });
    return () => { live = false; };
  }, [fetchInfo, refresh, idle]);

  if (error) return <section className="panel error" role="alert" data-testid="engine-panel">{error}</section>;
  if (!info) return <section className="panel" data-testid="engine-panel">Starting the engine…</section>;
  const k = info.kernels;
  return (
    <section className="panel" data-testid="engine-panel" aria-labelledby="engine-h">
      <h2 id="engine-h">Engine</h2>
      <p>
        WebAssembly build <code data-testid="engine-build">{info.build}</code>:{' '}
        {info.build === 'relaxed-simd'
          ? 'this browser has relaxed SIMD, so layers whose formats fit 8 bits use its 8-bit dot-product instructions.'
          : 'this browser lacks relaxed SIMD; the engine uses 16-bit SIMD everywhere (same results, slower on narrow formats).'}{' '}
        The search scores on {workers} {workers === 1 ? 'worker' : 'workers'}; the browser reports {info.cores} cores.
      </p>
      {k && k.layers.length > 0 && (
        <>
          <p className="hint">
            {k.config === 'result' ? 'Kernels of the chosen configuration' : 'Before a search every layer runs in float32'}; each is
            picked from the proven worst case of its sums, so results are exact whichever runs.
          </p>
          <ScrollTable testId="kernel-table" head={<tr><th scope="col">layer</th><th scope="col">kind</th><th scope="col">kernel</th></tr>}>
            {k.layers.map((l) => (
              <tr key={l.name}>
                <td>{l.name}</td><td>{l.kind}</td>
                <td><code>{l.path}</code> <span className="hint">{PATHS[l.path] ?? ''}</span></td>
              </tr>
            ))}
          </ScrollTable>
        </>
      )}
    </section>
  );
}
