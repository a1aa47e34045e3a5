// Merge a visitor into the customer they were verified as: the customer's values win, the visitor's fill gaps.
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

/** The surviving customer's details after absorbing the visitor; nothing of either is lost. */
export function mergeContacts(customer: MergeSide, visitor: MergeSide): MergeSide {
  const pick = <K extends 'name' | 'email' | 'phone' | 'timezone' | 'locale'>(k: K) => customer[k] ?? visitor[k] ?? null;
  return {
    name: pick('name'),
    email: pick('email'),
    phone: pick('phone'),
    timezone: pick('timezone'),
    locale: pick('locale'),
    custom: { ...visitor.custom, ...customer.custom },
    tags: unionTags(customer.tags, visitor.tags),
    note: joinNotes(customer.note, visitor.note),
  };
}
