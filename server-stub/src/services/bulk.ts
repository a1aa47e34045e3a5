// Bulk actions (CONTRACT §7): one job over every contact a condition matched when it started, each contact changed
// through the contact service — so the change bus records the job's actor and rules fire as for a single edit.
import type { BulkAction } from '../../../widget/src/contract/zod/conditions.js';
import type { CheckedGroup } from '../domain/conditions/index.js';
import { checkFieldValue, type FieldType } from '../domain/custom-fields.js';
import { normalizeTagName, tagNameProblem } from '../domain/tags.js';
import { HttpError } from '../http/http-error.js';
import type { JobRecord, Tx } from '../storage/store.js';
import type { Actor } from './changes.js';
import type { ContactService } from './contacts.js';
import type { JobService } from './jobs.js';
import type { EraseService } from './erase.js';

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
  // erase (role: admin) needs no check: services/erase.ts refuses per contact
}

/** Registers the bulk job kind: one contact id per item. */
export function registerBulkJobs(jobs: JobService, contacts: ContactService, erase: EraseService) {
  jobs.register(BULK_KIND, {
    errorAt: (contactId) => ({ contactId }),
    async item(tx, contactId, params, out) {
      const { action } = params as { action: BulkAction };
      if ('addTag' in action) await contacts.addTag(tx, contactId, action.addTag, out);
      else if ('removeTag' in action) await contacts.removeTag(tx, contactId, action.removeTag, out);
      else if ('setField' in action) await contacts.patch(tx, contactId, { custom: { [action.setField.key]: action.setField.value } }, out);
      // merger: the WAL is truncated at the next single erase or retention run (store.scrub), not after each bulk item
      else await erase.eraseContact(tx, contactId, out);
    },
  });
}

/** Starts (or finds, by client id) the bulk job; the caller kicks it after the commit. */
export function startBulk(tx: Tx, jobs: JobService, req: { id: string; where: CheckedGroup | undefined; action: BulkAction; source: unknown; actor: Actor; now: Date }): Promise<{ job: JobRecord; created: boolean }> {
  return jobs.start(tx, { kind: BULK_KIND, clientId: req.id, params: { action: req.action, source: req.source }, actor: req.actor }, (t, jobId) => t.freezeMatching(jobId, req.where, req.now));
}
