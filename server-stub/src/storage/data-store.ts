// The store methods of issue 13 (CONTRACT §9: erase, CSV import and its undo, duplicates, retention), merged into
// store.ts's Reader and Tx by declaration merging there, so the engines implement them beside the rest.
import { termRange } from '../domain/search-terms.js';
import type { ContactFilter, ContactRecord } from './store.js';

/** What remains of an erased contact: no personal data (CONTRACT §9). */
export type ErasedRecord = { id: string; siteId: string; erasedAt: string };
export type ImportStatus = 'running' | 'done' | 'failed';
export type ImportRecord = {
  id: string; match: string; dryRun: boolean; status: ImportStatus; done: number;
  /** JSON of the job's result (CONTRACT §9), null while running. */
  resultJson: string | null; createdAt: string; finishedAt: string | null; undoneAt: string | null;
};
/** One contact an import created or changed: `created`, or the changes it made ({field, from, to} as the change bus reports them). */
export type ImportChangeRecord = { seq: number; jobId: string; contactId: string; created: boolean; changesJson: string };

export interface DataReader {
  /**
   * One page of an export: the contacts `filter` matches (its `after` and `limit` ignored), by id after `afterId`.
   * Ordered by id, not by activity, so a contact active during a long export is neither skipped nor repeated.
   */
  exportContacts(filter: ContactFilter, afterId: string | null, limit: number): Promise<ContactRecord[]>;
  /** The erase tombstone of an id (no personal data), or undefined. */
  getErased(id: string): Promise<ErasedRecord | undefined>;
  /** Live contacts sharing `email` (case-insensitive) or `phone` (E.164) with contact `excludeId`, customers first. */
  findDuplicates(excludeId: string, email: string | null, phone: string | null, limit: number): Promise<ContactRecord[]>;
  /** The contacts (live or merged) with these ids, in no set order; an unknown id is left out. For batches (bulk jobs): one read, not one per id. */
  getContacts(ids: string[]): Promise<ContactRecord[]>;
  /** Up to `limit` live contacts whose `field` equals `value` (email case-insensitively), oldest first. */
  findContactsBy(field: 'email' | 'phone' | 'customerId', value: string, limit: number): Promise<ContactRecord[]>;
  /** Every live contact whose `field` equals one of `values` (email case-insensitively), in no set order: an import's unit looks its rows up in one read. */
  findContactsByAny(field: 'email' | 'phone' | 'customerId', values: string[]): Promise<ContactRecord[]>;
  /** Guests (never a lead or customer) with no message at all, last seen before `beforeIso`: retention's candidates. */
  listStaleGuests(beforeIso: string, limit: number): Promise<string[]>;
  getImport(id: string): Promise<ImportRecord | undefined>;
  /** An import's recorded changes, newest first, before `beforeSeq` (null: from the last): undo walks them back. */
  importChanges(jobId: string, beforeSeq: number | null, limit: number): Promise<ImportChangeRecord[]>;
  lastRetentionRun(): Promise<{ at: string; erased: number } | undefined>;
}

export interface DataTx {
  /**
   * Removes a contact and everything personal of it — values, tags, search terms, note, conversations, messages,
   * idempotency rows of its tokens, its activity trail (from/to held old values), the merge tombstones that point at it — revokes its tokens and leaves an
   * ErasedRecord for it (and each such tombstone). Answers the revoked token ids and every erased id.
   */
  eraseContactData(id: string, erasedAt: string): Promise<{ tokenIds: number[]; erasedIds: string[] }>;
  /** Deletes a contact an import created (no tombstone: it never existed outside the import). */
  deleteContact(id: string): Promise<void>;
  createImport(r: { id: string; match: string; dryRun: boolean; createdAt: string }): Promise<void>;
  updateImport(id: string, p: { status?: ImportStatus; done?: number; resultJson?: string; finishedAt?: string; undoneAt?: string }): Promise<void>;
  recordImportChange(c: Omit<ImportChangeRecord, 'seq'>): Promise<void>;
  saveRetentionRun(at: string, erased: number): Promise<void>;
  /** Marks imports still `running` as failed (a restart interrupted them); answers how many. */
  failRunningImports(resultJson: string, at: string): Promise<number>;
}

/** The export's page query (both engines): live contacts matching the list filters after `afterId`, in id order; `LIMIT ?` last. */
export function exportPage(f: ContactFilter, afterId: string | null): { sql: string; args: unknown[] } {
  const where = ['c.merged_into IS NULL'];
  const args: unknown[] = [];
  if (afterId !== null) { where.push('c.id > ?'); args.push(afterId); }
  if (f.type) { where.push('c.type = ?'); args.push(f.type); }
  for (const id of f.tagIds ?? []) { where.push('EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag_id = ?)'); args.push(id); }
  for (const v of f.values ?? []) { where.push('EXISTS (SELECT 1 FROM contact_values v WHERE v.contact_id = c.id AND v.key = ? AND v.value = ?)'); args.push(v.key, v.value); }
  if (f.q) { where.push('EXISTS (SELECT 1 FROM contact_terms s WHERE s.contact_id = c.id AND s.term >= ? AND s.term < ?)'); args.push(...termRange(f.q)); }
  return { sql: `SELECT c.* FROM contacts c WHERE ${where.join(' AND ')} ORDER BY c.id LIMIT ?`, args };
}
