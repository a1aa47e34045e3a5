// Merge a visitor into the customer they were verified as: the customer's values win, the visitor's fill gaps.
import { LIMITS } from './limits.js';
import { unionTags } from './tags.js';

export type MergeSide = {
  name: string | null;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  custom: Record<string, unknown>;
  tags: string[];
  note: string | null;
};

/** Joins two notes, the customer's first; empty notes vanish. */
export function joinNotes(customerNote: string | null, visitorNote: string | null): string | null {
  const parts = [customerNote, visitorNote].filter((n): n is string => Boolean(n && n.trim()));
  return parts.length ? parts.join('\n\n') : null;
}

/**
 * The surviving customer's details after absorbing the visitor; nothing of either is lost but tags past the
 * per-contact limit: the customer's come first, the visitor's fill up to the limit, the rest are named in `droppedTags`.
 */
export function mergeContacts(customer: MergeSide, visitor: MergeSide): MergeSide & { droppedTags: string[] } {
  const tags = unionTags(customer.tags, visitor.tags);
  const pick = <K extends 'name' | 'email' | 'phone' | 'timezone' | 'locale'>(k: K) => customer[k] ?? visitor[k] ?? null;
  return {
    name: pick('name'),
    email: pick('email'),
    phone: pick('phone'),
    timezone: pick('timezone'),
    locale: pick('locale'),
    custom: { ...visitor.custom, ...customer.custom },
    tags: tags.slice(0, LIMITS.tagsPerContact),
    droppedTags: tags.slice(LIMITS.tagsPerContact),
    note: joinNotes(customer.note, visitor.note),
  };
}
