import { useMemo } from 'react';
import { EngineClient } from '../../worker/client.ts';
import { EngineStatus } from '../status/EngineStatus.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';

export function App() {
  const client = useMemo(() => new EngineClient(), []);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Fixpoint</h1>
        <p className="tagline">Fixed-point quantization of trained CNNs for embedded inference. Everything runs locally in this page.</p>
      </header>
      <main>
        <ErrorBoundary>
          <EngineStatus client={client} />
        </ErrorBoundary>
      </main>
    </div>
  );
}
