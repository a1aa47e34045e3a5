// /v1/sessions + /v1/sync in-process: the climb, the HMAC matrix, idempotent replay (sequential and concurrent).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

describe('sessions', () => {
  it('issues a 256-bit token, stores only its hash, and resumes', async () => {
    const s = await api.session({ siteId: 'default', timezone: 'Europe/Paris', locale: 'fr-FR' });
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.contact).toMatchObject({ type: 'guest', timezone: 'Europe/Paris' });
    expect(s.contact).not.toHaveProperty('note');
    // only SHA-256(token) is stored: the raw token appears nowhere in the database (files, or PostgreSQL's rows)
    const stored = await t.dump();
    expect(stored).not.toContain(s.token);
    expect(stored).toContain(createHash('sha256').update(s.token).digest('hex'));
    const r = await api.call('GET', '/v1/session', undefined, s.token);
    expect(r.status).toBe(200);
    expect(r.json.contact.id).toBe(s.contact.id);
  });
  it('logout revokes the token everywhere', async () => {
    const s = await api.session();
    expect((await api.call('DELETE', '/v1/session', undefined, s.token)).status).toBe(204);
    for (const [m, p] of [['GET', '/v1/session'], ['POST', '/v1/sync'], ['GET', '/v1/messages'], ['GET', '/v1/stream']] as const) {
      const r = await api.call(m, p, m === 'POST' ? { events: [] } : undefined, s.token);
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('invalid_token');
    }
  });
  it('refuses an unknown site, a bad timezone and a missing token', async () => {
    expect((await api.call('POST', '/v1/sessions', { siteId: 'nope' })).status).toBe(404);
    const tz = await api.call('POST', '/v1/sessions', { siteId: 'default', timezone: 'Mars/Olympus' });
    expect(tz.status).toBe(400);
    expect(tz.json.error.issues[0].path).toEqual(['timezone']);
    expect((await api.call('POST', '/v1/sync', { events: [] })).status).toBe(401);
    expect((await api.call('POST', '/v1/sync', { events: [] }, 'x'.repeat(43))).status).toBe(401);
  });
  it('serves the public config without the secret', async () => {
    const r = await api.call('GET', '/v1/sites/default/config');
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(t.secret);
    expect(r.json.form.fields.map((f: any) => f.key)).toEqual(['name', 'email', 'phone']);
    expect((await api.call('GET', '/v1/sites/other/config')).status).toBe(404);
  });
});

describe('the climb guest -> lead -> customer', () => {
  it('lead form, then verified identify', async () => {
    const s = await api.session();
    const lead = await api.sync(s.token, [{ type: 'lead', name: 'Ada', email: 'ada@example.com' }]);
    expect(lead.status).toBe(200);
    expect(lead.json.results[0].status).toBe('applied');
    expect(lead.json.contact.type).toBe('lead');
    const id = await api.sync(s.token, [{ type: 'identify', customerId: 'cust-1', userHash: userHashFor(t.secret, 'cust-1') }]);
    expect(id.json.results[0].status).toBe('applied');
    expect(id.json.contact).toMatchObject({ type: 'customer', customerId: 'cust-1', name: 'Ada' });
    const agent = await api.agent('GET', `/v1/contacts/${s.contact.id}`);
    expect(agent.json).toMatchObject({ type: 'customer', customerId: 'cust-1', verified: true });
  });
  it('a name alone stays guest; clearing the email never downgrades', async () => {
    const s = await api.session();
    expect((await api.sync(s.token, [{ type: 'update', name: 'Bob' }])).json.contact.type).toBe('guest');
    expect((await api.sync(s.token, [{ type: 'update', phone: '+44 20 7946 0958' }])).json.contact).toMatchObject({ type: 'lead', phone: '+442079460958' });
    expect((await api.sync(s.token, [{ type: 'update', phone: null }])).json.contact).toMatchObject({ type: 'lead', phone: null });
  });
  it('the lead form needs the required fields and an email or phone', async () => {
    const s = await api.session();
    const r = await api.sync(s.token, [{ type: 'lead', name: 'Ada' }]);
    expect(r.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'validation_failed' } });
    expect(r.json.results[0].error.issues[0].path).toEqual(['email']);
    const noName = await api.sync(s.token, [{ type: 'lead', email: 'a@b.co' }]);
    expect(noName.json.results[0].error.issues[0].path).toEqual(['name']);
    expect(noName.json.contact.email).toBeNull();
  });
  it('a bad email is rejected naming the field and changes nothing; later events still apply', async () => {
    const s = await api.session();
    const r = await api.sync(s.token, [
      { type: 'update', name: 'Ada', email: 'not-an-email' },
      { type: 'message', text: 'still here' },
    ]);
    expect(r.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'validation_failed', issues: [{ path: ['email'] }] } });
    expect(r.json.results[1].status).toBe('applied');
    expect(r.json.contact.name).toBeNull();
  });
  it('a pre-chat form with an existing customer email does not merge (only a duplicate flag for agents)', async () => {
    const victim = await api.session();
    await api.sync(victim.token, [{ type: 'lead', name: 'Victim', email: 'victim@corp.com' }, { type: 'identify', customerId: 'v-1', userHash: userHashFor(t.secret, 'v-1') }, { type: 'message', text: 'secret stuff' }]);
    const attacker = await api.session();
    const r = await api.sync(attacker.token, [{ type: 'lead', name: 'Mallory', email: 'VICTIM@corp.com' }]);
    expect(r.json.contact.id).toBe(attacker.contact.id);
    expect(r.json.contact).toMatchObject({ type: 'lead', customerId: null, name: 'Mallory' });
    expect(r.json.contact).not.toHaveProperty('possibleDuplicateOf');
    const history = await api.call('GET', '/v1/messages', undefined, attacker.token);
    expect(history.json.items).toEqual([]);
    const agentView = await api.agent('GET', `/v1/contacts/${attacker.contact.id}`);
    expect(agentView.json.possibleDuplicateOf).toBe(victim.contact.id);
    expect((await api.agent('GET', `/v1/contacts/${victim.contact.id}`)).json.name).toBe('Victim');
  });
});

describe('HMAC matrix (only the correct hash upgrades; never a 5xx)', () => {
  const customerId = 'cust-77';
  const cases: [string, (secret: string) => unknown, boolean][] = [
    ['correct', (s) => userHashFor(s, customerId), true],
    ['wrong', () => 'a'.repeat(64), false],
    ['empty', () => '', false],
    ['missing', () => undefined, false],
    ['63 chars', (s) => userHashFor(s, customerId).slice(0, 63), false],
    ['65 chars', (s) => userHashFor(s, customerId) + 'a', false],
    ['uppercase', (s) => userHashFor(s, customerId).toUpperCase(), false],
    ['non-hex', () => 'g'.repeat(64), false],
    ['a number', () => 1234, false],
    ['an object', () => ({ hash: 'x' }), false],
    ["another id's hash", (s) => userHashFor(s, 'cust-78'), false],
    ['another secret', () => userHashFor('another-secret-value', customerId), false],
  ];
  for (const [label, hashOf, ok] of cases)
    it(label, async () => {
      const s = await api.session();
      const ev: Record<string, unknown> = { type: 'identify', customerId };
      const h = hashOf(t.secret);
      if (h !== undefined) ev.userHash = h;
      const r = await api.sync(s.token, [ev]);
      expect(r.status).toBe(200);
      expect(r.json.results[0].status).toBe(ok ? 'applied' : 'rejected');
      if (!ok) expect(r.json.results[0].error.code).toBe('identity_verification_failed');
      expect(r.json.contact.type).toBe(ok ? 'customer' : 'guest');
      expect(r.json.contact.customerId).toBe(ok ? customerId : null);
    });
  it('after a secret rotation the old hash fails and the new one works', async () => {
    const old = userHashFor(t.secret, customerId);
    const { json } = await api.agent('POST', '/v1/settings/secret/rotate');
    const s = await api.session();
    expect((await api.sync(s.token, [{ type: 'identify', customerId, userHash: old }])).json.results[0].status).toBe('rejected');
    expect((await api.sync(s.token, [{ type: 'identify', customerId, userHash: userHashFor(json.secret, customerId) }])).json.results[0].status).toBe('applied');
  });
  it('with verification off, identify is accepted unverified and never merges into the real customer', async () => {
    const real = await api.session();
    await api.sync(real.token, [{ type: 'identify', customerId, userHash: userHashFor(t.secret, customerId) }, { type: 'message', text: 'private' }]);
    await api.agent('PATCH', '/v1/settings', { verification: false });
    const other = await api.session();
    const r = await api.sync(other.token, [{ type: 'identify', customerId }]);
    expect(r.json.results[0].status).toBe('applied');
    expect(r.json.contact.id).toBe(other.contact.id);
    expect((await api.call('GET', '/v1/messages', undefined, other.token)).json.items).toEqual([]);
    expect((await api.agent('GET', `/v1/contacts/${other.contact.id}`)).json.verified).toBe(false);
    expect((await api.agent('GET', `/v1/contacts/${real.contact.id}`)).json.mergedInto).toBeUndefined();
  });
});

describe('idempotency', () => {
  it('a replayed event answers the original result and applies once (sequential)', async () => {
    const s = await api.session();
    const batch = { events: [{ id: 'msg-00000001', type: 'message', text: 'once' }, { id: 'bad-00000001', type: 'update', email: 'nope' }] };
    const a = await api.call('POST', '/v1/sync', batch, s.token);
    const b = await api.call('POST', '/v1/sync', batch, s.token);
    expect(b.json.results[0]).toEqual({ ...a.json.results[0], status: 'duplicate' });
    expect(b.json.results[1]).toEqual({ ...a.json.results[1], status: 'duplicate' });
    const history = await api.call('GET', '/v1/messages', undefined, s.token);
    expect(history.json.items.map((m: any) => m.text)).toEqual(['once']);
  });
  it('the same batch sent twice concurrently is applied once', async () => {
    const s = await api.session();
    const batch = { events: Array.from({ length: 20 }, (_, i) => ({ id: `conc-${String(i).padStart(6, '0')}`, type: 'message', text: `m${i}` })) };
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => api.call('POST', '/v1/sync', batch, s.token)));
    for (const r of [a, b, c]) expect(r.status).toBe(200);
    const statuses = [a, b, c].flatMap((r) => r.json.results.map((x: any) => x.status));
    expect(statuses.filter((x) => x === 'applied')).toHaveLength(20);
    expect(statuses.filter((x) => x === 'duplicate')).toHaveLength(40);
    const history = await api.call('GET', '/v1/messages?limit=200', undefined, s.token);
    expect(history.json.items.map((m: any) => m.text)).toEqual(batch.events.map((e) => e.text));
  });
  it('event ids are per token: another visitor may reuse one', async () => {
    const a = await api.session();
    const b = await api.session();
    const ev = { events: [{ id: 'same-id-0001', type: 'message', text: 'x' }] };
    expect((await api.call('POST', '/v1/sync', ev, a.token)).json.results[0].status).toBe('applied');
    expect((await api.call('POST', '/v1/sync', ev, b.token)).json.results[0].status).toBe('applied');
  });
});

describe('the answer of a message request', () => {
  /** Routes every store method a write unit calls through `around` (its name, and the call to make), for this app. */
  const spyOnUnits = (around: (method: string | symbol, call: () => unknown) => unknown) => {
    const write = t.store.write.bind(t.store);
    t.store.write = ((fn: any, opts: any) => write((tx) => fn(new Proxy(tx, {
      get(target, m) {
        const v = Reflect.get(target, m);
        return typeof v === 'function' ? (...a: unknown[]) => around(m, () => v.apply(target, a)) : v;
      },
    })), opts)) as typeof t.store.write;
  };

  it("takes its contact from the message's own writes on a pipelining engine, and shows the last message's lastSeenAt", async () => {
    const s = await api.session();
    // the first message creates the conversation
    const first = await api.call('POST', '/v1/sync', { events: [{ id: 'msg-ahead-0001', type: 'message', text: 'hi' }] }, s.token);
    expect(first.json.contact).toMatchObject({ id: s.contact.id, lastSeenAt: first.json.results[0].message.createdAt });
    // records, for each contact read inside a write unit, whether the unit's message inserts had all come back
    const readWhileInserting: boolean[] = [];
    let pending = 0;
    let combined = 0;
    spyOnUnits((m, call) => {
      if (m === 'getContact') readWhileInserting.push(pending > 0);
      if (m === 'visitorMessageEvent') combined++;
      const r = call();
      if (m === 'insertMessage') { pending++; void (r as Promise<unknown>).finally(() => pending--).catch(() => undefined); }
      return r;
    });
    const three = [2, 3, 4].map((n) => ({ id: `msg-ahead-000${n}`, type: 'message', text: `m${n}` }));
    const r = await api.call('POST', '/v1/sync', { events: three }, s.token);
    expect(r.json.results.map((x: any) => x.status)).toEqual(['applied', 'applied', 'applied']);
    // the answer is the contact as the last event left it
    expect(r.json.contact).toMatchObject({ id: s.contact.id, lastSeenAt: r.json.results[2].message.createdAt });
    // PostgreSQL: each message, its stored result and its contact are one step (Tx.visitorMessageEvent), no contact
    // read of its own; the others read it once, for the answer, after the writes
    expect(readWhileInserting).toEqual(t.store.pipelines ? [] : [false]);
    expect(combined).toBe(t.store.pipelines ? 3 : 0);
    // and a replay answers each stored result with its message
    const again = await api.call('POST', '/v1/sync', { events: three }, s.token);
    expect(again.json.results.map((x: any) => [x.status, x.message.seq, x.message.text])).toEqual(r.json.results.map((x: any) => ['duplicate', x.message.seq, x.message.text]));
  });

  it('reuses the token its event read in the same pipelined unit (no second read), and still refuses a revoked one', async () => {
    const s = await api.session();
    // counts the token reads by id inside write units (the sync path's own; the auth lookup is by hash)
    let tokenReads = 0;
    spyOnUnits((m, call) => {
      if (m === 'findTokenById') tokenReads++;
      return call();
    });
    const r = await api.call('POST', '/v1/sync', { events: [{ id: 'msg-reuse-0001', type: 'message', text: 'hi' }] }, s.token);
    expect(r.status).toBe(200);
    expect(r.json.results[0].status).toBe('applied');
    expect(r.json.contact).toMatchObject({ id: s.contact.id, lastSeenAt: r.json.results[0].message.createdAt });
    // a pipelining engine (PostgreSQL) answers with the token eventContext read; the others read it for the answer
    expect(tokenReads).toBe(t.store.pipelines ? 0 : 1);
    expect((await api.call('DELETE', '/v1/session', undefined, s.token)).status).toBe(204);
    expect((await api.call('POST', '/v1/sync', { events: [{ id: 'msg-reuse-0002', type: 'message', text: 'hi' }] }, s.token)).status).toBe(401);
  });
});
