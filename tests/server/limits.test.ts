// Every limit at N (accepted) and N+1 (refused with a 4xx naming the field), and hostile input never a 5xx.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
let contactId: string;
let token: string;
beforeEach(async () => {
  t = await createTestApp();
  api = createClient((p, i) => t.app.request(p, i), t.agentToken);
  const s = await api.session();
  contactId = s.contact.id;
  token = s.token;
});
afterEach(() => t.close());

const emailOf = (len: number) => {
  const local = 'a'.repeat(64);
  const domainLen = len - 65;
  const labels: string[] = [];
  let left = domainLen - 3; // ".io"
  while (left > 0) {
    const n = Math.min(63, left);
    labels.push('b'.repeat(n));
    left -= n + 1;
  }
  const email = `${local}@${labels.join('.')}.io`;
  return email.length === len ? email : email.replace('a', 'aa'.slice(0, 1 + len - email.length));
};
const phoneOf = (len: number) => '+33' + ' '.repeat(len - 15) + '612345678' + '   ';

describe('limits at N and N+1', () => {
  const patchCases: [string, (n: number) => Record<string, unknown>, number, string[]][] = [
    ['name', (n) => ({ name: 'n'.repeat(n) }), 255, ['name']],
    ['email', (n) => ({ email: emailOf(n) }), 254, ['email']],
    ['phone', (n) => ({ phone: phoneOf(n) }), 32, ['phone']],
  ];
  for (const [label, body, n, path] of patchCases)
    it(`${label}: ${n} ok, ${n + 1} refused`, async () => {
      expect(String(Object.values(body(n))[0]).length).toBe(n);
      const ok = await api.agent('PATCH', `/v1/contacts/${contactId}`, body(n));
      expect(ok.status, ok.text).toBe(200);
      const bad = await api.agent('PATCH', `/v1/contacts/${contactId}`, body(n + 1));
      expect(bad.status).toBe(400);
      expect(bad.json.error.issues[0].path).toEqual(path);
    });

  it('customer id: 255 ok, 256 refused (identify and agent patch)', async () => {
    const { userHashFor } = await import('../../server-stub/src/domain/identity.js');
    const id255 = 'c'.repeat(255);
    const id256 = 'c'.repeat(256);
    const bad = await api.sync(token, [{ type: 'identify', customerId: id256, userHash: userHashFor(t.secret, id256) }]);
    expect(bad.json.results[0]).toMatchObject({ status: 'rejected', error: { issues: [{ path: ['customerId'] }] } });
    const ok = await api.sync(token, [{ type: 'identify', customerId: id255, userHash: userHashFor(t.secret, id255) }]);
    expect(ok.json.contact.customerId).toBe(id255);
    const other = await api.session();
    expect((await api.agent('PATCH', `/v1/contacts/${other.contact.id}`, { customerId: 'd'.repeat(256) })).json.error.issues[0].path).toEqual(['customerId']);
    expect((await api.agent('PATCH', `/v1/contacts/${other.contact.id}`, { customerId: 'd'.repeat(255) })).status).toBe(200);
  });

  it('custom value: 1,500 ok, 1,501 refused', async () => {
    await api.agent('POST', '/v1/custom-fields', { name: 'Bio', type: 'text' });
    expect((await api.agent('PATCH', `/v1/contacts/${contactId}`, { custom: { bio: 'x'.repeat(1500) } })).status).toBe(200);
    const bad = await api.agent('PATCH', `/v1/contacts/${contactId}`, { custom: { bio: 'x'.repeat(1501) } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toEqual(['custom', 'bio']);
  });

  it('custom-field key: 64 chars of ^[a-z][a-z0-9_]*$ ok, 65 or a bad shape refused', async () => {
    expect((await api.agent('POST', '/v1/custom-fields', { name: 'k', key: 'k' + 'x'.repeat(63), type: 'text' })).status).toBe(201);
    for (const key of ['k' + 'x'.repeat(64), '1abc', '_abc', 'aBc', 'a-b', '']) {
      const r = await api.agent('POST', '/v1/custom-fields', { name: 'k', key, type: 'text' });
      expect(r.status, key).toBe(400);
      expect(r.json.error.issues[0].path).toEqual(['key']);
    }
  });

  it('50 custom fields ok, the 51st refused; a custom object of 51 keys refused', async () => {
    for (let i = 0; i < 50; i++) expect((await api.agent('POST', '/v1/custom-fields', { name: `f${i}`, type: 'number' })).status).toBe(201);
    const r = await api.agent('POST', '/v1/custom-fields', { name: 'f50', type: 'number' });
    expect(r.status).toBe(400);
    expect(r.json.error.issues[0].path).toEqual(['key']);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, i]));
    expect((await api.agent('PATCH', `/v1/contacts/${contactId}`, { custom: fifty })).status).toBe(200);
    const bad = await api.agent('PATCH', `/v1/contacts/${contactId}`, { custom: { ...fifty, f50: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toEqual(['custom']);
  });

  it('tag: 64 ok, 65 refused', async () => {
    expect((await api.agent('PUT', `/v1/contacts/${contactId}/tags/${'t'.repeat(64)}`)).status).toBe(200);
    const bad = await api.agent('PUT', `/v1/contacts/${contactId}/tags/${'t'.repeat(65)}`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toEqual(['tag']);
    expect((await api.agent('POST', '/v1/tags', { name: 'u'.repeat(65) })).json.error.issues[0].path).toEqual(['name']);
  });

  it('note: 20,000 ok, 20,001 refused', async () => {
    expect((await api.agent('PUT', `/v1/contacts/${contactId}/note`, { text: 'n'.repeat(20000) })).status).toBe(200);
    const bad = await api.agent('PUT', `/v1/contacts/${contactId}/note`, { text: 'n'.repeat(20001) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toEqual(['text']);
  });

  it('message: 10,000 ok, 10,001 rejected naming text (sync) and 400 (agent reply)', async () => {
    const r = await api.sync(token, [{ type: 'message', text: 'm'.repeat(10000) }, { type: 'message', text: 'm'.repeat(10001) }, { type: 'message', text: '   ' }]);
    expect(r.json.results[0].status).toBe('applied');
    expect(r.json.results[1]).toMatchObject({ status: 'rejected', error: { code: 'validation_failed', issues: [{ path: ['text'] }] } });
    expect(r.json.results[2].status).toBe('rejected');
    const cv = r.json.results[0].message.conversationId;
    expect((await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: 'a'.repeat(10000) })).status).toBe(201);
    expect((await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: 'a'.repeat(10001) })).json.error.issues[0].path).toEqual(['text']);
  });

  it('body: 64 KB ok, one byte more is 413', async () => {
    const base = JSON.stringify({ events: [{ id: 'body-000001', type: 'message', text: 'x'.repeat(9000) }] });
    const exact = base + ' '.repeat(65536 - base.length);
    expect(Buffer.byteLength(exact)).toBe(65536);
    expect((await api.call('POST', '/v1/sync', exact, token)).status).toBe(200);
    const over = await api.call('POST', '/v1/sync', exact + ' ', token);
    expect(over.status).toBe(413);
    expect(over.json.error.code).toBe('body_too_large');
    expect((await api.call('PUT', `/v1/contacts/${contactId}/note`, JSON.stringify({ text: 'x' }) + ' '.repeat(70000), t.agentToken)).status).toBe(413);
  });

  it('100 events per batch ok, 101 refused', async () => {
    const evs = (n: number) => ({ events: Array.from({ length: n }, (_, i) => ({ id: `batch-${n}-${String(i).padStart(4, '0')}`, type: 'update', name: `n${i}` })) });
    expect((await api.call('POST', '/v1/sync', evs(100), token)).status).toBe(200);
    const r = await api.call('POST', '/v1/sync', evs(101), token);
    expect(r.status).toBe(400);
    expect(r.json.error.issues[0].path).toEqual(['events']);
  });
});

describe('hostile input: a 4xx, never a 5xx, never a crash', () => {
  const bodies: [string, string][] = [
    ['malformed JSON', '{"events":['],
    ['not an object', '[1,2,3]'],
    ['a string', '"hi"'],
    ['null', 'null'],
    ['empty', ''],
    ['events not an array', '{"events":{"id":"x"}}'],
    ['unknown event type', '{"events":[{"id":"abcdefgh","type":"delete_all"}]}'],
    ['short id', '{"events":[{"id":"a","type":"message","text":"x"}]}'],
    ['__proto__ key', '{"events":[],"__proto__":{"admin":true}}'],
    ['nested __proto__', '{"events":[{"id":"abcdefgh","type":"update","custom":{"__proto__":{"x":1}}}]}'],
    ['constructor key', '{"events":[{"id":"abcdefgh","type":"update","constructor":{"prototype":{}}}]}'],
    ['escaped __proto__ key', '{"events":[{"id":"abcdefgh","type":"update","custom":{"\\u005f\\u005fproto__":{"x":1}}}]}'],
    ['deep nesting', '{"events":' + '['.repeat(5000) + ']'.repeat(5000) + '}'],
    ['extra top-level key', '{"events":[],"admin":true}'],
  ];
  for (const [label, body] of bodies)
    it(`sync: ${label}`, async () => {
      const r = await api.call('POST', '/v1/sync', body, token);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.json.error.code).toBeTruthy();
      if (label.includes('__proto__') || label.includes('constructor')) expect(r.json.error.code).toBe('invalid_json');
    });

  const events: [string, Record<string, unknown>, string[]][] = [
    ['huge number', { type: 'update', custom: { seats: 1e400 } }, ['custom', 'seats']],
    ['number beyond 2^53', { type: 'update', custom: { seats: 2 ** 60 } }, ['custom', 'seats']],
    ['NUL in name', { type: 'update', name: 'a\u0000b' }, ['name']],
    ['NUL in message', { type: 'message', text: 'a\u0000b' }, ['text']],
    ['name as number', { type: 'update', name: 42 }, ['name']],
    ['email as array', { type: 'update', email: ['a@b.co'] }, ['email']],
    ['customerId empty', { type: 'identify', customerId: '' }, ['customerId']],
    ['customerId object', { type: 'identify', customerId: { $gt: '' } }, ['customerId']],
    ['unknown field in event', { type: 'update', isAdmin: true }, []],
  ];
  for (const [label, ev, path] of events)
    it(`event: ${label} is rejected naming the field`, async () => {
      await api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
      const raw = label === 'huge number' ? `{"events":[{"id":"huge-0001","type":"update","custom":{"seats":1e400}}]}` : undefined;
      const r = raw ? await api.call('POST', '/v1/sync', raw, token) : await api.sync(token, [ev]);
      expect(r.status).toBe(200);
      expect(r.json.results[0].status).toBe('rejected');
      expect(r.json.results[0].error.code).toBe('validation_failed');
      if (path.length) expect(r.json.results[0].error.issues[0].path).toEqual(path);
    });

  it('agent endpoints and odd URLs', async () => {
    for (const [m, p, b] of [
      ['PATCH', `/v1/contacts/${contactId}`, '{"name":'],
      ['PATCH', `/v1/contacts/${contactId}`, '{"__proto__":{"type":"customer"}}'],
      ['PATCH', `/v1/contacts/${contactId}`, '{"type":"customer"}'],
      ['PUT', `/v1/contacts/${contactId}/note`, '{"text":12}'],
      ['POST', '/v1/tags', '{"name":null}'],
      ['GET', '/v1/contacts/%E0%A4%A', undefined],
      ['GET', '/console/%E0%A4%A', undefined],
      ['GET', '/v1/conversations/x/messages?cursor=-1', undefined],
      ['GET', '/v1/messages?after=1e999', undefined],
    ] as const) {
      const r = await api.call(m, p, b, t.agentToken);
      expect(r.status, `${m} ${p}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${m} ${p}`).toBeLessThan(500);
    }
    expect((await api.agent('GET', `/v1/contacts/${contactId}`)).json.type).toBe('guest');
  });
});
