// The in-memory evaluator: does one contact match a checked condition? Rules use it on the contact in hand;
// the SQL compiler (sql.ts) must select exactly the contacts this answers true for (property-tested).
import type { ContactRecord } from '../../storage/store.js';
import { tagKey } from '../tags.js';
import type { CheckedGroup, CheckedLeaf, CheckedNode } from './check.js';
import { dayOf, dayRange } from './days.js';

const lower = (s: string) => s.toLowerCase();

/** Whether `contact` matches `where` at `now` (dates are UTC days). */
export function matches(contact: ContactRecord, where: CheckedGroup, now: Date): boolean {
  const today = dayOf(now);
  const node = (n: CheckedNode): boolean => ('all' in n ? n.all.every(node) : 'any' in n ? n.any.some(node) : leaf(n));
  const leaf = (l: CheckedLeaf): boolean => {
    const v = l.ref.read(contact);
    const set = v !== null && v !== undefined;
    switch (l.ref.kind) {
      case 'text': {
        const s = set ? lower(String(v)) : null;
        const want = typeof l.value === 'string' ? lower(l.value) : '';
        switch (l.op) {
          case 'is': return s === want;
          case 'is_not': return s !== want;
          case 'contains': return s !== null && s.includes(want);
          case 'starts_with': return s !== null && s.startsWith(want);
        }
        break;
      }
      case 'number': {
        const n = v as number;
        switch (l.op) {
          case 'eq': return set && n === l.value;
          case 'neq': return !(set && n === l.value);
          case 'lt': return set && n < (l.value as number);
          case 'lte': return set && n <= (l.value as number);
          case 'gt': return set && n > (l.value as number);
          case 'gte': return set && n >= (l.value as number);
          case 'between': return set && n >= (l.value as number[])[0] && n <= (l.value as number[])[1];
        }
        break;
      }
      case 'date': {
        if (l.op === 'is_set' || l.op === 'is_not_set') break;
        if (!set) return false;
        const day = String(v).slice(0, 10);
        const { from, to } = dayRange(l.op, l.value, today);
        return (from === undefined || day >= from) && (to === undefined || day <= to);
      }
      case 'boolean':
        if (l.op === 'is_true') return v === true;
        if (l.op === 'is_false') return v === false;
        break;
      case 'type':
        if (l.op === 'is') return v === l.value;
        if (l.op === 'is_not') return v !== l.value;
        return (l.value as string[]).includes(v as string);
      case 'tags': {
        const has = new Set((v as string[]).map(tagKey));
        const want = l.value as string[];
        if (l.op === 'has_any') return want.some((t) => has.has(t));
        if (l.op === 'has_all') return want.every((t) => has.has(t));
        return !want.some((t) => has.has(t));
      }
    }
    if (l.op === 'is_set') return set;
    if (l.op === 'is_not_set') return !set;
    throw new Error(`condition: no evaluation for ${l.ref.kind} ${l.op}`);
  };
  return node(where);
}
