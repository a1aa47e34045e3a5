// The widget's key-value storage: idb-keyval in its own database 'chative' (never idb-keyval's
// shared default), falling back silently to memory where IndexedDB is unavailable or blocked.
import { createStore, get, set, del, clear, update, type UseStore } from 'idb-keyval';

export interface Kv {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /** Read-modify-write in one transaction, so two tabs never lose each other's writes. */
  update<T>(key: string, fn: (old: T | undefined) => T): Promise<void>;
  clear(): Promise<void>;
}

/** IndexedDB through idb-keyval; the first failing call switches to memory (a Map: private windows, blocked
 *  storage partitions) for the rest of the page, silently. */
export function createKv(idb: IDBFactory | null = globalThis.indexedDB ?? null): Kv {
  const map = new Map<string, unknown>();
  /** Opened on first use, not when made: opening creates the database, and a page view writes nothing. */
  let store: UseStore | null | undefined;
  const run = async <R>(op: (s: UseStore) => Promise<R>, memory: () => R): Promise<R> => {
    if (store === undefined) {
      try {
        store = idb && createStore('chative', 'kv');
      } catch {
        store = null; // Firefox private windows throw on open: https://bugzil.la/781982
      }
    }
    if (store) {
      try {
        return await op(store);
      } catch {
        store = null; // storage refused (quota, blocked partition): keep working in memory
      }
    }
    return memory();
  };
  return {
    get: <T>(key: string) => run((s) => get<T>(key, s), () => map.get(key) as T | undefined),
    set: (key, value) => run((s) => set(key, value, s), () => { map.set(key, value); }),
    del: (key) => run((s) => del(key, s), () => { map.delete(key); }),
    update: <T>(key: string, fn: (old: T | undefined) => T) => run((s) => update<T>(key, fn, s), () => { map.set(key, fn(map.get(key) as T | undefined)); }),
    clear: () => { map.clear(); return run(clear, () => undefined); },
  };
}
