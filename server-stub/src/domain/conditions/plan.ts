// How a search reads at 1M contacts (docs/CONDITIONS.md "Performance"): a top-level leaf whose own index lists few
// candidates drives the search; otherwise the list order is walked and each row probed. A total is exact when such a
// leaf bounds it, else estimated from a fixed sample: the first contacts in id order, which are random (ids are).
import type { CheckedGroup, CheckedLeaf, CheckedNode } from './check.js';
import { addDays, dayOf, dayRange } from './days.js';
import type { Dialect } from './sql.js';

/** Tuning of the planner; tests shrink both to reach every path with a few contacts. */
export type SearchPlan = {
  /** A leaf with at most this many candidates drives (and makes the total exact). */
  driveMax: number;
  /** Contacts read, in id order, to estimate a total no leaf bounds. */
  sample: number;
};
export const DEFAULT_PLAN: SearchPlan = { driveMax: 10_000, sample: 10_000 };

/** Appends a candidate's parameters to `params` and answers `SELECT … AS id FROM …`: a superset of a leaf's matches, read from an index. */
export type Candidate = (params: unknown[], dialect: Dialect) => string;

/** The leaves every match must satisfy: the top group's leaves through nested `all`s and one-child groups. */
function conjuncts(g: CheckedGroup): CheckedLeaf[] {
  const nodes: CheckedNode[] = 'all' in g ? g.all : g.any.length === 1 ? g.any : [];
  return nodes.flatMap((n) => ('field' in n ? [n] : conjuncts(n)));
}

/** The candidate lists of `where`'s conjunct leaves that an index can read (none for a leaf no index serves). */
export function candidatesOf(where: CheckedGroup, now: Date): Candidate[] {
  const today = dayOf(now);
  const out: Candidate[] = [];
  for (const l of conjuncts(where)) {
    const ref = l.ref;
    const ph = (params: unknown[], d: Dialect, v: unknown) => (params.push(v), d.placeholder(params.length));
    const live = (cond: (params: unknown[], d: Dialect) => string): Candidate => (params, d) => `SELECT c.id AS id FROM contacts c WHERE c.merged_into IS NULL AND ${cond(params, d)}`;
    const value = (cond: (params: unknown[], d: Dialect) => string): Candidate => (params, d) => `SELECT v.contact_id AS id FROM contact_values v WHERE v.key = ${ph(params, d, (ref as { key: string }).key)} AND ${cond(params, d)}`;
    const range = (x: string) => (params: unknown[], d: Dialect) => {
      const { from, to } = dayRange(l.op, l.value, today);
      const parts = [];
      if (from !== undefined) parts.push(`${x} >= ${ph(params, d, from)}`);
      if (to !== undefined) parts.push(`${x} < ${ph(params, d, addDays(to, 1))}`);
      return parts.join(' AND ');
    };
    const isDayOp = l.op !== 'is_set' && l.op !== 'is_not_set';
    if (ref.source === 'tags') {
      const tags = (names: string[]): Candidate => (params, d) =>
        `SELECT ct.contact_id AS id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name_lc IN (${names.map((n) => ph(params, d, n)).join(', ')})`;
      if (l.op === 'has_any') out.push(tags(l.value as string[]));
      if (l.op === 'has_all') for (const n of l.value as string[]) out.push(tags([n]));
    } else if (ref.source === 'custom') {
      if (ref.kind === 'text' && l.op === 'is') out.push(value((p, d) => `${d.valueLowered} = ${ph(p, d, (l.value as string).toLowerCase())}`));
      else if (ref.kind === 'boolean' && l.op !== 'is_not_set') out.push(value((p, d) => `v.value = ${ph(p, d, l.op === 'is_true' ? 'true' : 'false')}`));
      else if (ref.kind === 'date' && isDayOp) out.push(value(range('v.value')));
      else if (l.op === 'is_set') out.push(value(() => '1 = 1'));
    } else if (ref.column === 'type') {
      const types = l.op === 'is' ? [l.value] : l.op === 'in' ? (l.value as string[]) : null;
      if (types) out.push(live((p, d) => `c.type IN (${types.map((t) => ph(p, d, t)).join(', ')})`));
    } else if (ref.column === 'last_seen_at' && isDayOp) {
      out.push(live(range('c.last_seen_at')));
    } else if ((ref.column === 'email' || ref.column === 'phone') && l.op === 'is') {
      // contacts_email_lc (email_lc, id) and contacts_phone (phone, id); a phone's lower-cased form is itself
      out.push(live((p, d) => `c.${ref.lowered} = ${ph(p, d, (l.value as string).toLowerCase())}`));
    }
  }
  return out;
}

// base64url in byte order: the sort order of contact ids (BINARY in SQLite, COLLATE "C" in PostgreSQL)
const ID_DIGITS = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/**
 * The share of the id space up to and including `id`, for ids as the server makes them (`ct_` + 16 random base64url
 * characters); null for any other id (then the sample cannot be scaled and the count is made exactly).
 */
export function idSpaceUpTo(id: string): number | null {
  const m = /^ct_([A-Za-z0-9_-]{16})$/.exec(id);
  if (!m) return null;
  let share = 0;
  let unit = 1;
  for (const ch of m[1].slice(0, 8)) {
    unit /= 64;
    share += ID_DIGITS.indexOf(ch) * unit;
  }
  return share + unit;
}

/** The estimated total from a sample that read the id space up to `last` and found `hits`; null when it cannot scale. */
export function estimateFromSample(hits: number, last: string): number | null {
  const share = idSpaceUpTo(last);
  if (share === null) return null;
  return Math.round(hits / share);
}
