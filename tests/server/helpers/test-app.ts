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
  app: ReturnType<typeof createApp>;
  store: Store;
  agentToken: string;
  secret: string;
  dataDir: string;
  /** Closes the database and deletes the temp dir. */
  close(): void;
};

/** `wrapStore` lets a test inject a fault (e.g. a full disk) around the real store. */
export type TestAppOptions = Partial<Omit<AppDeps, 'store' | 'agentToken'>> & { dataDir?: string; wrapStore?: (s: Store) => Store };

export function createTestApp(opts: TestAppOptions = {}): TestApp {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'chative-app-'));
  const real = createSqliteStore(join(dataDir, 'chative.sqlite'));
  const store = opts.wrapStore ? opts.wrapStore(real) : real;
  const agentToken = randomBytes(32).toString('base64url');
  // without siteSecret the secret lives in the settings (as with `npm start`), so rotation works in-process too
  const app = createApp({ rateLimit: 0, ...opts, store, agentToken });
  const secret = app.services.settings.get().secret;
  return {
    app,
    store,
    agentToken,
    secret,
    dataDir,
    close() {
      app.services.limiter.stop();
      real.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh in-process app and a client of it before each test, closed after it; `use` receives both. */
export function useTestApp(use: (t: TestApp, api: ReturnType<typeof createClient>) => void): void {
  let t: TestApp | undefined;
  beforeEach(() => {
    t = createTestApp();
    const app = t;
    use(app, createClient((p, i) => app.app.request(p, i), app.agentToken));
  });
  afterEach(() => t?.close());
}
