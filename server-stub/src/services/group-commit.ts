// Group commit: events from concurrent requests share one COMMIT and one fsync, each inside its own savepoint
// so it stays atomic and independent. The fsync runs off the main thread; nobody is answered (and nothing is
// published live) before the shared commit is on disk.
//
// On an engine whose statements are round trips (PostgreSQL: `store.pipelines`), a batch whose every job names a
// chain first runs optimistically: the chains run at once inside the unit, so their statements share the
// connection's pipeline and the batch costs the round trips of its longest chain, not the sum of all of them
// (docs/BENCH.md, "Sync on PostgreSQL"). Savepoints cannot interleave, so that attempt has none: any failure (a
// refused event, a nested savepoint, a statement error, NeedsSerial) rolls the whole attempt back and the batch
// re-runs the sequential way, in savepoints, in units of at most SAVEPOINTS_PER_UNIT events; a serialization
// failure is first re-run by the store as any unit is.
import type { Store, Tx } from '../storage/store.js';
import { Outbox } from './changes.js';

/**
 * One unit of a batch: it runs inside the shared write unit, with only the store's handle to await (store.ts).
 * `chain` (optional) declares it may run beside fns of other chains: everything it reads or writes belongs to that
 * chain's key (sync: the token's contact), or it throws NeedsSerial when it finds it does not.
 */
export type BatchFn<T> = ((tx: Tx, out: Outbox, pipelined?: boolean) => Promise<T>) & { chain?: string };
type Job = { fns: BatchFn<unknown>[]; chain?: string; resolve: (v: unknown[]) => void; reject: (e: unknown) => void };

export type GroupCommit = { run<T>(fns: BatchFn<T>[]): Promise<T[]> };

/** Thrown by a pipelined fn that cannot run beside others (its chain key turned out wrong): the batch re-runs in order. */
export class NeedsSerial extends Error {
  constructor(why: string) {
    super(`group commit: ${why}`);
  }
}

// Past 64 subtransactions PostgreSQL spills to pg_subtrans and every snapshot slows down (research §6.6).
const SAVEPOINTS_PER_UNIT = 48;
// A pipelined attempt opens no savepoint; this only bounds the work one rollback can throw away.
const EVENTS_PER_PIPELINE = 500;

export type GroupCommitOptions = {
  /**
   * Resolves once this instance's streams have every message committed so far. On PostgreSQL messages reach
   * streams only through the bus's tailer (live/pg-bus.ts): answering before it read them would let a stream opened
   * "from now" after the answer replay them (SQLite publishes before it answers).
   */
  published?: () => Promise<void>;
};

export function createGroupCommit(store: Store, opts: GroupCommitOptions = {}) {
  const pipelines = store.pipelines === true;
  let queue: Job[] = [];
  let scheduled = false;
  let writing = false;
  let unsynced: { jobs: Job[]; ack: () => void }[] = [];
  let syncing = false;
  let fallbacks = 0;

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    // after this turn's I/O callbacks: every request already read joins the same commit
    setImmediate(() => void flush());
  }

  /** Takes queued jobs up to `max` events (always at least one job). */
  function take(from: Job[], max: number): Job[] {
    let n = 0;
    let i = 0;
    while (i < from.length && (i === 0 || n + from[i].fns.length <= max)) n += from[i++].fns.length;
    return from.splice(0, i);
  }

  async function flush() {
    scheduled = false;
    // one unit in flight: what queues meanwhile joins the next one (PostgreSQL's units take round trips, not microseconds)
    if (writing || !queue.length) return;
    writing = true;
    try {
      const jobs = take(queue, pipelines ? EVENTS_PER_PIPELINE : Infinity);
      if (pipelines && jobs.every((j) => j.chain !== undefined) && (await commit(jobs, true))) return;
      for (let rest = jobs; rest.length; ) await commit(take(rest, pipelines ? SAVEPOINTS_PER_UNIT : Infinity), false);
    } finally {
      writing = false;
      if (queue.length && !syncing) schedule();
    }
  }

  /** Runs one unit; answers false when a pipelined attempt was rolled back and must re-run sequentially. */
  async function commit(jobs: Job[], pipelined: boolean): Promise<boolean> {
    // visitors' requests share the group commit; an event sets its own actor on a child (sync.ts)
    let out = new Outbox({ kind: 'visitor' });
    let settled: { job: Job; results?: unknown[]; error?: unknown }[] = [];
    const runJob = async (tx: Tx, job: Job) => {
      try {
        // a job's events run in order; each fn opens its own savepoints
        const results: unknown[] = [];
        for (const fn of job.fns) results.push(await fn(tx, out, pipelined));
        settled.push({ job, results });
      } catch (error) {
        settled.push({ job, error });
      }
    };
    try {
      await store.write(async (tx) => {
        // from scratch on each attempt (an engine may retry the unit)
        out = new Outbox({ kind: 'visitor' });
        settled = [];
        if (!pipelined) {
          for (const job of jobs) await runJob(tx, job);
          return;
        }
        const flat = flatten(tx);
        const chains = new Map<string, Job[]>();
        for (const job of jobs) {
          const chain = chains.get(job.chain!);
          if (chain) chain.push(job);
          else chains.set(job.chain!, [job]);
        }
        await Promise.all([...chains.values()].map(async (chain) => {
          for (const job of chain) await runJob(flat.tx, job);
        }));
        // a job's own error goes up first: the engine re-runs the unit on a serialization failure (store.ts), the
        // rest comes back here and re-runs in order
        const failed = settled.find((s) => s.error !== undefined && !(s.error instanceof NeedsSerial));
        if (failed) throw failed.error;
        if (flat.broken() || settled.some((s) => s.error !== undefined)) throw new NeedsSerial('a pipelined batch needs savepoints');
      }, { syncLater: true });
    } catch (error) {
      // nothing of a pipelined attempt is answered: it re-runs in order, each event in its savepoint (a COMMIT that
      // failed after all finds the events' stored results and answers them as duplicates)
      if (pipelined) {
        fallbacks++;
        return false;
      }
      // the shared commit failed: nothing is acknowledged
      for (const job of jobs) job.reject(error);
      return true;
    }
    const answer = () => {
      for (const s of settled) (s.error === undefined ? s.job.resolve(s.results!) : s.job.reject(s.error));
    };
    unsynced.push({ jobs, ack: () => {
      out.flush();
      // the events are durable: a failed read of them only delays their live delivery (the tailer polls)
      if (opts.published) void opts.published().catch(() => undefined).then(answer);
      else answer();
    } });
    if (!syncing) sync();
    return true;
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
        const chain = fns.length && fns.every((f) => f.chain !== undefined && f.chain === fns[0].chain) ? fns[0].chain : undefined;
        queue.push({ fns, chain, resolve: resolve as (v: unknown[]) => void, reject });
        // while the disk is busy, requests pile up and share the next commit (fewer, larger WAL writes)
        if (!syncing) schedule();
      });
    },
    /** Pipelined batches rolled back and re-run in order, since start (tests, the bench's notes). */
    fallbacks: () => fallbacks,
  } satisfies GroupCommit & { fallbacks(): number };
}

/**
 * The handle a pipelined attempt hands its fns: a top-level savepoint runs its fn in place (nothing to undo unless it
 * throws, and then the whole attempt is rolled back), a nested one is refused. broken() says the attempt is void.
 */
function flatten(tx: Tx): { tx: Tx; broken: () => boolean } {
  let broken = false;
  const refuse = () => {
    broken = true;
    return Promise.reject(new NeedsSerial('a nested savepoint'));
  };
  // the handle's methods through its prototype (an engine may keep them there), savepoint overridden
  const inner: Tx = Object.assign(Object.create(tx) as Tx, { savepoint: refuse });
  const outer: Tx = Object.assign(Object.create(tx) as Tx, {
    savepoint: async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
      try {
        return await fn(inner);
      } catch (err) {
        broken = true;
        throw err;
      }
    },
  });
  return { tx: outer, broken: () => broken };
}
