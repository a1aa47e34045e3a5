// The activity trail (CONTRACT §6): every ContactChange reported on the change bus is written to `activity` in the
// same transaction, with the unit's actor — so a change and its record commit (or roll back) together.
import type { ActivityRecord } from '../storage/store.js';
import type { ChangeBus, ContactChange } from './changes.js';

const CONTACT_CHANGES = new Set<string>(['created', 'field', 'custom', 'tag_added', 'tag_removed', 'note', 'type', 'identified', 'merged', 'erased']);
const isContactChange = (c: { change: string }): c is ContactChange => CONTACT_CHANGES.has(c.change);

/** Registers the recorder on the bus (once per app). */
export function recordActivity(changes: ChangeBus, now: () => string = () => new Date().toISOString()) {
  changes.on(async (tx, list, out) => {
    const at = now();
    // an erase keeps only that it happened and by whom (CONTRACT §9): the trail's old values (emails, phones) go too
    for (const c of list) if (c.change === 'erased') await tx.deleteActivity(c.contactId);
    const rows: Omit<ActivityRecord, 'id'>[] = list.filter(isContactChange).map((c) => ({
      contactId: c.contactId, at, actor: { kind: out.actor.kind, id: out.actor.id, name: out.actor.name },
      change: c.change, field: c.field, from: c.from, to: c.to,
    }));
    if (rows.length) await tx.insertActivity(rows);
  });
}

/** An entry as GET /v1/contacts/:id/activity answers it. */
export function presentActivity(a: ActivityRecord) {
  const actor = { kind: a.actor.kind, ...(a.actor.id ? { id: a.actor.id } : {}), ...(a.actor.name ? { name: a.actor.name } : {}) };
  return {
    id: String(a.id), at: a.at, actor, change: a.change,
    ...(a.field !== undefined ? { field: a.field } : {}),
    ...(a.from !== undefined ? { from: a.from } : {}),
    ...(a.to !== undefined ? { to: a.to } : {}),
  };
}
