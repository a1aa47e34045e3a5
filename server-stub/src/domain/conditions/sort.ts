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
