// The widget's key-value storage: idb-keyval in its own database 'chative' (never idb-keyval's
// shared default), falling back silently to memory where IndexedDB is unavailable or blocked.
import { createStore, get, set, del, clear, update, type UseStore } from 'idb-keyval';

/** The returning-visitor marker, set whenever the database is opened: "this browser holds Chative's storage".
 *  widget.js reads it after load (loader/entry.ts) instead of asking indexedDB.databases(), an IPC round trip
 *  and two more tasks on every page view: through the Cookie Store API (asynchronous) where the browser has it,
 *  else document.cookie, whose first read on a page waits for the browser (3.6 ms median at 4×; the page's first
 *  localStorage access 5.5 ms). 400 days is the most a browser keeps a cookie; every page that opens the database renews it. */
export const MARKER = 'chative=1;max-age=34560000;path=/';

export interface Kv {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  /** Read-modify-write in one transaction, so two tabs never lose each other's writes. */
  update<T>(key: string, fn: (old: T | undefined) => T): Promise<void>;
  clear(): Promise<void>;
  readonly persistent: boolean;
}

/** A Map-backed Kv for private windows and blocked storage partitions: works for the page's life. */
export function createMemoryKv(): Kv {
  const map = new Map<string, unknown>();
  return {
    persistent: false,
    async get<T>(key: string) { return map.get(key) as T | undefined; },
    async set(key, value) { map.set(key, value); },
    async del(key) { map.delete(key); },
    async update<T>(key: string, fn: (old: T | undefined) => T) { map.set(key, fn(map.get(key) as T | undefined)); },
    async clear() { map.clear(); },
  };
}

/** IndexedDB through idb-keyval; the first failing call switches to memory for the rest of the page. */
export function createKv(idb: IDBFactory | null = globalThis.indexedDB ?? null): Kv {
  const memory = createMemoryKv();
  let store: UseStore | null = null;
  let opened = false;
  /** Opened on first use, not when made: opening creates the database, and a page view writes nothing. */
  const open = () => {
    if (opened) return store;
    opened = true;
    try {
      if (idb) store = createStore('chative', 'kv');
    } catch (err) {
      store = null; // Firefox private windows throw on open: https://bugzil.la/781982
    }
    // No document in unit tests; a sandboxed frame has no store either.
    if (store && globalThis.document) document.cookie = MARKER;
    if (!store) (kv as { persistent: boolean }).persistent = false;
    return store;
  };
  const kv: Kv = { persistent: !!idb } as Kv;
  const guard = <R>(op: (s: UseStore) => Promise<R>, fallback: () => Promise<R>) => async (): Promise<R> => {
    if (!open()) return fallback();
    try {
      return await op(store!);
    } catch (err) {
      store = null; // storage refused (quota, blocked partition): keep working in memory
      (kv as { persistent: boolean }).persistent = false;
      return fallback();
    }
  };
  kv.get = <T>(key: string) => guard<T | undefined>((s) => get<T>(key, s), () => memory.get<T>(key))();
  kv.set = (key, value) => guard((s) => set(key, value, s), () => memory.set(key, value))();
  kv.del = (key) => guard((s) => del(key, s), () => memory.del(key))();
  kv.update = <T>(key: string, fn: (old: T | undefined) => T) =>
    guard((s) => update<T>(key, fn, s), () => memory.update<T>(key, fn))();
  kv.clear = async () => {
    await memory.clear();
    await guard((s) => clear(s), () => memory.clear())();
  };
  return kv;
}
