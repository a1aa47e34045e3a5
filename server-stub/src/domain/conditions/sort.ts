// The search order (CONTRACT §7 `sort`) as SQL: a sort expression, ORDER BY, and the keyset condition that
// continues after a cursor. Ties break on the id, unset values come last in both directions, so pages never
// skip or repeat a contact. Text keys sort lower-cased (the evaluator's rule for text).
import type { FieldType } from '../custom-fields.js';
import { FIELD_KEY_RE } from '../custom-fields.js';
import { resolveField } from './fields.js';
import type { Dialect } from './sql.js';

export type SortSpec = { field: string; dir: 'asc' | 'desc' };
export type SortValue = string | number | null;
export type SortAfter = { value: SortValue; id: string };
export const DEFAULT_SORT: SortSpec = { field: 'lastSeenAt', dir: 'desc' };

/** The compiled order, or why the field cannot sort. */
export function compileSort(sort: SortSpec, fieldType: (key: string) => FieldType | undefined, dialect: Dialect, params: unknown[], after?: SortAfter): { expr: string; orderBy: string; after: string | null } | string {
  const ref = resolveField(sort.field, fieldType);
  if (typeof ref === 'string') return ref;
  let expr: string;
  let nullable = true;
  if (ref.source === 'tags') return 'tags cannot sort';
  if (ref.source === 'custom') {
    // the key is inlined: FIELD_KEY_RE admits only [a-z0-9_], and a literal keeps the expression reusable in three clauses
    if (!FIELD_KEY_RE.test(ref.key)) return 'not a custom field key';
    const value = `(SELECT v.value FROM contact_values v WHERE v.contact_id = c.id AND v.key = '${ref.key}')`;
    expr = ref.kind === 'number' ? dialect.number(value) : ref.kind === 'text' ? dialect.lower(value) : value;
  } else {
    expr = `c.${ref.lowered ?? ref.column}`;
    nullable = !['type', 'created_at', 'last_seen_at'].includes(ref.column);
  }
  const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
  const cmp = sort.dir === 'asc' ? '>' : '<';
  const orderBy = `${nullable ? `(${expr} IS NULL), ` : ''}${expr} ${dir}, c.id ${dir}`;
  const p = (v: unknown) => {
    params.push(v);
    return dialect.placeholder(params.length);
  };
  let cond: string | null = null;
  if (after) {
    if (after.value === null) cond = `(${expr} IS NULL AND c.id ${cmp} ${p(after.id)})`;
    else {
      const rows = `(${expr}, c.id) ${cmp} (${p(after.value)}, ${p(after.id)})`;
      cond = nullable ? `(${expr} IS NULL OR ${rows})` : rows;
    }
  }
  return { expr, orderBy, after: cond };
}

/** Why `sort` cannot order a search (unknown field, tags), or null. */
export function sortProblem(sort: SortSpec, fieldType: (key: string) => FieldType | undefined): string | null {
  const ref = resolveField(sort.field, fieldType);
  return typeof ref === 'string' ? ref : ref.source === 'tags' ? 'tags cannot sort' : null;
}

/** One phase of an index walk in the sort order: the rows whose key is set, then those whose key is unset. */
export type SortPhase = { from: string; filter: string; expr: string; orderBy: string; after: ((params: unknown[]) => string) | null };

/**
 * The search order as up to two index walks (docs/CONDITIONS.md "how a search plans"): first the contacts whose key is
 * set, in the key's index order (a custom value from contact_values' (key, value…, contact_id) indexes, a column from its
 * (column, id) index), then those whose key is unset, in id order — the same order as compileSort's `(expr IS NULL)`
 * prefix, which no index can serve. Null when the key is never unset (one walk already serves it) or cannot sort.
 */
export function sortWalk(sort: SortSpec, fieldType: (key: string) => FieldType | undefined, dialect: Dialect, after?: SortAfter): SortPhase[] | null {
  const ref = resolveField(sort.field, fieldType);
  if (typeof ref === 'string' || ref.source === 'tags') return null;
  const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
  const cmp = sort.dir === 'asc' ? '>' : '<';
  const p = (params: unknown[], v: unknown) => (params.push(v), dialect.placeholder(params.length));
  let set: { from: string; filter: string; expr: string; id: string };
  let unset: string;
  if (ref.source === 'custom') {
    if (!FIELD_KEY_RE.test(ref.key)) return null;
    // the indexed expressions: contact_values_number (migrations), contact_values_folded, contact_values_lookup
    const expr = ref.kind === 'number' ? dialect.numberIndexed('v.value') : ref.kind === 'text' ? dialect.valueLowered : 'v.value';
    set = { from: 'contact_values v CROSS JOIN contacts c', filter: `v.key = '${ref.key}' AND c.id = v.contact_id`, expr, id: 'v.contact_id' };
    unset = `NOT EXISTS (SELECT 1 FROM contact_values v WHERE v.contact_id = c.id AND v.key = '${ref.key}')`;
  } else {
    if (['type', 'created_at', 'last_seen_at'].includes(ref.column)) return null;
    const expr = `c.${ref.lowered ?? ref.column}`;
    set = { from: 'contacts c', filter: `${expr} IS NOT NULL`, expr, id: 'c.id' };
    unset = `${expr} IS NULL`;
  }
  const phases: SortPhase[] = [];
  // a cursor on an unset key is already past every set one
  if (after?.value !== null) {
    phases.push({
      from: set.from, filter: set.filter, expr: set.expr, orderBy: `${set.expr} ${dir}, ${set.id} ${dir}`,
      // spelled out rather than a row value: SQLite bounds an expression index's range only by a plain comparison
      after: after ? (params) => `${set.expr} ${cmp}= ${p(params, after.value)} AND (${set.expr} ${cmp} ${p(params, after.value)} OR ${set.id} ${cmp} ${p(params, after.id)})` : null,
    });
  }
  phases.push({ from: 'contacts c', filter: unset, expr: 'NULL', orderBy: `c.id ${dir}`, after: after?.value === null ? (params) => `c.id ${cmp} ${p(params, after.id)}` : null });
  return phases;
}
