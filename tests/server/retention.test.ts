// Retention (CONTRACT §9): guests with no message last seen more than N days ago are erased on the daily schedule.
import { expect, it } from 'vitest';
import type { ImportContact } from '../../server-stub/src/storage/store.js';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

const daysAgo = (n: number) => new Date(Date.now() - n * 24 * 3600_000).toISOString();
const row = (id: string, type: ImportContact['type'], lastSeenAt: string): ImportContact => ({
  id, siteId: 'default', type, name: type === 'guest' ? null : 'N', email: type === 'guest' ? null : `${id}@example.com`, phone: null, timezone: null, locale: null,
  customerId: null, verified: false, note: null, createdAt: lastSeenAt, lastSeenAt, values: {}, tagIds: [],
});

it('validates the setting, and is off by default: nothing is erased and no run is recorded', async () => {
  expect((await api.agent('GET', '/v1/settings')).json.retention).toEqual({ guestDays: null });
  for (const bad of [0, 1.5, -3, '30', 4000]) {
    const r = await api.agent('PATCH', '/v1/settings', { retention: { guestDays: bad } });
    expect(r.status).toBe(400);
    expect(r.json.error.issues[0].path).toEqual(['retention', 'guestDays']);
  }
  await t.store.write((tx) => tx.importContacts([row('ct_old', 'guest', daysAgo(400))]));
  expect(await t.app.services.retention.run()).toBeNull();
  expect((await api.agent('GET', '/v1/retention')).json).toEqual({ guestDays: null, lastRun: null });
  expect((await api.agent('GET', '/v1/contacts/ct_old')).status).toBe(200);
});

it('the daily task erases old guests without messages (in batches), keeps the rest, and records its count', async () => {
  expect((await api.agent('PATCH', '/v1/settings', { retention: { guestDays: 30 } })).json.retention).toEqual({ guestDays: 30 });
  const old = Array.from({ length: 250 }, (_, i) => row(`ct_old${i}`, 'guest', daysAgo(31 + (i % 5))));
  await t.store.write((tx) => tx.importContacts([...old, row('ct_recent', 'guest', daysAgo(29)), row('ct_lead', 'lead', daysAgo(90))]));
  // an old guest who wrote a message is kept
  const chatty = await api.session();
  await api.sync(chatty.token, [{ type: 'message', text: 'hi' }]);
  await t.store.write((tx) => tx.updateContact(chatty.contact.id, { lastSeenAt: daysAgo(60) }));

  // the schedule runs it: never ran, so it is due now
  expect(await t.app.services.schedule.check()).toContain('retention.guests');
  const status = (await api.agent('GET', '/v1/retention')).json;
  expect(status).toMatchObject({ guestDays: 30, lastRun: { erased: 250, at: expect.any(String) } });
  expect((await api.agent('GET', '/v1/contacts/ct_old0')).status).toBe(410);
  expect((await api.agent('GET', '/v1/contacts/ct_old249')).status).toBe(410);
  for (const id of ['ct_recent', 'ct_lead', chatty.contact.id]) expect((await api.agent('GET', `/v1/contacts/${id}`)).status).toBe(200);
  // not due again within the day
  expect(await t.app.services.schedule.check()).not.toContain('retention.guests');
});
