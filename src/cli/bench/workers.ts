// workers_speedup in Node: the paper's Sequential CNN (mnist_seq_large.h5, or --model) on the
// MNIST test set (or --data), the first evaluations of the paper search scored by 2 worker
// threads against 1 (src/app/bench/truncated-search.ts).
import { PROXY_IMAGES } from '../../app/load-data.ts';
import { timeSearch } from '../../app/bench/truncated-search.ts';
import { openDataset, openModel } from '../../formats/index.ts';
import { readPathAsFiles } from '../../formats/node-files.ts';
import type { Method } from '../../search/scorer.ts';
import { nodeWorkspace } from '../inputs.ts';
import { workerPool } from '../pool.ts';
import { mnistTestPath, modelName, seqLargePath } from './inputs.ts';

export interface WorkersBenchOptions {
  /** Model file (default: ../shared/fixtures/paper/mnist_seq_large.h5). */
  model?: string;
  /** Data (default: ../shared/fixtures/mnist, the MNIST test set). */
  data?: string;
  images?: number;
  method?: Method;
  /** Evaluations timed (default 40; 0: the whole search). */
  evaluations?: number;
  /** Thread counts compared: [base, many] (default [1, 2]). */
  workers?: [number, number];
  log?: (line: string) => void;
}

export interface WorkersBenchResult {
  model: string;
  method: Method;
  images: number;
  evaluations: number;
  workers: [number, number];
  seconds: [number, number];
  /**
   * CPU seconds of the whole process (every thread) in each run. On a quiet machine the speedup
   * follows the wall times; on a shared one (other jobs, a CPU quota) their ratio still shows
   * what splitting costs in work: cpu[1] / cpu[0] near 1 means no work was duplicated.
   */
  cpu_seconds: [number, number];
  workers_speedup: number;
}

/** The model and its search images in a workspace, and the truncated search to time. */
export async function largeModelSearch(o: WorkersBenchOptions) {
  const ws = await nodeWorkspace();
  const model = o.model ?? seqLargePath();
  ws.setModel(await openModel(readPathAsFiles(model)));
  const data = ws.setData(await openDataset(readPathAsFiles(o.data ?? mnistTestPath())), {}, { search: o.images ?? 1000, validation: 10 });
  return { name: modelName(model), data, search: { graph: ws.graph, stats: data.stats, method: o.method ?? 'paper', evaluations: o.evaluations ?? 40 } };
}

/** The search on `workers` threads: what the browser bench compares its Web Workers with. */
export async function timeThreads(o: WorkersBenchOptions & { threads: number }): Promise<{ seconds: number; evaluations: number }> {
  const { data, search } = await largeModelSearch(o);
  const pool = await workerPool(search.graph, data.calibration, PROXY_IMAGES, o.threads);
  try {
    return await timeSearch(search, pool);
  } finally {
    pool.close();
  }
}

export async function runWorkersBench(o: WorkersBenchOptions = {}): Promise<WorkersBenchResult> {
  const method = o.method ?? 'paper';
  const workers = o.workers ?? [1, 2];
  const log = o.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const { name, data, search } = await largeModelSearch({ ...o, method });
  const seconds: number[] = [];
  const cpu: number[] = [];
  let evaluations = 0;
  for (const n of workers) {
    const pool = await workerPool(search.graph, data.calibration, PROXY_IMAGES, n);
    try {
      const c0 = process.cpuUsage();
      const t = await timeSearch(search, pool);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);
      log(`workers bench: ${name}, ${method}, ${n} worker thread(s): ${t.evaluations} evaluations in ${t.seconds.toFixed(2)} s (${cpu[cpu.length - 1].toFixed(2)} CPU s)`);
      seconds.push(t.seconds);
      evaluations = t.evaluations;
    } finally {
      pool.close();
    }
  }
  return {
    model: name, method, images: data.calibration.labels.length, evaluations, workers,
    seconds: [seconds[0], seconds[1]], cpu_seconds: [cpu[0], cpu[1]], workers_speedup: seconds[0] / seconds[1],
  };
}
