// Which rule triggers (CONTRACT §8) a batch of changes fires, per contact — pure, so it is tested without a store.
import type { Trigger } from '../../../widget/src/contract/zod/rules.js';
import type { Change } from '../services/changes.js';
import { tagKey } from './tags.js';

/** One thing that happened to a contact, in the terms triggers speak. */
export type Fired =
  | { on: 'contact.created' | 'contact.identified' | 'message.received' | 'conversation.resolved' }
  | { on: 'contact.updated'; fields: string[] }
  | { on: 'contact.type_changed'; to: string }
  | { on: 'contact.tag_added' | 'contact.tag_removed'; tag: string };

/** The name a contact.updated trigger's `fields` uses for a change: `name`, `custom.plan`, `tags`, `note`, `type`. */
function fieldName(ch: Change): string | null {
  switch (ch.change) {
    case 'field': return ch.field ?? null;
    case 'custom': return `custom.${ch.field}`;
    case 'tag_added': case 'tag_removed': return 'tags';
    case 'note': return 'note';
    case 'type': return 'type';
    default: return null;
  }
}

/** What the changes fired, grouped by contact (in the order contacts first appear). */
export function firedBy(changes: Change[]): Map<string, Fired[]> {
  const out = new Map<string, Fired[]>();
  const add = (id: string, f: Fired) => {
    const list = out.get(id) ?? [];
    list.push(f);
    out.set(id, list);
  };
  const updated = new Map<string, string[]>();
  for (const ch of changes) {
    if (ch.change === 'created') add(ch.contactId, { on: 'contact.created' });
    else if (ch.change === 'identified') add(ch.contactId, { on: 'contact.identified' });
    else if (ch.change === 'message') { if (ch.author === 'visitor') add(ch.contactId, { on: 'message.received' }); }
    else if (ch.change === 'conversation') { if (ch.field === 'status' && ch.to === 'resolved') add(ch.contactId, { on: 'conversation.resolved' }); }
    else if (ch.change === 'type') add(ch.contactId, { on: 'contact.type_changed', to: String(ch.to) });
    else if (ch.change === 'tag_added') add(ch.contactId, { on: 'contact.tag_added', tag: String(ch.field) });
    else if (ch.change === 'tag_removed') add(ch.contactId, { on: 'contact.tag_removed', tag: String(ch.field) });
    const f = fieldName(ch);
    if (f) updated.set(ch.contactId, [...(updated.get(ch.contactId) ?? []), f]);
  }
  for (const [id, fields] of updated) add(id, { on: 'contact.updated', fields: [...new Set(fields)] });
  return out;
}

/** Does this fired event satisfy the trigger (its filters included)? */
export function triggerMatches(t: Trigger, f: Fired): boolean {
  if (t.on !== f.on) return false;
  switch (t.on) {
    case 'contact.updated': return !t.fields?.length || (f as { fields: string[] }).fields.some((x) => t.fields!.includes(x));
    case 'contact.type_changed': return !t.to || (f as { to: string }).to === t.to;
    case 'contact.tag_added': case 'contact.tag_removed': return !t.tag || tagKey(t.tag) === tagKey((f as { tag: string }).tag);
    default: return true;
  }
}
