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

/** The worker failed (a Wasm trap, memory exhausted, or it died); a fresh one has taken over. */
export class EngineFault extends Error {}

/**
 * A failure that may leave the worker's Wasm state broken, as opposed to a bad file or setting
 * (those carry their own error types and leave the worker sound).
 */
export function isEngineFault(e: unknown): boolean {
  if (e instanceof WorkerDied) return true;
  if (!(e instanceof Error)) return false;
  // By error kind, not by message text alone: a file's error may quote a layer named anything.
  if (e.name === 'RuntimeError' || e.name === 'InternalError') return true;
  if (e.name === 'RangeError') return /memory|allocation failed|call stack/i.test(e.message);
  return e.message === 'Wasm engine aborted'; // src/engine/kernels.ts: an assertion inside the Wasm
}

class WorkerDied extends Error {}

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
  /** Rejects when the current worker dies outside a call (its calls would otherwise never settle). */
  private died: Promise<never> = new Promise(() => {});
  /** The recovery under way for a generation, shared by every call that saw its fault. */
  private recovery: { gen: string; done: Promise<void> } | null = null;

  /**
   * The worker's API; a new worker starts on first use and after a cancel. Every call is
   * guarded: after a fault a fresh worker takes over with the model and data reloaded.
   */
  get api(): Comlink.Remote<WorkerApi> {
    if (!this.remote) {
      this.generation++;
      const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: workerName(this.gen, 'engine') });
      this.worker = worker;
      this.died = new Promise<never>((_, reject) => {
        worker.addEventListener('error', (ev) => {
          ev.preventDefault();
          reject(new WorkerDied(ev.message || 'the engine worker stopped'));
        });
      });
      this.died.catch(() => {});
      const remote = Comlink.wrap<WorkerApi>(worker);
      const gen = this.gen;
      this.remote = new Proxy(remote, {
        get: (target, prop) => {
          if (prop === 'then' || typeof prop === 'symbol') return undefined;
          const method = target[prop as keyof WorkerApi] as unknown as (...a: unknown[]) => Promise<unknown>;
          return (...args: unknown[]) => this.guard(gen, Promise.race([method(...args), this.died]));
        },
      });
    }
    return this.remote;
  }

  private async guard<T>(gen: string, call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (e) {
      if (!isEngineFault(e)) throw e;
      await this.recover(gen);
      const what = e instanceof Error ? e.message.replace(/\.$/, '') : String(e);
      throw new EngineFault(`The engine failed (${what}). A fresh engine has taken over with your model and data loaded; try again, or with fewer images or a smaller model if it happens again.`);
    }
  }

  /** Replaces a failed worker by a fresh one holding the same model, data and settings. */
  private recover(gen: string): Promise<void> {
    if (this.recovery?.gen === gen) return this.recovery.done;
    if (gen !== this.gen || !this.worker) return Promise.resolve();
    const done = this.restart();
    this.recovery = { gen, done };
    return done;
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
    return this.restart();
  }

  /** Test hook: makes the worker fail as `kind` would, to prove the page recovers. */
  fault(kind: 'trap' | 'oom'): Promise<void> {
    return this.api.fault(kind);
  }

  private restart(): Promise<void> {
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
    this.restoring.catch(() => {});
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
