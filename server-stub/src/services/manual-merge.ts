// Manual merge (CONTRACT §9): an agent merges a duplicate into the contact they chose, under §1's rules (domain/merge.ts:
// the chosen contact's values win, the other's fill gaps, the losing values stay as other details).
import { higherType } from '../domain/contact-type.js';
import type { FieldType } from '../domain/custom-fields.js';
import { planMerge } from '../domain/merge.js';
import { HttpError } from '../http/http-error.js';
import type { Hub } from '../live/hub.js';
import type { ContactRecord, Tx } from '../storage/store.js';
import type { ChangeBus, Outbox } from './changes.js';
import type { ContactService } from './contacts.js';

export function createManualMerge(deps: { hub: Hub; contacts: ContactService; changes: ChangeBus }) {
  const { hub, contacts, changes } = deps;

  /** Merges `fromId` into `id` in the caller's transaction; two customers with different customerIds are a 409. */
  return async function mergeContacts(tx: Tx, id: string, fromId: string, out: Outbox): Promise<ContactRecord> {
    if (id === fromId) throw new HttpError(400, 'validation_failed', 'from: a contact cannot be merged into itself', [{ path: ['from'], message: 'same contact' }]);
    const survivor = await contacts.liveContact(tx, id);
    const from = await contacts.liveContact(tx, fromId);
    if (survivor.customerId && from.customerId && survivor.customerId !== from.customerId)
      throw new HttpError(409, 'customer_conflict', `both contacts are customers with different customerIds (${survivor.customerId}, ${from.customerId}): they are never merged`);
    const customerId = survivor.customerId ?? from.customerId;
    // The other contact's browsers start over unless they proved the surviving customer id: an agent's judgement that two
    // records are one person must never let a browser read conversations it did not take part in (SECURITY.md).
    const revoked = await tx.revokeUnprovenTokens(from.id, customerId ?? '');
    const fieldTypes: Record<string, FieldType> = {};
    for (const key of Object.keys(from.custom)) {
      const field = await tx.getField(key);
      if (field) fieldTypes[key] = field.type;
    }
    await contacts.applyMerge(tx, planMerge(survivor, from, fieldTypes));
    // the customer id moves only once the other is a tombstone (one verified holder per id)
    if (!survivor.customerId && customerId) {
      await tx.updateContact(survivor.id, { customerId, verified: from.verified });
      revoked.push(...(await tx.revokeUnprovenTokens(survivor.id, customerId)));
    }
    const merged = (await tx.getContact(survivor.id))!;
    await tx.updateContact(survivor.id, {
      type: higherType(higherType(survivor.type, from.type), merged.type),
      possibleDuplicateOf: (await tx.findSameDetails(survivor.id, merged.email, merged.phone)) ?? null,
    });
    const after = (await tx.getContact(survivor.id))!;
    const tombstone = (await tx.getContact(from.id))!;
    out.push(() => {
      for (const t of revoked) hub.publish(`token:${t}`, { kind: 'revoked' });
      hub.publish(`contact:${from.id}`, { kind: 'merged', into: survivor.id });
      hub.publish('agent', { kind: 'contact', data: tombstone });
      contacts.publishContact(after);
    });
    await changes.emit(tx, out, [
      { contactId: from.id, change: 'merged', to: survivor.id },
      { contactId: survivor.id, change: 'merged', from: from.id },
    ]);
    return after;
  };
}
