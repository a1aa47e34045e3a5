// Group commit: events from concurrent requests share one durable COMMIT (one fsync), each inside its own
// savepoint so it stays atomic and independent. Nobody is answered before the shared commit is on disk.
import type { Store } from '../storage/store.js';
import type { Outbox } from './contacts.js';

type Job = { fns: ((out: Outbox) => unknown)[]; resolve: (v: unknown[]) => void; reject: (e: unknown) => void };

export type GroupCommit = { run<T>(fns: ((out: Outbox) => T)[]): Promise<T[]> };

export function createGroupCommit(store: Store): GroupCommit {
  let queue: Job[] = [];
  let scheduled = false;

  function flush() {
    scheduled = false;
    const jobs = queue;
    queue = [];
    const out: Outbox = [];
    const settled: { job: Job; results?: unknown[]; error?: unknown }[] = [];
    try {
      store.transaction(() => {
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
    for (const publish of out) publish();
    for (const s of settled) (s.error === undefined ? s.job.resolve(s.results!) : s.job.reject(s.error));
  }

  return {
    run<T>(fns: ((out: Outbox) => T)[]): Promise<T[]> {
      return new Promise<T[]>((resolve, reject) => {
        queue.push({ fns, resolve: resolve as (v: unknown[]) => void, reject });
        if (!scheduled) {
          scheduled = true;
          // after this turn's I/O callbacks: every request already read joins the same commit
          setImmediate(flush);
        }
      });
    },
  };
}
