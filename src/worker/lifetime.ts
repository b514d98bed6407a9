// Knowing when a terminated worker is really gone. `Worker.terminate()` returns at once while
// the thread may run on for a moment; a Web Lock held for a worker's whole life is released
// only when its thread ends. Every worker of one engine generation (the engine worker and its
// search shards) holds the generation's lock in shared mode; the page asks for it exclusively
// after a cancel, and gets it once all of them have stopped.

const PREFIX = 'fixpoint-workers-';

/** The name a worker of generation `gen` is started with; the lock name is derived from it. */
export const workerName = (gen: string, role: string): string => `${PREFIX}${gen} ${role}`;

const lockOf = (name: string): string => name.split(' ')[0];

/** In a worker: hold this generation's lock until the thread ends. */
export function holdGenerationLock(): void {
  const name = (self as unknown as { name?: string }).name ?? '';
  if (!name.startsWith(PREFIX) || !navigator.locks) return;
  void navigator.locks.request(lockOf(name), { mode: 'shared' }, () => new Promise<never>(() => {}));
}

/** In the page: resolves once no worker of generation `gen` is alive (or after `limitMs`). */
export async function generationGone(gen: string, limitMs = 5000): Promise<boolean> {
  if (!navigator.locks) return false;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), limitMs);
  try {
    await navigator.locks.request(lockOf(workerName(gen, '')), { signal: timeout.signal }, () => undefined);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
