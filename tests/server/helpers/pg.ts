// PostgreSQL for tests: each test file gets its own database on the run's throwaway cluster (tests/setup/pg-cluster.ts);
// a store opened with openPgStore() starts from empty tables. pgSkip is true (and the setup printed why) when
// PostgreSQL is not installed.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createPgStore, type PgStore } from '../../../server-stub/src/storage/pg-store.js';

const adminUrl = inject('pgAdminUrl');
/** No PostgreSQL on this machine: skip the PostgreSQL runs (the global setup printed the one line saying so). */
export const pgSkip = !adminUrl;

/** A new empty database on the run's cluster (C collation unless `createOptions` says otherwise); answers its URL. */
export async function freshPgDatabase(createOptions = "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} ${createOptions}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

let fileDb: Promise<string> | undefined;
/** This test file's database (created once, migrated by the first store opened on it). */
export function pgDatabaseUrl(): Promise<string> {
  return (fileDb ??= freshPgDatabase());
}

/** A store on this file's database with every table emptied first (no other store may be open on it). */
export async function openPgStore(opts: { poolSize?: number } = {}): Promise<PgStore> {
  const store = await createPgStore(await pgDatabaseUrl(), opts);
  const tables = await store.sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`;
  await store.sql.unsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY`);
  return store;
}

/** A second store on the same database (another "instance"): nothing is emptied. */
export async function openPgPeer(opts: { poolSize?: number } = {}): Promise<PgStore> {
  return createPgStore(await pgDatabaseUrl(), opts);
}

/** Every row of every table of the database at `url`, as text (what a marker can be searched in: the live data, not the files). */
export async function dumpPgDatabase(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
    let out = '';
    for (const t of tables) out += (await sql.unsafe(`SELECT coalesce(string_agg(x::text, ''), '') AS s FROM "${t.tablename}" x`))[0].s;
    return out;
  } finally {
    await sql.end();
  }
}
