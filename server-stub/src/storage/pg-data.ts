// PostgreSQL statements behind data-store.ts (erase, imports, duplicates, retention), mirroring sqlite-data.ts. No
// caches to forget here (pg-ops.ts keeps none). Secure deletion differs: PostgreSQL has no secure_delete, so an
// erased row's bytes stay in dead tuples until VACUUM; pg-store.ts's scrub() vacuums ERASE_TABLES (docs/PRIVACY.md).
import type { ContactRecord } from './store.js';
import { exportPage, type DataReader, type DataTx, type ImportRecord } from './data-store.js';
import type { Query } from './pg-ops.js';

type Row = Record<string, any>;

/** The tables eraseContactData deletes from or rewrites (scrub() vacuums them). */
export const ERASE_TABLES = [
  'contacts', 'contact_values', 'contact_tags', 'contact_terms', 'conversations', 'messages', 'tokens', 'processed_events', 'import_changes', 'activity',
] as const;

export function pgDataOps(q: Query, hydrate: (rows: Row[]) => Promise<ContactRecord[]>): DataReader & DataTx {
  const one = async (text: string, args?: unknown[]) => (await q(text, args))[0];
  return {
    exportContacts: async (f, afterId, limit) => {
      const { sql, args } = exportPage(f, afterId);
      return hydrate(await q(sql, [...args, limit]));
    },
    getErased: async (id) => {
      const r = await one('SELECT * FROM erased_contacts WHERE id = ?', [id]);
      return r && { id: r.id, siteId: r.site_id, erasedAt: r.erased_at };
    },
    // ?::text: PostgreSQL must know a parameter's type when it is only compared with NULL
    findDuplicates: async (excludeId, email, phone, limit) =>
      hydrate(await q(`SELECT * FROM contacts WHERE merged_into IS NULL AND id != ? AND ((?::text IS NOT NULL AND email_lc = ?) OR (?::text IS NOT NULL AND phone = ?))
        ORDER BY (type = 'customer') DESC, created_at, id LIMIT ?`, [excludeId, email, email?.toLowerCase() ?? null, phone, phone, limit])),
    getContacts: async (ids) => (ids.length ? hydrate(await q('SELECT * FROM contacts WHERE id = ANY(?::text[])', [ids])) : []),
    findContactsBy: async (field, value, limit) => {
      const where = field === 'email' ? 'email_lc = ?' : field === 'phone' ? 'phone = ?' : 'customer_id = ?';
      return hydrate(await q(`SELECT * FROM contacts WHERE merged_into IS NULL AND ${where} ORDER BY created_at, id LIMIT ?`, [field === 'email' ? value.toLowerCase() : value, limit]));
    },
    findContactsByAny: async (field, values) => {
      if (!values.length) return [];
      const col = field === 'email' ? 'email_lc' : field === 'phone' ? 'phone' : 'customer_id';
      return hydrate(await q(`SELECT * FROM contacts WHERE merged_into IS NULL AND ${col} = ANY(?::text[])`, [field === 'email' ? values.map((v) => v.toLowerCase()) : values]));
    },
    listStaleGuests: async (beforeIso, limit) =>
      (await q(`SELECT c.id FROM contacts c WHERE c.type = 'guest' AND c.merged_into IS NULL AND c.last_seen_at < ?
        AND NOT EXISTS (SELECT 1 FROM conversations cv JOIN messages m ON m.conversation_id = cv.id WHERE cv.contact_id = c.id)
        ORDER BY c.last_seen_at, c.id LIMIT ?`, [beforeIso, limit])).map((r) => r.id as string),
    getImport: async (id) => {
      const r = await one('SELECT * FROM imports WHERE id = ?', [id]);
      return r && ({ id: r.id, match: r.match, dryRun: r.dry_run === 1, status: r.status, done: r.done, resultJson: r.result, createdAt: r.created_at, finishedAt: r.finished_at, undoneAt: r.undone_at } satisfies ImportRecord);
    },
    importChanges: async (jobId, beforeSeq, limit) =>
      (await q('SELECT * FROM import_changes WHERE job_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?', [jobId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit])).map((r) => ({
        seq: r.seq, jobId: r.job_id, contactId: r.contact_id, created: r.created === 1, changesJson: r.changes,
      })),
    lastRetentionRun: async () => {
      const r = await one('SELECT at, erased FROM retention_runs ORDER BY id DESC LIMIT 1');
      return r && { at: r.at, erased: r.erased };
    },
    eraseContactData: async (id, erasedAt) => {
      // the contact and every merge tombstone that (through others) points at it: each kept the merged visitor's details
      const ids = [id];
      for (let i = 0; i < ids.length; i++) for (const r of await q('SELECT id FROM contacts WHERE merged_into = ? ORDER BY id', [ids[i]])) ids.push(r.id);
      const tokenIds: number[] = [];
      for (const cid of ids) {
        const siteId = (await one('SELECT site_id FROM contacts WHERE id = ?', [cid])).site_id;
        for (const t of await q('SELECT id, revoked_at FROM tokens WHERE contact_id = ? ORDER BY id', [cid])) {
          await q('DELETE FROM processed_events WHERE scope = ?', [`t:${t.id}`]);
          if (t.revoked_at === null) tokenIds.push(t.id);
        }
        // token rows stay (hash only, revoked) so the browser's old token answers 401, never a new contact's data
        await q('UPDATE tokens SET revoked_at = coalesce(revoked_at, ?), proved_customer_id = NULL, claimed_customer_id = NULL WHERE contact_id = ?', [erasedAt, cid]);
        await q('DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE contact_id = ?)', [cid]);
        await q('DELETE FROM conversations WHERE contact_id = ?', [cid]);
        await q('DELETE FROM contact_values WHERE contact_id = ?', [cid]);
        await q('DELETE FROM contact_tags WHERE contact_id = ?', [cid]);
        await q('DELETE FROM contact_terms WHERE contact_id = ?', [cid]);
        await q('DELETE FROM import_changes WHERE contact_id = ?', [cid]);
        // the trail's entries carried the contact's old values (from/to); the erase's own entry is written after this
        await q('DELETE FROM activity WHERE contact_id = ?', [cid]);
        await q('DELETE FROM contacts WHERE id = ?', [cid]);
        await q('INSERT INTO erased_contacts (id, site_id, erased_at) VALUES (?, ?, ?)', [cid, siteId, erasedAt]);
      }
      await q('UPDATE contacts SET possible_duplicate_of = NULL WHERE possible_duplicate_of = ANY(?::text[])', [ids]);
      return { tokenIds, erasedIds: ids };
    },
    deleteContact: async (id) => {
      await q('DELETE FROM contact_values WHERE contact_id = ?', [id]);
      await q('DELETE FROM contact_tags WHERE contact_id = ?', [id]);
      await q('DELETE FROM contact_terms WHERE contact_id = ?', [id]);
      await q('DELETE FROM contacts WHERE id = ?', [id]);
      await q('UPDATE contacts SET possible_duplicate_of = NULL WHERE possible_duplicate_of = ?', [id]);
    },
    createImport: async (r) => void (await q("INSERT INTO imports (id, match, dry_run, status, created_at) VALUES (?, ?, ?, 'running', ?)", [r.id, r.match, r.dryRun ? 1 : 0, r.createdAt])),
    updateImport: async (id, p) => {
      const cols: Record<string, unknown> = { status: p.status, done: p.done, result: p.resultJson, finished_at: p.finishedAt, undone_at: p.undoneAt };
      const set = Object.entries(cols).filter(([, v]) => v !== undefined);
      if (set.length) await q(`UPDATE imports SET ${set.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`, [...set.map(([, v]) => v), id]);
    },
    recordImportChange: async (c) => void (await q('INSERT INTO import_changes (job_id, contact_id, created, changes) VALUES (?, ?, ?, ?)', [c.jobId, c.contactId, c.created ? 1 : 0, c.changesJson])),
    failRunningImports: async (resultJson, at) => (await q("UPDATE imports SET status = 'failed', result = ?, finished_at = ? WHERE status = 'running'", [resultJson, at])).count,
    saveRetentionRun: async (at, erased) => void (await q('INSERT INTO retention_runs (at, erased) VALUES (?, ?)', [at, erased])),
  };
}
