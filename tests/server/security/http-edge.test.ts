// Issue 15 (Low, the HTTP edge), in process: Content-Type / Content-Encoding 415, HEAD never runs a handler,
// a full disk is a 503 with Retry-After, the own-origin CORS check ignores Host, wrong agent tokens are throttled.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { checkAgentToken, ConfigError } from '../../../server-stub/src/config.js';
import { injectFault } from '../helpers/store-faults.js';
import { contactRows } from './lib/db-snapshot.js';
import { createHarness, type Harness } from './lib/in-process.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Content-Type and Content-Encoding', () => {
  it('a body that is not application/json, or is compressed, is 415 and changes nothing (widget and agent routes)', async () => {
    h = await createHarness();
    const s = await h.api.session();
    const before = contactRows(h.dataDir, s.contact.id).hash;
    const sync = JSON.stringify({ events: [{ id: 'edge_msg_0001', type: 'message', text: 'hi' }] });
    const cases: [string, Record<string, string>, string][] = [
      ['text/plain', { 'content-type': 'text/plain' }, 'unsupported_media_type'],
      ['empty content type', { 'content-type': '' }, 'unsupported_media_type'],
      ['form', { 'content-type': 'application/x-www-form-urlencoded' }, 'unsupported_media_type'],
      ['latin-1 JSON', { 'content-type': 'application/json; charset=iso-8859-1' }, 'unsupported_media_type'],
      ['gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'unsupported_encoding'],
      ['br', { 'content-type': 'application/json', 'content-encoding': 'br' }, 'unsupported_encoding'],
    ];
    for (const [name, headers, code] of cases) {
      const r = await h.api.call('POST', '/v1/sync', sync, s.token, headers);
      expect(r.status, name).toBe(415);
      expect(r.json.error.code, name).toBe(code);
      const f = await h.api.call('POST', '/v1/custom-fields', JSON.stringify({ name: `Edge ${name}`, type: 'text' }), h.agentToken, headers);
      expect(f.status, name).toBe(415);
    }
    expect(contactRows(h.dataDir, s.contact.id).hash).toBe(before);
    expect((await h.api.agent('GET', '/v1/custom-fields')).json.items ?? (await h.api.agent('GET', '/v1/custom-fields')).json).toHaveLength(0);
    // what stays accepted: JSON with or without charset=utf-8, identity encoding, and requests with no body at all
    expect((await h.api.call('POST', '/v1/sync', sync, s.token, { 'content-type': 'application/json; charset=UTF-8' })).status).toBe(200);
    expect((await h.api.call('POST', '/v1/sync', sync.replace('0001', '0002'), s.token, { 'content-type': 'application/json', 'content-encoding': 'identity' })).status).toBe(200);
    expect((await h.api.call('DELETE', '/v1/contacts/' + s.contact.id + '/tags/none', undefined, h.agentToken)).status).toBeLessThan(500);
    expect((await h.api.agent('PUT', `/v1/contacts/${s.contact.id}/tags/vip`)).status).toBe(200);
  });
});

describe('HEAD never runs a handler', () => {
  it('HEAD /v1/session is 405 and writes nothing (the GET handler would refresh lastSeenAt and the timezone)', async () => {
    h = await createHarness();
    const s = await h.api.session();
    const before = contactRows(h.dataDir, s.contact.id).hash;
    for (const path of ['/v1/session?timezone=Europe/Paris&locale=fr', '/v1/messages', '/v1/stream', '/v1/sites/default/config']) {
      const r = await h.api.call('HEAD', path, undefined, s.token);
      expect(r.status, path).toBe(405);
      expect(r.headers.get('allow')).toBe('GET');
    }
    const r = await h.api.call('HEAD', '/v1/contacts', undefined, h.agentToken);
    expect(r.status).toBe(405);
    expect(contactRows(h.dataDir, s.contact.id).hash).toBe(before);
    expect((await h.api.agent('GET', `/v1/contacts/${s.contact.id}`)).json.timezone).toBeNull();
  });
});

describe('a full disk', () => {
  it('SQLITE_FULL answers 503 storage_full with Retry-After (widget and agent writes), never a 500', async () => {
    // the real store, with its message insert failing the way SQLite fails on a full disk
    let full = false;
    h = await createHarness();
    injectFault(h.store, 'insertMessage', (real) => (full ? Promise.reject(new Database.SqliteError('database or disk is full', 'SQLITE_FULL')) : real()));
    const s = await h.api.session();
    const ok = await h.api.sync(s.token, [{ type: 'message', text: 'before the disk filled' }]);
    expect(ok.status).toBe(200);
    full = true;
    const r = await h.api.sync(s.token, [{ type: 'message', text: 'disk is full now' }]);
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe('storage_full');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    const conv = (await h.api.agent('GET', `/v1/conversations?contactId=${s.contact.id}`)).json.items[0].id;
    const a = await h.api.agent('POST', `/v1/conversations/${conv}/messages`, { text: 'agent reply on a full disk' });
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBeTruthy();
    full = false;
    expect((await h.api.sync(s.token, [{ type: 'message', text: 'space again' }])).status).toBe(200);
  });
});

describe('the own origin is not the Host header', () => {
  it('Origin = Host = evil is refused; the listening address and CHATIVE_PUBLIC_URL are the own origin', async () => {
    h = await createHarness({ allowedOrigins: ['https://shop.example'] });
    const env = { incoming: { socket: { remoteAddress: '10.0.0.9', localAddress: '10.1.2.3', localPort: 8787 } } };
    const config = (origin: string, host: string) => h!.app.request('/v1/sites/default/config', { headers: { origin, host } }, env);
    const evil = await config('http://evil.example', 'evil.example');
    expect(evil.status).toBe(403);
    // refused, and the answer holds the error only (its CORS header lets that page's widget read the code: issue 9 item 5)
    expect(await evil.json()).toEqual({ error: expect.objectContaining({ code: 'origin_not_allowed' }) });
    expect((await config('http://10.1.2.3:8787', 'evil.example')).status).toBe(200);
    expect((await config('https://shop.example', 'whatever')).status).toBe(200);
    await h.close();
    h = await createHarness({ allowedOrigins: ['https://shop.example'], publicOrigin: 'https://chat.example.com' });
    expect((await config('https://chat.example.com', 'chat.example.com')).status).toBe(200);
    expect((await config('http://10.1.2.3:8787', 'evil.example')).status).toBe(403);
    expect((await config('https://evil.example', 'evil.example')).status).toBe(403);
  });
});

describe('wrong agent tokens', () => {
  it('are throttled per IP after a few failures; the right token from another IP still works', async () => {
    h = await createHarness({ rateLimit: 1 });
    const attacker = h.fromIp('203.0.113.7');
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await attacker.call('GET', '/v1/contacts', undefined, randomBytes(32).toString('base64url'))).status);
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBeGreaterThan(2);
    expect(firstRefusal).toBeLessThanOrEqual(10);
    expect(statuses.slice(firstRefusal).every((s) => s === 429)).toBe(true);
    const last = await attacker.call('GET', '/v1/contacts', undefined, 'x'.repeat(43));
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.json.error.message).toMatch(/too many wrong agent tokens/);
    // once throttled, even the right token gets no answer from that IP: a guesser cannot tell a hit
    expect((await attacker.call('GET', '/v1/contacts', undefined, h.agentToken)).status).toBe(429);
    expect((await h.fromIp('198.51.100.2').agent('GET', '/v1/contacts')).status).toBe(200);
    // a console with no credential yet costs nothing
    const fresh = h.fromIp('198.51.100.3');
    for (let i = 0; i < 30; i++) expect((await fresh.call('GET', '/v1/contacts')).status).toBe(401);
    expect((await fresh.agent('GET', '/v1/contacts')).status).toBe(200);
    console.log(`[security 15] wrong agent tokens from one IP: ${firstRefusal} × 401, then ${statuses.length - firstRefusal} × 429; right token from another IP: 200`);
  });

  it('a short or low-entropy CHATIVE_AGENT_TOKEN is refused at start', () => {
    for (const bad of ['0123456789abcdef', 'x'.repeat(31), 'a'.repeat(64), 'abababababababababababababababab12']) expect(() => checkAgentToken(bad), bad).toThrow(ConfigError);
    expect(() => checkAgentToken(randomBytes(32).toString('base64url'))).not.toThrow();
  });
});
