// A search shard in the page: one engine scoring every n-th search image for the engine worker,
// which starts these and speaks search/shard-protocol.ts to them (as the command line does to
// its worker threads). They end with their engine worker.
import { createBrowserEngine } from '../engine/load-browser.ts';
import { type ShardRequest, serveShard } from '../search/shard-protocol.ts';
import { holdGenerationLock } from './lifetime.ts';

holdGenerationLock();
const handle = serveShard(() => createBrowserEngine(), (m) => self.postMessage(m));
self.onmessage = (e: MessageEvent<ShardRequest>) => handle(e.data);
