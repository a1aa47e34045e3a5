// Who changed what: every change to a contact (and every new message) is reported here, inside the transaction
// that made it, with the actor carried by the unit's Outbox. Listeners — the activity trail, automation rules,
// the webhook queue — run in that same transaction, so a change and what follows from it commit together.
import type { ContactRecord, Tx } from '../storage/store.js';

export type ActorKind = 'visitor' | 'host' | 'agent' | 'api' | 'automation' | 'import' | 'system';
/** CONTRACT §6 "Activity": who made a change. `id`/`name` identify an agent, an API token, a rule or an import job. */
export type Actor = { kind: ActorKind; id?: string; name?: string };

export const SYSTEM: Actor = { kind: 'system' };

/** One change to one contact, as CONTRACT §6's activity lists it. */
export type ContactChange = {
  contactId: string;
  change: 'created' | 'field' | 'custom' | 'tag_added' | 'tag_removed' | 'note' | 'type' | 'identified' | 'merged' | 'erased';
  /** `field`: a basic field's name; `custom`: the custom field key; tags: the tag name. */
  field?: string;
  from?: unknown;
  to?: unknown;
};
/** Not a change to the contact (no activity entry), but something automation and webhooks react to. */
export type MessageChange = { contactId: string; change: 'message'; conversationId: string; seq: number; author: 'visitor' | 'agent' };
export type ConversationChange = { contactId: string; change: 'conversation'; conversationId: string; field: 'status' | 'assigneeId'; from: unknown; to: unknown };
export type Change = ContactChange | MessageChange | ConversationChange;

/**
 * The unit's side effects and who is acting. Effects (live events) run only after the commit; a nested unit
 * (an event's savepoint, a rule's actions) gets a child whose effects join its parent's only when adopted.
 */
export class Outbox {
  readonly effects: (() => void)[] = [];
  constructor(readonly actor: Actor, readonly depth = 0) {}
  push(...fns: (() => void)[]) {
    this.effects.push(...fns);
  }
  child(actor: Actor = this.actor, depth = this.depth): Outbox {
    return new Outbox(actor, depth);
  }
  adopt(o: Outbox) {
    this.effects.push(...o.effects);
  }
  flush() {
    for (const publish of this.effects) publish();
  }
}

export type ChangeListener = (tx: Tx, changes: Change[], out: Outbox) => Promise<void>;
export type ChangeBus = ReturnType<typeof createChangeBus>;

export function createChangeBus() {
  const listeners: ChangeListener[] = [];
  return {
    /** Listeners run in registration order, inside the caller's transaction (THE TRANSACTION RULE applies). */
    on(listener: ChangeListener) {
      listeners.push(listener);
    },
    async emit(tx: Tx, out: Outbox, changes: Change[]) {
      if (!changes.length) return;
      for (const l of listeners) await l(tx, changes, out);
    },
  };
}

const BASIC = ['name', 'email', 'phone', 'customerId', 'timezone', 'locale'] as const;

/** The changes between two versions of one contact (lastSeenAt is not a change). */
export function diffContact(before: ContactRecord, after: ContactRecord): ContactChange[] {
  const id = after.id;
  const out: ContactChange[] = [];
  for (const f of BASIC) if (before[f] !== after[f]) out.push({ contactId: id, change: 'field', field: f, from: before[f], to: after[f] });
  if (before.type !== after.type) out.push({ contactId: id, change: 'type', from: before.type, to: after.type });
  if (before.note !== after.note) out.push({ contactId: id, change: 'note', from: before.note, to: after.note });
  for (const key of new Set([...Object.keys(before.custom), ...Object.keys(after.custom)])) {
    const a = before.custom[key] ?? null;
    const b = after.custom[key] ?? null;
    if (a !== b) out.push({ contactId: id, change: 'custom', field: key, from: a, to: b });
  }
  const had = new Set(before.tags);
  const has = new Set(after.tags);
  for (const t of after.tags) if (!had.has(t)) out.push({ contactId: id, change: 'tag_added', field: t, to: t });
  for (const t of before.tags) if (!has.has(t)) out.push({ contactId: id, change: 'tag_removed', field: t, from: t });
  return out;
}
