// Walking skeleton panel: proves page → worker → Wasm SIMD → page on the real demo digits.
import { useEffect, useState } from 'react';
import type { EngineClient } from '../../worker/client.ts';
import type { SelfTestResult } from '../../worker/contract.ts';

export function EngineStatus({ client }: { client: EngineClient }) {
  const [result, setResult] = useState<SelfTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.api.selfTest().then(
      (r) => live && setResult(r),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => { live = false; };
  }, [client]);

  if (error) return <section className="panel error" role="alert" data-testid="engine-status">{error}</section>;
  if (!result) return <section className="panel" data-testid="engine-status">Starting the engine…</section>;
  const agree = result.simdSum === result.scalarSum;
  return (
    <section className="panel" data-testid="engine-status">
      <h2>Engine</h2>
      <p>
        WebAssembly SIMD: <strong data-testid="simd">{result.support.simd ? 'yes' : 'no'}</strong>; relaxed SIMD:{' '}
        <strong data-testid="relaxed">{result.support.relaxedSimd ? 'yes' : 'no'}</strong>; engine build{' '}
        <code data-testid="build">{result.build}</code>.
      </p>
      <p>
        Self-test in the worker: Σ pixel² over {result.images} demo digits ={' '}
        <strong data-testid="simd-sum">{result.simdSum}</strong> by the SIMD kernel,{' '}
        <span data-testid="agree">{agree ? 'equal to the scalar reference' : `but the scalar reference says ${result.scalarSum}`}</span>{' '}
        ({result.millis.toFixed(1)} ms).
      </p>
    </section>
  );
}
