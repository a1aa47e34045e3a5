// Auth by route group (issue 9 item 6): walks every route the app registers and proves each agent route
// answers 401 without the agent token, each visitor route 401 without a visitor token, and that no route
// lives outside a group.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { teamAuth } from '../../server-stub/src/http/auth.js';
import type { AppEnv } from '../../server-stub/src/http/env.js';
import { HttpError } from '../../server-stub/src/http/http-error.js';
import { mountGroup } from '../../server-stub/src/http/route-group.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: Parameters<Parameters<typeof useTestApp>[0]>[1];
useTestApp((app, client) => { t = app; api = client; });

/** Every "METHOD /path" the app answers (middleware-only `ALL` entries and CORS preflights aside). */
const routeKeys = () => [...new Set(t.app.routes.filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS').map((r) => `${r.method} ${r.path}`))];

/** A concrete URL for a route pattern: each `:param` (with or without a {regex}) and `*` filled in. */
const concrete = (path: string) => path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_, name: string) => (name === 'page' ? 'x.html' : 'x1')).replace(/\*/g, 'x');

/** Status of one request; a streaming answer is cancelled right away. */
async function statusOf(key: string, token?: string) {
  const [method, path] = key.split(' ');
  const res = await t.app.request(concrete(path), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(['POST', 'PUT', 'PATCH'].includes(method) ? { 'content-type': 'application/json' } : {}) },
    body: ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined,
  });
  await res.body?.cancel();
  return res.status;
}

describe('route groups', () => {
  it('every registered route belongs to exactly one group; the credential-free ones are exactly these', () => {
    const { open, visitor, agent, public: pub, signin } = t.app.groups;
    const all = routeKeys();
    expect(all.length).toBeGreaterThan(30);
    for (const key of all) {
      expect([open, visitor, agent, pub, signin].filter((g) => g.includes(key as never)).length, key).toBe(1);
    }
    // making a route callable without credentials must be a deliberate change to this list
    expect([...open].sort()).toEqual(['GET /v1/sites/:siteId/config', 'POST /v1/sessions']);
    // the console's sign-in (issue 11): each checks a password or a one-time token itself
    expect([...signin].sort()).toEqual(['GET /v1/setup', 'POST /v1/auth/login', 'POST /v1/invites/accept', 'POST /v1/setup']);
    expect([...pub].every((k) => k === 'POST /demo/login' || k.startsWith('GET ') && !k.startsWith('GET /v1/'))).toBe(true);
  });

  it('each agent route answers 401 without credentials and with a visitor token; the agent token gets past it', async () => {
    const visitorToken = (await api.session()).token;
    expect(t.app.groups.agent.length).toBeGreaterThan(20);
    for (const key of t.app.groups.agent) {
      expect(await statusOf(key), `${key} without credentials`).toBe(401);
      expect(await statusOf(key, visitorToken), `${key} with a visitor token`).toBe(401);
      expect(await statusOf(key, t.agentToken), `${key} with the agent token`).not.toBe(401);
    }
  });

  it('each visitor route answers 401 without a token and with the agent token; a visitor token gets past it', async () => {
    expect(t.app.groups.visitor.length).toBeGreaterThanOrEqual(5);
    for (const key of t.app.groups.visitor) {
      expect(await statusOf(key), `${key} without a token`).toBe(401);
      expect(await statusOf(key, t.agentToken), `${key} with the agent token`).toBe(401);
      // a fresh visitor each time: DELETE /v1/session revokes its token
      expect(await statusOf(key, (await api.session()).token), `${key} with a visitor token`).not.toBe(401);
    }
  });

  it('the open and public routes answer without credentials', async () => {
    for (const key of [...t.app.groups.open, ...t.app.groups.public]) expect(await statusOf(key), key).not.toBe(401);
    // sign-in endpoints judge their body: an empty one is a 400 naming the fields, never a 401 for lack of credentials
    for (const key of t.app.groups.signin) expect(await statusOf(key), key).not.toBe(401);
  });

  it('a route added to a group gets its guard, and the guard does not leak to routes outside the group', async () => {
    const app = new Hono<AppEnv>();
    app.onError((err, c) => c.text(err.message, err instanceof HttpError ? err.status : 500));
    const added = new Hono().get('/v1/new-thing', (c) => c.text('secret'));
    const keys = mountGroup(app, [teamAuth({ store: t.store, agentToken: 'agent-token-for-this-test' })], [added]);
    app.get('/free', (c) => c.text('free'));
    expect(keys).toEqual(['GET /v1/new-thing']);
    expect((await app.request('/v1/new-thing')).status).toBe(401);
    expect((await app.request('/v1/new-thing', { headers: { authorization: 'Bearer agent-token-for-this-test' } })).status).toBe(200);
    expect((await app.request('/free')).status).toBe(200);
  });
});
