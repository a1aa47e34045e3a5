// The PostgreSQL statements behind every Reader / Tx method, written against one query function (the pool for a
// read unit, the transaction's connection for a write unit). The SQL mirrors sqlite-store.ts statement for statement,
// `?` placeholders included (pg-store.ts numbers them), so the two engines are easy to compare; where they differ
// (RETURNING instead of lastInsertRowid, ON CONFLICT DO NOTHING, GREATEST, = ANY(array), the seq lock) it says why.
// No read-through caches: another instance may have changed any row, and a revoked token must be refused everywhere.
import type { ContactType } from '../domain/contact-type.js';
import { decodeFieldValue, type FieldType, type FieldValue } from '../domain/custom-fields.js';
import type { OtherDetail } from '../domain/merge.js';
import { searchTerms, termRange } from '../domain/search-terms.js';
import { pgDataOps } from './pg-data.js';
import { PG_UNREAD_MARK, pgTeamOps } from './pg-team.js';
import { pgAutomationOps } from './pg-automation.js';
import { pgConditionOps } from './pg-cond.js';
import { pgJobLeaseOps } from './pg-jobs.js';
import type { ContactColumns, ContactFilter, ContactRecord, ConversationRecord, ConversationSummary, FieldDef, ImportContact, MessageRecord, Tx, TokenRecord } from './store.js';

type Row = Record<string, any>;
/**
 * Runs one statement with `?` placeholders; answers its rows and, for writes, how many rows it touched. `prepare: false`
 * plans it with its actual parameters every time (for list queries, whose best plan depends on how common a value is).
 */
export type Query = (text: string, args?: unknown[], opts?: { prepare?: boolean }) => Promise<Row[] & { count: number }>;
/** Every Tx method but savepoint and visitorMessageEvent (pg-store.ts adds them; the latter from pg-wave.ts). */
export type PgOps = Omit<Tx, 'savepoint' | 'visitorMessageEvent'>;

/** The transaction-level advisory lock key that orders message seqs (see insertMessage). */
export const SEQ_LOCK = 7301;
/** Test-only: drops the seq lock, so the ordering test can prove it fails without it. Never set in production. */
export const pgTestSwitches = { skipSeqLock: false };

const COLUMN_OF: Record<keyof ContactColumns, string> = {
  type: 'type', name: 'name', email: 'email', phone: 'phone', timezone: 'timezone', locale: 'locale',
  customerId: 'customer_id', verified: 'verified', note: 'note', lastSeenAt: 'last_seen_at',
  mergedInto: 'merged_into', possibleDuplicateOf: 'possible_duplicate_of', otherDetails: 'other_details',
};
const LOWER_OF: Partial<Record<keyof ContactColumns, string>> = { name: 'name_lc', email: 'email_lc', customerId: 'customer_id_lc' };
const otherDetailsOf = (json: string | null): OtherDetail[] => (json ? JSON.parse(json) : []);
const otherDetailsJson = (list: OtherDetail[]): string | null => (list.length ? JSON.stringify(list) : null);
export const TOKEN_COLS = 'id, site_id, contact_id, revoked_at, proved_customer_id, claimed_customer_id';
export const toToken = (r: Row | undefined): TokenRecord | undefined =>
  r && { id: r.id, siteId: r.site_id, contactId: r.contact_id, revoked: r.revoked_at !== null, provedCustomerId: r.proved_customer_id ?? null, claimedCustomerId: r.claimed_customer_id ?? null };
export const toConversation = (r: Row): ConversationRecord => ({
  id: r.id, siteId: r.site_id, contactId: r.contact_id, createdAt: r.created_at, lastMessageAt: r.last_message_at,
  lastMessageSeq: r.last_message_seq, agentReadSeq: r.agent_read_seq, status: r.status, assigneeId: r.assignee_id,
});
const toMessage = (r: Row): MessageRecord => ({ seq: r.seq, conversationId: r.conversation_id, author: r.author, text: r.text, createdAt: r.created_at, agentId: r.agent_id ?? null, agentName: r.agent_name ?? null });
// unread by the viewer's own read marker when one is given (issue 11), else by the shared one
const summarySql = (viewer: boolean) => `SELECT cv.*, c.name AS c_name, c.type AS c_type, c.email AS c_email, c.possible_duplicate_of AS c_dup,
    m.seq AS m_seq, m.author AS m_author, m.text AS m_text, m.created_at AS m_created_at, m.agent_id AS m_agent_id, m.agent_name AS m_agent_name,
    (SELECT count(*) FROM messages u WHERE u.conversation_id = cv.id AND u.seq > ${PG_UNREAD_MARK(viewer)} AND u.author = 'visitor') AS unread
  FROM conversations cv JOIN contacts c ON c.id = cv.contact_id LEFT JOIN messages m ON m.seq = cv.last_message_seq`;
const toSummary = (r: Row): ConversationSummary => ({
  ...toConversation(r),
  contact: { id: r.contact_id, name: r.c_name, type: r.c_type, email: r.c_email, possibleDuplicateOf: r.c_dup ?? null },
  lastMessage: r.m_seq ? { seq: r.m_seq, conversationId: r.id, author: r.m_author, text: r.m_text, createdAt: r.m_created_at, agentId: r.m_agent_id, agentName: r.m_agent_name } : null,
  unread: r.unread,
});
export const toContact = (r: Row, custom: Record<string, FieldValue>, tags: string[]): ContactRecord => ({
  id: r.id, siteId: r.site_id, type: r.type, name: r.name, email: r.email, phone: r.phone, timezone: r.timezone,
  locale: r.locale, customerId: r.customer_id, verified: r.verified === 1, note: r.note, createdAt: r.created_at,
  lastSeenAt: r.last_seen_at, mergedInto: r.merged_into, possibleDuplicateOf: r.possible_duplicate_of,
  otherDetails: otherDetailsOf(r.other_details),
  custom, tags,
});
const now = () => new Date().toISOString();
const DRIVE_MAX = 5000;

export function pgOps(q: Query): PgOps {
  const one = async (text: string, args?: unknown[]) => (await q(text, args))[0];

  async function hydrate(rows: Row[]): Promise<ContactRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id as string);
    const custom = new Map<string, Record<string, FieldValue>>(ids.map((id) => [id, {}]));
    const tags = new Map<string, string[]>(ids.map((id) => [id, []]));
    // the field's type comes with the value (no per-process cache of field types); issued together: one round trip (pipelined in a unit, two pool connections in a read)
    const [values, tagRows] = await Promise.all([
      q('SELECT v.contact_id, v.key, v.value, f.type FROM contact_values v JOIN custom_fields f ON f.key = v.key WHERE v.contact_id = ANY(?::text[]) ORDER BY v.key', [ids]),
      q('SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ANY(?::text[]) ORDER BY t.name_lc', [ids]),
    ]);
    for (const v of values) custom.get(v.contact_id)![v.key] = decodeFieldValue(v.type as FieldType, v.value);
    for (const t of tagRows) tags.get(t.contact_id)!.push(t.name);
    return rows.map((r) => toContact(r, custom.get(r.id)!, tags.get(r.id)!));
  }

  /**
   * A list page with each contact's custom values and tags folded in as JSON: one round trip where hydrate() takes three
   * (on a loaded machine every round trip waits for the backend to be scheduled). `page` selects `c.*`; the answer is
   * in list order (newest activity first), sorted here: an outer ORDER BY would add a Sort node over the page.
   */
  async function listPage(page: string, args: unknown[]): Promise<ContactRecord[]> {
    const rows = await q(`SELECT p.*,
        (SELECT coalesce(json_agg(json_build_array(v.key, v.value, f.type) ORDER BY v.key), '[]'::json) FROM contact_values v JOIN custom_fields f ON f.key = v.key WHERE v.contact_id = p.id) AS x_values,
        (SELECT coalesce(json_agg(t.name ORDER BY t.name_lc), '[]'::json) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = p.id) AS x_tags
      FROM (${page}) p`, args, { prepare: false });
    // last_seen_at and ids are ASCII: JS order is the "C" collation's
    rows.sort((a, b) => (a.last_seen_at === b.last_seen_at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.last_seen_at < b.last_seen_at ? 1 : -1));
    const json = <T>(x: unknown): T => (typeof x === 'string' ? JSON.parse(x) : x) as T;
    return rows.map((r) => {
      const custom: Record<string, FieldValue> = {};
      for (const [key, value, type] of json<[string, string, FieldType][]>(r.x_values)) custom[key] = decodeFieldValue(type, value);
      return toContact(r, custom, json<string[]>(r.x_tags));
    });
  }

  // The same plan choice as sqlite-store.ts's planOf (a selective filter drives, else a tag walks its recency
  // index, else the contacts' recency index), so both engines read a page the same way.
  type Plan = { from: string; where: string; args: unknown[]; order: string };
  async function planOf(f: ContactFilter, withCursor: boolean, alwaysDrive = false): Promise<Plan> {
    const parts = ['c.merged_into IS NULL'];
    const args: unknown[] = [];
    if (f.type) { parts.push('c.type = ?'); args.push(f.type); }
    type Cond = { ids: string; probe: string; args: unknown[]; tagId?: number; term?: true };
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
        term: true,
      });
    }
    let driver: Cond | undefined;
    let best = alwaysDrive ? Infinity : DRIVE_MAX + 1;
    // a lone tag walks its own index whatever its size (reads just the page): no count to choose a driver
    const lone = !alwaysDrive && conds.length === 1 && conds[0].tagId !== undefined;
    // every condition's bounded count in one statement (one round trip, not one per condition)
    const counts = conds.length && !lone ? await one(`SELECT ${conds.map((cond, i) => `(SELECT count(*) FROM (${cond.ids} LIMIT ${DRIVE_MAX + 1}) x${i}) AS n${i}`).join(', ')}`, conds.flatMap((cond) => cond.args)) ?? {} : {};
    if (!lone) conds.forEach((cond, i) => {
      const n = Number(counts[`n${i}`] ?? 0);
      if (n < best) { best = n; driver = cond; }
    });
    const walk = alwaysDrive ? undefined : driver ? (driver.tagId !== undefined || driver.term ? driver : undefined) : conds.find((c) => c.tagId !== undefined);
    for (const cond of conds) {
      if (cond === walk) continue;
      parts.push(cond === driver ? `c.id IN (${cond.ids})` : cond.probe);
      args.push(...cond.args);
    }
    if (walk?.term) {
      // a prefix few contacts hold: its terms sorted newest-first from the key's INCLUDE copy (index only), so only the
      // page's contacts are read, not all of the prefix's (~1,300 at 1M) to sort them; a contact with two such terms once
      const cursor = withCursor && f.after ? ' AND (s.last_seen_at, s.contact_id) < (?, ?)' : '';
      const wargs = [...walk.args, ...(cursor ? [f.after!.lastSeenAt, f.after!.id] : []), ...args];
      const from = `(SELECT DISTINCT s.last_seen_at, s.contact_id FROM contact_terms s WHERE s.term >= ? AND s.term < ?${cursor}
        ORDER BY s.last_seen_at DESC, s.contact_id DESC) d JOIN contacts c ON c.id = d.contact_id`;
      return { from, where: parts.join(' AND '), args: wargs, order: 'd.last_seen_at DESC, d.contact_id DESC' };
    }
    if (walk) {
      // the row-value comparison is an Index Cond on contact_tags_recent (seeks straight to the cursor)
      const where = ['d.tag_id = ?', 'c.id = d.contact_id', ...parts];
      const wargs: unknown[] = [walk.tagId, ...args];
      if (withCursor && f.after) { where.push('(d.last_seen_at, d.contact_id) < (?, ?)'); wargs.push(f.after.lastSeenAt, f.after.id); }
      return { from: 'contact_tags d JOIN contacts c ON TRUE', where: where.join(' AND '), args: wargs, order: 'd.last_seen_at DESC, d.contact_id DESC' };
    }
    if (withCursor && f.after) {
      parts.push('(c.last_seen_at < ? OR (c.last_seen_at = ? AND c.id < ?))');
      args.push(f.after.lastSeenAt, f.after.lastSeenAt, f.after.id);
    }
    return { from: 'contacts c', where: parts.join(' AND '), args, order: 'c.last_seen_at DESC, c.id DESC' };
  }

  async function reindexTerms(id: string) {
    await q('DELETE FROM contact_terms WHERE contact_id = ?', [id]);
    const r = await one('SELECT name, email, phone, customer_id, merged_into, other_details FROM contacts WHERE id = ?', [id]);
    if (!r || r.merged_into) return;
    const terms = searchTerms({ name: r.name, email: r.email, phone: r.phone, customerId: r.customer_id, otherDetails: otherDetailsOf(r.other_details) });
    if (terms.length) await q('INSERT INTO contact_terms (term, contact_id) SELECT t, ? FROM unnest(?::text[]) t ON CONFLICT DO NOTHING', [id, terms]);
  }

  const tokenWhere = async (where: string, arg: unknown) => toToken(await one(`SELECT ${TOKEN_COLS} FROM tokens WHERE ${where} = ?`, [arg]));

  return {
    getEventResult: async (scope, eventId) => (await one('SELECT result FROM processed_events WHERE scope = ? AND event_id = ?', [scope, eventId]))?.result,
    saveEventResult: async (scope, eventId, json) => void (await q('INSERT INTO processed_events (scope, event_id, result, created_at) VALUES (?, ?, ?, ?)', [scope, eventId, json, now()])),
    pruneEventResults: async (beforeIso, limit) =>
      (await q(`DELETE FROM processed_events WHERE (scope, event_id) IN
        (SELECT scope, event_id FROM processed_events WHERE created_at < ? ORDER BY created_at LIMIT ?)`, [beforeIso, limit])).count,

    createToken: async (t) => (await one('INSERT INTO tokens (hash, site_id, contact_id, created_at) VALUES (?, ?, ?, ?) RETURNING id', [t.hash, t.siteId, t.contactId, now()])).id,
    findToken: (hash) => tokenWhere('hash', hash),
    findTokenById: (id) => tokenWhere('id', id),
    revokeToken: async (id) => void (await q('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now(), id])),
    repointTokens: async (from, to) => void (await q('UPDATE tokens SET contact_id = ? WHERE contact_id = ?', [to, from])),
    recordIdentify: async (id, customerId, proved) => {
      if (proved) await q('UPDATE tokens SET proved_customer_id = ?, claimed_customer_id = ? WHERE id = ?', [customerId, customerId, id]);
      else await q('UPDATE tokens SET claimed_customer_id = ? WHERE id = ?', [customerId, id]);
    },
    revokeUnprovenTokens: async (contactId, customerId) =>
      (await q('UPDATE tokens SET revoked_at = ? WHERE contact_id = ? AND revoked_at IS NULL AND proved_customer_id IS DISTINCT FROM ? RETURNING id', [now(), contactId, customerId]))
        .map((r) => r.id as number).sort((a, b) => a - b),

    insertContact: async (c) =>
      void (await q('INSERT INTO contacts (id, site_id, type, timezone, locale, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [c.id, c.siteId, c.type, c.timezone, c.locale, c.createdAt, c.createdAt])),
    // one statement (values and tags aggregated beside the row): every /v1/sync answer reads one contact
    getContact: async (id) => {
      const r = await one(`SELECT c.*,
          (SELECT coalesce(json_agg(json_build_array(v.key, v.value, f.type) ORDER BY v.key), '[]') FROM contact_values v JOIN custom_fields f ON f.key = v.key WHERE v.contact_id = c.id) AS values_json,
          (SELECT coalesce(json_agg(t.name ORDER BY t.name_lc), '[]') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id) AS tags_json
        FROM contacts c WHERE c.id = ?`, [id]);
      if (!r) return undefined;
      const custom: Record<string, FieldValue> = {};
      for (const [key, value, type] of r.values_json as [string, string, FieldType][]) custom[key] = decodeFieldValue(type, value);
      return toContact(r, custom, r.tags_json as string[]);
    },
    getContactBrief: async (id) => {
      const r = await one('SELECT id, site_id, merged_into FROM contacts WHERE id = ?', [id]);
      return r && { id: r.id, siteId: r.site_id, mergedInto: r.merged_into };
    },
    // one statement for a sync message's four first reads: each statement costs a round trip's CPU on both sides
    eventContext: async ({ scope, eventId, tokenId, contactId, conversationId }) => {
      const r = await one(`SELECT
          (SELECT result FROM processed_events WHERE scope = ? AND event_id = ?) AS seen,
          (SELECT row_to_json(t) FROM (SELECT ${TOKEN_COLS} FROM tokens WHERE id = ?) t) AS token,
          (SELECT row_to_json(c) FROM (SELECT id, site_id, merged_into FROM contacts WHERE id = ?) c) AS brief,
          (SELECT row_to_json(cv) FROM (SELECT * FROM conversations WHERE ${conversationId ? 'id = ?' : 'contact_id = ?'}
            ORDER BY last_message_at DESC, id DESC LIMIT 1) cv) AS conv`, [scope, eventId, tokenId, contactId, conversationId ?? contactId]);
      return {
        seen: r?.seen ?? undefined,
        token: toToken(r?.token ?? undefined),
        brief: r?.brief ? { id: r.brief.id, siteId: r.brief.site_id, mergedInto: r.brief.merged_into } : undefined,
        conv: r?.conv ? toConversation(r.conv) : undefined,
      };
    },
    updateContact: async (id, cols) => {
      const sets: string[] = [];
      const args: unknown[] = [];
      for (const [k, v] of Object.entries(cols) as [keyof ContactColumns, unknown][]) {
        if (v === undefined) continue;
        sets.push(`${COLUMN_OF[k]} = ?`);
        args.push(k === 'verified' ? (v ? 1 : 0) : k === 'otherDetails' ? otherDetailsJson(v as OtherDetail[]) : v);
        const lower = LOWER_OF[k];
        if (lower) { sets.push(`${lower} = ?`); args.push(typeof v === 'string' ? v.toLowerCase() : null); }
      }
      if (sets.length) await q(`UPDATE contacts SET ${sets.join(', ')} WHERE id = ?`, [...args, id]);
      if (cols.name !== undefined || cols.email !== undefined || cols.phone !== undefined || cols.customerId !== undefined || cols.otherDetails !== undefined || cols.mergedInto) await reindexTerms(id);
    },
    setValues: async (contactId, values) => {
      for (const [key, value] of Object.entries(values)) {
        if (value === null) await q('DELETE FROM contact_values WHERE contact_id = ? AND key = ?', [contactId, key]);
        else await q('INSERT INTO contact_values (contact_id, key, value) VALUES (?, ?, ?) ON CONFLICT (contact_id, key) DO UPDATE SET value = excluded.value', [contactId, key, value]);
      }
    },
    findCustomer: async (siteId, customerId) =>
      (await hydrate(await q('SELECT * FROM contacts WHERE site_id = ? AND customer_id = ? AND merged_into IS NULL ORDER BY verified DESC, created_at, id LIMIT 1', [siteId, customerId])))[0],
    findSameDetails: async (excludeId, email, phone) => {
      if (email) {
        const r = await one('SELECT id FROM contacts WHERE email_lc = ? AND merged_into IS NULL AND id != ? ORDER BY (type = \'customer\') DESC LIMIT 1', [email.toLowerCase(), excludeId]);
        if (r) return r.id;
      }
      if (phone) {
        const r = await one('SELECT id FROM contacts WHERE phone = ? AND merged_into IS NULL AND id != ? ORDER BY (type = \'customer\') DESC LIMIT 1', [phone, excludeId]);
        if (r) return r.id;
      }
      return undefined;
    },
    // one statement per table for the whole batch (arrays unnested): a 5,000-row chunk is five round trips, not 30,000
    importContacts: async (rows: ImportContact[]) => {
      if (!rows.length) return;
      const col = <K extends keyof ImportContact>(k: K) => rows.map((r) => r[k] ?? null);
      const lower = (k: 'name' | 'email' | 'customerId') => rows.map((r) => r[k]?.toLowerCase() ?? null);
      await q(`INSERT INTO contacts (id, site_id, type, name, email, phone, timezone, locale, customer_id, verified, note, created_at, last_seen_at, name_lc, email_lc, customer_id_lc)
        SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])`,
      [col('id'), col('siteId'), col('type'), col('name'), col('email'), col('phone'), col('timezone'), col('locale'), col('customerId'),
        rows.map((r) => (r.verified ? 1 : 0)), col('note'), col('createdAt'), col('lastSeenAt'), lower('name'), lower('email'), lower('customerId')]);
      const pairs = <V>(each: (r: ImportContact) => V[]) => {
        const a: string[] = [];
        const b: V[] = [];
        for (const r of rows) for (const v of each(r)) { a.push(r.id); b.push(v); }
        return [a, b] as const;
      };
      const [vIds, vKv] = pairs((r) => Object.entries(r.values));
      if (vIds.length) await q('INSERT INTO contact_values (contact_id, key, value) SELECT * FROM unnest(?::text[], ?::text[], ?::text[])', [vIds, vKv.map((e) => e[0]), vKv.map((e) => e[1])]);
      const [tIds, tTags] = pairs((r) => r.tagIds);
      if (tIds.length) await q('INSERT INTO contact_tags (contact_id, tag_id) SELECT * FROM unnest(?::text[], ?::bigint[]) ON CONFLICT DO NOTHING', [tIds, tTags]);
      const [sIds, sTerms] = pairs((r) => searchTerms(r));
      if (sIds.length) await q('INSERT INTO contact_terms (term, contact_id) SELECT * FROM unnest(?::text[], ?::text[]) ON CONFLICT DO NOTHING', [sTerms, sIds]);
    },
    listContacts: async (f) => {
      const p = await planOf(f, true);
      // not prepared (listPage): a generic plan guesses ~90 rows for any `key = $1 AND value = $2` and, for a value 16k
      // contacts hold, read and sorted all of them (12 → 117 ms p50 at 100k)
      return listPage(`SELECT c.* FROM ${p.from} WHERE ${p.where} ORDER BY ${p.order} LIMIT ${Number(f.limit ?? 50)}`, p.args);
    },
    countContacts: async (f) => {
      const p = await planOf(f, false, true);
      const out: Record<ContactType, number> = { guest: 0, lead: 0, customer: 0 };
      for (const r of await q(`SELECT c.type, count(*) AS n FROM ${p.from} WHERE ${p.where} GROUP BY c.type`, p.args)) out[r.type as ContactType] = r.n;
      return out;
    },

    listTags: async () =>
      (await q('SELECT t.id, t.name, t.created_at, (SELECT count(*) FROM contact_tags ct WHERE ct.tag_id = t.id) AS n FROM tags t ORDER BY t.name_lc')).map((r) => ({
        id: r.id, name: r.name, createdAt: r.created_at, contactCount: r.n,
      })),
    getTagByKey: async (key) => {
      const r = await one('SELECT id, name, created_at FROM tags WHERE name_lc = ?', [key]);
      return r && { id: r.id, name: r.name, createdAt: r.created_at };
    },
    createTag: async (name, createdAt) => {
      const r = await one('INSERT INTO tags (name, name_lc, created_at) VALUES (?, ?, ?) RETURNING id', [name, name.toLowerCase(), createdAt]);
      return { id: r.id, name, createdAt };
    },
    renameTag: async (id, name) => void (await q('UPDATE tags SET name = ?, name_lc = ? WHERE id = ?', [name, name.toLowerCase(), id])),
    deleteTag: async (id) => {
      await q('DELETE FROM contact_tags WHERE tag_id = ?', [id]);
      await q('DELETE FROM tags WHERE id = ?', [id]);
    },
    attachTag: async (contactId, tagId) => void (await q('INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [contactId, tagId])),
    detachTag: async (contactId, tagId) => void (await q('DELETE FROM contact_tags WHERE contact_id = ? AND tag_id = ?', [contactId, tagId])),

    listFields: async () =>
      (await q('SELECT f.*, (SELECT count(*) FROM contact_values v WHERE v.key = f.key) AS n FROM custom_fields f ORDER BY f.created_at, f.key')).map((r) => ({
        key: r.key, name: r.name, type: r.type, createdAt: r.created_at, contactCount: r.n,
      })),
    getField: async (key) => {
      const r = await one('SELECT * FROM custom_fields WHERE key = ?', [key]);
      return r && ({ key: r.key, name: r.name, type: r.type, createdAt: r.created_at } satisfies FieldDef);
    },
    createField: async (f) => void (await q('INSERT INTO custom_fields (key, name, type, created_at) VALUES (?, ?, ?, ?)', [f.key, f.name, f.type, f.createdAt])),
    renameField: async (key, name) => void (await q('UPDATE custom_fields SET name = ? WHERE key = ?', [name, key])),
    deleteField: async (key) => {
      await q('DELETE FROM contact_values WHERE key = ?', [key]);
      await q('DELETE FROM custom_fields WHERE key = ?', [key]);
    },

    getConversation: async (id) => {
      const r = await one('SELECT * FROM conversations WHERE id = ?', [id]);
      return r && toConversation(r);
    },
    latestConversation: async (contactId) => {
      const r = await one('SELECT * FROM conversations WHERE contact_id = ? ORDER BY last_message_at DESC, id DESC LIMIT 1', [contactId]);
      return r && toConversation(r);
    },
    createConversation: async (c) => {
      await q('INSERT INTO conversations (id, site_id, contact_id, created_at, last_message_at) VALUES (?, ?, ?, ?, ?)', [c.id, c.siteId, c.contactId, c.createdAt, c.createdAt]);
      return { ...c, lastMessageAt: c.createdAt, lastMessageSeq: 0, agentReadSeq: 0, status: 'open', assigneeId: null };
    },
    listConversations: async ({ after, contactId, limit, view, viewerId }) => {
      const conds: string[] = [];
      const args: unknown[] = viewerId !== undefined ? [viewerId] : [];
      if (view?.status) { conds.push('cv.status = ?'); args.push(view.status); }
      if (view?.assignee === 'none') conds.push('cv.assignee_id IS NULL');
      else if (view?.assignee) { conds.push('cv.assignee_id = ?'); args.push(view.assignee); }
      if (contactId !== undefined) { conds.push('cv.contact_id = ?'); args.push(contactId); }
      if (after) {
        conds.push('(cv.last_message_at < ? OR (cv.last_message_at = ? AND cv.id < ?))');
        args.push(after.lastMessageAt, after.lastMessageAt, after.id);
      }
      const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
      return (await q(`${summarySql(viewerId !== undefined)} ${where} ORDER BY cv.last_message_at DESC, cv.id DESC LIMIT ?`, [...args, limit])).map(toSummary);
    },
    summarizeConversation: async (id, viewerId) => {
      const r = await one(`${summarySql(viewerId !== undefined)} WHERE cv.id = ?`, [...(viewerId !== undefined ? [viewerId] : []), id]);
      return r && toSummary(r);
    },
    moveConversations: async (from, to) => void (await q('UPDATE conversations SET contact_id = ? WHERE contact_id = ?', [to, from])),
    markConversationRead: async (id, seq) => void (await q('UPDATE conversations SET agent_read_seq = GREATEST(agent_read_seq, ?) WHERE id = ?', [seq, id])),

    // Seqs must become visible in seq order (a reader that saw seq n never later finds a new row below n: the
    // Last-Event-ID catch-up and every `seq > cursor` reader rely on it). An identity alone does not give that:
    // T1 draws 1, T2 draws 2 and commits first, a reader sees 2 and moves past 1 for good (research §6.1). So the
    // seq is drawn under a transaction-level advisory lock, held until COMMIT: the next writer draws only after
    // this one's row is visible. It serialises message commits across the cluster (one lock per transaction).
    // The conversation's pointer moves in the same statement (one round trip, not two).
    insertMessage: async (m) => {
      const r = await one(`WITH ${pgTestSwitches.skipSeqLock ? 'l AS (SELECT 1)' : `l AS (SELECT pg_advisory_xact_lock(${SEQ_LOCK}))`},
           m AS (INSERT INTO messages (conversation_id, author, text, created_at, agent_id, agent_name)
             SELECT ?, ?, ?, ?, ?::text, ?::text FROM l RETURNING seq, conversation_id, created_at),
           c AS (UPDATE conversations cv SET last_message_at = m.created_at, last_message_seq = m.seq FROM m WHERE cv.id = m.conversation_id)
         SELECT seq FROM m`,
      [m.conversationId, m.author, m.text, m.createdAt, m.agentId ?? null, m.agentName ?? null]);
      return { seq: r.seq as number, ...m, agentId: m.agentId ?? null, agentName: m.agentName ?? null };
    },
    getMessage: async (seq) => {
      const r = await one('SELECT * FROM messages WHERE seq = ?', [seq]);
      return r && toMessage(r);
    },
    messagesForContact: async (contactId, afterSeq, limit) =>
      (await q('SELECT m.* FROM messages m WHERE m.conversation_id IN (SELECT id FROM conversations WHERE contact_id = ?) AND m.seq > ? ORDER BY m.seq LIMIT ?', [contactId, afterSeq, limit])).map(toMessage),
    messagesForConversation: async (conversationId, afterSeq, limit) =>
      (await q('SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?', [conversationId, afterSeq, limit])).map(toMessage),
    messagesAfter: async (afterSeq, limit) =>
      (await q('SELECT m.*, cv.contact_id FROM messages m JOIN conversations cv ON cv.id = m.conversation_id WHERE m.seq > ? ORDER BY m.seq LIMIT ?', [afterSeq, limit])).map((r) => ({ ...toMessage(r), contactId: r.contact_id })),

    getSettingsJson: async (siteId) => (await one('SELECT json FROM settings WHERE site_id = ?', [siteId]))?.json,
    saveSettingsJson: async (siteId, json) => void (await q('INSERT INTO settings (site_id, json) VALUES (?, ?) ON CONFLICT (site_id) DO UPDATE SET json = excluded.json', [siteId, json])),
    // a row another instance committed after this unit's snapshot makes this a serialization failure: the unit re-runs and reads it
    insertSettingsJson: async (siteId, json) => (await q('INSERT INTO settings (site_id, json) VALUES (?, ?) ON CONFLICT (site_id) DO NOTHING', [siteId, json])).count === 1,
    ...pgTeamOps(q),
    ...pgDataOps(q, hydrate),
    ...pgAutomationOps(q),
    ...pgConditionOps(q, hydrate),
    ...pgJobLeaseOps(q),
  };
}
