// The page's handle on the engine worker. `cancel()` terminates the worker (the only way to
// stop a Wasm call mid-flight), which ends its search shards with it, and resolves once they
// are all gone; the next call starts a fresh worker, into which the client reloads what the old
// one held: the model and data files as given, and the preprocessing and split settings. Each run has an
// id: a cancelled run's progress and result never reach the page, even if they were already on
// their way when it was cancelled.
import * as Comlink from 'comlink';
import type { DataInfo, FileEntry, ModelInfo, Preprocessing, RunProgress, RunRequest, RunView, SplitSettings, WorkerApi } from './contract.ts';
import { generationGone, workerName } from './lifetime.ts';

// Web Locks are shared by every tab of the origin: each page names its generations apart.
const PAGE = Math.random().toString(36).slice(2, 10);

export class RunCancelled extends Error {
  constructor() {
    super('Search cancelled.');
  }
}

/** Workers the page scores with by default: every core but one, which the page keeps. */
export const defaultWorkers = (): number => Math.max(1, (navigator.hardwareConcurrency || 2) - 1);

export class EngineClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<WorkerApi> | null = null;
  private generation = 0;
  private modelFiles: FileEntry[] | null = null;
  private dataFiles: FileEntry[] | null = null;
  private prep: Preprocessing = {};
  private split: SplitSettings = {};
  private restoring: Promise<void> | null = null;
  private runId = 0;

  /** The worker's API; a new worker starts on first use and after a cancel. */
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

  async loadModel(files: FileEntry[]): Promise<ModelInfo> {
    await this.restoring;
    const info = await this.api.loadModel(files);
    this.modelFiles = files;
    return info;
  }

  async loadData(files: FileEntry[], prep: Preprocessing): Promise<DataInfo> {
    await this.restoring;
    const info = await this.api.loadData(files, prep, this.split);
    this.dataFiles = files;
    this.prep = prep;
    return info;
  }

  async reprocess(prep: Preprocessing, split: SplitSettings = this.split): Promise<DataInfo> {
    await this.restoring;
    const info = await this.api.reprocess(prep, split);
    this.prep = prep;
    this.split = split;
    return info;
  }

  /** Rejects with a RunCancelled when `cancel()` comes first. */
  async run(request: RunRequest, onProgress: (p: RunProgress) => void): Promise<RunView> {
    const id = ++this.runId;
    const live = () => {
      if (id !== this.runId) throw new RunCancelled();
    };
    await this.restoring;
    live();
    const view = await this.api.run(request, Comlink.proxy((p: RunProgress) => {
      if (id === this.runId) onProgress(p);
    }));
    live();
    return view;
  }

  /**
   * Stops whatever runs now by terminating the worker and its shards, waits until they are
   * gone, then reloads model and data into a fresh one. A run started meanwhile waits for that.
   */
  cancel(): Promise<void> {
    this.runId++;
    const model = this.modelFiles;
    const data = this.dataFiles;
    const prep = this.prep;
    const split = this.split;
    const stopped = this.stopWorker();
    this.restoring = (async () => {
      await stopped;
      if (model) await this.api.loadModel(model);
      if (model && data) await this.api.loadData(data, prep, split);
    })();
    return this.restoring;
  }

  /** Ends the worker (and any search in it) and forgets the files: a fresh start. */
  reset(): void {
    this.runId++;
    this.modelFiles = null;
    this.dataFiles = null;
    this.prep = {};
    this.split = {};
    this.restoring = this.stopWorker();
  }

  /** Terminates the engine worker and its shards; resolves when none of them runs any more. */
  private async stopWorker(): Promise<void> {
    if (!this.worker) return;
    const gen = this.gen;
    this.worker.terminate();
    this.worker = null;
    this.remote = null;
    await generationGone(gen);
  }
}
