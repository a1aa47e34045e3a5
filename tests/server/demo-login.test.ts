// POST /demo/login signs only demo-* ids: it is no userHash oracle for real customers, and the server says demo signing is on.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { createClient } from './helpers/client.js';
import { startServer } from './helpers/spawn-server.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
beforeEach(async () => {
  t = await createTestApp(); // createApp's default: demo routes on
  api = createClient((p, i) => t.app.request(p, i), t.agentToken);
});
afterEach(() => t.close());

it('refuses to sign a real customer id with 403 demo_only, so nobody can take that customer over', async () => {
  const owner = await api.session();
  await api.sync(owner.token, [{ type: 'identify', customerId: 'bank-customer-1', userHash: userHashFor(t.secret, 'bank-customer-1') }, { type: 'message', text: 'my account number is 1234' }]);
  const minted = await api.call('POST', '/demo/login', { customerId: 'bank-customer-1' });
  expect(minted.status).toBe(403);
  expect(minted.json.error.code).toBe('demo_only');
  expect(minted.text).not.toMatch(/[0-9a-f]{64}/);
  const attacker = await api.session();
  const r = await api.sync(attacker.token, [{ type: 'identify', customerId: 'bank-customer-1', userHash: minted.json?.userHash }]);
  expect(r.status).toBeLessThan(500);
  expect(r.json?.contact?.id).not.toBe(owner.contact.id);
  expect((await api.call('GET', '/v1/messages', undefined, attacker.token)).text).not.toContain('my account number');
});

it('signs ids in the demo namespace only', async () => {
  for (const id of ['demo-ada', 'demo-1', 'demo-a-b-c', 'demo-' + 'x'.repeat(40)]) {
    const r = await api.call('POST', '/demo/login', { customerId: id, name: 'Ada' });
    expect(r.status, id).toBe(200);
    expect(r.json.userHash, id).toBe(userHashFor(t.secret, id));
  }
  const refused = ['demo-', 'demo-' + 'x'.repeat(41), 'Demo-ada', 'demo-ADA', 'demo_ada', 'xdemo-ada', 'demo-ada\n', ' demo-ada', 'demo-ada/../x', 'cus_1001', 'demo-ä'];
  for (const id of refused) {
    const r = await api.call('POST', '/demo/login', { customerId: id });
    expect(r.status, JSON.stringify(id)).toBe(403);
    expect(r.json.error.code).toBe('demo_only');
    expect(r.json.userHash).toBeUndefined();
  }
  // malformed bodies stay 400, never 5xx
  expect((await api.call('POST', '/demo/login', { customerId: 42 })).status).toBe(400);
  expect((await api.call('POST', '/demo/login', '{')).status).toBe(400);
});

it('a demo-signed id identifies as a customer end to end', async () => {
  const signed = await api.call('POST', '/demo/login', { customerId: 'demo-ada', name: 'Ada Lovelace' });
  const s = await api.session();
  const r = await api.sync(s.token, [{ type: 'identify', customerId: 'demo-ada', userHash: signed.json.userHash, name: 'Ada Lovelace' }]);
  expect(r.status).toBe(200);
  expect(r.json.contact.type).toBe('customer');
});

it('the server prints a warning at start while demo signing is on, and none with CHATIVE_DEMO=0', async () => {
  const on = await startServer();
  try {
    expect(on.output()).toMatch(/WARNING: demo signing is on/);
    const r = await fetch(`${on.url}/demo/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: 'victim' }) });
    expect(r.status).toBe(403);
  } finally {
    await on.stop();
  }
  const off = await startServer({ env: { CHATIVE_DEMO: '0' } });
  try {
    expect(off.output()).not.toMatch(/demo signing/);
    expect((await fetch(`${off.url}/demo/login`, { method: 'POST', body: '{}' })).status).toBe(404);
  } finally {
    await off.stop();
  }
}, 60_000);
