// Bulk erase (CONTRACT §7 bulk action `{erase: true}` through issue 13's eraseContact): every matched contact erased.
import { expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

it('erases every contact the condition matched, through the same erase as DELETE, and keeps the others', async () => {
  const gone = [await api.session(), await api.session()];
  const kept = await api.session();
  for (const s of gone) await api.agent('PATCH', `/v1/contacts/${s.contact.id}`, { email: `${s.contact.id.toLowerCase()}@spam.example` });
  await api.agent('PATCH', `/v1/contacts/${kept.contact.id}`, { email: 'real@corp.example' });
  await api.sync(gone[0].token, [{ type: 'message', text: 'spam' }]);
  const r = await api.agent('POST', '/v1/contacts/bulk', { id: 'bulk-erase-1', where: { all: [{ field: 'email', op: 'contains', value: 'spam.example' }] }, action: { erase: true } });
  expect(r.status).toBe(202);
  await t.app.services.jobs.idle();
  const job = (await api.agent('GET', `/v1/jobs/${r.json.jobId}`)).json;
  expect(job).toMatchObject({ status: 'done', done: 2, total: 2 });
  for (const s of gone) {
    expect((await api.agent('GET', `/v1/contacts/${s.contact.id}`)).status).toBe(410);
    expect((await api.sync(s.token, [{ type: 'message', text: 'x' }])).status).toBe(401);
  }
  expect((await api.agent('GET', `/v1/contacts/${kept.contact.id}`)).status).toBe(200);
  expect((await api.agent('GET', '/v1/conversations')).json.items).toEqual([]);
});
