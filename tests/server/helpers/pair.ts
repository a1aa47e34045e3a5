// Two (or more) real server processes on one PostgreSQL database (CONTRACT §10): same agent token and site secret,
// each its own DATA_DIR and port. Used by tests/server/multi-*.test.ts.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createClient } from './client.js';
import { pgDatabaseUrl } from './pg.js';
import { startServer, type RunningServer } from './spawn-server.js';

export type Instance = RunningServer & { api: ReturnType<typeof createClient> };

const shared = { CHATIVE_AGENT_TOKEN: randomBytes(32).toString('base64url'), CHATIVE_SITE_SECRET: randomBytes(32).toString('hex') };

/** One more instance on this test file's database; `env` adds to (or overrides) the shared settings. */
export async function startInstance(env: Record<string, string> = {}): Promise<Instance> {
  const srv = await startServer({ env: { DATABASE_URL: await pgDatabaseUrl(), CHATIVE_RATE_LIMIT: '0', ...shared, ...env } });
  return Object.assign(srv, { api: createClient((p, i) => fetch(srv.url + p, i), srv.agentToken) });
}

/** A direct connection to the file's database (pg_stat_activity, pg_terminate_backend); end() it after. */
export async function adminSql() {
  return postgres(await pgDatabaseUrl(), { max: 1, onnotice: () => {} });
}

export const bearer = (token: string, last?: number) => ({ authorization: `Bearer ${token}`, ...(last !== undefined ? { 'last-event-id': String(last) } : {}) });
