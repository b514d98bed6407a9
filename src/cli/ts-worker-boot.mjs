// Starts a TypeScript worker entry through tsx (tests and benchmarks run from source; Node 20
// workers ignore --import loader hooks). The built command line never needs this file.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.tsEntry, import.meta.url);
