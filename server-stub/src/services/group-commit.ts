// Group commit: events from concurrent requests share one COMMIT and one fsync, each inside its own savepoint
// so it stays atomic and independent. The fsync runs off the main thread; nobody is answered (and nothing is
// published live) before the shared commit is on disk.
import type { Store, Tx } from '../storage/store.js';
import { Outbox } from './changes.js';

/** One unit of a batch: it runs inside the shared write unit, with only the store's handle to await (store.ts). */
export type BatchFn<T> = (tx: Tx, out: Outbox) => Promise<T>;
type Job = { fns: BatchFn<unknown>[]; resolve: (v: unknown[]) => void; reject: (e: unknown) => void };

export type GroupCommit = { run<T>(fns: BatchFn<T>[]): Promise<T[]> };

export function createGroupCommit(store: Store): GroupCommit {
  let queue: Job[] = [];
  let scheduled = false;
  let unsynced: { jobs: Job[]; ack: () => void }[] = [];
  let syncing = false;

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    // after this turn's I/O callbacks: every request already read joins the same commit
    setImmediate(() => void flush());
  }

  async function flush() {
    scheduled = false;
    const jobs = queue;
    queue = [];
    if (!jobs.length) return;
    // visitors' requests share the group commit; an event sets its own actor on a child (sync.ts)
    let out = new Outbox({ kind: 'visitor' });
    let settled: { job: Job; results?: unknown[]; error?: unknown }[] = [];
    try {
      await store.write(async (tx) => {
        // from scratch on each attempt (an engine may retry the unit)
        out = new Outbox({ kind: 'visitor' });
        settled = [];
        for (const job of jobs) {
          try {
            // a job's events run in order; each fn opens its own savepoints
            const results: unknown[] = [];
            for (const fn of job.fns) results.push(await fn(tx, out));
            settled.push({ job, results });
          } catch (error) {
            settled.push({ job, error });
          }
        }
      }, { syncLater: true });
    } catch (error) {
      // the shared commit failed: nothing is acknowledged
      for (const job of jobs) job.reject(error);
      return;
    }
    unsynced.push({ jobs, ack: () => {
      out.flush();
      for (const s of settled) (s.error === undefined ? s.job.resolve(s.results!) : s.job.reject(s.error));
    } });
    if (!syncing) sync();
  }

  // one fsync in flight at a time; commits made meanwhile share the next one
  function sync() {
    const batch = unsynced;
    unsynced = [];
    syncing = true;
    store.syncToDisk().then(
      () => batch.forEach((b) => b.ack()),
      // not on disk: nothing is acknowledged
      (error) => batch.forEach((b) => b.jobs.forEach((job) => job.reject(error))),
    ).finally(() => {
      syncing = false;
      if (unsynced.length) sync();
      else if (queue.length) schedule();
    });
  }

  return {
    run<T>(fns: BatchFn<T>[]): Promise<T[]> {
      return new Promise<T[]>((resolve, reject) => {
        queue.push({ fns, resolve: resolve as (v: unknown[]) => void, reject });
        // while the disk is busy, requests pile up and share the next commit (fewer, larger WAL writes)
        if (!syncing) schedule();
      });
    },
  };
}
