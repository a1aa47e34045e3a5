// Duplicates and the manual merge (CONTRACT §9): suggestions by email or E.164 phone, §1's rules, the chosen contact survives.
import { expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

it('suggests contacts sharing the email (any case) or the phone, and merges the other into the chosen one', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  const a = await api.session();
  const b = await api.session();
  const c = await api.session();
  const other = await api.session();
  await api.agent('PATCH', `/v1/contacts/${a.contact.id}`, { name: 'Ada', email: 'ada@example.com', custom: { plan: 'pro' } });
  await api.agent('PATCH', `/v1/contacts/${b.contact.id}`, { name: 'Ada L', email: 'ADA@example.com', phone: '+44 20 7946 0958', custom: { plan: 'free' } });
  await api.agent('PATCH', `/v1/contacts/${c.contact.id}`, { name: 'Phone twin', phone: '+442079460958' });
  await api.agent('PATCH', `/v1/contacts/${other.contact.id}`, { name: 'Else', email: 'else@example.com' });
  await api.agent('PUT', `/v1/contacts/${b.contact.id}/tags/VIP`);
  await api.agent('PUT', `/v1/contacts/${b.contact.id}/note`, { text: 'b note' });
  const msg = await api.sync(b.token, [{ type: 'message', text: 'from b' }]);

  const dups = await api.agent('GET', `/v1/contacts/${b.contact.id}/duplicates`);
  expect(dups.json.items.map((x: any) => x.id).sort()).toEqual([a.contact.id, c.contact.id].sort());
  expect((await api.agent('GET', `/v1/contacts/${other.contact.id}/duplicates`)).json.items).toEqual([]);

  const m = await api.agent('POST', `/v1/contacts/${a.contact.id}/merge`, { from: b.contact.id });
  expect(m.status).toBe(200);
  expect(m.json).toMatchObject({ id: a.contact.id, name: 'Ada', email: 'ada@example.com', phone: '+442079460958', custom: { plan: 'pro' }, tags: ['VIP'], note: 'b note' });
  expect(m.json.otherDetails).toEqual(expect.arrayContaining([{ field: 'name', value: 'Ada L', from: b.contact.id }, { field: 'custom.plan', value: 'free', from: b.contact.id }]));
  expect((await api.agent('GET', `/v1/contacts/${b.contact.id}`)).json).toEqual({ id: b.contact.id, mergedInto: a.contact.id });
  // the conversation moved; the merged contact's browser starts over (it proved nothing)
  const convs = (await api.agent('GET', '/v1/conversations')).json.items;
  expect(convs.find((x: any) => x.id === msg.json.results[0].message.conversationId).contactId).toBe(a.contact.id);
  expect((await api.sync(b.token, [{ type: 'message', text: 'again' }])).status).toBe(401);
  expect((await api.sync(a.token, [{ type: 'message', text: 'a still here' }])).status).toBe(200);
});

it('never merges two customers with different customerIds (409) and refuses itself, tombstones and unknown ids', async () => {
  const a = await api.session();
  const b = await api.session();
  await api.sync(a.token, [{ type: 'identify', customerId: 'c-1', userHash: userHashFor(t.secret, 'c-1'), email: 'x@example.com' }]);
  await api.sync(b.token, [{ type: 'identify', customerId: 'c-2', userHash: userHashFor(t.secret, 'c-2'), email: 'x@example.com' }]);
  const r = await api.agent('POST', `/v1/contacts/${a.contact.id}/merge`, { from: b.contact.id });
  expect([r.status, r.json.error.code]).toEqual([409, 'customer_conflict']);
  expect((await api.agent('GET', `/v1/contacts/${b.contact.id}`)).json.customerId).toBe('c-2');
  expect((await api.agent('POST', `/v1/contacts/${a.contact.id}/merge`, { from: a.contact.id })).json.error.issues[0].path).toEqual(['from']);
  expect((await api.agent('POST', `/v1/contacts/${a.contact.id}/merge`, { from: 'ct_nope' })).status).toBe(404);
  expect((await api.agent('POST', `/v1/contacts/${a.contact.id}/merge`, {})).json.error.issues[0].path).toEqual(['from']);
});

it('a guest merged into a lead takes the customer id of the other side, and the browser that proved it keeps reading', async () => {
  const lead = await api.session();
  await api.agent('PATCH', `/v1/contacts/${lead.contact.id}`, { name: 'Lee', email: 'lee@example.com' });
  const cust = await api.session();
  await api.sync(cust.token, [{ type: 'identify', customerId: 'c-9', userHash: userHashFor(t.secret, 'c-9'), email: 'lee@example.com' }]);
  const r = await api.agent('POST', `/v1/contacts/${lead.contact.id}/merge`, { from: cust.contact.id });
  expect(r.json).toMatchObject({ id: lead.contact.id, type: 'customer', customerId: 'c-9', verified: true, name: 'Lee' });
  const s = await api.sync(cust.token, [{ type: 'message', text: 'still me' }]);
  expect(s.status).toBe(200);
  expect(s.json.contact.id).toBe(lead.contact.id);
  // the lead's own browser proved nothing about c-9: it starts over
  expect((await api.sync(lead.token, [{ type: 'message', text: 'x' }])).status).toBe(401);
});
