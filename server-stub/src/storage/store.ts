// The storage interface the services use: asynchronous units of work (read(fn) / write(fn)) whose fn gets a handle
// with async methods. SQL lives only behind it; SQLite implements it today, a PostgreSQL store can implement it next.
import type { ContactType } from '../domain/contact-type.js';
import type { FieldType, FieldValue } from '../domain/custom-fields.js';
import type { OtherDetail } from '../domain/merge.js';
import type { AutomationReader, AutomationTx } from './automation-store.js';
import type { CheckedGroup, SortAfter, SortSpec, SortValue } from '../domain/conditions/index.js';
import type { SearchPlan } from '../domain/conditions/plan.js';
import type { DataReader, DataTx } from './data-store.js';
import type { JobLeaseReader, JobLeaseTx } from './job-lease-store.js';

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
export type MessageRecord = {
  seq: number; conversationId: string; author: 'visitor' | 'agent'; text: string; createdAt: string;
  /** The agent account that wrote it and its display name then (null: a visitor, the env token or an API token). */
  agentId?: string | null; agentName?: string | null;
};
export type ConversationRecord = {
  id: string;
  siteId: string;
  contactId: string;
  createdAt: string;
  lastMessageAt: string;
  lastMessageSeq: number;
  agentReadSeq: number;
  status: 'open' | 'resolved';
  assigneeId: string | null;
};
export type ConversationSummary = ConversationRecord & {
  /** possibleDuplicateOf: so the inbox list can flag a contact before the agent opens it. */
  contact: { id: string; name: string | null; type: ContactType; email: string | null; possibleDuplicateOf: string | null };
  lastMessage: MessageRecord | null;
  unread: number;
};

export type Role = 'owner' | 'admin' | 'agent';
export type AgentRecord = { id: string; name: string; email: string; role: Role; passwordHash: string | null; disabled: boolean; createdAt: string; lastActiveAt: string | null };
export type AgentColumns = Partial<Pick<AgentRecord, 'name' | 'role' | 'passwordHash' | 'disabled' | 'lastActiveAt'>>;
export type InviteRecord = { hash: string; agentId: string; createdAt: string; expiresAt: string; usedAt: string | null };
export type AgentSessionRecord = { hash: string; agentId: string; createdAt: string; lastSeenAt: string };
export type ApiTokenRecord = { id: string; hash: string; name: string; role: Role; createdBy: string | null; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
/** One activity entry (CONTRACT §6); from/to are JSON values. */
export type ActivityRecord = { id: number; contactId: string; at: string; actor: { kind: string; id?: string; name?: string }; change: string; field?: string; from?: unknown; to?: unknown };
/** The inbox views: `assignee` is an agent id or 'none'. */
export type ConversationView = { status?: 'open' | 'resolved'; assignee?: string };
export type ConversationCounts = { mine: number; unassigned: number; all: number; resolved: number; unread: { mine: number; unassigned: number; all: number } };

/** Filters combine with AND; `values` are canonical stored texts. */
export type ContactFilter = {
  type?: ContactType;
  tagIds?: number[];
  values?: { key: string; value: string }[];
  q?: string;
  after?: { lastSeenAt: string; id: string };
  limit?: number;
};

/**
 * What a read unit may do. Every method answers a promise; rows are the caller's own copies.
 * Handles are valid only while their unit runs: a call after it ended rejects.
 */
/** What Tx.visitorMessageEvent writes. */
export type VisitorMessageEvent = { conversationId: string; contactId: string; text: string; createdAt: string; scope: string; eventId: string };
/** What Reader.eventContext answers. */
export type EventContext = {
  seen: string | undefined;
  token: TokenRecord | undefined;
  brief: Pick<ContactRecord, 'id' | 'siteId' | 'mergedInto'> | undefined;
  conv: ConversationRecord | undefined;
};

export interface Reader {
  getEventResult(scope: string, eventId: string): Promise<string | undefined>;

  findToken(hash: string): Promise<TokenRecord | undefined>;
  findTokenById(id: number): Promise<TokenRecord | undefined>;

  getContact(id: string): Promise<ContactRecord | undefined>;
  /** Just enough to route a message (no custom values or tags: two queries fewer on the hot path). */
  getContactBrief(id: string): Promise<Pick<ContactRecord, 'id' | 'siteId' | 'mergedInto'> | undefined>;
  /**
   * Everything a sync message event reads first, in one go (PostgreSQL: one statement, not four): its stored result,
   * the token, the contact's brief and the conversation (`conversationId`'s, else the contact's latest).
   */
  eventContext(q: { scope: string; eventId: string; tokenId: number; contactId: string; conversationId?: string }): Promise<EventContext>;
  /** The live contact holding a customer id: the one a browser proved first, else the oldest (agent- or unverified-set). */
  findCustomer(siteId: string, customerId: string): Promise<ContactRecord | undefined>;
  /** Another live contact with this email (case-insensitive) or phone, for the duplicate flag. */
  findSameDetails(excludeId: string, email: string | null, phone: string | null): Promise<string | undefined>;
  listContacts(filter: ContactFilter): Promise<ContactRecord[]>;
  countContacts(filter: ContactFilter): Promise<Record<ContactType, number>>;

  listTags(): Promise<(TagRecord & { contactCount: number })[]>;
  getTagByKey(key: string): Promise<TagRecord | undefined>;

  listFields(): Promise<(FieldDef & { contactCount: number })[]>;
  getField(key: string): Promise<FieldDef | undefined>;

  getConversation(id: string): Promise<ConversationRecord | undefined>;
  latestConversation(contactId: string): Promise<ConversationRecord | undefined>;
  /** Newest activity first; only one contact's when contactId is given. */
  /** `view` filters by status/assignee; `viewerId`: unread counts by that agent's own read marker. */
  listConversations(opts: { after?: { lastMessageAt: string; id: string }; contactId?: string; limit: number; view?: ConversationView; viewerId?: string }): Promise<ConversationSummary[]>;
  summarizeConversation(id: string, viewerId?: string): Promise<ConversationSummary | undefined>;

  getMessage(seq: number): Promise<MessageRecord | undefined>;
  messagesForContact(contactId: string, afterSeq: number, limit: number): Promise<MessageRecord[]>;
  messagesForConversation(conversationId: string, afterSeq: number, limit: number): Promise<MessageRecord[]>;
  /** Every message after seq, with its conversation's contact, for the agent stream catch-up. */
  messagesAfter(afterSeq: number, limit: number): Promise<(MessageRecord & { contactId: string })[]>;

  getSettingsJson(siteId: string): Promise<string | undefined>;

  // --- the team (issue 11) ---
  getAgent(id: string): Promise<AgentRecord | undefined>;
  /** By email, case-insensitively. */
  findAgentByEmail(email: string): Promise<AgentRecord | undefined>;
  /** Oldest first. */
  listAgents(): Promise<AgentRecord[]>;
  countActiveOwners(): Promise<number>;
  /** The owner made by setup / CHATIVE_OWNER_* (null: the team was never founded). */
  teamFounder(): Promise<string | null>;
  hasSetupToken(hash: string): Promise<boolean>;
  findInvite(hash: string): Promise<InviteRecord | undefined>;
  /** Unused, unexpired invites per agent id (the newest one's expiry). */
  pendingInvites(nowIso: string): Promise<Map<string, string>>;
  findAgentSession(hash: string): Promise<AgentSessionRecord | undefined>;
  findApiToken(hash: string): Promise<ApiTokenRecord | undefined>;
  /** Live (not revoked) tokens, oldest first. */
  listApiTokens(): Promise<ApiTokenRecord[]>;
  /** Newest first, entries with id < beforeId when given. */
  listActivity(contactId: string, beforeId: number | null, limit: number): Promise<ActivityRecord[]>;
  /** The inbox views' sizes for `viewerId` (null: counts "mine" as 0, unread by the shared marker). */
  countConversations(viewerId: string | null): Promise<ConversationCounts>;
  /** CONTRACT §7 search: live contacts matching `where` in `sort` order after `after`; each with its sort key (for the cursor). */
  searchContacts(q: ContactSearch): Promise<{ contact: ContactRecord; key: SortValue }[]>;
  /** How many live contacts match `where` (all of them when undefined). */
  countMatching(where: CheckedGroup | undefined, now: Date): Promise<number>;
  /** A search's total: exact when a leaf's index bounds it or the table is small, else estimated from a sample (domain/conditions/plan.ts). */
  estimateMatching(where: CheckedGroup | undefined, now: Date, plan?: SearchPlan): Promise<{ n: number; exact: boolean }>;
  listSegments(): Promise<SegmentRecord[]>;
  getSegment(id: string): Promise<SegmentRecord | undefined>;
  getJob(id: string): Promise<JobRecord | undefined>;
  getJobByClientId(clientId: string): Promise<JobRecord | undefined>;
  /** Ids of jobs still running (to resume after a restart). */
  runningJobIds(): Promise<string[]>;
  /** A job's frozen items after position `afterSeq`, in order. */
  jobItems(jobId: string, afterSeq: number, limit: number): Promise<{ seq: number; item: string }[]>;
}

/** `sort` must compile (domain/conditions/sort.ts); `fieldTypes` are resolved by the caller from its own unit. */
export type ContactSearch = { where?: CheckedGroup; now: Date; sort: SortSpec; after?: SortAfter; limit: number; plan?: SearchPlan };
export type SegmentRecord = { id: string; name: string; whereJson: string; createdAt: string; updatedAt: string };
export type JobStatus = 'running' | 'done' | 'failed';
export type JobError = { code: string; message: string; contactId?: string; row?: number; column?: string };
export type JobRecord = {
  id: string; kind: string; clientId: string; paramsJson: string; actorJson: string; status: JobStatus;
  done: number; total: number; errorCount: number; errors: JobError[]; resultJson: string | null; createdAt: string; finishedAt: string | null;
};

/** What a write unit may do: every read, plus the writes, all inside one transaction. */
export interface Tx extends Reader {
  /**
   * Runs fn in a nested unit (a SQL savepoint): a throw undoes only fn's writes and rethrows; the outer
   * transaction goes on. Used sequentially, never two at once on one handle.
   */
  savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;

  saveEventResult(scope: string, eventId: string, resultJson: string): Promise<void>;
  /** Deletes up to `limit` idempotency records created before `beforeIso`; answers how many went. */
  pruneEventResults(beforeIso: string, limit: number): Promise<number>;

  createToken(t: { hash: string; siteId: string; contactId: string }): Promise<number>;
  revokeToken(id: number): Promise<void>;
  repointTokens(fromContactId: string, toContactId: string): Promise<void>;
  /** Records the customer id this token's browser identified as; `proved` when its userHash was valid. */
  recordIdentify(id: number, customerId: string, proved: boolean): Promise<void>;
  /** Revokes every live token on the contact that did not prove `customerId`; answers their ids. */
  revokeUnprovenTokens(contactId: string, customerId: string): Promise<number[]>;

  insertContact(c: NewContact): Promise<void>;
  updateContact(id: string, cols: ContactColumns): Promise<void>;
  /** Sets (or, with null, removes) stored custom values by key. */
  setValues(contactId: string, values: Record<string, string | null>): Promise<void>;
  /** Inserts many contacts (seeding and imports); one write unit is one transaction. */
  importContacts(rows: ImportContact[]): Promise<void>;

  createTag(name: string, createdAt: string): Promise<TagRecord>;
  renameTag(id: number, name: string): Promise<void>;
  deleteTag(id: number): Promise<void>;
  attachTag(contactId: string, tagId: number): Promise<void>;
  detachTag(contactId: string, tagId: number): Promise<void>;

  createField(f: FieldDef): Promise<void>;
  renameField(key: string, name: string): Promise<void>;
  deleteField(key: string): Promise<void>;

  createConversation(c: { id: string; siteId: string; contactId: string; createdAt: string }): Promise<ConversationRecord>;
  moveConversations(fromContactId: string, toContactId: string): Promise<void>;
  markConversationRead(id: string, seq: number): Promise<void>;

  insertMessage(m: { conversationId: string; author: 'visitor' | 'agent'; text: string; createdAt: string; agentId?: string | null; agentName?: string | null }): Promise<MessageRecord>;
  /**
   * A sync message event's writes in one step (PostgreSQL: one statement, and one for every such call a unit issues
   * side by side): insertMessage (author visitor), the contact's lastSeenAt = createdAt, the event's stored result
   * `{ id: eventId, status: 'applied', seq }` under (scope, eventId), and the contact as it then stands.
   */
  visitorMessageEvent(e: VisitorMessageEvent): Promise<{ message: MessageRecord; contact: ContactRecord | undefined }>;

  saveSettingsJson(siteId: string, json: string): Promise<void>;
  /** Creates the site's row unless one exists (another instance may have just made it); answers whether this one did. */
  insertSettingsJson(siteId: string, json: string): Promise<boolean>;

  // --- the team (issue 11) ---
  /** Throws on a duplicate email (unique, case-insensitive). */
  insertAgent(a: Omit<AgentRecord, 'lastActiveAt'>): Promise<void>;
  updateAgent(id: string, cols: AgentColumns): Promise<void>;
  /** Records the founding owner; false when the team was already founded (nothing written). */
  foundTeam(ownerId: string, at: string): Promise<boolean>;
  /** Replaces any earlier setup token. */
  saveSetupToken(hash: string, at: string): Promise<void>;
  clearSetupTokens(): Promise<void>;
  createInvite(i: Omit<InviteRecord, 'usedAt'>): Promise<void>;
  /** Marks it used; false if it was already used (so two accepts cannot both win). */
  useInvite(hash: string, at: string): Promise<boolean>;
  createAgentSession(s: AgentSessionRecord): Promise<void>;
  touchAgentSession(hash: string, at: string): Promise<void>;
  deleteAgentSession(hash: string): Promise<void>;
  /** Deletes sessions idle since before `idleBefore` or created before `createdBefore` (dead anyway); answers how many. */
  pruneAgentSessions(idleBefore: string, createdBefore: string): Promise<number>;
  /** Ends every session of the agent but `keepHash`; answers how many ended. */
  deleteAgentSessions(agentId: string, keepHash?: string): Promise<number>;
  createApiToken(t: Omit<ApiTokenRecord, 'lastUsedAt' | 'revokedAt'>): Promise<void>;
  touchApiToken(id: string, at: string): Promise<void>;
  /** False when there was no live token with that id. */
  revokeApiToken(id: string, at: string): Promise<boolean>;
  /** Revokes the live API tokens the agent created (their author was disabled). */
  revokeApiTokensBy(agentId: string, at: string): Promise<number>;
  insertActivity(rows: Omit<ActivityRecord, 'id'>[]): Promise<void>;
  /** Deletes the contact's activity (erase: the trail holds old values — emails, phones — of the person). Answers how many. */
  deleteActivity(contactId: string): Promise<number>;
  setConversation(id: string, cols: { status?: 'open' | 'resolved'; assigneeId?: string | null }): Promise<void>;
  /** Moves the agent's own read marker forward (never back). */
  markReadBy(agentId: string, conversationId: string, seq: number): Promise<void>;

  createSegment(s: SegmentRecord): Promise<void>;
  updateSegment(id: string, patch: { name?: string; whereJson?: string; updatedAt: string }): Promise<void>;
  deleteSegment(id: string): Promise<void>;
  createJob(j: Omit<JobRecord, 'done' | 'total' | 'errorCount' | 'errors' | 'resultJson' | 'finishedAt' | 'status'>): Promise<void>;
  /** Appends items to a job (positions continue after its last); answers the job's new total. */
  addJobItems(jobId: string, items: string[]): Promise<number>;
  /** Freezes the ids of every live contact matching `where` as the job's items (in id order); answers the total. */
  freezeMatching(jobId: string, where: CheckedGroup | undefined, now: Date): Promise<number>;
  updateJob(id: string, patch: Partial<Pick<JobRecord, 'status' | 'done' | 'errorCount' | 'errors' | 'resultJson' | 'finishedAt'>>): Promise<void>;
  /** Drops a finished job's item list (its counts stay). */
  dropJobItems(jobId: string): Promise<void>;
}

export type WriteOptions = {
  /**
   * The group commit's durability contract: the COMMIT need not wait for the disk, and the caller awaits
   * syncToDisk() before acknowledging (or publishing) anything the unit wrote. Without it, write() resolves
   * only once the commit is durable.
   */
  syncLater?: boolean;
};

/**
 * The store. All access goes through units of work:
 * - `read(fn)`: fn sees committed data only (never a write in flight);
 * - `write(fn)`: fn runs in one transaction; it commits when fn's promise resolves and rolls back
 *   (every write, every cache entry it touched) when it rejects; the unit's promise settles after that.
 *   Concurrent write units behave as if run one after another (SQLite: one lock; PostgreSQL: SERIALIZABLE,
 *   retried on a serialization failure — so fn may run more than once and must do nothing but use tx).
 *
 * THE TRANSACTION RULE: inside fn, await nothing but the handle's own methods (and savepoints). No network,
 * no timers, no file I/O, no other unit (`store.read` / `store.write` inside fn deadlocks or sees other data).
 * A unit holds the engine's write lock (SQLite: the one connection) for as long as fn runs, so an outside
 * await stalls every request. The SQLite store enforces it: a unit still open at the next event-loop turn is
 * rolled back and rejects. Side effects (live events, answers) go after the unit, from what it returned.
 */
export interface Store {
  read<T>(fn: (r: Reader) => Promise<T>): Promise<T>;
  write<T>(fn: (tx: Tx) => Promise<T>, opts?: WriteOptions): Promise<T>;
  /** Resolves once every unit committed so far is on disk (SQLite: fdatasync of the write-ahead log off the main thread). */
  syncToDisk(): Promise<void>;
  /** Refreshes the query planner's statistics (after bulk imports). */
  analyze(): Promise<void>;
  close(): Promise<void>;
  /**
   * After an erase: leaves no copy of deleted rows in the engine's own files where it can (SQLite: the WAL is
   * checkpointed and truncated; secure_delete already zeroed the freed pages). PostgreSQL: a no-op (docs/PRIVACY.md).
   */
  scrub(): Promise<void>;
  /**
   * Each statement is a round trip, and a write unit's handle accepts statements issued together (PostgreSQL:
   * postgres.js pipelines them on the unit's connection): the group commit then runs independent jobs side by side.
   */
  pipelines?: boolean;
  /**
   * Other processes may work this database at once (PostgreSQL): the job runner then leases jobs per process. Unset
   * (SQLite, one process per file): a restarted server is the same owner and resumes its jobs at once.
   */
  shared?: boolean;
}

// issue 12 part 2: the schedule's, webhooks' and rules' methods (storage/automation-store.ts), merged in here
export interface Reader extends AutomationReader {}
export interface Tx extends AutomationTx {}

// issue 13: contact data in and out (storage/data-store.ts), merged in here
export interface Reader extends DataReader {}
export interface Tx extends DataTx {}

// issue 14 (multi): the job runner's cross-instance lease (storage/job-lease-store.ts), merged in here
export interface Reader extends JobLeaseReader {}
export interface Tx extends JobLeaseTx {}
