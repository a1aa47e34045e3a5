// Merge after a verified identify: nothing lost, tombstone left, history visible to the identified visitor.
import { expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

it('merges a visitor into the existing customer: values, tags, notes, conversations, messages', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  await api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
  await api.agent('POST', '/v1/custom-fields', { name: 'Source', type: 'text' });
  // the customer, known from an earlier browser
  const first = await api.session();
  await api.sync(first.token, [
    { type: 'identify', customerId: 'acme-1', userHash: userHashFor(t.secret, 'acme-1'), name: 'Ada Customer', email: 'ada@corp.com', custom: { plan: 'pro', seats: 5 } },
    { type: 'message', text: 'customer message' },
  ]);
  await api.agent('PUT', `/v1/contacts/${first.contact.id}/tags/VIP`);
  await api.agent('PUT', `/v1/contacts/${first.contact.id}/note`, { text: 'customer note' });
  // a new browser: a guest who chats, is tagged and noted, then logs in
  const visitor = await api.session({ siteId: 'default', timezone: 'Europe/Paris' });
  await api.sync(visitor.token, [{ type: 'update', name: 'Ada V', phone: '+33 6 12 34 56 78', custom: { plan: 'free', source: 'ads' } }, { type: 'message', text: 'visitor message' }]);
  await api.agent('PUT', `/v1/contacts/${visitor.contact.id}/tags/vip`);
  await api.agent('PUT', `/v1/contacts/${visitor.contact.id}/tags/Trial`);
  await api.agent('PUT', `/v1/contacts/${visitor.contact.id}/note`, { text: 'visitor note' });
  const convsBefore = (await api.agent('GET', '/v1/conversations')).json.items.map((c: any) => c.id).sort();

  const r = await api.sync(visitor.token, [{ type: 'identify', customerId: 'acme-1', userHash: userHashFor(t.secret, 'acme-1') }]);
  expect(r.json.results[0].status).toBe('applied');
  expect(r.json.contact.id).toBe(first.contact.id);

  const survivor = (await api.agent('GET', `/v1/contacts/${first.contact.id}`)).json;
  expect(survivor).toMatchObject({
    type: 'customer', customerId: 'acme-1', name: 'Ada Customer', email: 'ada@corp.com', phone: '+33612345678', timezone: 'Europe/Paris',
    custom: { plan: 'pro', seats: 5, source: 'ads' }, note: 'customer note\n\nvisitor note',
  });
  expect(survivor.tags).toEqual(['Trial', 'VIP']);
  // the tombstone: GET answers it, writes are 409, lists leave it out
  expect((await api.agent('GET', `/v1/contacts/${visitor.contact.id}`)).json).toEqual({ id: visitor.contact.id, mergedInto: first.contact.id });
  const w = await api.agent('PATCH', `/v1/contacts/${visitor.contact.id}`, { name: 'x' });
  expect(w.status).toBe(409);
  expect(w.json.error.code).toBe('contact_merged');
  expect((await api.agent('PUT', `/v1/contacts/${visitor.contact.id}/tags/x`)).status).toBe(409);
  // counts see the survivor only
  expect((await api.agent('GET', '/v1/tags')).json.items.map((x: any) => [x.name, x.contactCount])).toEqual([['Trial', 1], ['VIP', 1]]);
  expect((await api.agent('GET', '/v1/custom-fields')).json.items.map((x: any) => [x.key, x.contactCount])).toEqual([['plan', 1], ['seats', 1], ['source', 1]]);
  expect((await api.agent('GET', '/v1/contacts?tag=trial')).json.items.map((c: any) => c.id)).toEqual([first.contact.id]);
  const list = (await api.agent('GET', '/v1/contacts')).json.items.map((c: any) => c.id);
  expect(list).toEqual([first.contact.id]);
  // conversations kept separate, both now the customer's; the visitor sees all history
  const convs = (await api.agent('GET', '/v1/conversations')).json.items;
  expect(convs.map((c: any) => c.id).sort()).toEqual(convsBefore);
  for (const c of convs) expect(c.contactId).toBe(first.contact.id);
  const history = await api.call('GET', '/v1/messages', undefined, visitor.token);
  expect(history.json.items.map((m: any) => m.text)).toEqual(['customer message', 'visitor message']);
  // the old browser's token follows the survivor too
  expect((await api.call('GET', '/v1/session', undefined, first.token)).json.contact.id).toBe(first.contact.id);
  expect((await api.call('GET', '/v1/session', undefined, visitor.token)).json.contact.id).toBe(first.contact.id);
});

it('a second customer id on the same browser is refused until reset', async () => {
  const s = await api.session();
  await api.sync(s.token, [{ type: 'identify', customerId: 'a', userHash: userHashFor(t.secret, 'a') }]);
  const r = await api.sync(s.token, [{ type: 'identify', customerId: 'b', userHash: userHashFor(t.secret, 'b') }]);
  expect(r.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'customer_mismatch' } });
  expect(r.json.contact.customerId).toBe('a');
});

it('an integration sets customerId through the agent API; a taken one is 409', async () => {
  const a = await api.session();
  const b = await api.session();
  const p = await api.agent('PATCH', `/v1/contacts/${a.contact.id}`, { customerId: 'crm-9' });
  expect(p.json).toMatchObject({ type: 'customer', customerId: 'crm-9', verified: false });
  const clash = await api.agent('PATCH', `/v1/contacts/${b.contact.id}`, { customerId: 'crm-9' });
  expect(clash.status).toBe(409);
  expect(clash.json.error.code).toBe('customer_id_taken');
});

it("keeps the lead's losing name, email and phone on the survivor, and finds the survivor by them", async () => {
  const first = await api.session({ siteId: 'default', timezone: 'Europe/London' });
  await api.sync(first.token, [{ type: 'identify', customerId: 'acme-2', userHash: userHashFor(t.secret, 'acme-2'), name: 'Grace Hopper', email: 'grace@corp.com', phone: '+44 20 7946 0958' }]);
  // a new browser: the same person as a lead under her home details, then she logs in
  const visitor = await api.session({ siteId: 'default', timezone: 'Asia/Saigon' });
  await api.sync(visitor.token, [{ type: 'lead', name: 'Amazing Grace', email: 'g.hopper@home.example', phone: '0912 345 678' }]);
  const r = await api.sync(visitor.token, [{ type: 'identify', customerId: 'acme-2', userHash: userHashFor(t.secret, 'acme-2') }]);
  expect(r.json.results[0].status).toBe('applied');

  const survivor = (await api.agent('GET', `/v1/contacts/${first.contact.id}`)).json;
  expect(survivor).toMatchObject({ name: 'Grace Hopper', email: 'grace@corp.com', phone: '+442079460958' });
  expect(survivor.otherDetails).toEqual([
    { field: 'name', value: 'Amazing Grace', from: visitor.contact.id },
    { field: 'email', value: 'g.hopper@home.example', from: visitor.contact.id },
    { field: 'phone', value: '+84912345678', from: visitor.contact.id },
  ]);
  // q= matches the losing values as it matches the survivor's own; the tombstone is never listed
  for (const q of ['g.hopper@home.example', 'G.Hopper', 'home.example', 'amazing', '+84 912 345', '84912345678', 'grace@corp'])
    expect((await api.agent('GET', `/v1/contacts?q=${encodeURIComponent(q)}`)).json.items.map((c: any) => c.id), q).toEqual([first.contact.id]);
  // the widget never sees agent-only data
  expect(r.json.contact).not.toHaveProperty('otherDetails');
});
