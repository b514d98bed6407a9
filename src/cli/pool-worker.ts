// A worker thread of `--workers N`: one engine scoring one shard of the search images.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../engine/engine.ts';
import { loadEngineWasmNode } from '../engine/load-node.ts';
import { serveShard } from '../search/shard-protocol.ts';

const { root } = workerData as { root: string };
parentPort!.on('message', serveShard(() => createEngine(loadEngineWasmNode(join(root, 'build'))), (m) => parentPort!.postMessage(m)));
