// In-process app for route tests: a real SQLite file in a temp dir, no port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createApp, type AppDeps } from '../../../server-stub/src/app.js';
import { createClient } from './client.js';
import { createSqliteStore } from '../../../server-stub/src/storage/sqlite-store.js';
import type { Store } from '../../../server-stub/src/storage/store.js';

export type TestApp = {
  app: Awaited<ReturnType<typeof createApp>>;
  store: Store;
  agentToken: string;
  secret: string;
  dataDir: string;
  /** Closes the database and deletes the temp dir. */
  close(): Promise<void>;
};

/** Faults around the real store: helpers/store-faults.ts. */
export type TestAppOptions = Partial<Omit<AppDeps, 'store' | 'agentToken'>> & { dataDir?: string };

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'chative-app-'));
  const store = createSqliteStore(join(dataDir, 'chative.sqlite'));
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
    async close() {
      app.services.limiter.stop();
      await app.services.webhooks.close();
      await store.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
