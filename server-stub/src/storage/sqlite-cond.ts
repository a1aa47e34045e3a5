// The SQLite side of issue 12 part 1: condition search and counts (SQL from domain/conditions with the SQLite
// dialect), saved segments, and the durable jobs' rows. Spread into sqlite-store.ts's ops.
import type Database from 'better-sqlite3';
import { compileSort, sortWalk, SQLITE_DIALECT, type CheckedGroup } from '../domain/conditions/index.js';
import { candidatesOf, DEFAULT_PLAN, estimateFromSample, type Candidate, type SearchPlan } from '../domain/conditions/plan.js';
import type { FieldType } from '../domain/custom-fields.js';
import type { ContactRecord } from './store.js';
import { liveWhere, toJob, toSegment, walkStatement } from './cond-rows.js';
import type { SyncOps } from './sqlite-units.js';

type Row = Record<string, any>;
type CondOps = Pick<SyncOps,
  'searchContacts' | 'countMatching' | 'estimateMatching' | 'listSegments' | 'getSegment' | 'createSegment' | 'updateSegment' | 'deleteSegment' |
  'getJob' | 'getJobByClientId' | 'runningJobIds' | 'jobItems' | 'createJob' | 'addJobItems' | 'freezeMatching' | 'updateJob' | 'dropJobItems'>;

/** chative_lower: the dialect's Unicode lower-casing (SQLite's own lower() folds ASCII only). */
export function registerConditionFunctions(db: Database.Database) {
  db.function('chative_lower', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s));
}

const live = (where: CheckedGroup | undefined, now: Date, params: unknown[], probe = false) => liveWhere(SQLITE_DIALECT, where, now, params, probe);

export function conditionOps(db: Database.Database, st: (sql: string) => Database.Statement, hydrate: (rows: Row[]) => ContactRecord[], fieldTypes: () => Map<string, FieldType>): CondOps {
  /** The candidate list of `where` with the fewest ids, when it has at most plan.driveMax (a bounded count each). */
  const driverOf = (where: CheckedGroup, now: Date, plan: SearchPlan): Candidate | null => {
    let best: Candidate | null = null;
    let fewest = plan.driveMax + 1;
    for (const cand of candidatesOf(where, now)) {
      const params: unknown[] = [];
      const n = (db.prepare(`SELECT count(*) AS n FROM (${cand(params, SQLITE_DIALECT)} LIMIT ${fewest}) x`).get(...params) as Row).n as number;
      if (n < fewest) [best, fewest] = [cand, n];
      if (n === 0) break;
    }
    return best;
  };
  return {
    // statements vary with the condition's shape: prepared each time (the statement cache is for fixed SQL)
    searchContacts: (q) => {
      // A leaf with few candidates drives (reads and sorts at most driveMax rows); else the list order is walked and each
      // row probed, which stops after a page. Either way the whole condition is checked on every row.
      const drive = q.where ? driverOf(q.where, q.now, q.plan ?? DEFAULT_PLAN) : null;
      // no leaf drives: walk the sort key's index (set keys, then unset ones) and stop at a page
      const walk = drive ? null : sortWalk(q.sort, (k) => fieldTypes().get(k), SQLITE_DIALECT, q.after);
      if (walk) {
        const rows: Row[] = [];
        for (const ph of walk) {
          if (rows.length >= q.limit) break;
          const st = walkStatement(SQLITE_DIALECT, ph, q.where, q.now, q.limit - rows.length);
          rows.push(...(db.prepare(st.sql).all(...st.params) as Row[]));
        }
        const contacts = hydrate(rows);
        return contacts.map((contact, i) => ({ contact, key: rows[i].sort_key ?? null }));
      }
      const params: unknown[] = [];
      const from = drive ? `(SELECT DISTINCT id FROM (${drive(params, SQLITE_DIALECT)}) d0) d CROSS JOIN contacts c` : 'contacts c';
      const where = `${drive ? 'c.id = d.id AND ' : ''}${live(q.where, q.now, params, true)}`;
      const sort = compileSort(q.sort, (k) => fieldTypes().get(k), SQLITE_DIALECT, params, q.after);
      if (typeof sort === 'string') throw new Error(`searchContacts: ${sort}`);
      const sql = `SELECT c.*, ${sort.expr} AS sort_key FROM ${from} WHERE ${where}${sort.after ? ` AND ${sort.after}` : ''} ORDER BY ${sort.orderBy} LIMIT ${Number(q.limit)}`;
      const rows = db.prepare(sql).all(...params) as Row[];
      const contacts = hydrate(rows);
      return contacts.map((contact, i) => ({ contact, key: rows[i].sort_key ?? null }));
    },
    countMatching: (where, now) => {
      const params: unknown[] = [];
      return (db.prepare(`SELECT count(*) AS n FROM contacts c WHERE ${live(where, now, params)}`).get(...params) as Row).n;
    },
    estimateMatching: (where, now, plan = DEFAULT_PLAN) => {
      const drive = where ? driverOf(where, now, plan) : null;
      if (drive) {
        const params: unknown[] = [];
        const sql = `SELECT count(*) AS n FROM (SELECT DISTINCT id FROM (${drive(params, SQLITE_DIALECT)}) d0) d CROSS JOIN contacts c WHERE c.id = d.id AND ${live(where, now, params, true)}`;
        return { n: (db.prepare(sql).get(...params) as Row).n, exact: true };
      }
      const params: unknown[] = [];
      const cond = live(where, now, params, true);
      const sql = `SELECT count(*) AS scanned, max(c.id) AS last, coalesce(sum(CASE WHEN ${cond} THEN 1 ELSE 0 END), 0) AS hits FROM (SELECT * FROM contacts ORDER BY id LIMIT ${Number(plan.sample)}) c`;
      const r = db.prepare(sql).get(...params) as Row;
      if (r.scanned < plan.sample) return { n: r.hits, exact: true };
      const n = estimateFromSample(r.hits, r.last);
      if (n === null) {
        const all: unknown[] = [];
        return { n: (db.prepare(`SELECT count(*) AS n FROM contacts c WHERE ${live(where, now, all)}`).get(...all) as Row).n, exact: true };
      }
      return { n, exact: false };
    },

    listSegments: () => (st('SELECT * FROM segments ORDER BY name, id').all() as Row[]).map(toSegment),
    getSegment: (id) => {
      const r = st('SELECT * FROM segments WHERE id = ?').get(id) as Row | undefined;
      return r && toSegment(r);
    },
    createSegment: (s) => void st('INSERT INTO segments (id, name, where_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(s.id, s.name, s.whereJson, s.createdAt, s.updatedAt),
    updateSegment: (id, p) => {
      if (p.name !== undefined) st('UPDATE segments SET name = ? WHERE id = ?').run(p.name, id);
      if (p.whereJson !== undefined) st('UPDATE segments SET where_json = ? WHERE id = ?').run(p.whereJson, id);
      st('UPDATE segments SET updated_at = ? WHERE id = ?').run(p.updatedAt, id);
    },
    deleteSegment: (id) => void st('DELETE FROM segments WHERE id = ?').run(id),

    getJob: (id) => toJob(st('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined),
    getJobByClientId: (clientId) => toJob(st('SELECT * FROM jobs WHERE client_id = ?').get(clientId) as Row | undefined),
    runningJobIds: () => (st("SELECT id FROM jobs WHERE status = 'running' ORDER BY created_at, id").all() as Row[]).map((r) => r.id),
    jobItems: (jobId, afterSeq, limit) => st('SELECT seq, item FROM job_items WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(jobId, afterSeq, limit) as { seq: number; item: string }[],
    createJob: (j) =>
      void st("INSERT INTO jobs (id, kind, client_id, params, actor, status, created_at) VALUES (?, ?, ?, ?, ?, 'running', ?)").run(j.id, j.kind, j.clientId, j.paramsJson, j.actorJson, j.createdAt),
    addJobItems: (jobId, items) => {
      const last = (st('SELECT total FROM jobs WHERE id = ?').get(jobId) as Row).total as number;
      const insert = st('INSERT INTO job_items (job_id, seq, item) VALUES (?, ?, ?)');
      items.forEach((item, i) => insert.run(jobId, last + i + 1, item));
      st('UPDATE jobs SET total = ? WHERE id = ?').run(last + items.length, jobId);
      return last + items.length;
    },
    freezeMatching: (jobId, where, now) => {
      const params: unknown[] = [jobId];
      const sql = `INSERT INTO job_items (job_id, seq, item) SELECT ?, row_number() OVER (ORDER BY c.id), c.id FROM contacts c WHERE ${live(where, now, params)}`;
      const n = db.prepare(sql).run(...params).changes;
      st('UPDATE jobs SET total = ? WHERE id = ?').run(n, jobId);
      return n;
    },
    updateJob: (id, p) => {
      const cols: Record<string, unknown> = {
        status: p.status, done: p.done, error_count: p.errorCount, errors: p.errors && JSON.stringify(p.errors), result: p.resultJson, finished_at: p.finishedAt,
      };
      const set = Object.entries(cols).filter(([, v]) => v !== undefined);
      if (set.length) st(`UPDATE jobs SET ${set.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...set.map(([, v]) => v), id);
    },
    dropJobItems: (jobId) => void st('DELETE FROM job_items WHERE job_id = ?').run(jobId),
  };
}
