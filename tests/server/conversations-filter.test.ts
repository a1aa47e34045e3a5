// GET /v1/conversations?contactId= lists one contact's conversations only (validated; 400 on a bad value).
import { expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

async function visitorWith(n: number) {
  const s = await api.session();
  for (let i = 0; i < n; i++) await api.sync(s.token, [{ type: 'message', text: `hello ${i}` }]);
  return s.contact.id as string;
}

it('returns only the given contact conversations, newest first, with cursor paging inside the filter', async () => {
  const a = await visitorWith(1);
  const others = [await visitorWith(1), await visitorWith(1), await visitorWith(1)];
  // a second conversation for a: the agent cannot open one, so insert through the store as a merge would leave it
  const first = (await api.agent('GET', `/v1/conversations?contactId=${a}`)).json.items[0];
  const b = await visitorWith(1);
  const bConv = (await api.agent('GET', `/v1/conversations?contactId=${b}`)).json.items[0];
  await t.store.write((tx) => tx.moveConversations(b, a));

  const all = await api.agent('GET', '/v1/conversations?limit=200');
  expect(all.json.items).toHaveLength(5);
  const mine = await api.agent('GET', `/v1/conversations?contactId=${a}`);
  expect(mine.status).toBe(200);
  expect(mine.json.items.map((c: any) => c.id)).toEqual([bConv.id, first.id]);
  expect(mine.json.items.every((c: any) => c.contactId === a)).toBe(true);

  const p1 = await api.agent('GET', `/v1/conversations?contactId=${a}&limit=1`);
  expect(p1.json.items.map((c: any) => c.id)).toEqual([bConv.id]);
  const p2 = await api.agent('GET', `/v1/conversations?contactId=${a}&limit=1&cursor=${encodeURIComponent(p1.json.nextCursor)}`);
  expect(p2.json.items.map((c: any) => c.id)).toEqual([first.id]);
  expect(p2.json.nextCursor).toBeNull();

  for (const o of others) expect((await api.agent('GET', `/v1/conversations?contactId=${o}`)).json.items.map((c: any) => c.contactId)).toEqual([o]);
});

it('a well-formed id with no conversations is an empty page; a guest with no messages too', async () => {
  await visitorWith(2);
  const quiet = await api.session();
  for (const id of ['ct_doesnotexist', quiet.contact.id]) {
    const r = await api.agent('GET', `/v1/conversations?contactId=${id}`);
    expect(r.status, id).toBe(200);
    expect(r.json).toEqual({ items: [], nextCursor: null });
  }
});

it('a bad contactId is a 400 validation_failed naming contactId, never a 5xx', async () => {
  await visitorWith(1);
  const bad = ['', ' ', 'ct_a b', "ct_'--", 'x'.repeat(65), '%00', 'ct_%E2%80%AE', '..%2F..', '%', 'ct_a&contactId=ct_b'];
  for (const v of bad) {
    const r = await api.agent('GET', `/v1/conversations?contactId=${v}`);
    expect(r.status, v).toBe(400);
    expect(['validation_failed', 'bad_request']).toContain(r.json.error.code);
    if (r.json.error.code === 'validation_failed') expect(r.json.error.issues[0].path).toEqual(['contactId']);
  }
  // still agent-only
  expect((await api.call('GET', '/v1/conversations?contactId=ct_x')).status).toBe(401);
});
