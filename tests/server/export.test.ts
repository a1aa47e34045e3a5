// CSV export (CONTRACT §9): RFC 4180 read back by a real parser, formulas neutralised, filters, columns, paging.
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { EXPORT_PAGE } from '../../server-stub/src/services/export-csv.js';
import type { ImportContact } from '../../server-stub/src/storage/store.js';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

const rows = (text: string) => parse(text, { bom: true }) as string[][];

it('streams a header and one row per contact: tags joined by ;, a column per custom field, formulas neutralised, quotes escaped', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
  await api.agent('POST', '/v1/custom-fields', { name: 'Active', type: 'boolean' });
  const s = await api.session({ siteId: 'default', timezone: 'Europe/London' });
  const id = s.contact.id;
  await api.agent('PATCH', `/v1/contacts/${id}`, { name: '=HYPERLINK("http://evil","x")', email: 'ada@example.com', phone: '020 7946 0958', custom: { seats: -3, active: true } });
  await api.agent('PUT', `/v1/contacts/${id}/tags/VIP`);
  await api.agent('PUT', `/v1/contacts/${id}/tags/Beta`);
  await api.agent('PUT', `/v1/contacts/${id}/note`, { text: 'line one,\r\nline "two"' });

  const res = await t.app.request('/v1/contacts/export.csv', { headers: { authorization: `Bearer ${t.agentToken}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs to read UTF-8
  const [header, row, ...rest] = rows(new TextDecoder().decode(bytes));
  expect(rest).toEqual([]);
  expect(header).toEqual(['id', 'type', 'name', 'email', 'phone', 'customerId', 'timezone', 'locale', 'createdAt', 'lastSeenAt', 'tags', 'note', 'seats', 'active']);
  const got = Object.fromEntries(header.map((h, i) => [h, row[i]]));
  expect(got).toMatchObject({
    id, type: 'lead', name: `'=HYPERLINK("http://evil","x")`, email: 'ada@example.com', phone: "'+442079460958",
    customerId: '', tags: 'Beta;VIP', note: 'line one,\r\nline "two"', seats: "'-3", active: 'true', timezone: 'Europe/London',
  });
});

it('neutralises every formula start: = + - @ tab and CR', async () => {
  const s = await api.session();
  for (const [i, lead] of ['=', '+', '-', '@', '\t', '\r'].entries()) {
    await api.agent('PUT', `/v1/contacts/${s.contact.id}/note`, { text: `${lead}cmd${i}` });
    const r = await api.call('GET', '/v1/contacts/export.csv?columns=note&bom=0', undefined, t.agentToken);
    expect(r.text.startsWith('note\r\n')).toBe(true);
    expect(rows(r.text)[1][0]).toBe(`'${lead}cmd${i}`);
  }
});

it('applies the list filters and columns=, and refuses an unknown column naming it', async () => {
  const a = await api.session();
  const b = await api.session();
  await api.agent('PATCH', `/v1/contacts/${a.contact.id}`, { name: 'Alpha Person' });
  await api.agent('PUT', `/v1/contacts/${a.contact.id}/tags/vip`);
  await api.agent('PATCH', `/v1/contacts/${b.contact.id}`, { name: 'Beta Person', email: 'b@example.com' });
  const get = async (q: string) => rows((await api.call('GET', `/v1/contacts/export.csv?${q}`, undefined, t.agentToken)).text);
  expect(await get('tag=VIP&columns=name,id')).toEqual([['name', 'id'], ['Alpha Person', a.contact.id]]);
  expect(await get('type=lead&columns=email')).toEqual([['email'], ['b@example.com']]);
  expect(await get('q=beta&columns=name')).toEqual([['name'], ['Beta Person']]);
  expect(await get('tag=nobody-has-it&columns=name')).toEqual([['name']]);
  const bad = await api.call('GET', '/v1/contacts/export.csv?columns=name,password', undefined, t.agentToken);
  expect(bad.status).toBe(400);
  expect(bad.json.error.issues[0].path).toEqual(['columns']);
  expect(bad.json.error.message).toContain('password');
  expect((await api.call('GET', '/v1/contacts/export.csv', undefined, 'wrong')).status).toBe(401);
});

it('pages through more contacts than one read holds, each exactly once, even while they are active', async () => {
  const n = EXPORT_PAGE * 2 + 17;
  const at = new Date().toISOString();
  const batch: ImportContact[] = Array.from({ length: n }, (_, i) => ({
    id: `ct_exp${String(i).padStart(5, '0')}`, siteId: 'default', type: 'lead', name: `P ${i}`, email: `p${i}@example.com`, phone: null, timezone: null, locale: null,
    customerId: null, verified: false, note: null, createdAt: at, lastSeenAt: at, values: {}, tagIds: [],
  }));
  await t.store.write((tx) => tx.importContacts(batch));
  const res = await t.app.request('/v1/contacts/export.csv?columns=id', { headers: { authorization: `Bearer ${t.agentToken}` } });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  let chunks = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value, { stream: true });
    // a contact far down the id order becomes the most recently active mid-export: still exported once
    if (++chunks === 1) await api.agent('PATCH', `/v1/contacts/ct_exp${String(n - 1).padStart(5, '0')}`, { name: 'moved up' });
  }
  expect(chunks).toBeGreaterThanOrEqual(3);
  const ids = rows(text).slice(1).map((r) => r[0]);
  expect(ids.length).toBe(n);
  expect(new Set(ids).size).toBe(n);
});

it('exports what a condition or a saved segment matches, and names a bad condition', async () => {
  const a = await api.session();
  const b = await api.session();
  await api.agent('PATCH', `/v1/contacts/${a.contact.id}`, { name: 'Cond A', email: 'a@corp.example' });
  await api.agent('PATCH', `/v1/contacts/${b.contact.id}`, { name: 'Cond B', email: 'b@other.example' });
  const where = { all: [{ field: 'email', op: 'contains', value: 'corp' }] };
  const get = async (q: string) => api.call('GET', `/v1/contacts/export.csv?${q}`, undefined, t.agentToken);
  expect(rows((await get(`columns=name&where=${encodeURIComponent(JSON.stringify(where))}`)).text)).toEqual([['name'], ['Cond A']]);
  const seg = await api.agent('POST', '/v1/segments', { name: 'Others', where: { all: [{ field: 'email', op: 'contains', value: 'other' }] } });
  expect(seg.status).toBe(201);
  expect(rows((await get(`columns=name&segmentId=${seg.json.id}`)).text)).toEqual([['name'], ['Cond B']]);
  const badJson = await get('where=%7Bnope');
  expect([badJson.status, badJson.json.error.issues[0].path]).toEqual([400, ['where']]);
  const badLeaf = await get(`where=${encodeURIComponent(JSON.stringify({ all: [{ field: 'email', op: 'gt', value: 3 }] }))}`);
  expect(badLeaf.status).toBe(400);
  expect(badLeaf.json.error.issues[0].path.slice(0, 3)).toEqual(['where', 'all', 0]);
});
