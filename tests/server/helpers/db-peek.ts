// Direct SQL on the database a test's server runs on, whichever engine (the SQLite file in dataDir, or PostgreSQL by
// URL or by a TestApp's PgStore pool): for checks only a look at the rows can make ("only a hash is stored") and for
// setting up states no route offers (an expired invite). `?` placeholders on both engines.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import postgres from 'postgres';

type Row = Record<string, unknown>;
export type DbPeek = { all(text: string, args?: unknown[]): Promise<Row[]>; close(): Promise<void> };

export function peekDb(target: { dataDir: string; databaseUrl?: string; store?: unknown }): DbPeek {
  const pool = (target.store as { sql?: postgres.Sql } | undefined)?.sql;
  if (pool || target.databaseUrl) {
    const sql = pool ?? postgres(target.databaseUrl!, { max: 1, onnotice: () => {} });
    return {
      all: async (text, args = []) => {
        let n = 0;
        return [...(await sql.unsafe(text.replace(/\?/g, () => `$${++n}`), args as never[]))] as Row[];
      },
      close: async () => { if (!pool) await sql.end(); },
    };
  }
  const db = new Database(join(target.dataDir, 'chative.sqlite'));
  return {
    all: async (text, args = []) => {
      const st = db.prepare(text);
      return st.reader ? (st.all(...args) as Row[]) : (st.run(...args), []);
    },
    close: async () => void db.close(),
  };
}
