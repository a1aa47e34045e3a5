// The SQL compiler: a checked condition → a WHERE fragment over `contacts c` plus its parameters. Plain SQL
// both engines run; the few differences (Unicode lower-casing, text → number casts, placeholders) come from a
// Dialect. Dates are compared as texts against day bounds computed in JS (days.ts), so no date functions.
import type { CheckedGroup, CheckedLeaf, CheckedNode } from './check.js';
import { addDays, dayOf, dayRange } from './days.js';

export type Dialect = {
  /** Lower-cases text exactly as JS toLowerCase does (the evaluator's rule). */
  lower(expr: string): string;
  /** A stored number text as a number. */
  number(expr: string): string;
  /** The same, as the index contact_values_number holds it (a sorted walk reads it in order; see migrations). */
  numberIndexed(expr: string): string;
  /** The placeholder of the n-th parameter (1-based). */
  placeholder(n: number): string;
  /** The lower-cased custom value of `contact_values v`, as an index holds it (a stored copy, or the indexed expression). */
  valueLowered: string;
};

/** SQLite: its lower() folds ASCII only, so the store registers chative_lower (JS toLowerCase). */
export const SQLITE_DIALECT: Dialect = { lower: (e) => `chative_lower(${e})`, number: (e) => `CAST(${e} AS REAL)`, numberIndexed: (e) => `CAST(${e} AS REAL)`, placeholder: () => '?', valueLowered: 'v.value_lc' };
/**
 * PostgreSQL: lower() folds by its input's collation, and the columns are COLLATE "C" (ASCII-only folding). ICU's root
 * locale ("und-x-icu", in every ICU-enabled build) folds like JS toLowerCase (full mapping: İ to i̇, final sigma);
 * the result goes back to "C" so sorts and LIKE stay byte-wise like SQLite.
 */
export const POSTGRES_DIALECT: Dialect = {
  lower: (e) => `(lower((${e}) COLLATE "und-x-icu") COLLATE "C")`,
  number: (e) => `(${e})::double precision`,
  // a cast that answers NULL instead of failing: the index covers text fields' values too (pg-migrations.ts)
  numberIndexed: (e) => `chative_number(${e})`,
  placeholder: (n) => `$${n}`,
  // the expression index contact_values_folded holds exactly this (pg-migrations.ts)
  valueLowered: '(lower((v.value) COLLATE "und-x-icu") COLLATE "C")',
};

/** LIKE pattern text with its wildcards escaped (ESCAPE '\'). */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * Compiles `where` for the contacts table aliased `c`. Parameters are appended to `params` (so a caller can
 * compile into a statement that already has some); `now` fixes "today" for relative day operators.
 */
export function compileWhere(where: CheckedGroup, dialect: Dialect, now: Date, params: unknown[] = [], opts: { probe?: boolean } = {}): { sql: string; params: unknown[] } {
  const today = dayOf(now);
  const p = (v: unknown) => {
    params.push(v);
    return dialect.placeholder(params.length);
  };
  const list = (vs: unknown[]) => vs.map(p).join(', ');
  const group = (nodes: CheckedNode[], joiner: 'AND' | 'OR', empty: string) => (nodes.length ? `(${nodes.map(node).join(` ${joiner} `)})` : empty);
  const node = (n: CheckedNode): string => ('all' in n ? group(n.all, 'AND', '(1 = 1)') : 'any' in n ? group(n.any, 'OR', '(1 = 0)') : leaf(n));

  /** A predicate over a value expression `x` (the column, or a stored custom value) for text, number, date and boolean. */
  const valuePredicate = (l: CheckedLeaf, x: string, lowered: string): string => {
    switch (l.op) {
      case 'is': case 'is_not': return `${lowered} = ${p((l.value as string).toLowerCase())}`;
      case 'contains': return `${lowered} LIKE ${p(`%${likeEscape((l.value as string).toLowerCase())}%`)} ESCAPE '\\'`;
      case 'starts_with': return `${lowered} LIKE ${p(`${likeEscape((l.value as string).toLowerCase())}%`)} ESCAPE '\\'`;
      case 'eq': case 'neq': return `${dialect.number(x)} = ${p(l.value)}`;
      case 'lt': return `${dialect.number(x)} < ${p(l.value)}`;
      case 'lte': return `${dialect.number(x)} <= ${p(l.value)}`;
      case 'gt': return `${dialect.number(x)} > ${p(l.value)}`;
      case 'gte': return `${dialect.number(x)} >= ${p(l.value)}`;
      case 'is_true': return `${x} = ${p('true')}`;
      case 'is_false': return `${x} = ${p('false')}`;
    }
    if (l.op === 'between' && l.ref.kind === 'number') {
      const [a, b] = l.value as number[];
      return `${dialect.number(x)} BETWEEN ${p(a)} AND ${p(b)}`;
    }
    // a day range on a timestamp or a YYYY-MM-DD text: "day >= from" is "x >= from", "day <= to" is "x < to + 1 day"
    const { from, to } = dayRange(l.op, l.value, today);
    const parts = [];
    if (from !== undefined) parts.push(`${x} >= ${p(from)}`);
    if (to !== undefined) parts.push(`${x} < ${p(addDays(to, 1))}`);
    return parts.join(' AND ');
  };
  // Membership in a contact-id subquery. `probe` writes it as a correlated EXISTS: the engine then walks the
  // list order and checks each row (a page of a common match stops early); the IN form lets it drive from the set.
  const member = (negate: boolean, from: string, idCol: string, cond: string) =>
    opts.probe
      ? `${negate ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${from} WHERE ${idCol} = c.id AND ${cond})`
      : `c.id ${negate ? 'NOT IN' : 'IN'} (SELECT ${idCol} FROM ${from} WHERE ${cond})`;
  // operators that also match an unset value: the negation of their positive twin
  const negated = (op: string) => op === 'is_not' || op === 'neq';

  const leaf = (l: CheckedLeaf): string => {
    const ref = l.ref;
    if (ref.source === 'tags') {
      const keys = l.value as string[];
      const having = (ks: string[], negate = false) => member(negate, 'contact_tags ct JOIN tags t ON t.id = ct.tag_id', 'ct.contact_id', `t.name_lc IN (${list(ks)})`);
      if (l.op === 'has_any') return having(keys);
      if (l.op === 'has_none') return having(keys, true);
      return `(${keys.map((k) => having([k])).join(' AND ')})`;
    }
    if (ref.source === 'custom') {
      const key = p(ref.key);
      if (l.op === 'is_set' || l.op === 'is_not_set') return member(l.op === 'is_not_set', 'contact_values v', 'v.contact_id', `v.key = ${key}`);
      return member(negated(l.op), 'contact_values v', 'v.contact_id', `v.key = ${key} AND ${valuePredicate(l, 'v.value', dialect.valueLowered)}`);
    }
    const x = `c.${ref.column}`;
    if (l.op === 'is_set') return `${x} IS NOT NULL`;
    if (l.op === 'is_not_set') return `${x} IS NULL`;
    if (ref.kind === 'type') {
      if (l.op === 'is') return `${x} = ${p(l.value)}`;
      if (l.op === 'is_not') return `${x} <> ${p(l.value)}`;
      return `${x} IN (${list(l.value as string[])})`;
    }
    const lowered = ref.lowered ? `c.${ref.lowered}` : dialect.lower(x);
    const pred = valuePredicate(l, x, lowered);
    return negated(l.op) ? `(${x} IS NULL OR NOT (${pred}))` : `(${pred})`;
  };
  return { sql: node(where), params };
}
