// In-process app for route tests: a real SQLite file in a temp dir, no port. CHATIVE_TEST_ENGINE=pg (the server-pg
// vitest project) puts the store on this test file's PostgreSQL database instead, emptied for each new dataDir.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createApp, type AppDeps } from '../../../server-stub/src/app.js';
import { createClient } from './client.js';
import { createSqliteStore } from '../../../server-stub/src/storage/sqlite-store.js';
import type { Store } from '../../../server-stub/src/storage/store.js';
import type { PgStore } from '../../../server-stub/src/storage/pg-store.js';
import { openPgPeer, openPgStore } from './pg.js';

export type TestApp = {
  app: Awaited<ReturnType<typeof createApp>>;
  store: Store;
  agentToken: string;
  secret: string;
  dataDir: string;
  /** Everything the engine stored, as text (SQLite: the files in dataDir; PostgreSQL: every table's rows). */
  dump(): Promise<string>;
  /** Closes the database and deletes the temp dir. */
  close(): Promise<void>;
};

/** Faults around the real store: helpers/store-faults.ts. */
export type TestAppOptions = Partial<Omit<AppDeps, 'store' | 'agentToken'>> & { dataDir?: string };

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'chative-app-'));
  const store = await openTestStore(dataDir);
  const agentToken = randomBytes(32).toString('base64url');
  // without siteSecret the secret lives in the settings (as with `npm start`), so rotation works in-process too
  const app = await createApp({ rateLimit: 0, ...opts, store, agentToken }).catch(async (err) => {
    await store.close();
    throw err;
  });
  const secret = app.services.settings.get().secret;
  return {
    app,
    store,
    agentToken,
    secret,
    dataDir,
    async dump() {
      if (!('sql' in store)) return readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f)).toString('latin1')).join('');
      const { sql } = store as PgStore;
      const tables = await sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
      const parts = await Promise.all(tables.map((t) => sql.unsafe(`SELECT coalesce(string_agg(x::text, ''), '') AS s FROM "${t.tablename}" x`)));
      return parts.map((p) => p[0].s as string).join('');
    },
    async close() {
      app.services.limiter.stop();
      // a clean stop, as main.ts's SIGTERM: the batch in flight ends and the job leases are let go (services/jobs.ts)
      await app.services.jobs.stop();
      await app.services.webhooks.close();
      await store.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const pgSeen = new Set<string>();
/** The engine under test: SQLite in dataDir, or PostgreSQL (a dataDir seen before reopens its data, like the file would). */
export async function openTestStore(dataDir: string): Promise<Store> {
  if (process.env.CHATIVE_TEST_ENGINE !== 'pg') return createSqliteStore(join(dataDir, 'chative.sqlite'));
  if (pgSeen.has(dataDir)) return openPgPeer();
  pgSeen.add(dataDir);
  return openPgStore();
}

/** A fresh in-process app and a client of it before each test, closed after it; `use` receives both. */
export function useTestApp(use: (t: TestApp, api: ReturnType<typeof createClient>) => void): void {
  let t: TestApp | undefined;
  beforeEach(async () => {
    t = await createTestApp();
    const app = t;
    use(app, createClient((p, i) => app.app.request(p, i), app.agentToken));
  });
  afterEach(() => t?.close());
}
