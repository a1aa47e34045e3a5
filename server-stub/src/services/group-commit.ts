// Group commit: events from concurrent requests share one COMMIT and one fsync, each inside its own savepoint
// so it stays atomic and independent. The fsync runs off the main thread; nobody is answered (and nothing is
// published live) before the shared commit is on disk.
import type { Store } from '../storage/store.js';
import type { Outbox } from './contacts.js';

type Job = { fns: ((out: Outbox) => unknown)[]; resolve: (v: unknown[]) => void; reject: (e: unknown) => void };
type Committed = { seq: number; jobs: Job[]; ack: () => void };

export type GroupCommit = { run<T>(fns: ((out: Outbox) => T)[]): Promise<T[]> };

/**
 * `maxSyncs` fsyncs may be in flight at once (default 1): with 2, a commit made while one runs starts its own
 * at once instead of waiting a whole fsync for its turn (on a slow disk that halves the wait; acks stay in order).
 */
export function createGroupCommit(store: Store, opts: { maxSyncs?: number } = {}): GroupCommit {
  const maxSyncs = opts.maxSyncs ?? 1;
  let queue: Job[] = [];
  let scheduled = false;
  // commits not yet known to be on disk, oldest first; acknowledged strictly in commit order
  const waiting: Committed[] = [];
  let committedSeq = 0;
  // every commit up to here is settled: acknowledged (on disk) or refused (its fsync failed)
  let settledUpTo = 0;
  let syncs = 0;

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    // after this turn's I/O callbacks: every request already read joins the same commit
    setImmediate(flush);
  }

  function flush() {
    scheduled = false;
    const jobs = queue;
    queue = [];
    if (!jobs.length) return;
    const out: Outbox = [];
    const settled: { job: Job; results?: unknown[]; error?: unknown }[] = [];
    try {
      store.transactionNoSync(() => {
        for (const job of jobs) {
          try {
            // a job's events run in order; each fn opens its own (nested = savepoint) transactions
            settled.push({ job, results: job.fns.map((fn) => fn(out)) });
          } catch (error) {
            settled.push({ job, error });
          }
        }
      });
    } catch (error) {
      // the shared commit failed: nothing is acknowledged
      for (const job of jobs) job.reject(error);
      return;
    }
    waiting.push({ seq: ++committedSeq, jobs, ack: () => {
      for (const publish of out) publish();
      for (const s of settled) (s.error === undefined ? s.job.resolve(s.results!) : s.job.reject(s.error));
    } });
    sync();
  }

  // an fsync started after a commit covers it (and every earlier one)
  function sync() {
    if (syncs >= maxSyncs || settledUpTo >= committedSeq) return;
    const upTo = committedSeq;
    syncs++;
    store.syncToDisk().then(
      () => {
        settledUpTo = Math.max(settledUpTo, upTo);
        while (waiting.length && waiting[0].seq <= settledUpTo) waiting.shift()!.ack();
      },
      // not on disk: nothing committed so far is acknowledged, even if an fsync running beside this one succeeds
      (error) => {
        settledUpTo = committedSeq;
        for (const c of waiting.splice(0)) for (const job of c.jobs) job.reject(error);
      },
    ).finally(() => {
      syncs--;
      if (settledUpTo < committedSeq) sync();
      if (queue.length) schedule();
    });
  }

  return {
    run<T>(fns: ((out: Outbox) => T)[]): Promise<T[]> {
      return new Promise<T[]>((resolve, reject) => {
        queue.push({ fns, resolve: resolve as (v: unknown[]) => void, reject });
        // while every fsync slot is busy, requests pile up and share the next commit (fewer, larger WAL writes)
        if (syncs < maxSyncs) schedule();
      });
    },
  };
}
