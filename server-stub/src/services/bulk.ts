// Bulk actions (CONTRACT §7): one job over every contact a condition matched when it started, each contact changed
// through the contact service — so the change bus records the job's actor and rules fire as for a single edit.
import type { BulkAction } from '../../../widget/src/contract/zod/conditions.js';
import type { CheckedGroup } from '../domain/conditions/index.js';
import { checkFieldValue, type FieldType } from '../domain/custom-fields.js';
import { normalizeTagName, tagKey, tagNameProblem } from '../domain/tags.js';
import { LIMITS } from '../../../widget/src/contract/limits.js';
import { HttpError } from '../http/http-error.js';
import type { JobRecord, Tx } from '../storage/store.js';
import { diffContact, type Actor, type ChangeBus, type ContactChange, type Outbox } from './changes.js';
import type { ContactService } from './contacts.js';
import type { EraseService } from './erase.js';
import type { JobService } from './jobs.js';

export const BULK_KIND = 'bulk';

/** Refuses an action that would fail on every contact, before any job exists: a 400 at ['action', …]. */
export function checkBulkAction(action: BulkAction, fieldType: (key: string) => FieldType | undefined): void {
  const bad = (path: (string | number)[], message: string) => new HttpError(400, 'validation_failed', `${path.join('.')}: ${message}`, [{ path, message }]);
  if ('addTag' in action || 'removeTag' in action) {
    const [key, raw] = 'addTag' in action ? ['addTag', action.addTag] : ['removeTag', action.removeTag];
    if (!normalizeTagName(raw)) throw bad(['action', key], tagNameProblem(raw) ?? 'not a tag name');
  } else if ('setField' in action) {
    const type = fieldType(action.setField.key);
    if (!type) throw bad(['action', 'setField', 'key'], `unknown custom field "${action.setField.key}"`);
    if (action.setField.value !== null) {
      const checked = checkFieldValue(type, action.setField.value);
      if (!checked.ok) throw bad(['action', 'setField', 'value'], checked.message);
    }
  }
  // erase needs no check here: the route requires the admin role for it
}

/**
 * Add-tag over a chunk of contacts in a few statements: one read of them all, the attaches, one read back, one change
 * report (the activity trail, rules and webhooks see each contact's tag_added, as from contacts.addTag). What addTag
 * would refuse or treat specially — a contact gone, merged, at the tag limit; a tag not created yet — is left to it.
 */
async function addTagBatch(tx: Tx, ids: string[], raw: string, changes: ChangeBus, contacts: ContactService, out: Outbox): Promise<string[]> {
  const name = normalizeTagName(raw);
  const tag = name ? await tx.getTagByKey(tagKey(name)) : undefined;
  if (!tag) return ids;
  const key = tagKey(tag.name);
  const rest: string[] = [];
  const before = new Map((await tx.getContacts(ids)).map((c) => [c.id, c]));
  const attached: string[] = [];
  for (const id of ids) {
    const c = before.get(id);
    if (!c || c.mergedInto || c.tags.length >= LIMITS.tagsPerContact) rest.push(id);
    else if (!c.tags.some((t) => tagKey(t) === key)) {
      await tx.attachTag(id, tag.id);
      attached.push(id);
    }
    // (already tagged: addTag would change nothing and report nothing)
  }
  const list: ContactChange[] = [];
  for (const after of await tx.getContacts(attached)) {
    out.push(() => contacts.publishContact(after));
    list.push(...diffContact(before.get(after.id)!, after));
  }
  await changes.emit(tx, out, list);
  return rest;
}

/** Registers the bulk job kind: one contact id per item. */
export function registerBulkJobs(jobs: JobService, contacts: ContactService, erase: Pick<EraseService, 'eraseContact' | 'scrubSoon'>, changes: ChangeBus) {
  jobs.register(BULK_KIND, {
    errorAt: (contactId) => ({ contactId }),
    async batch(tx, ids, params, out) {
      const { action } = params as { action: BulkAction };
      if (!('addTag' in action)) return ids;
      // in a savepoint with its own outbox: a refusal anywhere (a listener's HttpError) hands the chunk to the per-item path
      const mine = out.child();
      try {
        const rest = await tx.savepoint((sp) => addTagBatch(sp, ids, action.addTag, changes, contacts, mine));
        out.adopt(mine);
        return rest;
      } catch (err) {
        if (err instanceof HttpError) return ids;
        throw err;
      }
    },
    async item(tx, contactId, params, out) {
      const { action } = params as { action: BulkAction };
      if ('addTag' in action) await contacts.addTag(tx, contactId, action.addTag, out);
      else if ('removeTag' in action) await contacts.removeTag(tx, contactId, action.removeTag, out);
      else if ('setField' in action) await contacts.patch(tx, contactId, { custom: { [action.setField.key]: action.setField.value } }, out);
      else {
        await erase.eraseContact(tx, contactId, out);
        // the batch's deleted bytes leave the files once it committed (one scrub for many erases)
        out.push(() => erase.scrubSoon());
      }
    },
  });
}

/** Starts (or finds, by client id) the bulk job; the caller kicks it after the commit. */
export function startBulk(tx: Tx, jobs: JobService, req: { id: string; where: CheckedGroup | undefined; action: BulkAction; source: unknown; actor: Actor; now: Date }): Promise<{ job: JobRecord; created: boolean }> {
  return jobs.start(tx, { kind: BULK_KIND, clientId: req.id, params: { action: req.action, source: req.source }, actor: req.actor }, (t, jobId) => t.freezeMatching(jobId, req.where, req.now));
}
