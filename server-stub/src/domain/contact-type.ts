// Contact types climb guest -> lead -> customer and never go down by themselves (CONTRACT §1).
import { meetsLeadRule, type ContactType } from '../../../widget/src/contract/rules.js';

export { CONTACT_TYPES, meetsLeadRule, type ContactType } from '../../../widget/src/contract/rules.js';

const RANK: Record<ContactType, number> = { guest: 0, lead: 1, customer: 2 };

/** The position of a type on the climb. */
export function rankOf(type: ContactType): number {
  return RANK[type];
}

/** The higher of two types: the never-downgrade rule. */
export function higherType(a: ContactType, b: ContactType): ContactType {
  return rankOf(a) >= rankOf(b) ? a : b;
}

type Details = { name?: string | null; email?: string | null; phone?: string | null; customerId?: string | null };

/** The type the details earn on their own, ignoring history. */
export function earnedType(d: Details): ContactType {
  if (d.customerId) return 'customer';
  return meetsLeadRule(d) ? 'lead' : 'guest';
}

/** The type after a change: what the details earn, never below the current type. */
export function nextType(current: ContactType, d: Details): ContactType {
  return higherType(current, earnedType(d));
}
