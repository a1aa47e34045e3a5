// Reads a contact's rows straight from the SQLite file (a second, read-only connection) and hashes them,
// so "unchanged" means byte-for-byte unchanged, not "the API says the same".
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export type Snapshot = { hash: string; rows: Record<string, unknown[]> };

/** Every row that belongs to a contact: itself, values, tags, conversations, messages, tokens. */
export function contactRows(dataDir: string, contactId: string): Snapshot {
  const db = new Database(join(dataDir, 'chative.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = {
      contact: db.prepare('SELECT * FROM contacts WHERE id = ?').all(contactId),
      values: db.prepare('SELECT * FROM contact_values WHERE contact_id = ? ORDER BY key').all(contactId),
      tags: db.prepare('SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY t.name_lc').all(contactId),
      conversations: db.prepare('SELECT * FROM conversations WHERE contact_id = ? ORDER BY id').all(contactId),
      messages: db
        .prepare('SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = ? ORDER BY m.seq')
        .all(contactId),
      tokens: db.prepare('SELECT id, hash, contact_id, revoked_at FROM tokens WHERE contact_id = ? ORDER BY id').all(contactId),
    };
    return { hash: createHash('sha256').update(JSON.stringify(rows)).digest('hex'), rows };
  } finally {
    db.close();
  }
}

/** Runs a read-only query on the database file of a (possibly stopped) server. */
export function queryDb<T = Record<string, unknown>>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, 'chative.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
