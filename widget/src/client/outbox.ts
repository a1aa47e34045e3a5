// The outbox: every event is written to storage *before* it is sent, then POSTed to /v1/sync in
// order, ≤20 per batch, retried with backoff + jitter. It survives a reload; ids make resends safe.
import type { Kv } from '../storage/kv';
import type { Contact, SyncResult } from '../contract/schemas';
import type { OutboxEvent } from '../contract/events';
import { WidgetError, type Client } from './http';
import { backoffDelay } from './backoff';
import { withLock, type Bus } from './bus';

export const BATCH_SIZE = 20;

export interface OutboxDeps {
  kv: Kv;
  siteId: string;
  client: Pick<Client, 'sync'>;
  bus: Bus;
  /** Resolves with the visitor token once a session exists. */
  getToken: () => Promise<string>;
  /** Every result, from this tab's flush or another tab's. */
  onResult: (result: SyncResult) => void;
  onContact: (contact: Contact) => void;
  /** The token was refused (401): start a new session, then the outbox retries. */
  onUnauthorized: () => Promise<void>;
  random?: () => number;
}

export type Outbox = ReturnType<typeof createOutbox>;

/** An Error carrying the server's error code (and its issues, when it named fields), as host pages see it (CONTRACT §3). */
export function resultError(result: SyncResult): Error & { code: string } {
  const error = result.error || { code: 'rejected', message: 'rejected' }; // the server names every rejection
  return Object.assign(new Error(error.message), error);
}

export function createOutbox(deps: OutboxDeps) {
  const key = deps.siteId + ':outbox';
  const waiters = new Map<string, { resolve: (r: SyncResult) => void; reject: (e: Error) => void }>();
  let chain: Promise<unknown> = Promise.resolve();
  let flushing = false;
  let again = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  function settle(result: SyncResult) {
    const waiter = waiters.get(result.id);
    waiters.delete(result.id);
    deps.onResult(result);
    if (!waiter) return;
    if (result.status === 'rejected') waiter.reject(resultError(result));
    else waiter.resolve(result);
  }

  deps.bus.listen((msg) => {
    if (msg.kind !== 'results') return;
    if (msg.contact) deps.onContact(msg.contact); // first, so settled promises see the new contact
    msg.results.forEach(settle);
  });

  async function sendOnce(): Promise<boolean> {
    const queued = (await deps.kv.get<OutboxEvent[]>(key)) || [];
    if (!queued.length) return false;
    const batch = queued.slice(0, BATCH_SIZE);
    const token = await deps.getToken();
    let results: SyncResult[];
    let contact: Contact | undefined;
    try {
      ({ results, contact } = await deps.client.sync(token, batch));
    } catch (err) {
      if (err instanceof WidgetError && err.status === 401) {
        await deps.onUnauthorized();
        return true;
      }
      if (err instanceof WidgetError && (err.status === 400 || err.status === 413)) {
        // The server will never accept this batch: settle it as rejected rather than retry forever.
        results = batch.map((e) => ({ id: e.id, status: 'rejected' as const, error: { code: err.code, message: err.message } }));
      } else {
        throw err;
      }
    }
    const done = new Set(results.map((r) => r.id));
    await deps.kv.update<OutboxEvent[]>(key, (old) => (old || []).filter((e) => !done.has(e.id)));
    if (contact) deps.onContact(contact);
    results.forEach(settle);
    deps.bus.post({ kind: 'results', results, contact });
    // Progress: the server is reachable again, so a later failure (a lost acknowledgement) retries in
    // about a second, not after the 30 s the offline spell had climbed to.
    attempt = 0;
    return true;
  }

  /** Send everything queued; one flusher per browser (Web Lock), one loop per tab. */
  async function flush(): Promise<void> {
    if (stopped) return;
    if (flushing) { again = true; return; }
    flushing = true;
    clearTimeout(timer);
    try {
      do {
        again = false;
        await withLock('chative:' + deps.siteId + ':outbox', async () => { while (!stopped && await sendOnce()); });
      } while (again && !stopped);
      attempt = 0;
    } catch (err) {
      // Offline or server trouble: try again later; the events wait safely in storage.
      if (!stopped) timer = setTimeout(() => void flush(), backoffDelay(attempt++, 1000, 30_000, deps.random));
    } finally {
      flushing = false;
    }
  }

  return {
    /** Store the event, then send; the promise settles with the server's result for it. */
    enqueue(event: OutboxEvent): Promise<SyncResult> {
      const settled = new Promise<SyncResult>((resolve, reject) => waiters.set(event.id, { resolve, reject }));
      chain = chain.then(() => deps.kv.update<OutboxEvent[]>(key, (old) => [...(old || []), event])).then(() => { void flush(); });
      return settled;
    },
    /** Events still waiting in storage (e.g. messages typed before a reload). */
    pending: async () => (await deps.kv.get<OutboxEvent[]>(key)) || [],
    flush,
    /** Forget every queued event and fail their promises (reset). */
    async clear(reason: Error) {
      clearTimeout(timer);
      await deps.kv.del(key);
      waiters.forEach((w) => w.reject(reason));
      waiters.clear();
    },
    stop() { stopped = true; clearTimeout(timer); },
    start() { stopped = false; },
  };
}
