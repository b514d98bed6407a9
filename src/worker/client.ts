// The page's handle on the engine worker. `cancel()` terminates the worker (the only way to
// stop a Wasm call mid-flight) and the next call starts a fresh one.
import * as Comlink from 'comlink';
import type { WorkerApi } from './contract.ts';

export class EngineClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<WorkerApi> | null = null;

  get api(): Comlink.Remote<WorkerApi> {
    if (!this.remote) {
      this.worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'fixpoint-engine' });
      this.remote = Comlink.wrap<WorkerApi>(this.worker);
    }
    return this.remote;
  }

  cancel(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }
}
