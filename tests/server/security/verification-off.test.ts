// Issue 15, Medium 5: an identify while verification is switched off never demotes an already verified customer,
// and once verification is back on the customer's next device lands on the same customer, not a new empty one.
import { expect, it } from 'vitest';
import { userHashFor } from '../../../server-stub/src/domain/identity.js';
import { useTestApp } from '../helpers/test-app.js';

let t: Parameters<Parameters<typeof useTestApp>[0]>[0];
let api: Parameters<Parameters<typeof useTestApp>[0]>[1];
useTestApp((app, client) => {
  t = app;
  api = client;
});

it('off → identify without a hash → on: the verified customer stays verified and its next device finds it', async () => {
  const hash = () => userHashFor(t.secret, 'cust-5');
  const d1 = await api.session();
  await api.sync(d1.token, [{ type: 'identify', customerId: 'cust-5', userHash: hash() }, { type: 'message', text: 'my order 1234' }]);
  expect((await api.agent('GET', `/v1/contacts/${d1.contact.id}`)).json).toMatchObject({ type: 'customer', verified: true });

  await api.agent('PATCH', '/v1/settings', { verification: false });
  // the host page re-identifies on every load, now without a hash
  const again = await api.sync(d1.token, [{ type: 'identify', customerId: 'cust-5' }]);
  expect(again.json.results[0].status).toBe('applied');
  expect((await api.agent('GET', `/v1/contacts/${d1.contact.id}`)).json).toMatchObject({ customerId: 'cust-5', verified: true });
  // another device claims the id unverified: accepted, kept apart, sees nothing
  const d2 = await api.session();
  const claim = await api.sync(d2.token, [{ type: 'identify', customerId: 'cust-5' }]);
  expect(claim.json.contact).toMatchObject({ id: d2.contact.id, customerId: 'cust-5' });
  expect((await api.call('GET', '/v1/messages', undefined, d2.token)).json.items).toEqual([]);

  await api.agent('PATCH', '/v1/settings', { verification: true });
  const d3 = await api.session();
  const back = await api.sync(d3.token, [{ type: 'identify', customerId: 'cust-5', userHash: hash() }]);
  expect(back.json.contact.id).toBe(d1.contact.id);
  expect((await api.call('GET', '/v1/messages', undefined, d3.token)).json.items.map((m: any) => m.text)).toEqual(['my order 1234']);
  // the unverified claimant proves the id too: it merges into the same customer
  const proved = await api.sync(d2.token, [{ type: 'identify', customerId: 'cust-5', userHash: hash() }]);
  expect(proved.json.contact.id).toBe(d1.contact.id);
  const customers = (await api.agent('GET', '/v1/contacts?type=customer')).json.items;
  expect(customers.map((c: any) => c.id)).toEqual([d1.contact.id]);
  expect((await api.call('GET', '/v1/messages', undefined, d1.token)).status).toBe(200);
});
