// The storage interface the services use; SQL lives only behind it (a second engine can implement it).
import type { ContactType } from '../domain/contact-type.js';
import type { FieldType, FieldValue } from '../domain/custom-fields.js';
import type { OtherDetail } from '../domain/merge.js';

export type ContactRecord = {
  id: string;
  siteId: string;
  type: ContactType;
  name: string | null;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  customerId: string | null;
  verified: boolean;
  note: string | null;
  createdAt: string;
  lastSeenAt: string;
  mergedInto: string | null;
  possibleDuplicateOf: string | null;
  /** Values that lost a merge, kept visible and searchable (domain/merge.ts). */
  otherDetails: OtherDetail[];
  custom: Record<string, FieldValue>;
  tags: string[];
};

export type ContactColumns = Partial<
  Pick<ContactRecord, 'type' | 'name' | 'email' | 'phone' | 'timezone' | 'locale' | 'customerId' | 'verified' | 'note' | 'lastSeenAt' | 'mergedInto' | 'possibleDuplicateOf' | 'otherDetails'>
>;

/** A whole contact row for bulk import (seeding, CSV import): values are canonical stored texts. */
export type ImportContact = Omit<ContactRecord, 'custom' | 'tags' | 'mergedInto' | 'possibleDuplicateOf' | 'otherDetails'> & { values: Record<string, string>; tagIds: number[] };

export type NewContact = { id: string; siteId: string; type: ContactType; timezone: string | null; locale: string | null; createdAt: string };
export type FieldDef = { key: string; name: string; type: FieldType; createdAt: string };
export type TagRecord = { id: number; name: string; createdAt: string };
/**
 * `provedCustomerId`: the customer id this token's browser proved with a valid userHash (null: none) — the only
 * thing that grants customer data. `claimedCustomerId`: the id it identified as, proved or not (what its widget shows).
 */
export type TokenRecord = { id: number; siteId: string; contactId: string; revoked: boolean; provedCustomerId: string | null; claimedCustomerId: string | null };
export type MessageRecord = { seq: number; conversationId: string; author: 'visitor' | 'agent'; text: string; createdAt: string };
export type ConversationRecord = {
  id: string;
  siteId: string;
  contactId: string;
  createdAt: string;
  lastMessageAt: string;
  lastMessageSeq: number;
  agentReadSeq: number;
};
export type ConversationSummary = ConversationRecord & {
  /** possibleDuplicateOf: so the inbox list can flag a contact before the agent opens it. */
  contact: { id: string; name: string | null; type: ContactType; email: string | null; possibleDuplicateOf: string | null };
  lastMessage: MessageRecord | null;
  unread: number;
};

/** Filters combine with AND; `values` are canonical stored texts. */
export type ContactFilter = {
  type?: ContactType;
  tagIds?: number[];
  values?: { key: string; value: string }[];
  q?: string;
  after?: { lastSeenAt: string; id: string };
  limit?: number;
};

export interface Store {
  /** Runs fn in one immediate transaction; a throw rolls everything back. */
  transaction<T>(fn: () => T): T;
  /** Like transaction, but its COMMIT does not wait for the disk: await syncToDisk() before acknowledging what it wrote. */
  transactionNoSync<T>(fn: () => T): T;
  /** Resolves once everything committed so far is on disk (fsync of the write-ahead log off the main thread). */
  syncToDisk(): Promise<void>;

  getEventResult(scope: string, eventId: string): string | undefined;
  saveEventResult(scope: string, eventId: string, resultJson: string): void;
  /** Deletes up to `limit` idempotency records created before `beforeIso`; answers how many went. */
  pruneEventResults(beforeIso: string, limit: number): number;

  createToken(t: { hash: string; siteId: string; contactId: string }): number;
  findToken(hash: string): TokenRecord | undefined;
  findTokenById(id: number): TokenRecord | undefined;
  revokeToken(id: number): void;
  repointTokens(fromContactId: string, toContactId: string): void;
  /** Records the customer id this token's browser identified as; `proved` when its userHash was valid. */
  recordIdentify(id: number, customerId: string, proved: boolean): void;
  /** Revokes every live token on the contact that did not prove `customerId`; answers their ids. */
  revokeUnprovenTokens(contactId: string, customerId: string): number[];

  insertContact(c: NewContact): void;
  getContact(id: string): ContactRecord | undefined;
  /** Just enough to route a message (no custom values or tags: two queries fewer on the hot path). */
  getContactBrief(id: string): Pick<ContactRecord, 'id' | 'siteId' | 'mergedInto'> | undefined;
  updateContact(id: string, cols: ContactColumns): void;
  /** Sets (or, with null, removes) stored custom values by key. */
  setValues(contactId: string, values: Record<string, string | null>): void;
  /** The live contact holding a customer id: the one a browser proved first, else the oldest (agent- or unverified-set). */
  findCustomer(siteId: string, customerId: string): ContactRecord | undefined;
  /** Another live contact with this email (case-insensitive) or phone, for the duplicate flag. */
  findSameDetails(excludeId: string, email: string | null, phone: string | null): string | undefined;
  /** Inserts many contacts in one transaction (seeding and imports). */
  importContacts(rows: ImportContact[]): void;
  listContacts(filter: ContactFilter): ContactRecord[];
  countContacts(filter: ContactFilter): Record<ContactType, number>;

  listTags(): (TagRecord & { contactCount: number })[];
  getTagByKey(key: string): TagRecord | undefined;
  createTag(name: string, createdAt: string): TagRecord;
  renameTag(id: number, name: string): void;
  deleteTag(id: number): void;
  attachTag(contactId: string, tagId: number): void;
  detachTag(contactId: string, tagId: number): void;

  listFields(): (FieldDef & { contactCount: number })[];
  getField(key: string): FieldDef | undefined;
  createField(f: FieldDef): void;
  renameField(key: string, name: string): void;
  deleteField(key: string): void;

  getConversation(id: string): ConversationRecord | undefined;
  latestConversation(contactId: string): ConversationRecord | undefined;
  createConversation(c: { id: string; siteId: string; contactId: string; createdAt: string }): ConversationRecord;
  /** Newest activity first; only one contact's when contactId is given. */
  listConversations(opts: { after?: { lastMessageAt: string; id: string }; contactId?: string; limit: number }): ConversationSummary[];
  summarizeConversation(id: string): ConversationSummary | undefined;
  moveConversations(fromContactId: string, toContactId: string): void;
  markConversationRead(id: string, seq: number): void;

  insertMessage(m: { conversationId: string; author: 'visitor' | 'agent'; text: string; createdAt: string }): MessageRecord;
  getMessage(seq: number): MessageRecord | undefined;
  messagesForContact(contactId: string, afterSeq: number, limit: number): MessageRecord[];
  messagesForConversation(conversationId: string, afterSeq: number, limit: number): MessageRecord[];
  /** Every message after seq, with its conversation's contact, for the agent stream catch-up. */
  messagesAfter(afterSeq: number, limit: number): (MessageRecord & { contactId: string })[];

  getSettingsJson(siteId: string): string | undefined;
  saveSettingsJson(siteId: string, json: string): void;

  /** Refreshes the query planner's statistics (after bulk imports). */
  analyze(): void;
  close(): void;
}
