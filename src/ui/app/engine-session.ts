// The page's side of a session: the worker client plus what is needed to rebuild the worker's
// state after a cancel (which terminates the worker): the model and data files as given, and
// the preprocessing and split settings. Each run has an id: a cancelled run's progress and result never
// reach the page, even if they were already on their way when it was cancelled.
import type { DataInfo, FileEntry, ModelInfo, Preprocessing, RunProgress, RunRequest, RunView, SplitSettings } from '../../worker/contract.ts';
import { EngineClient } from '../../worker/client.ts';
import * as Comlink from 'comlink';

export class EngineSession {
  readonly client = new EngineClient();
  private modelFiles: FileEntry[] | null = null;
  private dataFiles: FileEntry[] | null = null;
  private prep: Preprocessing = {};
  private split: SplitSettings = {};
  private restoring: Promise<void> | null = null;
  private runId = 0;

  async loadModel(files: FileEntry[]): Promise<ModelInfo> {
    await this.restoring;
    const info = await this.client.api.loadModel(files);
    this.modelFiles = files;
    return info;
  }

  async loadData(files: FileEntry[], prep: Preprocessing): Promise<DataInfo> {
    await this.restoring;
    const info = await this.client.api.loadData(files, prep, this.split);
    this.dataFiles = files;
    this.prep = prep;
    return info;
  }

  async reprocess(prep: Preprocessing, split: SplitSettings = this.split): Promise<DataInfo> {
    await this.restoring;
    const info = await this.client.api.reprocess(prep, split);
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
    const view = await this.client.api.run(request, Comlink.proxy((p: RunProgress) => {
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
    const stopped = this.client.cancel();
    this.restoring = (async () => {
      await stopped;
      if (model) await this.client.api.loadModel(model);
      if (model && data) await this.client.api.loadData(data, prep, split);
    })();
    return this.restoring;
  }

  /** Ends the worker (and any search in it) and forgets the files: a fresh start. */
  reset(): void {
    this.runId++;
    this.modelFiles = null;
    this.dataFiles = null;
    this.prep = {};
    this.restoring = this.client.cancel();
  }

  get api() {
    return this.client.api;
  }
}

export class RunCancelled extends Error {
  constructor() {
    super('Search cancelled.');
  }
}

/** Workers the page scores with by default: every core but one, which the page keeps. */
export const defaultWorkers = (): number => Math.max(1, (navigator.hardwareConcurrency || 2) - 1);

/** The demo model and data as the files a person would drop. */
export async function fetchDemoFiles(): Promise<{ model: FileEntry[]; data: FileEntry[] }> {
  const base = import.meta.env.BASE_URL;
  const get = async (path: string, as: string): Promise<FileEntry> => {
    const res = await fetch(`${base}${path}`);
    if (!res.ok) throw new Error(`Could not load the demo (${path}: HTTP ${res.status}).`);
    return { path: as, data: new Uint8Array(await res.arrayBuffer()) };
  };
  const modelJson = await get('models/lenet5-mnist/model.json', 'lenet5-mnist/model.json');
  const manifest = JSON.parse(new TextDecoder().decode(modelJson.data));
  const shards = manifest.weightsManifest.flatMap((g: { paths: string[] }) => g.paths) as string[];
  const model = [modelJson, ...(await Promise.all(shards.map((p) => get(`models/lenet5-mnist/${p}`, `lenet5-mnist/${p}`))))];
  const dataManifest = await get('data/mnist-demo/manifest.json', 'mnist-demo/manifest.json');
  const sets = Object.values(JSON.parse(new TextDecoder().decode(dataManifest.data)).sets) as { images: string; labels: string }[];
  const names = sets.flatMap((s) => [s.images, s.labels]);
  const data = [dataManifest, ...(await Promise.all(names.map((p) => get(`data/mnist-demo/${p}`, `mnist-demo/${p}`))))];
  return { model, data };
}
