// The real server (main.ts) on PostgreSQL: DATABASE_URL selects the engine, data survives kill -9 and a restart, two
// instances started together on an empty database share one generated site secret, and a DATABASE_URL that is not
// PostgreSQL stops the start with one line.
import { describe, expect, it } from 'vitest';
import { startServer } from './helpers/spawn-server.js';
import { freshPgDatabase, pgSkip } from './helpers/pg.js';

const json = async (url: string, path: string, init: RequestInit & { token?: string } = {}) => {
  const r = await fetch(url + path, { ...init, headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) } });
  return { status: r.status, body: (await r.json().catch(() => null)) as any };
};

describe.skipIf(pgSkip)(`the server on PostgreSQL${pgSkip ? ' — skipped: PostgreSQL is not installed' : ''}`, () => {
  it('DATABASE_URL stores in PostgreSQL: an acknowledged message survives kill -9 and is read back by a new process', async () => {
    const DATABASE_URL = await freshPgDatabase();
    const env = { DATABASE_URL, CHATIVE_RATE_LIMIT: '0' };
    const a = await startServer({ env });
    let token: string;
    try {
      expect(a.output()).toContain('database       postgres://chative@127.0.0.1:');
      const s = await json(a.url, '/v1/sessions', { method: 'POST', body: JSON.stringify({ siteId: 'default' }) });
      expect(s.status).toBe(201);
      token = s.body.token;
      const sync = await json(a.url, '/v1/sync', { method: 'POST', token, body: JSON.stringify({ events: [{ id: 'event-0001', type: 'message', text: 'kept in postgres' }] }) });
      expect(sync.status, JSON.stringify(sync.body)).toBe(200);
      expect(sync.body.results[0]).toMatchObject({ status: 'applied' });
      await a.kill('SIGKILL');
    } finally {
      await a.stop();
    }
    const b = await startServer({ env: { ...env, CHATIVE_AGENT_TOKEN: a.agentToken, CHATIVE_SITE_SECRET: a.secret } });
    try {
      const history = await json(b.url, '/v1/messages', { token });
      expect(history.status).toBe(200);
      expect(history.body.items.map((m: { text: string }) => m.text)).toEqual(['kept in postgres']);
    } finally {
      await b.stop();
    }
  });

  it('two instances started together on an empty database generate one site secret between them', async () => {
    const DATABASE_URL = await freshPgDatabase();
    const env = { DATABASE_URL, CHATIVE_SITE_SECRET: '', CHATIVE_RATE_LIMIT: '0' };
    const [a, b] = await Promise.all([startServer({ env }), startServer({ env })]);
    try {
      expect(a.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(b.secret).toBe(a.secret);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('a DATABASE_URL that is not PostgreSQL stops the start with one line naming the variable', async () => {
    await expect(startServer({ env: { DATABASE_URL: 'mysql://db/chative' }, timeoutMs: 20_000 })).rejects.toThrow(/Chative cannot start: DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
  });
});
