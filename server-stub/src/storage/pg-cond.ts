// The PostgreSQL side of issue 12 part 1 (sqlite-cond.ts statement for statement): condition search and counts with
// domain/conditions' PostgreSQL dialect ($n placeholders: pg-store.ts leaves a statement without `?` as it is),
// saved segments, and the durable jobs' rows. Spread into pg-ops.ts's ops.
import { compileSort, POSTGRES_DIALECT, sortWalk, type CheckedGroup } from '../domain/conditions/index.js';
import { candidatesOf, DEFAULT_PLAN, estimateFromSample, type Candidate, type SearchPlan } from '../domain/conditions/plan.js';
import type { FieldType } from '../domain/custom-fields.js';
import type { PgOps, Query } from './pg-ops.js';
import type { ContactRecord } from './store.js';
import { liveWhere, toJob, toSegment, walkStatement } from './cond-rows.js';

type Row = Record<string, any>;
type CondOps = Pick<PgOps,
  'searchContacts' | 'countMatching' | 'estimateMatching' | 'listSegments' | 'getSegment' | 'createSegment' | 'updateSegment' | 'deleteSegment' |
  'getJob' | 'getJobByClientId' | 'runningJobIds' | 'jobItems' | 'createJob' | 'addJobItems' | 'freezeMatching' | 'updateJob' | 'dropJobItems'>;

const D = POSTGRES_DIALECT;
const live = (where: CheckedGroup | undefined, now: Date, params: unknown[], probe = false) => liveWhere(D, where, now, params, probe);

export function pgConditionOps(q: Query, hydrate: (rows: Row[]) => Promise<ContactRecord[]>): CondOps {
  const one = async (text: string, args?: unknown[]) => (await q(text, args))[0];
  // a search's statements are planned with their values (the shape varies per condition; a generic plan guesses how common a value is)
  const fresh = async (text: string, args: unknown[]) => q(text, args, { prepare: false });
  /** The candidate list of `where` with the fewest ids, when it has at most plan.driveMax (a bounded count each). */
  const driverOf = async (where: CheckedGroup, now: Date, plan: SearchPlan): Promise<Candidate | null> => {
    let best: Candidate | null = null;
    let fewest = plan.driveMax + 1;
    for (const cand of candidatesOf(where, now)) {
      const params: unknown[] = [];
      const n = Number((await fresh(`SELECT count(*) AS n FROM (${cand(params, D)} LIMIT ${fewest}) x`, params))[0]?.n ?? 0);
      if (n < fewest) [best, fewest] = [cand, n];
      if (n === 0) break;
    }
    return best;
  };
  return {
    searchContacts: async (s) => {
      // as sqlite-cond.ts: a leaf with few candidates drives, else the list order is walked and each row probed
      const drive = s.where ? await driverOf(s.where, s.now, s.plan ?? DEFAULT_PLAN) : null;
      // field types read per search (no per-process cache: another instance may have added a field)
      const types = new Map<string, FieldType>((await q('SELECT key, type FROM custom_fields')).map((r) => [r.key, r.type]));
      // no leaf drives: walk the sort key's index (set keys, then unset ones) and stop at a page, as sqlite-cond.ts
      const walk = drive ? null : sortWalk(s.sort, (k) => types.get(k), D, s.after);
      if (walk) {
        const rows: Row[] = [];
        for (const ph of walk) {
          if (rows.length >= s.limit) break;
          const st = walkStatement(D, ph, s.where, s.now, s.limit - rows.length);
          rows.push(...(await fresh(st.sql, st.params)));
        }
        const contacts = await hydrate(rows);
        return contacts.map((contact, i) => ({ contact, key: rows[i].sort_key ?? null }));
      }
      const params: unknown[] = [];
      const from = drive ? `(SELECT DISTINCT id FROM (${drive(params, D)}) d0) d CROSS JOIN contacts c` : 'contacts c';
      const where = `${drive ? 'c.id = d.id AND ' : ''}${live(s.where, s.now, params, true)}`;
      const sort = compileSort(s.sort, (k) => types.get(k), D, params, s.after);
      if (typeof sort === 'string') throw new Error(`searchContacts: ${sort}`);
      const rows = await fresh(`SELECT c.*, ${sort.expr} AS sort_key FROM ${from} WHERE ${where}${sort.after ? ` AND ${sort.after}` : ''} ORDER BY ${sort.orderBy} LIMIT ${Number(s.limit)}`, params);
      const contacts = await hydrate(rows);
      return contacts.map((contact, i) => ({ contact, key: rows[i].sort_key ?? null }));
    },
    countMatching: async (where, now) => {
      const params: unknown[] = [];
      return (await one(`SELECT count(*) AS n FROM contacts c WHERE ${live(where, now, params)}`, params)).n;
    },
    estimateMatching: async (where, now, plan = DEFAULT_PLAN) => {
      const drive = where ? await driverOf(where, now, plan) : null;
      if (drive) {
        const params: unknown[] = [];
        const sql = `SELECT count(*) AS n FROM (SELECT DISTINCT id FROM (${drive(params, D)}) d0) d CROSS JOIN contacts c WHERE c.id = d.id AND ${live(where, now, params, true)}`;
        return { n: (await fresh(sql, params))[0].n, exact: true };
      }
      const params: unknown[] = [];
      const cond = live(where, now, params, true);
      const [r] = await fresh(`SELECT count(*) AS scanned, max(c.id) AS last, coalesce(sum(CASE WHEN ${cond} THEN 1 ELSE 0 END), 0) AS hits FROM (SELECT * FROM contacts ORDER BY id LIMIT ${Number(plan.sample)}) c`, params);
      const n = r.scanned < plan.sample ? Number(r.hits) : estimateFromSample(Number(r.hits), r.last);
      if (n === null) {
        const all: unknown[] = [];
        return { n: (await one(`SELECT count(*) AS n FROM contacts c WHERE ${live(where, now, all)}`, all)).n, exact: true };
      }
      return { n, exact: r.scanned < plan.sample };
    },

    listSegments: async () => (await q('SELECT * FROM segments ORDER BY name, id')).map(toSegment),
    getSegment: async (id) => {
      const r = await one('SELECT * FROM segments WHERE id = ?', [id]);
      return r && toSegment(r);
    },
    createSegment: async (s) => void (await q('INSERT INTO segments (id, name, where_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [s.id, s.name, s.whereJson, s.createdAt, s.updatedAt])),
    updateSegment: async (id, p) => {
      if (p.name !== undefined) await q('UPDATE segments SET name = ? WHERE id = ?', [p.name, id]);
      if (p.whereJson !== undefined) await q('UPDATE segments SET where_json = ? WHERE id = ?', [p.whereJson, id]);
      await q('UPDATE segments SET updated_at = ? WHERE id = ?', [p.updatedAt, id]);
    },
    deleteSegment: async (id) => void (await q('DELETE FROM segments WHERE id = ?', [id])),

    getJob: async (id) => toJob(await one('SELECT * FROM jobs WHERE id = ?', [id])),
    getJobByClientId: async (clientId) => toJob(await one('SELECT * FROM jobs WHERE client_id = ?', [clientId])),
    runningJobIds: async () => (await q("SELECT id FROM jobs WHERE status = 'running' ORDER BY created_at, id")).map((r) => r.id),
    jobItems: async (jobId, afterSeq, limit) =>
      (await q('SELECT seq, item FROM job_items WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?', [jobId, afterSeq, limit])).map((r) => ({ seq: r.seq, item: r.item })),
    createJob: async (j) =>
      void (await q("INSERT INTO jobs (id, kind, client_id, params, actor, status, created_at) VALUES (?, ?, ?, ?, ?, 'running', ?)", [j.id, j.kind, j.clientId, j.paramsJson, j.actorJson, j.createdAt])),
    addJobItems: async (jobId, items) => {
      const last = (await one('SELECT total FROM jobs WHERE id = ?', [jobId])).total as number;
      if (items.length) {
        await q('INSERT INTO job_items (job_id, seq, item) SELECT ?, s, i FROM unnest(?::int[], ?::text[]) AS u(s, i)', [jobId, items.map((_, i) => last + i + 1), items]);
      }
      await q('UPDATE jobs SET total = ? WHERE id = ?', [last + items.length, jobId]);
      return last + items.length;
    },
    freezeMatching: async (jobId, where, now) => {
      const params: unknown[] = [jobId];
      const n = (await q(`INSERT INTO job_items (job_id, seq, item) SELECT $1, row_number() OVER (ORDER BY c.id), c.id FROM contacts c WHERE ${live(where, now, params)}`, params)).count;
      await q('UPDATE jobs SET total = ? WHERE id = ?', [n, jobId]);
      return n;
    },
    updateJob: async (id, p) => {
      const cols: Record<string, unknown> = {
        status: p.status, done: p.done, error_count: p.errorCount, errors: p.errors && JSON.stringify(p.errors), result: p.resultJson, finished_at: p.finishedAt,
      };
      const set = Object.entries(cols).filter(([, v]) => v !== undefined);
      if (set.length) await q(`UPDATE jobs SET ${set.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`, [...set.map(([, v]) => v), id]);
    },
    dropJobItems: async (jobId) => void (await q('DELETE FROM job_items WHERE job_id = ?', [jobId])),
  };
}
