// Issue 12 part 1's rows as records and the live-contact WHERE clause, shared by both engines (sqlite-cond.ts, pg-cond.ts).
import { compileWhere, type CheckedGroup, type Dialect, type SortPhase } from '../domain/conditions/index.js';
import type { JobRecord } from './store.js';

type Row = Record<string, any>;

/** Live (not merged-away) contacts matching `where`, in `dialect`'s SQL; its values are appended to `params`. */
export const liveWhere = (dialect: Dialect, where: CheckedGroup | undefined, now: Date, params: unknown[], probe = false) =>
  where ? `c.merged_into IS NULL AND ${compileWhere(where, dialect, now, params, { probe }).sql}` : 'c.merged_into IS NULL';

export const toSegment = (r: Row) => ({ id: r.id, name: r.name, whereJson: r.where_json, createdAt: r.created_at, updatedAt: r.updated_at });
export const toJob = (r: Row | undefined): JobRecord | undefined => r && {
  id: r.id, kind: r.kind, clientId: r.client_id, paramsJson: r.params, actorJson: r.actor, status: r.status, done: r.done, total: r.total,
  errorCount: r.error_count, errors: JSON.parse(r.errors), resultJson: r.result, createdAt: r.created_at, finishedAt: r.finished_at,
};

/** One phase of a sorted index walk (domain/conditions/sort.ts) as a statement: at most `left` live matches of `where`. */
export function walkStatement(dialect: Dialect, ph: SortPhase, where: CheckedGroup | undefined, now: Date, left: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const cond = `${ph.filter} AND ${liveWhere(dialect, where, now, params, true)}${ph.after ? ` AND ${ph.after(params)}` : ''}`;
  return { sql: `SELECT c.*, ${ph.expr} AS sort_key FROM ${ph.from} WHERE ${cond} ORDER BY ${ph.orderBy} LIMIT ${Number(left)}`, params };
}
