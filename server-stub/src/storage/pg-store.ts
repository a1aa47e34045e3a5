// The PostgreSQL engine of Store (selected by DATABASE_URL; SQLite stays the default), on postgres.js.
//
// Public surface (what other modules may rely on):
//   createPgStore(url, opts?) -> Promise<PgStore>   migrates (once across instances), then answers the Store.
//   PgStore = Store & { sql, retries() }            sql: the postgres.js pool (LISTEN/NOTIFY, health checks);
//                                                   retries(): write units re-run after a serialization failure.
//   pgPoolSize(env)                                 CHATIVE_PG_POOL (default 10): connections per instance.
//   pgTestSwitches (pg-ops.ts)                      test-only: skipSeqLock drops the seq ordering guard.
//
// Decisions (research: /work/shared/research/scale-out.md):
// - write(fn): one transaction on a reserved connection, our own BEGIN ISOLATION LEVEL SERIALIZABLE sent with the unit's
//   first statements (not awaited alone, as postgres.js's begin() does: a round trip fewer), re-run from scratch on 40001 / 40P01 (up to
//   10 attempts, jittered backoff). SERIALIZABLE keeps the single-writer semantics the services were written for
//   (read-modify-write of a contact's type, the tag limit, get-or-create of tags and customers) without a lock per
//   call site; the price is a retry on hot rows, counted by retries(). fn must only use tx (store.ts's rule), so
//   re-running it is safe.
// - Write units run one at a time per instance (see write()); instances run concurrently.
// - savepoint(fn): SAVEPOINT / RELEASE (both pipelined) / ROLLBACK TO; a serialization failure inside one dooms the
//   whole unit (it is retried), never swallowed by the savepoint.
// - A failed statement aborts a PostgreSQL transaction (SQLite's does not); the unit (or the savepoint) then rejects
//   with that error even if fn caught it, and a COMMIT answered ROLLBACK rejects too, so nothing is acknowledged over
//   a silent rollback (store-pg.test.ts holds it to that).
// - read(fn): the pool, READ COMMITTED, each statement its own snapshot: committed data only, never a write in flight.
// - Every commit is durable (synchronous_commit stays on): syncLater is accepted and ignored; syncToDisk() resolves at
//   once. PostgreSQL groups concurrent commits' WAL flushes itself.
// - Waves: calls of eventContext / visitorMessageEvent that a unit's side-by-side events make together go as ONE
//   set-based statement (pg-wave.ts), sent before any other statement of the unit; a turn's findToken lookups on the
//   pool go as one too. Statements, not round trips, are most of an event's CPU on both sides (docs/BENCH.md).
// - No caches: every instance reads the truth (a token revoked on one is refused by all at once).
// - int8 comes back as a JS number (seqs and ids stay far below 2^53), never a string (research §6.10).
// - statement_timeout 15 s and idle_in_transaction_session_timeout 30 s per connection: a stuck statement fails
//   its request instead of holding a pool slot and the seq lock for ever.
import postgres from 'postgres';
import { migratePg } from './pg-migrations.js';
import { pgTarget } from './pg-url.js';
import { ERASE_TABLES } from './pg-data.js';
import { pgOps, TOKEN_COLS, toToken, type PgOps, type Query } from './pg-ops.js';
import { pgWaveOps } from './pg-wave.js';
import { READ_METHODS } from './sqlite-units.js';
import type { Reader, Store, Tx } from './store.js';

export { pgTestSwitches } from './pg-ops.js';

export type PgStore = Store & {
  /** The pool (for LISTEN/NOTIFY and health checks); statements outside read/write units bypass the store's rules. */
  sql: postgres.Sql;
  /** How many times a write unit was re-run after a serialization failure or deadlock, since start. */
  retries(): number;
};

export type PgStoreOptions = { poolSize?: number; statementTimeoutMs?: number };

const RETRYABLE = new Set(['40001', '40P01']);
// Progress under contention: units on one hot row (a conversation written from two instances at once) can lose the
// serialization race again and again (measured: 4 writers on one conversation exhausted 10 attempts). Every write
// unit first takes the gate shared (ROW EXCLUSIVE: writers do not block each other); a unit that lost GATE_AFTER
// times takes it alone (EXCLUSIVE: waits for the writers in flight, holds new ones back; reads go on). LOCK takes no
// snapshot, so that unit's snapshot is taken after the others committed and it cannot lose again. It holds nothing
// while it waits (the LOCK is its first statement): no deadlock. The settings table is the gate (any table would do).
const GATE_AFTER = 2;
const GATE_SHARED = 'LOCK TABLE settings IN ROW EXCLUSIVE MODE';
const GATE_ALONE = 'LOCK TABLE settings IN EXCLUSIVE MODE';
const MAX_ATTEMPTS = 10;
const isRetryable = (err: unknown) => RETRYABLE.has((err as { code?: string })?.code ?? '');

/** CHATIVE_PG_POOL: connections each instance may open (default 10; the server's max_connections is shared by all). */
export function pgPoolSize(env: NodeJS.ProcessEnv): number {
  const raw = env.CHATIVE_PG_POOL;
  if (raw === undefined || raw === '') return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`CHATIVE_PG_POOL must be a whole number 1-1000, got "${raw}"`);
  return n;
}

const hasNul = (v: unknown): boolean => (typeof v === 'string' ? v.includes('\u0000') : Array.isArray(v) && v.some(hasNul));

/** Numbers `?` placeholders as $1, $2… (the statements never contain a literal `?`). */
export { placeholders as numberPlaceholders };
const numbered = new Map<string, string>();
function placeholders(text: string): string {
  let out = numbered.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < 5000) numbered.set(text, out);
  }
  return out;
}

type Unit = { open: boolean; doomed: unknown; memo: Map<string, Promise<unknown>>; savepoints: number; lost: boolean; wave?: Wave };

/**
 * Calls of one method by one handle, gathered to go as one set-based statement (pg-wave.ts). A wave goes before any
 * other statement of its unit (so the wire keeps the calls' order), or once the microtask queue stops adding to it:
 * the pipelined group commit's chains resume together and make their next call within the same few microtasks.
 */
type Wave = {
  method: string;
  owner: object;
  keys: Set<string>;
  items: { arg: unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[];
  run: (args: unknown[]) => Promise<unknown[]>;
  joined: boolean;
};
// microtask turns a wave waits for more calls once none came (the chains' continuations take a few each)
const WAVE_IDLE_TURNS = 3;
const WAVE_MAX_TURNS = 64;

/** Sends the unit's gathered wave, if any: its statement is issued now, before whatever the caller sends next. */
function flushWave(unit: Unit) {
  const w = unit.wave;
  if (!w) return;
  unit.wave = undefined;
  w.run(w.items.map((i) => i.arg)).then(
    (out) => w.items.forEach((i, k) => i.resolve(out[k])),
    (err: unknown) => w.items.forEach((i) => i.reject(err)),
  );
}

/**
 * A method whose calls join the unit's wave. `keys`: what the set-based statement needs distinct within one wave (a
 * call whose key is taken starts a new wave after the current one).
 */
function waved<A, R>(unit: Unit, owner: object, method: string, run: (args: A[]) => Promise<R[]>, keys: (a: A) => string[]) {
  return (arg: A): Promise<R> => new Promise<R>((resolve, reject) => {
    const mine = keys(arg);
    let w = unit.wave;
    if (w && (w.method !== method || w.owner !== owner || mine.some((k) => w!.keys.has(k)))) {
      flushWave(unit);
      w = undefined;
    }
    if (!w) {
      const wave: Wave = { method, owner, keys: new Set(), items: [], run: run as Wave['run'], joined: false };
      unit.wave = w = wave;
      let turns = 0;
      let idle = 0;
      const tick = () => {
        if (unit.wave !== wave) return;
        idle = wave.joined ? 0 : idle + 1;
        wave.joined = false;
        if (idle < WAVE_IDLE_TURNS && ++turns < WAVE_MAX_TURNS) queueMicrotask(tick);
        else flushWave(unit);
      };
      queueMicrotask(tick);
    }
    for (const k of mine) w.keys.add(k);
    w.items.push({ arg, resolve: resolve as (v: unknown) => void, reject });
    w.joined = true;
  });
}

// Read by every event's change listeners (webhooks, rules), changed almost never: read once per unit. The unit's
// SERIALIZABLE snapshot answers the same until the unit itself writes them, so a write to webhooks or rules (by
// method name) or a savepoint's rollback forgets them.
const UNIT_MEMO = new Set(['listWebhooks', 'rulesVersion']);
const TOUCHES_MEMO = /webhook|rule/i;
const READS = new Set<string>(READ_METHODS);
function memoized(tx: Tx, memo: Map<string, Promise<unknown>>): Tx {
  const h = tx as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const name of Object.keys(h)) {
    const f = h[name];
    if (UNIT_MEMO.has(name)) {
      h[name] = () => {
        let p = memo.get(name);
        if (!p) memo.set(name, (p = f().catch((err) => { memo.delete(name); throw err; })));
        return p.then((v) => (Array.isArray(v) ? [...v] : v));
      };
    } else if (!READS.has(name) && TOUCHES_MEMO.test(name)) {
      h[name] = (...a) => {
        memo.clear();
        return f(...a).finally(() => memo.clear());
      };
    }
  }
  return tx;
}

export async function createPgStore(url: string, opts: PgStoreOptions = {}): Promise<PgStore> {
  // a Unix socket when the URL names one (pg-url.ts)
  const target = pgTarget(url);
  const sql = postgres(target.url, {
    ...(target.path ? { path: target.path } : {}),
    max: opts.poolSize ?? pgPoolSize(process.env),
    onnotice: () => {},
    types: {
      // int8 (ids, seqs, count(*)) as a number: a string would sort '100' before '99' and break === comparisons
      bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
    connection: {
      application_name: 'chative',
      statement_timeout: opts.statementTimeoutMs ?? 15_000,
      idle_in_transaction_session_timeout: 30_000,
    },
  });
  try {
    await migratePg(sql);
  } catch (err) {
    await sql.end({ timeout: 1 });
    throw err;
  }
  let retried = 0;
  let closed = false;

  const queryOf = (conn: postgres.Sql | postgres.ReservedSql, alive: () => boolean, onError?: (err: unknown) => void, before?: () => void): Query =>
    (text, args = [], opts = {}) => {
      if (!alive()) return Promise.reject(new Error('store: a statement on a unit of work that has ended'));
      // a gathered wave goes first: the wire keeps the order of the calls
      before?.();
      // PostgreSQL text cannot hold NUL (SQLite's can), so nothing stored has one (the contract refuses it too): a
      // lookup by a value with NUL finds nothing, answered here because the server would fail the statement (a 5xx)
      if (/^\s*SELECT/.test(text) && args.some(hasNul)) return Promise.resolve(Object.assign([], { count: 0 }));
      const run = conn.unsafe(placeholders(text), args as postgres.ParameterOrJSON<never>[], { prepare: opts.prepare ?? true }) as unknown as ReturnType<Query>;
      return onError ? run.catch((err: unknown) => { onError(err); throw err; }) as ReturnType<Query> : run;
    };

  /** Wraps ops so every call first checks its unit is still running (a leaked handle never writes elsewhere). */
  function handle<H extends object>(ops: PgOps | Omit<Tx, 'savepoint'>, alive: () => boolean, methods: readonly string[]): H {
    const h: Record<string, unknown> = {};
    for (const m of methods) {
      const f = (ops as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[m];
      h[m] = (...a: unknown[]) => {
        if (!alive()) return Promise.reject(new Error(`store: ${m}() on a unit of work that has ended`));
        return f(...a);
      };
    }
    return h as H;
  }

  const writeNames = [...Object.keys(pgOps(() => Promise.reject(new Error('unused')))), 'visitorMessageEvent'] as (keyof Tx)[];

  /**
   * A unit's handle on its reserved connection. Outside a savepoint a failed statement dooms the unit: it aborted the
   * transaction, and PostgreSQL answers COMMIT with a silent ROLLBACK (a caller that caught the error — the group commit
   * does, per job — must not see its unit "commit"). Inside one, `failed` records it: the savepoint rolls back and
   * rejects even if fn caught it (what postgres.js's own savepoints did).
   */
  function txHandle(conn: postgres.ReservedSql, unit: Unit, failed?: (err: unknown) => void): Tx {
    let open = true;
    const alive = () => unit.open && open;
    const onError = (err: unknown) => {
      noteLost(unit, err);
      if (!failed || isRetryable(err)) unit.doomed ??= err;
      failed?.(err);
    };
    const q = queryOf(conn, alive, onError, () => flushWave(unit));
    // a message event's first read and its writes: a wave of them is one statement each (pg-wave.ts)
    const wave = pgWaveOps(q);
    const owner = {};
    const ops = Object.assign(pgOps(q), {
      eventContext: waved(unit, owner, 'eventContext', wave.eventContexts, () => []),
      visitorMessageEvent: waved(unit, owner, 'visitorMessageEvent', wave.visitorMessageEvents,
        (e) => [`v:${e.conversationId}`, `c:${e.contactId}`, `e:${e.scope}\u0000${e.eventId}`]),
    });
    const tx = memoized(handle<Tx>(ops, alive, writeNames), unit.memo);
    tx.savepoint = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
      if (!alive()) throw new Error('store: savepoint() on a unit of work that has ended');
      const name = `s${unit.savepoints++}`;
      // not awaited: fn's first statements follow it on the connection (a failure dooms the unit)
      control(conn, unit, `SAVEPOINT ${name}`).catch(() => undefined);
      let lost: unknown;
      // the outer handle waits while the savepoint runs (sequential use, store.ts)
      const inner = txHandle(conn, unit, (err) => { lost ??= err; });
      try {
        const value = await fn(inner);
        if (lost !== undefined) throw lost;
        // not awaited either: what follows queues behind it, and the COMMIT's tag catches a failure
        control(conn, unit, `RELEASE SAVEPOINT ${name}`).catch(() => undefined);
        return value;
      } catch (err) {
        // a lost serialization race must re-run the whole unit, not just undo this savepoint
        if (isRetryable(err)) unit.doomed = err;
        // what was read inside may have seen the savepoint's own writes, now undone
        unit.memo.clear();
        await control(conn, unit, `ROLLBACK TO SAVEPOINT ${name}`);
        throw err;
      } finally {
        (inner as unknown as { end?: () => void }).end?.();
      }
    };
    (tx as unknown as { end: () => void }).end = () => { open = false; };
    return tx;
  }

  /** A unit's own transaction-control statement; its failure dooms the unit. */
  function control(conn: postgres.ReservedSql, unit: Unit, text: string): Promise<postgres.RowList<postgres.Row[]>> {
    // a gathered wave belongs before SAVEPOINT / RELEASE / COMMIT
    flushWave(unit);
    return conn.unsafe(text).catch((err: unknown) => {
      noteLost(unit, err);
      unit.doomed ??= err;
      throw err;
    });
  }
  // postgres.js moves a connection that closed back to its idle list on release(), where the next statement would
  // write to a socket that is gone: a unit whose connection was lost does not release it (the pool reconnects it)
  function noteLost(unit: Unit, err: unknown) {
    if (/^CONNECTION_/.test(String((err as { code?: unknown })?.code ?? ''))) unit.lost = true;
  }

  // One write unit at a time per instance, like SQLite's one writer: concurrent SERIALIZABLE units of one process
  // mostly conflict with each other (page-level predicate locks on the same hot indexes) and re-ran whole group-commit
  // batches in a storm (quick bench: 11 req/s). The group commit already batches what queues meanwhile; other
  // instances still run concurrently, and SERIALIZABLE + retry keeps them correct.
  let writeTail: Promise<unknown> = Promise.resolve();
  function write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const run = writeTail.then(() => writeOnce(fn));
    writeTail = run.catch(() => undefined);
    return run;
  }

  async function writeOnce<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (closed) throw new Error('store: closed');
      const unit: Unit = { open: true, doomed: undefined, memo: new Map(), savepoints: 0, lost: false };
      try {
        return await attemptUnit(fn, unit, attempt);
      } catch (err) {
        if (!isRetryable(err) || attempt >= MAX_ATTEMPTS) throw err;
        retried++;
        // jittered backoff: two instances that collided should not collide again in lockstep
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
  }

  /**
   * One attempt on a reserved connection with our own BEGIN … COMMIT: postgres.js's begin() waits for BEGIN's answer
   * before the unit's first statement; here BEGIN, the gate lock and the unit's first reads leave in one write (one
   * round trip fewer per unit, docs/BENCH.md). If BEGIN failed (only a broken connection does), the unit is doomed and
   * rejected; the statements behind it fail with the connection.
   */
  async function attemptUnit<T>(fn: (tx: Tx) => Promise<T>, unit: Unit, attempt: number): Promise<T> {
    const conn = await sql.reserve();
    let inTx = true;
    try {
      control(conn, unit, 'BEGIN ISOLATION LEVEL SERIALIZABLE').catch(() => undefined);
      control(conn, unit, attempt > GATE_AFTER ? GATE_ALONE : GATE_SHARED).catch(() => undefined);
      let value: T;
      try {
        value = await fn(txHandle(conn, unit));
        // a wave fn did not await is still the unit's: sent now, before COMMIT (whose answer catches its failure)
        flushWave(unit);
      } finally {
        unit.open = false;
      }
      if (unit.doomed) throw unit.doomed;
      const done = await control(conn, unit, 'COMMIT');
      inTx = false;
      // an aborted transaction's COMMIT answers ROLLBACK, not an error: never acknowledge over it
      if (done.command !== 'COMMIT') throw unit.doomed ?? new Error(`store: the unit was rolled back at COMMIT (${done.command})`);
      return value;
    } catch (err) {
      unit.open = false;
      // after a failed COMMIT the transaction is over already (a ROLLBACK would only warn)
      if (inTx && !unit.lost) await conn.unsafe('ROLLBACK').catch((e: unknown) => noteLost(unit, e));
      throw err;
    } finally {
      if (!unit.lost) conn.release();
    }
  }

  // Built once: a read unit is every request's token lookup, and building ~150 closures per unit was ~6 % of the
  // server's CPU under the sync load. A unit's handle makes a wrapper (the check that the unit is still open) only
  // for the methods it calls.
  const poolQuery = queryOf(sql, () => !closed);
  const poolOps = pgOps(poolQuery) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  // Every request's token lookup by hash (http/auth.ts): the lookups of one event-loop turn go as one statement
  // (READ COMMITTED, like each alone: it runs after every one of them was asked, so it sees what was committed then).
  let hashes: { hash: string; resolve: (t: unknown) => void; reject: (e: unknown) => void }[] = [];
  const findTokens = async (list: string[]) => {
    const rows = await poolQuery(`SELECT hash, ${TOKEN_COLS} FROM tokens WHERE hash = ANY(?::text[])`, [list]);
    return new Map(rows.map((r) => [r.hash as string, toToken(r)]));
  };
  const findOne = poolOps.findToken;
  poolOps.findToken = (hash) => new Promise((resolve, reject) => {
    // a NUL finds nothing (queryOf): it must not empty the others' answers
    if (hasNul(hash)) return resolve(undefined);
    if (!hashes.length) setImmediate(() => {
      const asked = hashes;
      hashes = [];
      const lone = asked.length === 1;
      (lone ? findOne(asked[0].hash).then((t) => new Map([[asked[0].hash, t]])) : findTokens([...new Set(asked.map((a) => a.hash))])).then(
        (found) => asked.forEach((a) => a.resolve(found.get(a.hash))),
        (err: unknown) => asked.forEach((a) => a.reject(err)),
      );
    });
    hashes.push({ hash: hash as string, resolve, reject });
  });
  async function read<T>(fn: (r: Reader) => Promise<T>): Promise<T> {
    if (closed) throw new Error('store: closed');
    let open = true;
    const made = new Map<string, (...a: unknown[]) => Promise<unknown>>();
    const r = new Proxy({} as Reader, {
      get(_, m) {
        if (typeof m !== 'string' || !READS.has(m)) return undefined;
        let w = made.get(m);
        if (!w) {
          const f = poolOps[m];
          w = (...a) => (open ? f(...a) : Promise.reject(new Error(`store: ${m}() on a unit of work that has ended`)));
          made.set(m, w);
        }
        return w;
      },
      has: (_, m) => typeof m === 'string' && READS.has(m),
    });
    try {
      return await fn(r);
    } finally {
      open = false;
    }
  }

  return {
    sql,
    retries: () => retried,
    read,
    write: (fn) => write(fn),
    syncToDisk: async () => {},
    // a unit's statements may be issued together: postgres.js pipelines them on the transaction's connection
    pipelines: true,
    // several instances share it: each leases the jobs it works (services/jobs.ts)
    shared: true,
    analyze: async () => void (await sql`ANALYZE`),
    // After an erase: a plain VACUUM of the tables it touched prunes the dead tuples and their index entries now, not
    // at autovacuum's leisure (VACUUM cannot run inside a transaction, so here, after the unit). It does not zero the
    // freed bytes, nor touch the WAL (docs/PRIVACY.md). Best effort: the erase has committed, so a failed or slow
    // VACUUM (a lock, the statement timeout) must not turn its answer into an error; autovacuum does it later.
    scrub: async () => {
      if (closed) return;
      try {
        await sql.unsafe(`VACUUM (SKIP_LOCKED) ${ERASE_TABLES.join(', ')}`);
      } catch (err) {
        console.warn(`store: VACUUM after an erase failed (autovacuum will reclaim the rows later): ${(err as Error).message}`);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
    },
  };
}
