// The page's handle on the engine worker. `cancel()` terminates the worker (the only way to
// stop a Wasm call mid-flight); the client keeps what is needed to rebuild the worker's state in
// a fresh one: the model and data files as given, and the preprocessing settings.
import * as Comlink from 'comlink';
import type { DataInfo, FileEntry, ModelInfo, Preprocessing, Progress, RunRequest, RunView, WorkerApi } from './contract.ts';

export class EngineClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<WorkerApi> | null = null;
  private modelFiles: FileEntry[] | null = null;
  private dataFiles: FileEntry[] | null = null;
  private prep: Preprocessing = {};
  private restoring: Promise<void> | null = null;

  /** The worker's API; a new worker starts on first use and after a cancel. */
  get api(): Comlink.Remote<WorkerApi> {
    if (!this.remote) {
      this.worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'fixpoint-engine' });
      this.remote = Comlink.wrap<WorkerApi>(this.worker);
    }
    return this.remote;
  }

  async loadModel(files: FileEntry[]): Promise<ModelInfo> {
    await this.restoring;
    const info = await this.api.loadModel(files);
    this.modelFiles = files;
    return info;
  }

  async loadData(files: FileEntry[], prep: Preprocessing): Promise<DataInfo> {
    await this.restoring;
    const info = await this.api.loadData(files, prep);
    this.dataFiles = files;
    this.prep = prep;
    return info;
  }

  async reprocess(prep: Preprocessing): Promise<DataInfo> {
    await this.restoring;
    const info = await this.api.reprocess(prep);
    this.prep = prep;
    return info;
  }

  async run(request: RunRequest, onProgress: (p: Progress) => void): Promise<RunView> {
    await this.restoring;
    return this.api.run(request, Comlink.proxy(onProgress));
  }

  /** Stops whatever runs now by terminating the worker, then reloads model and data into a fresh one. */
  cancel(): Promise<void> {
    this.stopWorker();
    const model = this.modelFiles;
    const data = this.dataFiles;
    const prep = this.prep;
    this.restoring = (async () => {
      if (model) await this.api.loadModel(model);
      if (model && data) await this.api.loadData(data, prep);
    })();
    return this.restoring;
  }

  /** Ends the worker (and any search in it) and forgets the files: a fresh start. */
  reset(): void {
    this.stopWorker();
    this.modelFiles = null;
    this.dataFiles = null;
    this.prep = {};
    this.restoring = null;
  }

  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
  }
}
