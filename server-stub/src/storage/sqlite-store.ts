// The SQLite engine of Store: WAL, synchronous=FULL except the sync path's group commit (NORMAL, then syncToDisk fdatasyncs the log before any answer), ordered migrations.
// The statements stay synchronous (better-sqlite3); sqlite-units.ts turns them into the interface's async units.
import Database from 'better-sqlite3';
import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ContactType } from '../domain/contact-type.js';
import { decodeFieldValue, type FieldType, type FieldValue } from '../domain/custom-fields.js';
import { createCheckpointer } from './checkpointer.js';
import { MIGRATIONS } from './migrations.js';
import type { OtherDetail } from '../domain/merge.js';
import { searchTerms, termRange } from '../domain/search-terms.js';
import type { ContactColumns, ContactFilter, ImportContact, ContactRecord, ConversationRecord, ConversationSummary, FieldDef, MessageRecord, Store, TokenRecord } from './store.js';
import { createUnits, type SyncOps } from './sqlite-units.js';
import { teamOps, UNREAD_MARK } from './sqlite-team.js';
import { automationOps } from './sqlite-automation.js';
import { conditionOps, registerConditionFunctions } from './sqlite-cond.js';
import { dataOps } from './sqlite-data.js';
import { jobLeaseOps } from './sqlite-jobs.js';

type Row = Record<string, any>;


const COLUMN_OF: Record<keyof ContactColumns, string> = {
  type: 'type', name: 'name', email: 'email', phone: 'phone', timezone: 'timezone', locale: 'locale',
  customerId: 'customer_id', verified: 'verified', note: 'note', lastSeenAt: 'last_seen_at',
  mergedInto: 'merged_into', possibleDuplicateOf: 'possible_duplicate_of', otherDetails: 'other_details',
};
// other details are a small JSON array in their own column: read with the row, no extra query per contact
const otherDetailsOf = (json: string | null): OtherDetail[] => (json ? JSON.parse(json) : []);
const otherDetailsJson = (list: OtherDetail[]): string | null => (list.length ? JSON.stringify(list) : null);
// lower-cased copies kept for indexed prefix search
const LOWER_OF: Partial<Record<keyof ContactColumns, string>> = { name: 'name_lc', email: 'email_lc', customerId: 'customer_id_lc' };

/** Opens (creating if needed) the database file and runs pending migrations. */
export function createSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // an erased contact's bytes are overwritten with zeros, not left in free pages (CONTRACT §9, docs/PRIVACY.md)
  db.pragma('secure_delete = ON');
  // savepoint journals in memory: past 64 KiB SQLite spills them to a temp file, and an import row or bulk item in its
  // own savepoint touches more than that (~30 pages), so every savepoint wrote and read a file (issue 13 bench)
  db.pragma('temp_store = MEMORY');
  migrate(db);
  registerConditionFunctions(db);

  const cache = new Map<string, Database.Statement>();
  const st = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  // group commit: COMMIT with synchronous=NORMAL writes the WAL without fsync; syncToDisk() then fsyncs it in
  // libuv's thread pool, so the event loop keeps parsing requests while the disk works (acks still wait for it)
  const relaxed = db.prepare('PRAGMA synchronous = NORMAL');
  const strict = db.prepare('PRAGMA synchronous = FULL');
  let walFd: number | null = null;
  const wal = () => {
    if (walFd === null) {
      walFd = openSync(`${file}-wal`, 'r+');
      // the log file's directory entry must be durable too (once, when first opened)
      const dir = openSync(dirname(file), 'r');
      try { fsyncSync(dir); } finally { closeSync(dir); }
    }
    return walFd;
  };
  const checkpoints = file === ':memory:' ? null : createCheckpointer(db, file);
  // Read-through caches of the rows every /v1/sync request reads (its token, its contact), kept equal to the
  // database by the writes below: a write patches or drops its entry, a rollback drops them all.
  const CACHE_MAX = 20_000;
  const tokenByHash = new Map<string, TokenRecord>();
  const tokenById = new Map<number, TokenRecord>();
  const contactById = new Map<string, ContactRecord>();
  const forget = () => {
    tokenByHash.clear();
    tokenById.clear();
    contactById.clear();
  };
  const toToken = (r: Row | undefined): TokenRecord | undefined => r && { id: r.id, siteId: r.site_id, contactId: r.contact_id, revoked: r.revoked_at !== null, provedCustomerId: r.proved_customer_id ?? null, claimedCustomerId: r.claimed_customer_id ?? null };
  const remember = <K, V>(map: Map<K, V>, key: K, value: V | undefined): V | undefined => {
    if (value === undefined) return value;
    if (map.size >= CACHE_MAX) map.clear();
    map.set(key, value);
    return value;
  };
  // callers get their own copy: a cached row is never shared with (or changed under) a caller
  const copyContact = (c: ContactRecord): ContactRecord => ({ ...c, custom: { ...c.custom }, tags: [...c.tags], otherDetails: [...c.otherDetails] });
  let fieldTypes: Map<string, FieldType> | null = null;
  const typesOfFields = () => (fieldTypes ??= new Map((st('SELECT key, type FROM custom_fields').all() as Row[]).map((r) => [r.key, r.type])));

  function hydrate(rows: Row[]): ContactRecord[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const marks = ids.map(() => '?').join(',');
    const custom = new Map<string, Record<string, FieldValue>>(ids.map((id) => [id, {}]));
    const tags = new Map<string, string[]>(ids.map((id) => [id, []]));
    const types = typesOfFields();
    for (const v of st(`SELECT contact_id, key, value FROM contact_values WHERE contact_id IN (${marks}) ORDER BY key`).all(...ids) as Row[]) {
      const t = types.get(v.key);
      if (t) custom.get(v.contact_id)![v.key] = decodeFieldValue(t, v.value);
    }
    for (const t of st(`SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id IN (${marks}) ORDER BY t.name_lc`).all(...ids) as Row[]) {
      tags.get(t.contact_id)!.push(t.name);
    }
    return rows.map((r) => ({
      id: r.id, siteId: r.site_id, type: r.type, name: r.name, email: r.email, phone: r.phone, timezone: r.timezone,
      locale: r.locale, customerId: r.customer_id, verified: r.verified === 1, note: r.note, createdAt: r.created_at,
      lastSeenAt: r.last_seen_at, mergedInto: r.merged_into, possibleDuplicateOf: r.possible_duplicate_of,
      otherDetails: otherDetailsOf(r.other_details),
      custom: custom.get(r.id)!, tags: tags.get(r.id)!,
    }));
  }

  // A selective filter (few matching ids) drives the query through its own index. Otherwise a tag
  // filter walks that tag's (tag_id, last_seen_at, contact_id) index newest-first — the list order —
  // and probes the rest; with no tag we walk the contacts' (last_seen_at, id) index. Either walk stops
  // after one page. For "tag A and tag B" probing both from the contacts index read ~8,500 rows at 1M
  // for one page; walking one tag reads a few hundred.
  const DRIVE_MAX = 5000;
  type Plan = { from: string; where: string; args: unknown[]; order: string };
  function planOf(f: ContactFilter, withCursor: boolean, alwaysDrive = false): Plan {
    const parts = ['c.merged_into IS NULL'];
    const args: unknown[] = [];
    if (f.type) { parts.push('c.type = ?'); args.push(f.type); }
    type Cond = { ids: string; probe: string; args: unknown[]; tagId?: number };
    const conds: Cond[] = [];
    for (const id of f.tagIds ?? [])
      conds.push({ ids: 'SELECT contact_id FROM contact_tags WHERE tag_id = ?', probe: 'EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag_id = ?)', args: [id], tagId: id });
    for (const v of f.values ?? [])
      conds.push({ ids: 'SELECT contact_id FROM contact_values WHERE key = ? AND value = ?', probe: 'EXISTS (SELECT 1 FROM contact_values v WHERE v.key = ? AND v.value = ? AND v.contact_id = c.id)', args: [v.key, v.value] });
    if (f.q) {
      const range = termRange(f.q);
      conds.push({
        ids: 'SELECT contact_id FROM contact_terms WHERE term >= ? AND term < ?',
        probe: 'EXISTS (SELECT 1 FROM contact_terms s WHERE s.contact_id = c.id AND s.term >= ? AND s.term < ?)',
        args: range,
      });
    }
    let driver: Cond | undefined;
    // counting needs every match anyway: the smallest set always drives
    let best = alwaysDrive ? Infinity : DRIVE_MAX + 1;
    for (const cond of conds) {
      const n = (st(`SELECT count(*) AS n FROM (${cond.ids} LIMIT ${DRIVE_MAX + 1})`).get(...cond.args) as Row).n as number;
      if (n < best) { best = n; driver = cond; }
    }
    // A tag walks its recency index rather than feeding "id IN (...)" + a sort: it reads rows already
    // in list order and stops after a page, and reads no more than the IN list when little matches.
    // With no selective filter the first tag named walks (the bounded counts cannot rank two common
    // tags; walking the commoner one of vip ∧ billing reads ~1,000 rows instead of ~420, still a few ms).
    // Counting reads every match anyway and keeps the IN form.
    const walk = alwaysDrive ? undefined : driver ? (driver.tagId !== undefined ? driver : undefined) : conds.find((c) => c.tagId !== undefined);
    for (const cond of conds) {
      if (cond === walk) continue;
      parts.push(cond === driver ? `c.id IN (${cond.ids})` : cond.probe);
      args.push(...cond.args);
    }
    if (walk) {
      // the row-value comparison lets SQLite seek straight to the cursor in the tag's index
      const where = ['d.tag_id = ?', 'c.id = d.contact_id', ...parts];
      const wargs: unknown[] = [walk.tagId, ...args];
      if (withCursor && f.after) { where.push('(d.last_seen_at, d.contact_id) < (?, ?)'); wargs.push(f.after.lastSeenAt, f.after.id); }
      return { from: 'contact_tags d CROSS JOIN contacts c', where: where.join(' AND '), args: wargs, order: 'd.last_seen_at DESC, d.contact_id DESC' };
    }
    if (withCursor && f.after) {
      parts.push('(c.last_seen_at < ? OR (c.last_seen_at = ? AND c.id < ?))');
      args.push(f.after.lastSeenAt, f.after.lastSeenAt, f.after.id);
    }
    return { from: 'contacts c', where: parts.join(' AND '), args, order: 'c.last_seen_at DESC, c.id DESC' };
  }

  /** Rebuilds a contact's search terms from its row (none for a tombstone). */
  function reindexTerms(id: string) {
    st('DELETE FROM contact_terms WHERE contact_id = ?').run(id);
    const r = st('SELECT name, email, phone, customer_id, merged_into, other_details FROM contacts WHERE id = ?').get(id) as Row | undefined;
    if (!r || r.merged_into) return;
    for (const t of searchTerms({ name: r.name, email: r.email, phone: r.phone, customerId: r.customer_id, otherDetails: otherDetailsOf(r.other_details) })) st('INSERT OR IGNORE INTO contact_terms (term, contact_id) VALUES (?, ?)').run(t, id);
  }

  const toConversation = (r: Row): ConversationRecord => ({
    id: r.id, siteId: r.site_id, contactId: r.contact_id, createdAt: r.created_at, lastMessageAt: r.last_message_at,
    lastMessageSeq: r.last_message_seq, agentReadSeq: r.agent_read_seq, status: r.status, assigneeId: r.assignee_id,
  });
  const toMessage = (r: Row): MessageRecord => ({ seq: r.seq, conversationId: r.conversation_id, author: r.author, text: r.text, createdAt: r.created_at, agentId: r.agent_id ?? null, agentName: r.agent_name ?? null });
  // unread by the viewer's own read marker when one is given (issue 11), else by the shared one
  const summarySql = (viewer: boolean) => `SELECT cv.*, c.name AS c_name, c.type AS c_type, c.email AS c_email, c.possible_duplicate_of AS c_dup,
      m.seq AS m_seq, m.author AS m_author, m.text AS m_text, m.created_at AS m_created_at, m.agent_id AS m_agent_id, m.agent_name AS m_agent_name,
      (SELECT count(*) FROM messages u WHERE u.conversation_id = cv.id AND u.seq > ${UNREAD_MARK(viewer)} AND u.author = 'visitor') AS unread
    FROM conversations cv JOIN contacts c ON c.id = cv.contact_id LEFT JOIN messages m ON m.seq = cv.last_message_seq`;
  const toSummary = (r: Row): ConversationSummary => ({
    ...toConversation(r),
    contact: { id: r.contact_id, name: r.c_name, type: r.c_type, email: r.c_email, possibleDuplicateOf: r.c_dup ?? null },
    lastMessage: r.m_seq ? { seq: r.m_seq, conversationId: r.id, author: r.m_author, text: r.m_text, createdAt: r.m_created_at, agentId: r.m_agent_id, agentName: r.m_agent_name } : null,
    unread: r.unread,
  });

  const syncToDisk = (): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        if (file === ':memory:' || !db.open) return resolve();
        let fd: number;
        try {
          fd = wal();
        } catch {
          // no log file to fsync (should not happen after a commit): a full checkpoint writes and syncs the database file
          db.pragma('wal_checkpoint(FULL)');
          return resolve();
        }
        // fdatasync: the log's data (and its size when it grew), not its timestamps — what SQLite itself uses
        fdatasync(fd, (err) => {
          if (err) return reject(err);
          const settled = checkpoints?.settle();
          if (settled) settled.then(resolve, reject); // a failed checkpoint must fail the sync, never leave it pending
          else resolve();
        });
      });

  const ops: SyncOps = {
    getEventResult: (scope, eventId) => (st('SELECT result FROM processed_events WHERE scope = ? AND event_id = ?').get(scope, eventId) as Row | undefined)?.result,
    saveEventResult: (scope, eventId, json) => void st('INSERT INTO processed_events (scope, event_id, result, created_at) VALUES (?, ?, ?, ?)').run(scope, eventId, json, new Date().toISOString()),
    pruneEventResults: (beforeIso, limit) =>
      st(`DELETE FROM processed_events WHERE (scope, event_id) IN
        (SELECT scope, event_id FROM processed_events WHERE created_at < ? ORDER BY created_at LIMIT ?)`).run(beforeIso, limit).changes,

    createToken: (t) => Number(st('INSERT INTO tokens (hash, site_id, contact_id, created_at) VALUES (?, ?, ?, ?)').run(t.hash, t.siteId, t.contactId, new Date().toISOString()).lastInsertRowid),
    findToken: (hash) =>
      tokenByHash.get(hash) ?? remember(tokenByHash, hash, toToken(st('SELECT id, site_id, contact_id, revoked_at, proved_customer_id, claimed_customer_id FROM tokens WHERE hash = ?').get(hash) as Row | undefined)),
    findTokenById: (id) =>
      tokenById.get(id) ?? remember(tokenById, id, toToken(st('SELECT id, site_id, contact_id, revoked_at, proved_customer_id, claimed_customer_id FROM tokens WHERE id = ?').get(id) as Row | undefined)),
    // revocation and merges are rare: dropping every cached token is simpler than finding its entries
    revokeToken: (id) => {
      st('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id);
      tokenByHash.clear();
      tokenById.clear();
    },
    repointTokens: (from, to) => {
      st('UPDATE tokens SET contact_id = ? WHERE contact_id = ?').run(to, from);
      tokenByHash.clear();
      tokenById.clear();
    },

    recordIdentify: (id, customerId, proved) => {
      if (proved) st('UPDATE tokens SET proved_customer_id = ?, claimed_customer_id = ? WHERE id = ?').run(customerId, customerId, id);
      else st('UPDATE tokens SET claimed_customer_id = ? WHERE id = ?').run(customerId, id);
      tokenByHash.clear();
      tokenById.clear();
    },
    revokeUnprovenTokens: (contactId, customerId) => {
      const rows = st('SELECT id FROM tokens WHERE contact_id = ? AND revoked_at IS NULL AND proved_customer_id IS NOT ?').all(contactId, customerId) as Row[];
      if (!rows.length) return [];
      st('UPDATE tokens SET revoked_at = ? WHERE contact_id = ? AND revoked_at IS NULL AND proved_customer_id IS NOT ?').run(new Date().toISOString(), contactId, customerId);
      tokenByHash.clear();
      tokenById.clear();
      return rows.map((r) => r.id as number);
    },
    insertContact: (c) => {
      st('INSERT INTO contacts (id, site_id, type, timezone, locale, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(c.id, c.siteId, c.type, c.timezone, c.locale, c.createdAt, c.createdAt);
      contactById.delete(c.id);
    },
    getContact: (id) => {
      const c = contactById.get(id) ?? remember(contactById, id, hydrate(st('SELECT * FROM contacts WHERE id = ?').all(id) as Row[])[0]);
      return c && copyContact(c);
    },
    getContactBrief: (id) => {
      const c = contactById.get(id);
      if (c) return { id: c.id, siteId: c.siteId, mergedInto: c.mergedInto };
      const r = st('SELECT id, site_id, merged_into FROM contacts WHERE id = ?').get(id) as Row | undefined;
      return r && { id: r.id, siteId: r.site_id, mergedInto: r.merged_into };
    },
    // in-process: the four reads one after another cost microseconds
    eventContext: (q) => ({
      seen: ops.getEventResult(q.scope, q.eventId),
      token: ops.findTokenById(q.tokenId),
      brief: ops.getContactBrief(q.contactId),
      conv: q.conversationId ? ops.getConversation(q.conversationId) : ops.latestConversation(q.contactId),
    }),
    updateContact: (id, cols) => {
      const sets: string[] = [];
      const args: unknown[] = [];
      for (const [k, v] of Object.entries(cols) as [keyof ContactColumns, unknown][]) {
        if (v === undefined) continue;
        sets.push(`${COLUMN_OF[k]} = ?`);
        args.push(k === 'verified' ? (v ? 1 : 0) : k === 'otherDetails' ? otherDetailsJson(v as OtherDetail[]) : v);
        const lower = LOWER_OF[k];
        if (lower) { sets.push(`${lower} = ?`); args.push(typeof v === 'string' ? v.toLowerCase() : null); }
      }
      if (sets.length) st(`UPDATE contacts SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
      const cached = contactById.get(id);
      if (cached) {
        const next: ContactRecord = { ...cached };
        for (const [k, v] of Object.entries(cols) as [keyof ContactColumns, unknown][]) if (v !== undefined) (next as Record<string, unknown>)[k] = k === 'verified' ? Boolean(v) : v;
        contactById.set(id, next);
      }
      if (cols.name !== undefined || cols.email !== undefined || cols.phone !== undefined || cols.customerId !== undefined || cols.otherDetails !== undefined || cols.mergedInto) reindexTerms(id);
    },
    setValues: (contactId, values) => {
      contactById.delete(contactId);
      for (const [key, value] of Object.entries(values)) {
        if (value === null) st('DELETE FROM contact_values WHERE contact_id = ? AND key = ?').run(contactId, key);
        else st('INSERT INTO contact_values (contact_id, key, value, value_lc) VALUES (?, ?, ?, ?) ON CONFLICT (contact_id, key) DO UPDATE SET value = excluded.value, value_lc = excluded.value_lc').run(contactId, key, value, value.toLowerCase());
      }
    },
    findCustomer: (siteId, customerId) =>
      hydrate(st('SELECT * FROM contacts WHERE site_id = ? AND customer_id = ? AND merged_into IS NULL ORDER BY verified DESC, created_at, id LIMIT 1').all(siteId, customerId) as Row[])[0],
    findSameDetails: (excludeId, email, phone) => {
      if (email) {
        const r = st('SELECT id FROM contacts WHERE email_lc = ? AND merged_into IS NULL AND id != ? ORDER BY (type = \'customer\') DESC LIMIT 1').get(email.toLowerCase(), excludeId) as Row | undefined;
        if (r) return r.id;
      }
      if (phone) {
        const r = st('SELECT id FROM contacts WHERE phone = ? AND merged_into IS NULL AND id != ? ORDER BY (type = \'customer\') DESC LIMIT 1').get(phone, excludeId) as Row | undefined;
        if (r) return r.id;
      }
      return undefined;
    },
    importContacts: (rows: ImportContact[]) => {
      const insert = st(`INSERT INTO contacts (id, site_id, type, name, email, phone, timezone, locale, customer_id, verified, note, created_at, last_seen_at, name_lc, email_lc, customer_id_lc)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const value = st('INSERT INTO contact_values (contact_id, key, value, value_lc) VALUES (?, ?, ?, ?)');
      const tag = st('INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?, ?)');
      const term = st('INSERT OR IGNORE INTO contact_terms (term, contact_id) VALUES (?, ?)');
      for (const r of rows) {
        insert.run(r.id, r.siteId, r.type, r.name, r.email, r.phone, r.timezone, r.locale, r.customerId, r.verified ? 1 : 0, r.note, r.createdAt, r.lastSeenAt,
          r.name?.toLowerCase() ?? null, r.email?.toLowerCase() ?? null, r.customerId?.toLowerCase() ?? null);
        for (const [k, v] of Object.entries(r.values)) value.run(r.id, k, v, v.toLowerCase());
        for (const t of r.tagIds) tag.run(r.id, t);
        for (const t of searchTerms(r)) term.run(t, r.id);
        // new ids only: clearing the whole cache here made every widget sync re-read its contact during an import
        contactById.delete(r.id);
      }
    },
    listContacts: (f) => {
      const p = planOf(f, true);
      return hydrate(st(`SELECT c.* FROM ${p.from} WHERE ${p.where} ORDER BY ${p.order} LIMIT ?`).all(...p.args, f.limit ?? 50) as Row[]);
    },
    countContacts: (f) => {
      const p = planOf(f, false, true);
      const out: Record<ContactType, number> = { guest: 0, lead: 0, customer: 0 };
      for (const r of st(`SELECT c.type, count(*) AS n FROM ${p.from} WHERE ${p.where} GROUP BY c.type`).all(...p.args) as Row[]) out[r.type as ContactType] = r.n;
      return out;
    },

    listTags: () =>
      (st(`SELECT t.id, t.name, t.created_at, (SELECT count(*) FROM contact_tags ct WHERE ct.tag_id = t.id) AS n FROM tags t ORDER BY t.name_lc`).all() as Row[]).map((r) => ({
        id: r.id, name: r.name, createdAt: r.created_at, contactCount: r.n,
      })),
    getTagByKey: (key) => {
      const r = st('SELECT id, name, created_at FROM tags WHERE name_lc = ?').get(key) as Row | undefined;
      return r && { id: r.id, name: r.name, createdAt: r.created_at };
    },
    createTag: (name, createdAt) => {
      const id = Number(st('INSERT INTO tags (name, name_lc, created_at) VALUES (?, ?, ?)').run(name, name.toLowerCase(), createdAt).lastInsertRowid);
      return { id, name, createdAt };
    },
    renameTag: (id, name) => {
      st('UPDATE tags SET name = ?, name_lc = ? WHERE id = ?').run(name, name.toLowerCase(), id);
      contactById.clear();
    },
    deleteTag: (id) => {
      contactById.clear();
      st('DELETE FROM contact_tags WHERE tag_id = ?').run(id);
      st('DELETE FROM tags WHERE id = ?').run(id);
    },
    attachTag: (contactId, tagId) => {
      st('INSERT OR IGNORE INTO contact_tags (contact_id, tag_id) VALUES (?, ?)').run(contactId, tagId);
      contactById.delete(contactId);
    },
    detachTag: (contactId, tagId) => {
      st('DELETE FROM contact_tags WHERE contact_id = ? AND tag_id = ?').run(contactId, tagId);
      contactById.delete(contactId);
    },

    listFields: () =>
      (st(`SELECT f.*, (SELECT count(*) FROM contact_values v WHERE v.key = f.key) AS n FROM custom_fields f ORDER BY f.created_at, f.key`).all() as Row[]).map((r) => ({
        key: r.key, name: r.name, type: r.type, createdAt: r.created_at, contactCount: r.n,
      })),
    getField: (key) => {
      const r = st('SELECT * FROM custom_fields WHERE key = ?').get(key) as Row | undefined;
      return r && ({ key: r.key, name: r.name, type: r.type, createdAt: r.created_at } satisfies FieldDef);
    },
    createField: (f) => {
      st('INSERT INTO custom_fields (key, name, type, created_at) VALUES (?, ?, ?, ?)').run(f.key, f.name, f.type, f.createdAt);
      fieldTypes = null;
      contactById.clear();
    },
    renameField: (key, name) => void st('UPDATE custom_fields SET name = ? WHERE key = ?').run(name, key),
    deleteField: (key) => {
      st('DELETE FROM contact_values WHERE key = ?').run(key);
      st('DELETE FROM custom_fields WHERE key = ?').run(key);
      fieldTypes = null;
      contactById.clear();
    },

    getConversation: (id) => {
      const r = st('SELECT * FROM conversations WHERE id = ?').get(id) as Row | undefined;
      return r && toConversation(r);
    },
    latestConversation: (contactId) => {
      const r = st('SELECT * FROM conversations WHERE contact_id = ? ORDER BY last_message_at DESC, id DESC LIMIT 1').get(contactId) as Row | undefined;
      return r && toConversation(r);
    },
    createConversation: (c) => {
      st('INSERT INTO conversations (id, site_id, contact_id, created_at, last_message_at) VALUES (?, ?, ?, ?, ?)').run(c.id, c.siteId, c.contactId, c.createdAt, c.createdAt);
      return { ...c, lastMessageAt: c.createdAt, lastMessageSeq: 0, agentReadSeq: 0, status: 'open', assigneeId: null };
    },
    listConversations: ({ after, contactId, limit, view, viewerId }) => {
      const conds: string[] = [];
      const args: unknown[] = viewerId !== undefined ? [viewerId] : [];
      if (view?.status) {
        conds.push('cv.status = ?');
        args.push(view.status);
      }
      if (view?.assignee === 'none') conds.push('cv.assignee_id IS NULL');
      else if (view?.assignee) {
        conds.push('cv.assignee_id = ?');
        args.push(view.assignee);
      }
      if (contactId !== undefined) {
        conds.push('cv.contact_id = ?');
        args.push(contactId);
      }
      if (after) {
        conds.push('(cv.last_message_at < ? OR (cv.last_message_at = ? AND cv.id < ?))');
        args.push(after.lastMessageAt, after.lastMessageAt, after.id);
      }
      const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
      return (st(`${summarySql(viewerId !== undefined)} ${where} ORDER BY cv.last_message_at DESC, cv.id DESC LIMIT ?`).all(...args, limit) as Row[]).map(toSummary);
    },
    summarizeConversation: (id, viewerId) => {
      const r = st(`${summarySql(viewerId !== undefined)} WHERE cv.id = ?`).get(...(viewerId !== undefined ? [viewerId] : []), id) as Row | undefined;
      return r && toSummary(r);
    },
    moveConversations: (from, to) => void st('UPDATE conversations SET contact_id = ? WHERE contact_id = ?').run(to, from),
    markConversationRead: (id, seq) => void st('UPDATE conversations SET agent_read_seq = max(agent_read_seq, ?) WHERE id = ?').run(seq, id),

    insertMessage: (m) => {
      const seq = Number(st('INSERT INTO messages (conversation_id, author, text, created_at, agent_id, agent_name) VALUES (?, ?, ?, ?, ?, ?)').run(m.conversationId, m.author, m.text, m.createdAt, m.agentId ?? null, m.agentName ?? null).lastInsertRowid);
      st('UPDATE conversations SET last_message_at = ?, last_message_seq = ? WHERE id = ?').run(m.createdAt, seq, m.conversationId);
      return { seq, ...m, agentId: m.agentId ?? null, agentName: m.agentName ?? null };
    },
    // in-process: the same steps one after another (PostgreSQL folds them into one statement)
    visitorMessageEvent: (e) => {
      const message = ops.insertMessage({ conversationId: e.conversationId, author: 'visitor', text: e.text, createdAt: e.createdAt });
      ops.updateContact(e.contactId, { lastSeenAt: e.createdAt });
      ops.saveEventResult(e.scope, e.eventId, JSON.stringify({ id: e.eventId, status: 'applied', seq: message.seq }));
      return { message, contact: ops.getContact(e.contactId) };
    },
    getMessage: (seq) => {
      const r = st('SELECT * FROM messages WHERE seq = ?').get(seq) as Row | undefined;
      return r && toMessage(r);
    },
    messagesForContact: (contactId, afterSeq, limit) =>
      (st(`SELECT m.* FROM messages m WHERE m.conversation_id IN (SELECT id FROM conversations WHERE contact_id = ?) AND m.seq > ? ORDER BY m.seq LIMIT ?`).all(contactId, afterSeq, limit) as Row[]).map(toMessage),
    messagesForConversation: (conversationId, afterSeq, limit) =>
      (st('SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(conversationId, afterSeq, limit) as Row[]).map(toMessage),
    messagesAfter: (afterSeq, limit) =>
      (st('SELECT m.*, cv.contact_id FROM messages m JOIN conversations cv ON cv.id = m.conversation_id WHERE m.seq > ? ORDER BY m.seq LIMIT ?').all(afterSeq, limit) as Row[]).map((r) => ({ ...toMessage(r), contactId: r.contact_id })),

    getSettingsJson: (siteId) => (st('SELECT json FROM settings WHERE site_id = ?').get(siteId) as Row | undefined)?.json,
    saveSettingsJson: (siteId, json) => void st('INSERT INTO settings (site_id, json) VALUES (?, ?) ON CONFLICT (site_id) DO UPDATE SET json = excluded.json').run(siteId, json),
    insertSettingsJson: (siteId, json) => st('INSERT INTO settings (site_id, json) VALUES (?, ?) ON CONFLICT (site_id) DO NOTHING').run(siteId, json).changes === 1,
    ...teamOps(st),
    ...automationOps(st),
    ...conditionOps(db, st, hydrate, typesOfFields),

    ...dataOps(st, { hydrate, forget }),
    ...jobLeaseOps(st),

  };
  return createUnits(db, ops, {
    // the caches may hold rows of rolled-back writes
    forget,
    relaxed: file === ':memory:' ? null : { on: relaxed, off: strict },
    committed: () => checkpoints?.committed(),
    syncToDisk,
    analyze: () => void db.exec('ANALYZE'),
    // TRUNCATE: the log's frames (old page images, erased rows among them) are copied back and the file cut to zero
    checkpointTruncate: () => file === ':memory:' || (db.pragma('wal_checkpoint(TRUNCATE)') as Row[])[0].busy === 0,
    close: () => {
      checkpoints?.close();
      if (walFd !== null) closeSync(walFd);
      walFd = null;
      if (!db.open) return;
      db.pragma('optimize');
      db.close();
    },
  });
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      const m = MIGRATIONS[v];
      if (typeof m === 'string') db.exec(m);
      else m(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
