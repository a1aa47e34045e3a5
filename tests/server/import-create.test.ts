// The import's create path (services/imports.ts createRow): a row no contact matches becomes a contact checked by the
// contact service's rules and written in one insert — with the same trail, duplicate flag and refusals as the
// insert + patch + addTag + setNote it replaced, and row order kept (a later row updates what an earlier one created).
import { expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';
import { IMPORT_ID_GROUP, importContactIds } from '../../server-stub/src/services/imports.js';
import { idSpaceUpTo } from '../../server-stub/src/domain/conditions/plan.js';
import { newContactId } from '../../server-stub/src/services/ids.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

async function runImport(csv: string) {
  const res = await t.app.request('/v1/contacts/import?match=email', { method: 'POST', body: csv, headers: { authorization: `Bearer ${t.agentToken}`, 'content-type': 'text/csv' } });
  const body = await res.json();
  expect(res.status).toBe(202);
  await t.app.services.imports.whenDone(body.jobId);
  const job = await api.agent('GET', `/v1/imports/${body.jobId}`);
  expect(job.json.status).toBe('done');
  return { jobId: body.jobId as string, ...(job.json.result as { created: number; updated: number; unchanged: number; errors: { row: number; column: string | null; code: string }[] }) };
}
const find = async (q: string) => ((await api.agent('GET', `/v1/contacts?q=${encodeURIComponent(q)}&limit=50`)).json.items as any[]);

it('a created contact carries the whole trail (actor: the import), the duplicate flag and the type it earned', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  const other = await api.session();
  await api.agent('PATCH', `/v1/contacts/${other.contact.id}`, { phone: '+442079460958' });
  const r = await runImport('email,name,phone,plan,tags,note\nnew@example.com,New  Person,+44 20 7946 0958,gold,VIP;vip;Beta,first note\n');
  expect({ created: r.created, errors: r.errors }).toEqual({ created: 1, errors: [] });
  const [c] = await find('new@example.com');
  expect(c).toMatchObject({ name: 'New Person', email: 'new@example.com', phone: '+442079460958', type: 'lead', custom: { plan: 'gold' }, tags: ['Beta', 'VIP'], note: 'first note', possibleDuplicateOf: other.contact.id });
  const trail = (await api.agent('GET', `/v1/contacts/${c.id}/activity`)).json.items as { change: string; field?: string; to?: unknown; actor: { kind: string; id?: string } }[];
  expect(new Set(trail.map((a) => `${a.change}:${a.field ?? ''}`))).toEqual(new Set(['created:', 'field:name', 'field:email', 'field:phone', 'type:', 'custom:plan', 'tag_added:Beta', 'tag_added:VIP', 'note:']));
  expect(new Set(trail.map((a) => `${a.actor.kind}:${a.actor.id}`))).toEqual(new Set([`import:${r.jobId}`]));
  // the contact the undo removes is the one it created
  expect((await api.agent('POST', `/v1/imports/${r.jobId}/undo`)).json).toMatchObject({ removed: 1 });
  expect(await find('new@example.com')).toEqual([]);
});

it('refuses a row with too many tags, a bad tag or a taken customerId, naming the column, and creates nothing for it (not even a tag)', async () => {
  const holder = await api.session();
  await api.agent('PATCH', `/v1/contacts/${holder.contact.id}`, { customerId: 'cus-9' });
  const many = Array.from({ length: 101 }, (_, i) => `t${i}`).join(';');
  const r = await runImport(`email,name,tags,customerId\na@example.com,A,${many},\nb@example.com,B,${'x'.repeat(200)},\nc@example.com,C,,cus-9\nd@example.com,D,ok,\n`);
  expect(r.created).toBe(1);
  expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, 'tags', 'validation_failed'], [3, 'tags', 'validation_failed'], [4, 'customerId', 'customer_id_taken']]);
  for (const e of ['a@example.com', 'b@example.com', 'c@example.com']) expect(await find(e)).toEqual([]);
  expect(((await api.agent('GET', '/v1/tags')).json.items as { name: string }[]).map((x) => x.name)).toEqual(['ok']);
});

it('keeps row order: a later row with the same key updates the contact an earlier row created', async () => {
  const r = await runImport('email,name,phone\nsame@example.com,First,\nsame@example.com,Second,+442079460000\n');
  expect({ created: r.created, updated: r.updated, errors: r.errors }).toEqual({ created: 1, updated: 1, errors: [] });
  const list = await find('same@example.com');
  expect(list).toHaveLength(1);
  expect(list[0]).toMatchObject({ name: 'Second', phone: '+442079460000' });
});

it('looks a unit\'s rows up ahead yet sees what earlier rows of the unit wrote: other case, ambiguous keys, existing contacts', async () => {
  const a = await api.session();
  await api.agent('PATCH', `/v1/contacts/${a.contact.id}`, { email: 'old@example.com' });
  const b = await api.session();
  await api.agent('PATCH', `/v1/contacts/${b.contact.id}`, { email: 'twice@example.com' });
  const c = await api.session();
  await api.agent('PATCH', `/v1/contacts/${c.contact.id}`, { email: 'TWICE@example.com' });
  // rows 2 and 3 differ in case only (one contact); row 4 updates a contact that existed; row 5's key two contacts hold
  const r = await runImport('email,name\nMixed@Example.com,First\nmixed@example.com,Second\nOLD@example.com,Old\ntwice@example.com,X\nmixed@EXAMPLE.com,Third\n');
  expect({ created: r.created, updated: r.updated, errors: r.errors.map((e) => `${e.row}:${e.column}:${e.code}`) }).toEqual({ created: 1, updated: 3, errors: ['5:email:ambiguous_match'] });
  const mixed = await find('mixed@example.com');
  expect(mixed).toHaveLength(1);
  expect(mixed[0]).toMatchObject({ name: 'Third' });
  expect(await find('old@example.com')).toMatchObject([{ id: a.contact.id, name: 'Old' }]);
});

it('publishes a created contact exactly as it is stored: typed custom values, tag names as stored and in their order, duplicate flag', async () => {
  for (const [name, type] of [['Plan', 'text'], ['Seats', 'number'], ['Active', 'boolean'], ['Renewal', 'date']] as const) await api.agent('POST', '/v1/custom-fields', { name, type });
  // an existing tag in another case: the contact carries the stored name, not the file's spelling
  const other = await api.session();
  expect((await api.agent('POST', '/v1/tags', { name: 'Zeta' })).status).toBe(201);
  await api.agent('PATCH', `/v1/contacts/${other.contact.id}`, { phone: '+442079460002' });
  const published = new Map<string, unknown>();
  const contacts = t.app.services.contacts;
  const publish = contacts.publishContact;
  contacts.publishContact = (c) => { published.set(c.id, structuredClone(c)); return publish(c); };
  try {
    const r = await runImport('email,name,phone,plan,seats,active,renewal,tags,note,customerId\n'
      + 'typed@example.com,Typed One,+44 20 7946 0001,gold,12.5,yes,2026-01-31,zeta;Émile;alpha;Beta;ßig,hello,cus-typed\n'
      + 'dup@example.com,,+44 20 7946 0002,,,,,,,\n'
      + 'plain@example.com,Plain,,,,,,,,\n');
    expect({ created: r.created, errors: r.errors }).toEqual({ created: 3, errors: [] });
    const created = [...published.keys()].filter((id) => id !== other.contact.id);
    expect(created).toHaveLength(3);
    for (const id of created) expect(published.get(id)).toEqual(await t.store.read((x) => x.getContact(id)));
    const typed = published.get(created[0]) as { custom: unknown; tags: string[] };
    expect(typed).toMatchObject({ custom: { plan: 'gold', seats: 12.5, active: true, renewal: '2026-01-31' }, tags: ['alpha', 'Beta', 'Zeta', 'ßig', 'Émile'] });
    expect(published.get(created[1])).toMatchObject({ possibleDuplicateOf: other.contact.id });
  } finally {
    contacts.publishContact = publish;
  }
});

it('gives one import\'s contacts ids in the server\'s shape, in creation order within runs of 16, distinct, and spread over the id space', () => {
  const a = importContactIds();
  const ids = Array.from({ length: 5000 }, () => a());
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(idSpaceUpTo(id)).not.toBeNull(); // the planner's sample can scale them (ct_ + 16)
  for (let g = 0; g < ids.length; g += IMPORT_ID_GROUP) {
    const run = ids.slice(g, g + IMPORT_ID_GROUP);
    expect([...run].sort()).toEqual(run); // a unit's rows append to the same index pages
    expect(new Set(run.map((id) => id.slice(0, 13))).size).toBe(1);
  }
  expect(new Set(ids.map((id) => id.slice(0, 13))).size).toBe(Math.ceil(ids.length / IMPORT_ID_GROUP));
  // The planner estimates big totals from the first contacts in id order: an import must not sit wholly inside or
  // outside that range. 20,000 random ids + this import's 5,000: the first 5,000 in order hold ~1,000 of the import's
  // (62 runs of 16 on average; the bounds are ~4.7 standard deviations wide). One prefix per import gives 0 or 5,000.
  const all = [...Array.from({ length: 20_000 }, newContactId), ...ids].sort();
  const mine = new Set(ids);
  const inSample = all.slice(0, 5000).filter((id) => mine.has(id)).length;
  expect(inSample).toBeGreaterThan(400);
  expect(inSample).toBeLessThan(1600);
});
