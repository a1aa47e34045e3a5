// Issue 15, the Low data-rule findings: reserved field keys and the form's required check, inherited-name form
// keys, capped list filters, blank customer ids, the 100-tag limit through a merge, emoji in search, invisible
// messages and look-alike tags. Each bad input is a 4xx naming its field and changes nothing.
import { expect, it } from 'vitest';
import { userHashFor } from '../../../server-stub/src/domain/identity.js';
import { useTestApp } from '../helpers/test-app.js';

let t: Parameters<Parameters<typeof useTestApp>[0]>[0];
let api: Parameters<Parameters<typeof useTestApp>[0]>[1];
useTestApp((app, client) => {
  t = app;
  api = client;
});

it('custom-field keys that name contact properties or inherited names are refused', async () => {
  for (const key of ['verified', 'custom', 'locale', 'constructor', 'prototype', 'created_at', 'merged_into']) {
    const r = await api.agent('POST', '/v1/custom-fields', { name: `Field ${key}`, key, type: 'text' });
    expect(r.status, key).toBe(400);
    expect(r.json.error.issues[0].path, key).toEqual(['key']);
  }
  expect((await api.agent('GET', '/v1/custom-fields')).json.items).toEqual([]);
});

it('a required custom field is required whatever its key (a field from an older database named `verified`)', async () => {
  for (const key of ['verified', 'locale', 'custom']) await t.store.write((tx) => tx.createField({ key, name: key, type: 'text', createdAt: new Date().toISOString() }));
  const form = { fields: [{ key: 'name', required: true }, { key: 'email', required: false }, { key: 'verified', required: true }, { key: 'locale', required: true }, { key: 'custom', required: true }] };
  expect((await api.agent('PATCH', '/v1/settings', { form })).status).toBe(200);
  const v = await api.session({ siteId: 'default', locale: 'en-GB' });
  const missing = await api.sync(v.token, [{ type: 'lead', name: 'Vi', email: 'vi@example.com' }]);
  expect(missing.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'validation_failed' } });
  expect(missing.json.results[0].error.issues.map((i: any) => i.path[0]).sort()).toEqual(['custom', 'locale', 'verified']);
  const given = await api.sync(v.token, [{ type: 'lead', name: 'Vi', email: 'vi@example.com', custom: { verified: 'yes', locale: 'x', custom: 'y' } }]);
  expect(given.json.results[0].status).toBe('applied');
});

it('form keys named like inherited properties are refused by the settings API', async () => {
  for (const key of ['toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
    const r = await api.agent('PATCH', '/v1/settings', { form: { fields: [{ key: 'name', required: true }, { key, required: true }] } });
    expect(r.status, key).toBe(400);
    expect(r.json.error.issues[0].path, key).toEqual(['form', 'fields', 1, 'key']);
  }
  const proto = await api.call('PATCH', '/v1/settings', '{"form":{"fields":[{"key":"__proto__","required":true}]}}', t.agentToken, { 'content-type': 'application/json' });
  expect(proto.status).toBe(400);
  expect((await api.agent('GET', '/v1/settings')).json.form.fields.map((f: any) => f.key)).toEqual(['name', 'email', 'phone']);
});

it('at most 20 tag= (and field.KEY=) filters: 1,100 is a 400 naming the parameter, not a 500', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  const many = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`).join('&');
  for (const [qs, path] of [[many(1100, 'tag=t'), 'tag'], [many(21, 'tag=t'), 'tag'], [many(1100, 'field.plan=p'), 'field.plan']] as const) {
    for (const route of ['/v1/contacts', '/v1/contacts/counts']) {
      const r = await api.agent('GET', `${route}?${qs}`);
      expect(r.status, `${route} ${path}`).toBe(400);
      expect(r.json.error.issues[0].path).toEqual([path]);
    }
  }
  expect((await api.agent('GET', `/v1/contacts?${many(20, 'tag=t')}`)).status).toBe(200);
  expect((await api.agent('GET', `/v1/contacts?${many(20, 'field.plan=p')}`)).status).toBe(200);
});

it('blank customer ids are refused, however they are blank', async () => {
  const v = await api.session();
  for (const id of ['   ', '\u200b', '\u00a0\u2060', '\t']) {
    const r = await api.sync(v.token, [{ type: 'identify', customerId: id, userHash: userHashFor(t.secret, id) }]);
    expect(r.json.results[0], JSON.stringify(id)).toMatchObject({ status: 'rejected', error: { code: 'validation_failed' } });
    expect(r.json.results[0].error.issues[0].path).toEqual(['customerId']);
    const p = await api.agent('PATCH', `/v1/contacts/${v.contact.id}`, { customerId: id });
    expect(p.status, JSON.stringify(id)).toBe(400);
  }
  expect((await api.agent('GET', `/v1/contacts/${v.contact.id}`)).json).toMatchObject({ type: 'guest', customerId: null });
});

it('a merge keeps at most 100 tags: the customer’s first, the visitor’s fill up, the dropped ones noted', async () => {
  const c = await api.session();
  await api.sync(c.token, [{ type: 'identify', customerId: 'big', userHash: userHashFor(t.secret, 'big') }]);
  for (let i = 0; i < 98; i++) await api.agent('PUT', `/v1/contacts/${c.contact.id}/tags/c${i}`);
  const v = await api.session();
  for (const tag of ['c0', 'v1', 'v2', 'v3', 'v4', 'v5']) await api.agent('PUT', `/v1/contacts/${v.contact.id}/tags/${tag}`);
  const merged = await api.sync(v.token, [{ type: 'identify', customerId: 'big', userHash: userHashFor(t.secret, 'big') }]);
  expect(merged.json.results[0].status).toBe('applied');
  const survivor = (await api.agent('GET', `/v1/contacts/${c.contact.id}`)).json;
  expect(survivor.tags).toHaveLength(100);
  for (let i = 0; i < 98; i++) expect(survivor.tags).toContain(`c${i}`);
  const kept = ['v1', 'v2', 'v3', 'v4', 'v5'].filter((x) => survivor.tags.includes(x));
  expect(kept).toHaveLength(2);
  const dropped = ['v1', 'v2', 'v3', 'v4', 'v5'].filter((x) => !kept.includes(x));
  expect(survivor.note).toContain(`Tags dropped at merge (at most 100 per contact): ${dropped.join(', ')}`);
});

it('search finds a name by its word prefix next to an emoji or symbol', async () => {
  const v = await api.session();
  await api.sync(v.token, [{ type: 'update', name: 'Jo😀 Smith' }]);
  const w = await api.session();
  await api.sync(w.token, [{ type: 'update', name: 'Ann★Lee' }]);
  for (const [q, id] of [['jo', v.contact.id], ['JO😀', v.contact.id], ['smith', v.contact.id], ['lee', w.contact.id], ['ann', w.contact.id]] as const) {
    expect((await api.agent('GET', `/v1/contacts?q=${encodeURIComponent(q)}`)).json.items.map((c: any) => c.id), q).toEqual([id]);
  }
});

it('invisible-only messages are refused on both sides; visible text with a zero-width character is kept', async () => {
  const v = await api.session();
  for (const text of ['\u200b', '\u200d\u2060\ufeff', ' \u3164 ', '\u2800', '\u00a0\u200e']) {
    const r = await api.sync(v.token, [{ type: 'message', text }]);
    expect(r.json.results[0], JSON.stringify(text)).toMatchObject({ status: 'rejected', error: { code: 'validation_failed' } });
  }
  const ok = await api.sync(v.token, [{ type: 'message', text: 'ok\u200b' }]);
  expect(ok.json.results[0].status).toBe('applied');
  const conv = ok.json.results[0].message.conversationId;
  const reply = await api.agent('POST', `/v1/conversations/${conv}/messages`, { text: '\u200b \u200c' });
  expect(reply.status).toBe(400);
  expect(reply.json.error.issues[0].path).toEqual(['text']);
  expect((await api.call('GET', '/v1/messages', undefined, v.token)).json.items.map((m: any) => m.text)).toEqual(['ok\u200b']);
});

it('look-alike tags are folded into one tag (full-width, zero-width joiners) or refused (mixed scripts)', async () => {
  const v = await api.session();
  expect((await api.agent('PUT', `/v1/contacts/${v.contact.id}/tags/VIP`)).status).toBe(200);
  for (const look of ['ＶＩＰ', 'V\u200dIP', 'v\u200bip', 'VIP\u2060']) {
    const r = await api.agent('PUT', `/v1/contacts/${v.contact.id}/tags/${encodeURIComponent(look)}`);
    expect(r.status, look).toBe(200);
    expect(r.json.tags, look).toEqual(['VIP']);
  }
  expect((await api.agent('POST', '/v1/tags', { name: 'ｖｉｐ' })).status).toBe(200);
  const cyr = await api.agent('PUT', `/v1/contacts/${v.contact.id}/tags/${encodeURIComponent('V\u0406P')}`);
  expect(cyr.status).toBe(400);
  expect(cyr.json.error.message).toMatch(/look-alike/);
  const created = await api.agent('POST', '/v1/tags', { name: '\u0412\u0418\u041f' }); // all-Cyrillic ВИП is a real, different word
  expect(created.status).toBe(201);
  expect((await api.agent('GET', '/v1/tags')).json.items.map((x: any) => x.name).sort()).toEqual(['VIP', 'ВИП']);
  expect((await api.agent('GET', `/v1/contacts?tag=${encodeURIComponent('ＶＩＰ')}`)).json.items.map((c: any) => c.id)).toEqual([v.contact.id]);
});
