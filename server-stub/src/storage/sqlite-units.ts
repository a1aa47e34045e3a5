// The SQLite store's units of work: better-sqlite3 stays synchronous underneath; read(fn) / write(fn) run fn
// under one lock (the one connection), write(fn) inside BEGIN IMMEDIATE … COMMIT, savepoints for nested units.
import type Database from 'better-sqlite3';
import type { Reader, Store, Tx, WriteOptions } from './store.js';
import { TEAM_READ_METHODS } from './sqlite-team.js';
import { AUTOMATION_READS } from './sqlite-automation.js';
import { DATA_READS } from './sqlite-data.js';
import { JOB_LEASE_READS } from './sqlite-jobs.js';

/** The store's methods as better-sqlite3 runs them: synchronous; sqlite-units.ts wraps them into async handles. */
export type SyncOps = { [K in Exclude<keyof Tx, 'savepoint'>]: Tx[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R : never };
/** The names of the read methods (what a read unit's handle offers). */
export const READ_METHODS = [
  'getEventResult', 'findToken', 'findTokenById', 'getContact', 'getContactBrief', 'eventContext', 'findCustomer', 'findSameDetails', 'listContacts',
  'countContacts', 'listTags', 'getTagByKey', 'listFields', 'getField', 'getConversation', 'latestConversation', 'listConversations',
  'summarizeConversation', 'getMessage', 'messagesForContact', 'messagesForConversation', 'messagesAfter', 'getSettingsJson',
  ...TEAM_READ_METHODS,
  ...AUTOMATION_READS,
  'searchContacts', 'countMatching', 'estimateMatching', 'listSegments', 'getSegment', 'getJob', 'getJobByClientId', 'runningJobIds', 'jobItems',
  ...DATA_READS,
  ...JOB_LEASE_READS,
] as const satisfies readonly (keyof Reader)[];

/** What createUnits needs from the engine besides its statements. */
export type UnitHooks = {
  /** Drops every read-through cache (after a rollback). */
  forget(): void;
  /** The group commit's relaxed COMMIT (no fsync) and back; null where there is no disk (:memory:). */
  relaxed: { on: Database.Statement; off: Database.Statement } | null;
  /** After each outer COMMIT (the checkpointer counts them). */
  committed(): void;
  syncToDisk(): Promise<void>;
  analyze(): void;
  /** wal_checkpoint(TRUNCATE); false when a reader kept it from completing. */
  checkpointTruncate(): boolean;
  close(): void;
};

/** Raised when a unit's fn awaited something outside the store (store.ts, "the transaction rule"). */
export class TransactionRuleError extends Error {
  constructor() {
    super('store: a unit of work was still open one event-loop turn after it started: its function awaited something outside the store (network, timer, another unit); it was rolled back');
    this.name = 'TransactionRuleError';
  }
}

type Open = { id: number; write: boolean; relaxed: boolean; fail: (err: unknown) => void };
type Handle = { unit: number };

export function createUnits(db: Database.Database, ops: SyncOps, hooks: UnitHooks): Store {
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  let units = 0;
  let open: Open | null = null;
  let depth = 0;
  const waiting: (() => void)[] = [];
  let closed = false;
  let closing: Promise<void> | null = null;

  // A handle's methods run the synchronous statement and answer a settled promise; a handle outlives its unit
  // only as a dead end (its calls reject), so a leaked handle can never write into someone else's transaction.
  const method = (name: keyof SyncOps) => {
    const f = ops[name] as (...a: unknown[]) => unknown;
    return function (this: Handle, ...args: unknown[]) {
      if (open === null || open.id !== this.unit) return Promise.reject(new Error(`store: ${name}() on a unit of work that has ended`));
      try {
        return Promise.resolve(f(...args));
      } catch (err) {
        return Promise.reject(err);
      }
    };
  };
  const readerProto: Record<string, unknown> = Object.create(null);
  for (const name of READ_METHODS) readerProto[name] = method(name);
  const txProto: Record<string, unknown> = Object.create(readerProto);
  for (const name of Object.keys(ops) as (keyof SyncOps)[]) if (!(name in readerProto)) txProto[name] = method(name);
  txProto.savepoint = function <T>(this: Handle & Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (open === null || open.id !== this.unit) return Promise.reject(new Error('store: savepoint() on a unit of work that has ended'));
    const name = `sp${++depth}`;
    const mine = this.unit;
    db.exec(`SAVEPOINT ${name}`);
    return call(fn, this).then(
      (v) => {
        depth--;
        if (open?.id !== mine) throw new TransactionRuleError();
        db.exec(`RELEASE ${name}`);
        return v;
      },
      (err) => {
        depth--;
        // a failed statement may have ended the whole transaction (SQLITE_FULL): then the outer unit fails at COMMIT
        if (open?.id === mine && db.inTransaction) {
          db.exec(`ROLLBACK TO ${name}`);
          db.exec(`RELEASE ${name}`);
        }
        hooks.forget();
        throw err;
      },
    );
  };

  // Legit units settle within the microtasks of the turn that started them (every handle call is already
  // settled), so a unit still open when the check phase comes round broke the transaction rule.
  let guardArmed = false;
  const armGuard = () => {
    if (guardArmed) return;
    guardArmed = true;
    setImmediate(() => {
      guardArmed = false;
      if (open) abort(open, new TransactionRuleError());
    });
  };

  /** Ends the open unit without committing, and lets the next one in. */
  function abort(u: Open, err: unknown) {
    try {
      if (u.write && db.inTransaction) rollback.run();
    } finally {
      // a read wrote nothing: its caches stay (a 400 in a read must not empty them)
      if (u.write) hooks.forget();
      finish(u);
      u.fail(err);
    }
  }
  function finish(u: Open) {
    if (u.relaxed) hooks.relaxed?.off.run();
    open = null;
    depth = 0;
    waiting.shift()?.();
  }

  function start<T>(write: boolean, fn: (h: never) => Promise<T>, opts: WriteOptions | undefined): Promise<T> {
    if (closed) return Promise.reject(new Error('store: closed'));
    if (open) return new Promise<T>((resolve, reject) => waiting.push(() => void start(write, fn, opts).then(resolve, reject)));
    const id = ++units;
    return new Promise<T>((resolve, reject) => {
      const u: Open = { id, write, relaxed: write && Boolean(opts?.syncLater && hooks.relaxed), fail: reject };
      open = u;
      armGuard();
      try {
        if (u.relaxed) hooks.relaxed!.on.run();
        if (write) begin.run();
      } catch (err) {
        return abort(u, err);
      }
      const handle: Handle = Object.create(write ? txProto : readerProto);
      handle.unit = id;
      call(fn, handle as never).then(
        (value) => {
          if (open !== u) return; // already rolled back by the guard
          try {
            if (write) commit.run();
          } catch (err) {
            return abort(u, err);
          }
          finish(u);
          if (write) hooks.committed();
          resolve(value);
        },
        (err) => {
          if (open === u) abort(u, err);
        },
      );
    });
  }

  return {
    read: <T>(fn: (r: Reader) => Promise<T>) => start(false, fn as (h: never) => Promise<T>, undefined),
    write: <T>(fn: (tx: Tx) => Promise<T>, opts?: WriteOptions) => start(true, fn as (h: never) => Promise<T>, opts),
    syncToDisk: () => hooks.syncToDisk(),
    analyze: () => start(false, async () => hooks.analyze(), undefined),
    // between units (never inside one); the checkpoint thread may hold the log for a moment: retry a few times
    scrub: async () => {
      for (let i = 0; i < 50; i++) {
        if (await start(false, async () => hooks.checkpointTruncate(), undefined)) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('store: the write-ahead log could not be truncated after an erase (a reader held it for 1 s)');
    },
    // once, however often it is called: units already queued run first, then nothing new gets in
    close: () =>
      (closing ??= (async () => {
        if (open) await start(false, async () => undefined, undefined);
        closed = true;
        hooks.close();
      })()),
  };
}

/** fn(h) as a promise, a synchronous throw included. */
function call<T>(fn: (h: never) => Promise<T>, h: unknown): Promise<T> {
  try {
    return Promise.resolve(fn(h as never));
  } catch (err) {
    return Promise.reject(err);
  }
}
