// SQLite statements behind data-store.ts (erase, imports, duplicates, retention): plain SQL a PostgreSQL store can copy.
import type Database from 'better-sqlite3';
import type { ContactRecord } from './store.js';
import { exportPage, type DataReader, type DataTx, type ImportRecord } from './data-store.js';

type Row = Record<string, any>;
type Sync<T> = { [K in keyof T]: T[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R : never };

/** The names of the read methods below (sqlite-units.ts offers them to read units). */
export const DATA_READS = ['exportContacts', 'getErased', 'findDuplicates', 'getContacts', 'findContactsBy', 'findContactsByAny', 'listStaleGuests', 'getImport', 'importChanges', 'lastRetentionRun'] as const satisfies readonly (keyof DataReader)[];

/** `hydrate` turns contact rows into records; `forget` drops the store's read-through caches (rows went away). */
export function dataOps(st: (sql: string) => Database.Statement, h: { hydrate(rows: Row[]): ContactRecord[]; forget(): void }): Sync<DataReader & DataTx> {
  const { hydrate, forget } = h;
  return {
    exportContacts: (f, afterId, limit) => {
      const { sql, args } = exportPage(f, afterId);
      return hydrate(st(sql).all(...args, limit) as Row[]);
    },
    getErased: (id) => {
      const r = st('SELECT * FROM erased_contacts WHERE id = ?').get(id) as Row | undefined;
      return r && { id: r.id, siteId: r.site_id, erasedAt: r.erased_at };
    },
    findDuplicates: (excludeId, email, phone, limit) =>
      hydrate(st(`SELECT * FROM contacts WHERE merged_into IS NULL AND id != ? AND ((? IS NOT NULL AND email_lc = ?) OR (? IS NOT NULL AND phone = ?))
        ORDER BY (type = 'customer') DESC, created_at, id LIMIT ?`).all(excludeId, email, email?.toLowerCase() ?? null, phone, phone, limit) as Row[]),
    // bound as one JSON array: a placeholder list per batch size would prepare (and cache) a statement per size
    getContacts: (ids) => (ids.length ? hydrate(st('SELECT * FROM contacts WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Row[]) : []),
    findContactsBy: (field, value, limit) => {
      const where = field === 'email' ? 'email_lc = ?' : field === 'phone' ? 'phone = ?' : 'customer_id = ?';
      return hydrate(st(`SELECT * FROM contacts WHERE merged_into IS NULL AND ${where} ORDER BY created_at, id LIMIT ?`).all(field === 'email' ? value.toLowerCase() : value, limit) as Row[]);
    },
    findContactsByAny: (field, values) => {
      if (!values.length) return [];
      const col = field === 'email' ? 'email_lc' : field === 'phone' ? 'phone' : 'customer_id';
      const keys = field === 'email' ? values.map((v) => v.toLowerCase()) : values;
      return hydrate(st(`SELECT * FROM contacts WHERE merged_into IS NULL AND ${col} IN (SELECT value FROM json_each(?))`).all(JSON.stringify(keys)) as Row[]);
    },
    listStaleGuests: (beforeIso, limit) =>
      (st(`SELECT c.id FROM contacts c WHERE c.type = 'guest' AND c.merged_into IS NULL AND c.last_seen_at < ?
        AND NOT EXISTS (SELECT 1 FROM conversations cv JOIN messages m ON m.conversation_id = cv.id WHERE cv.contact_id = c.id)
        ORDER BY c.last_seen_at, c.id LIMIT ?`).all(beforeIso, limit) as Row[]).map((r) => r.id as string),
    getImport: (id) => {
      const r = st('SELECT * FROM imports WHERE id = ?').get(id) as Row | undefined;
      return r && ({ id: r.id, match: r.match, dryRun: r.dry_run === 1, status: r.status, done: r.done, resultJson: r.result, createdAt: r.created_at, finishedAt: r.finished_at, undoneAt: r.undone_at } satisfies ImportRecord);
    },
    importChanges: (jobId, beforeSeq, limit) =>
      (st('SELECT * FROM import_changes WHERE job_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?').all(jobId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as Row[]).map((r) => ({
        seq: r.seq, jobId: r.job_id, contactId: r.contact_id, created: r.created === 1, changesJson: r.changes,
      })),
    lastRetentionRun: () => {
      const r = st('SELECT at, erased FROM retention_runs ORDER BY id DESC LIMIT 1').get() as Row | undefined;
      return r && { at: r.at, erased: r.erased };
    },
    eraseContactData: (id, erasedAt) => {
      // the contact and every merge tombstone that (through others) points at it: each kept the merged visitor's details
      const ids = [id];
      for (let i = 0; i < ids.length; i++) for (const r of st('SELECT id FROM contacts WHERE merged_into = ?').all(ids[i]) as Row[]) ids.push(r.id);
      const tokenIds: number[] = [];
      for (const cid of ids) {
        const siteId = (st('SELECT site_id FROM contacts WHERE id = ?').get(cid) as Row).site_id;
        for (const t of st('SELECT id, revoked_at FROM tokens WHERE contact_id = ?').all(cid) as Row[]) {
          st('DELETE FROM processed_events WHERE scope = ?').run(`t:${t.id}`);
          if (t.revoked_at === null) tokenIds.push(t.id);
        }
        // token rows stay (hash only, revoked) so the browser's old token answers 401, never a new contact's data
        st('UPDATE tokens SET revoked_at = coalesce(revoked_at, ?), proved_customer_id = NULL, claimed_customer_id = NULL WHERE contact_id = ?').run(erasedAt, cid);
        st('DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE contact_id = ?)').run(cid);
        st('DELETE FROM conversations WHERE contact_id = ?').run(cid);
        st('DELETE FROM contact_values WHERE contact_id = ?').run(cid);
        st('DELETE FROM contact_tags WHERE contact_id = ?').run(cid);
        st('DELETE FROM contact_terms WHERE contact_id = ?').run(cid);
        st('DELETE FROM import_changes WHERE contact_id = ?').run(cid);
        // the trail's entries carried the contact's old values (from/to); the erase's own entry is written after this
        st('DELETE FROM activity WHERE contact_id = ?').run(cid);
        st('DELETE FROM contacts WHERE id = ?').run(cid);
        st('INSERT INTO erased_contacts (id, site_id, erased_at) VALUES (?, ?, ?)').run(cid, siteId, erasedAt);
      }
      for (const cid of ids) st('UPDATE contacts SET possible_duplicate_of = NULL WHERE possible_duplicate_of = ?').run(cid);
      forget();
      return { tokenIds, erasedIds: ids };
    },
    deleteContact: (id) => {
      st('DELETE FROM contact_values WHERE contact_id = ?').run(id);
      st('DELETE FROM contact_tags WHERE contact_id = ?').run(id);
      st('DELETE FROM contact_terms WHERE contact_id = ?').run(id);
      st('DELETE FROM contacts WHERE id = ?').run(id);
      st('UPDATE contacts SET possible_duplicate_of = NULL WHERE possible_duplicate_of = ?').run(id);
      forget();
    },
    createImport: (r) => void st("INSERT INTO imports (id, match, dry_run, status, created_at) VALUES (?, ?, ?, 'running', ?)").run(r.id, r.match, r.dryRun ? 1 : 0, r.createdAt),
    updateImport: (id, p) => {
      const cols: Record<string, unknown> = { status: p.status, done: p.done, result: p.resultJson, finished_at: p.finishedAt, undone_at: p.undoneAt };
      const set = Object.entries(cols).filter(([, v]) => v !== undefined);
      if (set.length) st(`UPDATE imports SET ${set.map(([k]) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...set.map(([, v]) => v), id);
    },
    recordImportChange: (c) => void st('INSERT INTO import_changes (job_id, contact_id, created, changes) VALUES (?, ?, ?, ?)').run(c.jobId, c.contactId, c.created ? 1 : 0, c.changesJson),
    failRunningImports: (resultJson, at) => st("UPDATE imports SET status = 'failed', result = ?, finished_at = ? WHERE status = 'running'").run(resultJson, at).changes,
    saveRetentionRun: (at, erased) => void st('INSERT INTO retention_runs (at, erased) VALUES (?, ?)').run(at, erased),
  };
}
