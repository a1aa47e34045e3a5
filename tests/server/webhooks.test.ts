// Webhooks over the agent API (CONTRACT §8): endpoints, Standard Webhooks signatures checked by the independent
// `standardwebhooks` package, events from real changes, the delivery log, redeliver, and the SSRF guard.
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { isPrivateAddress } from '../../server-stub/src/domain/webhook-target.js';
import { postWebhook, targetProblem } from '../../server-stub/src/services/webhook-send.js';
import { createClient } from './helpers/client.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
let rx: Receiver;
beforeEach(async () => {
  process.env.CHATIVE_WEBHOOK_ALLOW_PRIVATE = '1'; // the receiver is on 127.0.0.1
  t = await createTestApp();
  delete process.env.CHATIVE_WEBHOOK_ALLOW_PRIVATE;
  api = createClient((p, i) => t.app.request(p, i), t.agentToken);
  rx = await startReceiver();
});
afterEach(async () => {
  await t.close();
  await rx.close();
});

const bodies = () => rx.received.map((r) => JSON.parse(r.body) as { type: string; timestamp: string; data: any });

it('creates an endpoint with a Standard Webhooks secret, and lists, reads, patches and deletes it', async () => {
  const r = await api.agent('POST', '/v1/webhooks', { url: rx.url, events: ['contact.created'] });
  expect(r.status).toBe(201);
  expect(r.json).toMatchObject({ url: rx.url, events: ['contact.created'], enabled: true, failingSince: null, disabledReason: null });
  expect(r.json.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(Buffer.from(r.json.secret.slice(6), 'base64')).toHaveLength(32);
  const id = r.json.id;
  expect((await api.agent('GET', '/v1/webhooks')).json.items.map((w: { id: string }) => w.id)).toEqual([id]);
  const p = await api.agent('PATCH', `/v1/webhooks/${id}`, { events: ['contact.created', 'message.created'], enabled: false });
  expect(p.json).toMatchObject({ events: ['contact.created', 'message.created'], enabled: false });
  const rotated = await api.agent('POST', `/v1/webhooks/${id}/rotate-secret`);
  expect(rotated.json.secret).toMatch(/^whsec_/);
  expect(rotated.json.secret).not.toBe(r.json.secret);
  expect((await api.agent('DELETE', `/v1/webhooks/${id}`)).status).toBe(204);
  expect((await api.agent('GET', `/v1/webhooks/${id}`)).status).toBe(404);
});

it('refuses bad bodies with the field named, and changes nothing', async () => {
  const cases: [unknown, (string | number)[]][] = [
    [{ url: 'ftp://example.com/x', events: ['contact.created'] }, ['url']],
    [{ url: 'javascript:alert(1)', events: ['contact.created'] }, ['url']],
    [{ url: rx.url, events: [] }, ['events']],
    [{ url: rx.url, events: ['contact.exploded'] }, ['events', 0]],
    [{ url: rx.url, events: ['contact.created'], secret: 'mine' }, ['secret']],
  ];
  for (const [body, path] of cases) {
    const r = await api.agent('POST', '/v1/webhooks', body);
    expect(r.status, JSON.stringify(body)).toBe(400);
    expect(r.json.error.issues[0].path).toEqual(path);
  }
  expect((await api.agent('GET', '/v1/webhooks')).json.items).toEqual([]);
});

it('refuses loopback and private targets (resolving names first) unless CHATIVE_WEBHOOK_ALLOW_PRIVATE=1', async () => {
  t.app.services.webhooks.options.allowPrivate = false;
  for (const url of ['http://127.0.0.1:9/x', 'http://localhost:9/x', 'http://[::1]:9/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest', 'http://[::ffff:192.168.0.1]/x']) {
    const r = await api.agent('POST', '/v1/webhooks', { url, events: ['contact.created'] });
    expect(r.status, url).toBe(400);
    expect(r.json.error.issues[0].path).toEqual(['url']);
  }
  expect((await api.agent('GET', '/v1/webhooks')).json.items).toEqual([]);
  expect(isPrivateAddress('93.184.215.14')).toBe(false);
  expect(isPrivateAddress('2606:4700::1111')).toBe(false);
  expect(await targetProblem('http://localhost/x', true)).toBeNull();
  // at send time too: a name that resolves to loopback now (DNS rebinding) is refused when the socket connects
  const sent = await postWebhook(`http://localhost:${rx.port}/hook`, {}, '{}', { timeoutMs: 10_000, allowPrivate: false });
  expect(sent).toMatchObject({ ok: false, status: null });
  expect(sent.error).toMatch(/private or loopback/);
  expect(rx.received).toHaveLength(0);
});

it('delivers contact and message events signed as Standard Webhooks (checked by the standardwebhooks package)', async () => {
  const w = (await api.agent('POST', '/v1/webhooks', { url: rx.url, events: ['contact.created', 'contact.updated', 'contact.type_changed', 'message.created'] })).json;
  const v = await api.session();
  await api.sync(v.token, [{ type: 'update', name: 'Ada', email: 'ada@example.com' }, { type: 'message', text: 'hello' }]);
  await rx.until(() => rx.received.length >= 4);
  const verifier = new Webhook(w.secret);
  for (const r of rx.received) {
    expect(() => verifier.verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    expect(r.headers['webhook-id']).toMatch(/^msg_/);
  }
  // a body changed by one byte does not verify: the checker really checks
  expect(() => verifier.verify(rx.received[0].body.replace('}', ' }'), rx.received[0].headers as Record<string, string>)).toThrow();
  const got = bodies();
  expect(got.map((b) => b.type).sort()).toEqual(['contact.created', 'contact.type_changed', 'contact.updated', 'message.created']);
  expect(got.find((b) => b.type === 'contact.updated')!.data).toMatchObject({ contact: { id: v.contact.id, name: 'Ada' }, fields: ['name', 'email'] });
  expect(got.find((b) => b.type === 'contact.type_changed')!.data).toMatchObject({ from: 'guest', to: 'lead' });
  expect(got.find((b) => b.type === 'message.created')!.data).toMatchObject({ contactId: v.contact.id, message: { text: 'hello', author: 'visitor' } });
  // only subscribed events: a tag change is a contact.updated, a note too; nothing for an unsubscribed endpoint
  await api.agent('PATCH', `/v1/webhooks/${w.id}`, { events: ['message.created'] });
  await api.agent('PUT', `/v1/contacts/${v.contact.id}/tags/vip`);
  const deliveries = (await api.agent('GET', `/v1/webhooks/${w.id}/deliveries`)).json;
  expect(deliveries.items).toHaveLength(4);
  expect(rx.received).toHaveLength(4);
});

it('a change whose unit rolls back enqueues nothing', async () => {
  const w = (await api.agent('POST', '/v1/webhooks', { url: rx.url, events: ['contact.updated'] })).json;
  const v = await api.session();
  t.app.services.changes.on(async (_tx, changes) => {
    if (changes.some((c) => c.change === 'note')) throw new Error('later listener refused');
  });
  expect((await api.agent('PUT', `/v1/contacts/${v.contact.id}/note`, { text: 'x' })).status).toBe(500);
  expect((await api.agent('GET', `/v1/webhooks/${w.id}/deliveries`)).json.items).toEqual([]);
});

it('logs each delivery with its status code, and redelivers one on request with the same webhook-id', async () => {
  rx.set('down');
  const w = (await api.agent('POST', '/v1/webhooks', { url: rx.url, events: ['contact.created'] })).json;
  await api.session();
  await rx.until(() => rx.received.length === 1);
  const log = async () => (await api.agent('GET', `/v1/webhooks/${w.id}/deliveries`)).json.items;
  await t.app.services.webhooks.pump(); // the attempt's outcome is written before the sender goes idle
  const [failed] = await log();
  expect(failed).toMatchObject({ type: 'contact.created', status: 'pending', attempts: 1, lastStatus: 503, lastError: 'answered 503' });
  expect(Date.parse(failed.nextAttemptAt) - Date.parse(failed.lastAttemptAt)).toBeGreaterThanOrEqual(5_000);
  rx.set('up');
  const r = await api.agent('POST', `/v1/webhooks/${w.id}/deliveries/${failed.id}/redeliver`);
  expect(r.status).toBe(202);
  await rx.until(() => rx.received.length === 2);
  await t.app.services.webhooks.pump();
  expect((await log())[0]).toMatchObject({ id: failed.id, status: 'delivered', lastStatus: 204, lastError: null });
  expect(rx.received.map((x) => x.headers['webhook-id'])).toEqual([failed.id, failed.id]);
  expect((await api.agent('POST', `/v1/webhooks/${w.id}/deliveries/msg_nope/redeliver`)).status).toBe(404);
  expect((await api.agent('GET', `/v1/webhooks/${w.id}/deliveries?limit=0`)).status).toBe(400);
  expect((await api.agent('GET', `/v1/webhooks/${w.id}/deliveries?cursor=%%%`)).status).toBe(400);
});

it('reports a merge once, from the survivor, with the merged contact id', async () => {
  await api.agent('POST', '/v1/webhooks', { url: rx.url, events: ['contact.merged'] });
  const first = await api.session();
  await api.sync(first.token, [{ type: 'identify', customerId: 'c-77', userHash: userHashFor(t.secret, 'c-77') }]);
  const second = await api.session();
  await api.sync(second.token, [{ type: 'identify', customerId: 'c-77', userHash: userHashFor(t.secret, 'c-77') }]);
  await rx.until(() => rx.received.length === 1);
  await t.app.services.webhooks.pump();
  expect(rx.received).toHaveLength(1);
  expect(bodies()[0]).toMatchObject({ type: 'contact.merged', data: { contact: { id: first.contact.id, customerId: 'c-77' }, mergedId: second.contact.id } });
});
