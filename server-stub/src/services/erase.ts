// Right to erasure (CONTRACT §9): a contact's personal data, conversations and messages go, its browsers start over
// as new guests, and only a tombstone `{id, erasedAt}` remains so GET answers 410 contact_erased.
import { HttpError } from '../http/http-error.js';
import type { Hub } from '../live/hub.js';
import type { Store, Tx } from '../storage/store.js';
import type { ChangeBus, Outbox } from './changes.js';
import { commit } from './contacts.js';
import type { Actor } from './changes.js';

export type EraseService = ReturnType<typeof createEraseService>;

/** A 410 for an erased id, else the 404: what every lookup of a missing contact answers. */
export async function missingContact(r: Pick<Tx, 'getErased'>, id: string): Promise<never> {
  if (await r.getErased(id)) throw new HttpError(410, 'contact_erased', 'this contact was erased');
  throw new HttpError(404, 'contact_not_found', 'no such contact');
}

export function createEraseService(deps: { store: Store; hub: Hub; changes: ChangeBus; now?: () => string }) {
  const { store, hub, changes } = deps;
  const now = deps.now ?? (() => new Date().toISOString());

  /** Erases one live contact inside the caller's transaction; publishing the revocations waits for the commit (out). */
  async function eraseContact(tx: Tx, id: string, out: Outbox): Promise<{ erasedIds: string[] }> {
    const c = await tx.getContact(id);
    if (!c) return missingContact(tx, id);
    if (c.mergedInto) throw new HttpError(409, 'contact_merged', `contact was merged into ${c.mergedInto}: erase that contact`);
    const erasedAt = now();
    const { tokenIds, erasedIds } = await tx.eraseContactData(id, erasedAt);
    // revocations first: each open widget stream ends before anything else is published (stream.ts)
    out.push(() => {
      for (const t of tokenIds) hub.publish(`token:${t}`, { kind: 'revoked' });
      for (const e of erasedIds) hub.publish(`contact:${e}`, { kind: 'revoked' });
      // every console, on every instance (not skipped when none listens here: the bus rings the others), drops it
      for (const e of erasedIds) hub.publish('agent', { kind: 'erased', data: { id: e, erasedAt } });
    });
    // after the delete: the activity trail keeps only this entry (merger: team's activity listener drops the
    // contact's earlier entries on `erased`), rules and webhooks see the id alone, never the erased details
    await changes.emit(tx, out, [{ contactId: id, change: 'erased' }]);
    // the merged-away records erased with it keep no trail either (their entries held the details they had)
    for (const e of erasedIds) if (e !== id) await tx.deleteActivity(e);
    return { erasedIds };
  }

  // many erases in a row (a bulk job's batches) share one scrub: a second request while one runs waits for the next
  let scrubbing: Promise<void> | null = null;
  let again = false;
  function scrubSoon() {
    if (scrubbing) { again = true; return; }
    scrubbing = store.scrub().catch(() => undefined).finally(() => {
      scrubbing = null;
      if (again) { again = false; scrubSoon(); }
    });
  }

  return {
    eraseContact,
    /** After a unit that erased (a bulk job's batch): scrub the files once that unit committed (docs/PRIVACY.md). */
    scrubSoon,
    /** One erase as its own unit, then the engine's files are scrubbed of the deleted bytes (docs/PRIVACY.md). */
    async erase(id: string, actor: Actor): Promise<void> {
      await commit(store, (tx, out) => eraseContact(tx, id, out), actor);
      await store.scrub();
    },
  };
}
