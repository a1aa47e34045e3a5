// Issue 11: the unattended owner (CHATIVE_OWNER_*; two instances racing on one database agree on one owner),
// conversation changes on the change bus (for rules and webhooks), and the activity row rolling back with its change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHub } from '../../server-stub/src/live/hub.js';
import { createRateLimiter } from '../../server-stub/src/http/rate-limit.js';
import { createAccounts } from '../../server-stub/src/services/accounts.js';
import type { Actor, ConversationChange } from '../../server-stub/src/services/changes.js';
import { createPresence } from '../../server-stub/src/services/presence.js';
import { createSqliteStore } from '../../server-stub/src/storage/sqlite-store.js';
import { createClient } from './helpers/client.js';
import { openPgPeer, openPgStore } from './helpers/pg.js';
import { startServer } from './helpers/spawn-server.js';
import { browser } from './helpers/team.js';
import { createTestApp } from './helpers/test-app.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('first owner', () => {
  it('CHATIVE_OWNER_EMAIL + _PASSWORD make the owner on the first start: no setup link, sign-in works, setup is closed', async () => {
    const srv = await startServer({ env: { CHATIVE_OWNER_EMAIL: 'boss@example.com', CHATIVE_OWNER_PASSWORD: 'a long enough password' } });
    try {
      expect(srv.output()).toContain('owner          boss@example.com');
      expect(srv.output()).not.toContain('#/setup?token=');
      const b = browser((p, i) => fetch(srv.url + p, i), srv.url);
      expect((await b.call('POST', '/v1/auth/login', { email: 'boss@example.com', password: 'a long enough password' })).json.agent).toMatchObject({ role: 'owner' });
      expect((await b.call('GET', '/v1/setup')).json).toEqual({ needed: false });
    } finally {
      await srv.stop();
    }
  }, 60_000);

  it('two instances starting at once on one database make exactly one owner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chative-race-'));
    dirs.push(dir);
    const file = join(dir, 'chative.sqlite');
    // server-pg: two stores on one PostgreSQL database, the way two instances share it
    const stores = process.env.CHATIVE_TEST_ENGINE === 'pg' ? [await openPgStore(), await openPgPeer()] : [createSqliteStore(file), createSqliteStore(file)];
    const instances = stores.map((store) => {
      const hub = createHub();
      return { store, accounts: createAccounts({ store, hub, limiter: createRateLimiter(0), presence: createPresence(hub) }) };
    });
    const env = { ownerEmail: 'boss@example.com', ownerPassword: 'a long enough password' };
    const results = await Promise.all(instances.map((i) => i.accounts.prepare(env)));
    expect(results.filter((r) => r?.created)).toHaveLength(1);
    const agents = await instances[0].store.read((r) => r.listAgents());
    expect(agents.map((a) => [a.email, a.role])).toEqual([['boss@example.com', 'owner']]);
    expect(await instances[1].store.read((r) => r.teamFounder())).toBe(agents[0].id);
    for (const i of instances) await i.store.close();
  }, 60_000);
});

describe('the change bus', () => {
  it('reports status and assignee changes as `conversation` changes with their actor; a visitor reopening is one too', async () => {
    const t = await createTestApp();
    try {
      const api = createClient((p, i) => t.app.request(p, i), t.agentToken);
      const seen: (ConversationChange & { actor: Actor })[] = [];
      t.app.services.changes.on(async (_tx, list, out) => {
        for (const c of list) if (c.change === 'conversation') seen.push({ ...c, actor: out.actor });
      });
      const v = await api.session();
      const sent = await api.sync(v.token, [{ type: 'message', text: 'help' }]);
      const id = sent.json.results[0].message.conversationId;
      expect((await api.agent('PATCH', `/v1/conversations/${id}`, { status: 'resolved' })).status).toBe(200);
      // the same status again is no change
      expect((await api.agent('PATCH', `/v1/conversations/${id}`, { status: 'resolved' })).status).toBe(200);
      await api.sync(v.token, [{ type: 'message', text: 'still there?' }]);
      expect(seen.map((c) => [c.field, c.from, c.to, c.actor.kind])).toEqual([
        ['status', 'open', 'resolved', 'api'],
        ['status', 'resolved', 'open', 'visitor'],
      ]);
      expect(seen[0]).toMatchObject({ conversationId: id, contactId: v.contact.id, actor: { name: 'CHATIVE_AGENT_TOKEN' } });
    } finally {
      await t.close();
    }
  });

  it('an activity row is part of its change: a failed unit leaves neither', async () => {
    const t = await createTestApp();
    try {
      const api = createClient((p, i) => t.app.request(p, i), t.agentToken);
      const v = await api.session();
      t.app.services.changes.on(async (_tx, list) => {
        if (list.some((c) => c.change === 'note')) throw new Error('a later listener failed');
      });
      expect((await api.agent('PUT', `/v1/contacts/${v.contact.id}/note`, { text: 'x' })).status).toBe(500);
      const items = (await api.agent('GET', `/v1/contacts/${v.contact.id}/activity`)).json.items as { change: string }[];
      expect(items.map((i) => i.change)).not.toContain('note');
      expect(items.map((i) => i.change)).toContain('created');
    } finally {
      await t.close();
    }
  });
});

describe('behind https', () => {
  it('with an https CHATIVE_PUBLIC_URL the cookie is Secure and writes must come from that origin', async () => {
    const t = await createTestApp({ publicOrigin: 'https://chat.example.com' });
    try {
      const prepared = await t.app.services.accounts.prepare({});
      const b = browser((p, i) => t.app.request(p, i), 'https://chat.example.com');
      const made = await b.call('POST', '/v1/setup', { token: prepared!.setupToken, name: 'Olga', email: 'o@example.com', password: 'a long enough password' });
      expect(made.status).toBe(201);
      expect(made.headers.get('set-cookie')).toMatch(/; Secure/);
      expect((await b.call('PATCH', '/v1/me', { name: 'Olga P.' })).status).toBe(200);
      // the address the request reached (plain http here) is not the console's origin
      expect((await b.call('PATCH', '/v1/me', { name: 'Mallory' }, { origin: 'http://localhost' })).status).toBe(403);
      expect((await b.call('GET', '/v1/me')).json.agent.name).toBe('Olga P.');
    } finally {
      await t.close();
    }
  });
});
