// What survives a reload: the last model and data (as the files given, or "the demo"), the
// settings and the last search, kept in this browser's IndexedDB. Nothing leaves the machine.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { FileEntry, Method, Preprocessing, SavedSearch } from '../../worker/contract.ts';

/** Where a model or data set came from: the built-in demo is fetched again, not stored. */
export type Source = { kind: 'demo' } | { kind: 'files'; files: FileEntry[] };

export interface Settings {
  prep: Preprocessing;
  budget: number;
  method: Method;
  /** Web Workers for the search; absent in what older pages kept. */
  workers?: number;
}

export interface Saved {
  model?: Source;
  data?: Source;
  settings?: Settings;
  /** The last search's whole result, kept once when it finishes. */
  search?: SavedSearch['result'];
  /** The configuration picked from it (slider, chart or hand edit) by layer name, kept at every change. */
  picked?: SavedSearch['picked'];
}

type Key = keyof Saved;

interface Schema extends DBSchema {
  state: { key: Key; value: Saved[Key] };
}

const DB = 'fixpoint';
const STORE = 'state';
const KEYS: Key[] = ['model', 'data', 'settings', 'search', 'picked'];

let db: Promise<IDBPDatabase<Schema>> | null = null;
const open = () => (db ??= openDB<Schema>(DB, 1, { upgrade: (d) => { d.createObjectStore(STORE); } }));

export async function loadSaved(): Promise<Saved> {
  const d = await open();
  const values = await Promise.all(KEYS.map((k) => d.get(STORE, k)));
  const saved: Saved = {};
  KEYS.forEach((k, i) => { if (values[i] !== undefined) (saved as Record<Key, unknown>)[k] = values[i]; });
  return saved;
}

/** Stores one part; `undefined` forgets it. */
export async function save<K extends Key>(key: K, value: Saved[K] | undefined): Promise<void> {
  const d = await open();
  if (value === undefined) await d.delete(STORE, key);
  else await d.put(STORE, value, key);
}

export async function clearSaved(): Promise<void> {
  await (await open()).clear(STORE);
}
