// Merge a visitor into the customer they were verified as (CONTRACT §1), as a plan the service only applies:
// the customer's values win, the visitor's fill gaps, and the values that lose stay on the profile as other details.
import { checkFieldValue, type FieldType, type FieldValue } from './custom-fields.js';
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { tagKey } from './tags.js';

/** A value that lost a merge: `field` is name, email, phone or custom.KEY; `from` the merged contact's id. */
export type OtherDetail = { field: string; value: string; from: string };

export type MergeSide = {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  custom: Record<string, FieldValue>;
  tags: string[];
  note: string | null;
  otherDetails: OtherDetail[];
};

export type MergePlan = {
  /** Columns written on the customer. */
  survivor: Pick<MergeSide, 'name' | 'email' | 'phone' | 'timezone' | 'locale' | 'note' | 'otherDetails'>;
  /** Stored texts of the visitor's custom values the customer lacks. */
  customFill: Record<string, string>;
  /** Visitor tags the customer lacks (names as the visitor has them; a tag is one row whatever the case), up to the per-contact limit. */
  attachTags: string[];
  /** Visitor tags past the per-contact limit: the customer's come first; these are named in the survivor's note. */
  droppedTags: string[];
  /** The visitor becomes `{ id, mergedInto }` and keeps no values or tags: counts and filters need no join to skip it. */
  tombstone: { id: string; mergedInto: string; clearValues: string[]; detachTags: string[] };
};

/** Joins two notes, the customer's first; empty notes vanish. */
export function joinNotes(customerNote: string | null, visitorNote: string | null): string | null {
  const parts = [customerNote, visitorNote].filter((n): n is string => Boolean(n && n.trim()));
  return parts.length ? parts.join('\n\n') : null;
}

// Two spellings of one name or email are no conflict; phones (E.164) and custom values compare exactly.
const fold = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const sameValue = (field: string, a: string, b: string) => (field === 'name' || field === 'email' ? fold(a) === fold(b) : a === b);

/** The whole merge of `visitor` into `customer`; `fieldTypes` holds the types of the custom fields that still exist. */
export function planMerge(customer: MergeSide, visitor: MergeSide, fieldTypes: Record<string, FieldType>): MergePlan {
  const other: OtherDetail[] = [...customer.otherDetails];
  const keep = (d: OtherDetail, current: string | null) => {
    if (current !== null && sameValue(d.field, current, d.value)) return;
    if (other.some((o) => o.field === d.field && sameValue(d.field, o.value, d.value))) return;
    other.push(d);
  };
  const scalars = { name: customer.name ?? visitor.name, email: customer.email ?? visitor.email, phone: customer.phone ?? visitor.phone };
  for (const f of ['name', 'email', 'phone'] as const) {
    const v = visitor[f];
    if (v !== null && customer[f] !== null) keep({ field: f, value: v, from: visitor.id }, scalars[f]);
  }
  const customFill: Record<string, string> = {};
  for (const [key, value] of Object.entries(visitor.custom)) {
    const type = fieldTypes[key];
    if (!type) continue; // the field was deleted: its values went with it
    const checked = checkFieldValue(type, value);
    const text = checked.ok ? checked.stored : String(value);
    if (!Object.hasOwn(customer.custom, key) && checked.ok) customFill[key] = text;
    else {
      const mine = customer.custom[key];
      keep({ field: `custom.${key}`, value: text, from: visitor.id }, mine === undefined ? null : String(mine));
    }
  }
  // what the visitor itself had kept from earlier merges comes along
  for (const d of visitor.otherDetails) {
    const f = d.field as 'name' | 'email' | 'phone';
    keep(d, Object.hasOwn(scalars, f) ? scalars[f] : d.field.startsWith('custom.') ? (customFill[d.field.slice(7)] ?? null) : null);
  }
  const customerTags = new Set(customer.tags.map(tagKey));
  const missing = visitor.tags.filter((t) => !customerTags.has(tagKey(t)));
  const room = Math.max(0, LIMITS.tagsPerContact - customer.tags.length);
  const droppedTags = missing.slice(room);
  const dropped = droppedTags.length ? `Tags dropped at merge (at most ${LIMITS.tagsPerContact} per contact): ${droppedTags.join(', ')}` : null;
  return {
    survivor: {
      ...scalars,
      timezone: customer.timezone ?? visitor.timezone,
      locale: customer.locale ?? visitor.locale,
      note: joinNotes(joinNotes(customer.note, visitor.note), dropped),
      otherDetails: other,
    },
    customFill,
    attachTags: missing.slice(0, room),
    droppedTags,
    tombstone: { id: visitor.id, mergedInto: customer.id, clearValues: Object.keys(visitor.custom), detachTags: [...visitor.tags] },
  };
}
