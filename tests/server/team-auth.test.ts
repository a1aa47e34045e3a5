// Issue 11 over real HTTP (the server process, loopback): first-start setup link, the session cookie, CSRF,
// fixation, a stolen cookie after sign-out, replay after disable, invites used twice or expired, role escalation,
// and 1,000 wrong passwords from one address and against one account from many — each a clear 4xx, no 5xx.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peekDb } from './helpers/db-peek.js';
import { startServer, type RunningServer } from './helpers/spawn-server.js';
import { openStream } from './helpers/sse.js';
import { addTeammate, browser, PASSWORD, type Browser } from './helpers/team.js';

let srv: RunningServer;
let owner: Browser;
let ownerId: string;
const fetcher = (p: string, i?: RequestInit) => fetch(srv.url + p, i);
const b = () => browser(fetcher, srv.url);

/** A login sent from a chosen loopback address (127.0.0.x): the server sees a different client IP. */
function loginFrom(ip: string, email: string, password: string): Promise<number> {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = request(`${srv.url}/v1/auth/login`, { method: 'POST', localAddress: ip, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  srv = await startServer();
}, 60_000);
afterAll(() => srv?.stop());

describe('first start', () => {
  it('prints a one-time setup link; setup makes the owner once (then 409) and signs them in with a proper cookie', async () => {
    const m = /\/console\/#\/setup\?token=([A-Za-z0-9_-]+)/.exec(srv.output());
    expect(m, srv.output()).not.toBeNull();
    owner = b();
    expect((await owner.call('GET', '/v1/setup')).json).toEqual({ needed: true });
    // a wrong token is refused and makes nobody
    const wrong = await owner.call('POST', '/v1/setup', { token: 'x'.repeat(43), name: 'Mallory', email: 'm@example.com', password: PASSWORD });
    expect(wrong.status).toBe(403);
    expect((await owner.call('GET', '/v1/setup')).json).toEqual({ needed: true });
    // a short password names the field
    const short = await owner.call('POST', '/v1/setup', { token: m![1], name: 'Olga', email: 'owner@example.com', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.json.error.issues[0].path).toEqual(['password']);

    const ok = await owner.call('POST', '/v1/setup', { token: m![1], name: 'Olga Owner', email: 'Owner@Example.com', password: PASSWORD });
    expect(ok.status).toBe(201);
    expect(ok.json.agent).toMatchObject({ name: 'Olga Owner', role: 'owner', disabled: false });
    ownerId = ok.json.agent.id;
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^chative_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain http on loopback
    // only its hash is stored
    const db = peekDb(srv);
    expect(await db.all('SELECT CAST(count(*) AS INTEGER) AS n FROM agent_sessions WHERE hash = ?', [owner.cookie])).toEqual([{ n: 0 }]);
    await db.close();

    const again = await b().call('POST', '/v1/setup', { token: m![1], name: 'Eve', email: 'eve@example.com', password: PASSWORD });
    expect(again.status).toBe(409);
    expect((await owner.call('GET', '/v1/me')).json).toMatchObject({ agent: { id: ownerId, email: 'Owner@Example.com' }, role: 'owner', actor: { kind: 'agent', id: ownerId, name: 'Olga Owner' } });
    // the email is unique case-insensitively and sign-in ignores case
    const login = await b().call('POST', '/v1/auth/login', { email: 'OWNER@example.COM', password: PASSWORD });
    expect(login.status).toBe(200);
  }, 60_000);
});

describe('sessions', () => {
  it('CSRF: a cookie-authenticated write without the console Origin (missing, foreign, or a cross-site form) is 403 and changes nothing', async () => {
    const noOrigin = await owner.call('PATCH', '/v1/me', { name: 'Hacked' }, { origin: '' });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.json.error.code).toBe('cross_site_request');
    const evil = await owner.call('PATCH', '/v1/me', { name: 'Hacked' }, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    // an HTML form cannot send JSON: refused before anything runs, and still needs the Origin
    const form = await fetch(`${srv.url}/v1/auth/logout-all`, { method: 'POST', headers: { origin: 'https://evil.example', cookie: `chative_session=${owner.cookie}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    const me = await owner.call('GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.json.agent.name).toBe('Olga Owner');
    // a login posted from another site is refused too (login CSRF)
    expect((await b().call('POST', '/v1/auth/login', { email: 'owner@example.com', password: PASSWORD }, { origin: 'https://evil.example' })).status).toBe(403);
    // the same write from the console's origin works
    expect((await owner.call('PATCH', '/v1/me', { name: 'Olga O.' })).json.agent.name).toBe('Olga O.');
  });

  it('fixation: signing in always issues a new id and ends the one the browser had', async () => {
    const x = b();
    expect((await x.call('POST', '/v1/auth/login', { email: 'owner@example.com', password: PASSWORD })).status).toBe(200);
    const first = x.cookie!;
    const planted = b();
    planted.cookie = first;
    expect((await x.call('POST', '/v1/auth/login', { email: 'owner@example.com', password: PASSWORD })).status).toBe(200);
    expect(x.cookie).not.toBe(first);
    expect((await planted.call('GET', '/v1/me')).status).toBe(401);
    expect((await x.call('GET', '/v1/me')).status).toBe(200);
  });

  it('a cookie copied before sign-out is dead after it; sign out everywhere ends every session', async () => {
    const a = b();
    await a.call('POST', '/v1/auth/login', { email: 'owner@example.com', password: PASSWORD });
    const stolen = b();
    stolen.cookie = a.cookie;
    expect((await stolen.call('GET', '/v1/me')).status).toBe(200);
    expect((await a.call('POST', '/v1/auth/logout')).status).toBe(204);
    expect(a.cookie).toBeUndefined();
    expect((await stolen.call('GET', '/v1/me')).status).toBe(401);

    const c1 = b();
    const c2 = b();
    await c1.call('POST', '/v1/auth/login', { email: 'owner@example.com', password: PASSWORD });
    await c2.call('POST', '/v1/auth/login', { email: 'owner@example.com', password: PASSWORD });
    const all = await c1.call('POST', '/v1/auth/logout-all');
    expect(all.status).toBe(200);
    expect(all.json.ended).toBeGreaterThanOrEqual(3); // c1, c2 and the owner's own
    expect((await c2.call('GET', '/v1/me')).status).toBe(401);
    expect((await owner.call('GET', '/v1/me')).status).toBe(401);
    owner = b();
    expect((await owner.call('POST', '/v1/auth/login', { email: 'owner@example.com', password: PASSWORD })).status).toBe(200);
  }, 60_000);

  it('a disabled agent is out at once: cookie, API token and open stream', async () => {
    const { browser: ann, agent } = await addTeammate(owner, fetcher, srv.url, 'Ann Admin', 'ann@example.com', 'admin');
    const token = await ann.call('POST', '/v1/api-tokens', { name: 'Ann CI', role: 'agent' });
    expect(token.status).toBe(201);
    expect(token.json.token).toMatch(/^chv_/);
    const stream = openStream(`${srv.url}/v1/agent/stream`, { cookie: `chative_session=${ann.cookie}` });
    expect(await stream.opened).toBe(200);
    const tokenStream = openStream(`${srv.url}/v1/agent/stream`, { authorization: `Bearer ${token.json.token}` });
    expect(await tokenStream.opened).toBe(200);
    const replay = ann.cookie;

    expect((await owner.call('PATCH', `/v1/agents/${agent.id}`, { disabled: true })).json).toMatchObject({ id: agent.id, disabled: true });
    await stream.until(() => stream.ended);
    await tokenStream.until(() => tokenStream.ended);
    const again = b();
    again.cookie = replay;
    expect((await again.call('GET', '/v1/me')).status).toBe(401);
    expect((await fetch(`${srv.url}/v1/contacts`, { headers: { authorization: `Bearer ${token.json.token}` } })).status).toBe(401);
    // and the right password no longer signs in (the same 401 as a wrong one)
    const login = await b().call('POST', '/v1/auth/login', { email: 'ann@example.com', password: PASSWORD });
    expect(login.status).toBe(401);
    expect(login.json.error.code).toBe('invalid_credentials');
  }, 60_000);
});

describe('invites and roles', () => {
  it('an invite works once; an expired one is refused; the account stays pending', async () => {
    const inv = await owner.call('POST', '/v1/agents', { name: 'Ian', email: 'ian@example.com', role: 'agent' });
    expect(inv.status).toBe(201);
    expect(inv.json.invite.url).toMatch(new RegExp(`^${srv.url}/console/#/invite\\?token=`));
    expect(Date.parse(inv.json.invite.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    const token = new URL(inv.json.invite.url.replace('#/', '')).searchParams.get('token')!;
    expect((await b().call('POST', '/v1/invites/accept', { token, password: PASSWORD })).status).toBe(200);
    const twice = await b().call('POST', '/v1/invites/accept', { token, password: 'another password!' });
    expect(twice.status).toBe(409);
    expect(twice.json.error.code).toBe('invite_used');
    // the first password still signs in, the second does not
    expect((await b().call('POST', '/v1/auth/login', { email: 'ian@example.com', password: PASSWORD })).status).toBe(200);

    const late = await owner.call('POST', '/v1/agents', { name: 'Lee', email: 'lee@example.com', role: 'agent' });
    const lateToken = new URL(late.json.invite.url.replace('#/', '')).searchParams.get('token')!;
    const db = peekDb(srv);
    await db.all('UPDATE invites SET expires_at = ? WHERE agent_id = ?', [new Date(Date.now() - 1000).toISOString(), late.json.agent.id]);
    await db.close();
    const expired = await b().call('POST', '/v1/invites/accept', { token: lateToken, password: PASSWORD });
    expect(expired.status).toBe(409);
    expect(expired.json.error.code).toBe('invite_expired');
    const list = await owner.call('GET', '/v1/agents');
    expect(list.json.items.find((a: { id: string }) => a.id === late.json.agent.id)).toMatchObject({ pending: true, lastActiveAt: null });
    expect((await b().call('POST', '/v1/invites/accept', { token: 'y'.repeat(43), password: PASSWORD })).status).toBe(404);
  }, 60_000);

  it('no escalation: PATCH /v1/me cannot set a role; an admin cannot touch owners or make one; the last owner stays', async () => {
    const { browser: adam, agent: adamAgent } = await addTeammate(owner, fetcher, srv.url, 'Adam', 'adam@example.com', 'admin');
    const me = await adam.call('PATCH', '/v1/me', { role: 'owner' });
    expect(me.status).toBe(400);
    expect(me.json.error.issues[0].path).toEqual(['role']);
    for (const [path, body] of [
      [`/v1/agents/${adamAgent.id}`, { role: 'owner' }],
      [`/v1/agents/${ownerId}`, { role: 'agent' }],
      [`/v1/agents/${ownerId}`, { disabled: true }],
      [`/v1/agents/${ownerId}`, { name: 'Renamed' }],
    ] as const) {
      const r = await adam.call('PATCH', path, body);
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(403);
    }
    expect((await adam.call('POST', '/v1/agents', { name: 'Otto', email: 'otto@example.com', role: 'owner' })).status).toBe(403);
    expect((await adam.call('POST', '/v1/api-tokens', { name: 'root', role: 'owner' })).status).toBe(403);
    const { browser: agnes } = await addTeammate(owner, fetcher, srv.url, 'Agnes', 'agnes@example.com', 'agent');
    expect((await agnes.call('PATCH', `/v1/agents/${adamAgent.id}`, { role: 'agent' })).status).toBe(403);
    expect((await agnes.call('GET', '/v1/settings')).status).toBe(403);
    // nothing changed
    const team = (await owner.call('GET', '/v1/agents')).json.items as { id: string; role: string; name: string; disabled: boolean }[];
    expect(team.find((a) => a.id === adamAgent.id)!.role).toBe('admin');
    expect(team.find((a) => a.id === ownerId)).toMatchObject({ role: 'owner', disabled: false, name: 'Olga O.' });
    expect(team.filter((a) => a.role === 'owner')).toHaveLength(1);
    // the last active owner cannot step down
    const down = await owner.call('PATCH', `/v1/agents/${ownerId}`, { role: 'admin' });
    expect(down.status).toBe(409);
    expect(down.json.error.code).toBe('last_owner');
    expect((await owner.call('PATCH', `/v1/agents/${ownerId}`, { disabled: true })).status).toBe(409);
  }, 60_000);

  it('PATCH /v1/me changes the password only with the current one, and ends the other sessions', async () => {
    const { browser: pat } = await addTeammate(owner, fetcher, srv.url, 'Pat', 'pat@example.com', 'agent');
    const other = b();
    await other.call('POST', '/v1/auth/login', { email: 'pat@example.com', password: PASSWORD });
    const wrong = await pat.call('PATCH', '/v1/me', { password: { current: 'not my password', next: 'a brand new one' } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.issues[0].path).toEqual(['password', 'current']);
    expect((await pat.call('PATCH', '/v1/me', { password: { current: PASSWORD, next: 'short' } })).status).toBe(400);
    expect((await pat.call('PATCH', '/v1/me', { password: { current: PASSWORD, next: 'a brand new one' } })).status).toBe(200);
    expect((await pat.call('GET', '/v1/me')).status).toBe(200);
    expect((await other.call('GET', '/v1/me')).status).toBe(401);
    expect((await b().call('POST', '/v1/auth/login', { email: 'pat@example.com', password: PASSWORD })).status).toBe(401);
    expect((await b().call('POST', '/v1/auth/login', { email: 'pat@example.com', password: 'a brand new one' })).status).toBe(200);
  }, 60_000);

  it('API tokens act with their role, are listed without the secret, and stop at once when revoked', async () => {
    const made = await owner.call('POST', '/v1/api-tokens', { name: 'Zapier', role: 'agent' });
    expect(made.status).toBe(201);
    const auth = { authorization: `Bearer ${made.json.token}` };
    expect((await fetch(`${srv.url}/v1/contacts`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${srv.url}/v1/settings`, { headers: auth })).status).toBe(403);
    const me = await (await fetch(`${srv.url}/v1/me`, { headers: auth })).json();
    expect(me).toEqual({ agent: null, role: 'agent', actor: { kind: 'api', id: made.json.id, name: 'Zapier' } });
    const list = await owner.call('GET', '/v1/api-tokens');
    expect(list.text).not.toContain(made.json.token);
    expect(list.json.items.map((x: { id: string }) => x.id)).toContain(made.json.id);
    expect((await owner.call('DELETE', `/v1/api-tokens/${made.json.id}`)).status).toBe(204);
    expect((await fetch(`${srv.url}/v1/contacts`, { headers: auth })).status).toBe(401);
    // the env token is still an owner
    const env = await (await fetch(`${srv.url}/v1/me`, { headers: { authorization: `Bearer ${srv.agentToken}` } })).json();
    expect(env).toMatchObject({ agent: null, role: 'owner', actor: { kind: 'api', name: 'CHATIVE_AGENT_TOKEN' } });
  });
});

describe('brute force', () => {
  it('1,000 wrong passwords from one address: 429 after a few, never a 5xx; the right password waits too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i++) statuses.push(await loginFrom('127.0.0.1', `victim${i % 50}@example.com`, `wrong password ${i}`));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(25);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(975);
    expect(await loginFrom('127.0.0.1', 'owner@example.com', PASSWORD)).toBe(429);
    // another address is not slowed by this one
    expect(await loginFrom('127.0.0.3', 'owner@example.com', PASSWORD)).toBe(200);
  }, 120_000);

  it('1,000 wrong passwords against one account from many addresses: that account is slowed (429)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 1000; i++) statuses.push(await loginFrom(`127.0.${10 + (i % 200)}.${1 + (i % 250)}`, 'ian@example.com', `wrong ${i}`));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(12);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(988);
    // other accounts sign in
    expect(await loginFrom('127.0.5.5', 'owner@example.com', PASSWORD)).toBe(200);
  }, 120_000);
});
