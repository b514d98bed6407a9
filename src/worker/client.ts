// The page's handle on the engine worker. `cancel()` terminates the worker (the only way to
// stop a Wasm call mid-flight), which ends its search shards with it, and resolves once they
// are all gone; the next call starts a fresh worker.
import * as Comlink from 'comlink';
import type { WorkerApi } from './contract.ts';
import { generationGone, workerName } from './lifetime.ts';

// Web Locks are shared by every tab of the origin: each page names its generations apart.
const PAGE = Math.random().toString(36).slice(2, 10);

export class EngineClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<WorkerApi> | null = null;
  private generation = 0;

  get api(): Comlink.Remote<WorkerApi> {
    if (!this.remote) {
      this.generation++;
      this.worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: workerName(this.gen, 'engine') });
      this.remote = Comlink.wrap<WorkerApi>(this.worker);
    }
    return this.remote;
  }

  private get gen(): string {
    return `${PAGE}-${this.generation}`;
  }

  /** Terminates the engine worker and its shards; resolves when none of them runs any more. */
  async cancel(): Promise<void> {
    if (!this.worker) return;
    const gen = this.gen;
    this.worker.terminate();
    this.worker = null;
    this.remote = null;
    await generationGone(gen);
  }
}
