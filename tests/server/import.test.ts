// CSV import (CONTRACT §9): the same checks as every write, per-row errors naming the column, dry run, undo, bad files.
import { expect, it } from 'vitest';
import type { Actor, Change } from '../../server-stub/src/services/changes.js';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

// duplex: a stream body (the chunked 50 MB upload) needs it
const post = (body: BodyInit | Uint8Array, query: string, headers: Record<string, string> = {}) =>
  t.app.request(`/v1/contacts/import?${query}`, { method: 'POST', body: body as BodyInit, duplex: 'half', headers: { authorization: `Bearer ${t.agentToken}`, 'content-type': 'text/csv', ...headers } } as RequestInit);

/** Uploads, waits for the job to end (its promise, not a timer) and answers the job as GET /v1/imports/:id shows it. */
async function runImport(csv: string | Uint8Array, query = 'match=email') {
  const res = await post(csv, query);
  const body = await res.json();
  if (res.status !== 202) throw new Error(`import answered ${res.status} ${JSON.stringify(body)}`);
  await t.app.services.imports.whenDone(body.jobId);
  const job = await api.agent('GET', `/v1/imports/${body.jobId}`);
  expect(job.json.status).toBe('done');
  // CONTRACT §7/§9: the jobId answers on GET /v1/jobs/:id too, with the same result
  const asJob = await api.agent('GET', `/v1/jobs/${body.jobId}`);
  expect(asJob.json).toMatchObject({ id: body.jobId, kind: 'import', status: 'done', result: job.json.result });
  return { jobId: body.jobId as string, ...(job.json.result as { created: number; updated: number; unchanged: number; errors: any[] }) };
}

const contacts = async () => (await api.agent('GET', '/v1/contacts?limit=200')).json.items as any[];
const byEmail = async (email: string) => (await contacts()).find((c) => c.email === email);

it('creates, updates and leaves unchanged by the match key, with the service rules, and reports each bad row with its column', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
  await api.agent('POST', '/v1/custom-fields', { name: 'Renewal', type: 'date' });
  await api.agent('PATCH', '/v1/settings', { defaultCountry: 'GB' });
  const existing = await api.session();
  await api.agent('PATCH', `/v1/contacts/${existing.contact.id}`, { name: 'Old Name', email: 'Ada@Example.com', customerId: 'cus-1' });
  const holder = await api.session();
  await api.agent('PATCH', `/v1/contacts/${holder.contact.id}`, { customerId: 'taken-1' });
  const seen: { actor: Actor; change: Change }[] = [];
  t.app.services.changes.on(async (_tx, list, out) => void seen.push(...list.map((change) => ({ actor: out.actor, change }))));

  const csv = [
    'name,Email,phone,seats,renewal,tags,note,customerId',
    'Ada Lovelace,ada@example.com,,12,2027-01-31,VIP;Beta,met at a fair,', // row 2: updates (case-insensitive email), stays a customer
    'Bob,bob@example.com,020 7946 0958,,,,,', // row 3: created as a lead, phone read in the site's default country
    'Carol,not-an-email,,,,,,', // row 4: bad email
    'Dan,dan@example.com,12,,,,,', // row 5: bad phone
    'Eve,eve@example.com,,twelve,2027-02-30,,,', // row 6: two bad custom values
    'Fay,fay@example.com,,,,,,taken-1', // row 7: a customerId another contact holds
  ].join('\n');
  const r = await runImport(csv);
  expect({ created: r.created, updated: r.updated, unchanged: r.unchanged }).toEqual({ created: 1, updated: 1, unchanged: 0 });
  expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
    [4, 'email', 'invalid_value'],
    [5, 'phone', 'validation_failed'],
    [6, 'seats', 'invalid_value'],
    [6, 'renewal', 'invalid_value'],
    [7, 'customerId', 'customer_id_taken'],
  ]);
  for (const e of r.errors) expect(e.message.length).toBeGreaterThan(3);
  const ada = (await api.agent('GET', `/v1/contacts/${existing.contact.id}`)).json;
  expect(ada).toMatchObject({ name: 'Ada Lovelace', type: 'customer', customerId: 'cus-1', custom: { seats: 12, renewal: '2027-01-31' }, tags: ['Beta', 'VIP'], note: 'met at a fair' });
  expect(await byEmail('bob@example.com')).toMatchObject({ type: 'lead', phone: '+442079460958' });
  // refused rows changed nothing
  for (const e of ['eve@example.com', 'fay@example.com', 'dan@example.com']) expect(await byEmail(e)).toBeUndefined();
  // every change was made by the import, and reported on the change bus
  expect(seen.length).toBeGreaterThan(5);
  expect(new Set(seen.map((s) => JSON.stringify(s.actor)))).toEqual(new Set([JSON.stringify({ kind: 'import', id: r.jobId })]));
  expect(seen.some((s) => s.change.change === 'created')).toBe(true);

  // the same file again: nothing to change
  const again = await runImport(csv);
  expect({ created: again.created, updated: again.updated, unchanged: again.unchanged }).toEqual({ created: 0, updated: 0, unchanged: 2 });
});

it('never merges and never lowers a type: a row without a customerId leaves a customer a customer; two contacts sharing the key are an ambiguous row', async () => {
  const a = await api.session();
  const b = await api.session();
  await api.agent('PATCH', `/v1/contacts/${a.contact.id}`, { name: 'A', email: 'same@example.com' });
  await api.agent('PATCH', `/v1/contacts/${b.contact.id}`, { name: 'B', email: 'SAME@example.com' });
  const r = await runImport('email,name\nsame@example.com,Merged?\n');
  expect(r.errors).toEqual([{ row: 2, column: 'email', code: 'ambiguous_match', message: expect.stringContaining('merge them first') }]);
  expect((await contacts()).filter((c) => c.email?.toLowerCase() === 'same@example.com').map((c) => c.name).sort()).toEqual(['A', 'B']);
});

it('skips a column whose heading is empty (what the console mapping does with a column left out)', async () => {
  const r = await runImport('email,,name\ns@example.com,ignored junk,Skip\n');
  expect({ created: r.created, errors: r.errors }).toEqual({ created: 1, errors: [] });
  expect(await byEmail('s@example.com')).toMatchObject({ name: 'Skip' });
});

it('a dry run reports the same result and changes nothing', async () => {
  const csv = 'email,name\nx@example.com,X\nbad,Y\n';
  const dry = await runImport(csv, 'match=email&dryRun=1');
  expect({ created: dry.created, errors: dry.errors.map((e) => [e.row, e.column]) }).toEqual({ created: 1, errors: [[3, 'email']] });
  expect(await contacts()).toEqual([]);
  const undo = await api.agent('POST', `/v1/imports/${dry.jobId}/undo`);
  expect(undo.status).toBe(409);
  expect(undo.json.error.code).toBe('import_dry_run');
});

it('undo puts back every value the import changed and removes what it created; a later edit wins; twice is a 409', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  const s = await api.session();
  const id = s.contact.id;
  await api.agent('PATCH', `/v1/contacts/${id}`, { name: 'Kept Name', email: 'k@example.com', custom: { plan: 'free' } });
  await api.agent('PUT', `/v1/contacts/${id}/tags/Old`);
  const before = (await api.agent('GET', `/v1/contacts/${id}`)).json;
  const r = await runImport('email,name,plan,tags,phone\nk@example.com,Imported Name,pro,New,+44 20 7946 0958\nnew1@example.com,New One,,,\nnew2@example.com,New Two,,,\n');
  expect({ created: r.created, updated: r.updated }).toEqual({ created: 2, updated: 1 });
  // after the import: a created contact starts a conversation, an agent edits the updated contact's phone
  const chatted = (await byEmail('new2@example.com')).id;
  await t.store.write((tx) => tx.createConversation({ id: 'cv_after', siteId: 'default', contactId: chatted, createdAt: new Date().toISOString() }));
  await api.agent('PATCH', `/v1/contacts/${id}`, { phone: '+33 6 12 34 56 78' });

  const undo = await api.agent('POST', `/v1/imports/${r.jobId}/undo`);
  expect(undo.status).toBe(200);
  expect(undo.json).toEqual({ reverted: 1, removed: 1, kept: 1 });
  const after = (await api.agent('GET', `/v1/contacts/${id}`)).json;
  expect({ name: after.name, custom: after.custom, tags: after.tags, type: after.type }).toEqual({ name: before.name, custom: before.custom, tags: before.tags, type: before.type });
  expect(after.phone).toBe('+33612345678'); // edited after the import: not the import's to take back
  expect(await byEmail('new1@example.com')).toBeUndefined();
  expect(await byEmail('new2@example.com')).toBeDefined();
  expect((await api.agent('POST', `/v1/imports/${r.jobId}/undo`)).status).toBe(409);
  expect((await api.agent('GET', `/v1/imports/${r.jobId}`)).json.undoneAt).toEqual(expect.any(String));
});

it('re-importing an export changes nothing: neutralised cells, tags and typed values round-trip', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Score', type: 'number' });
  await api.agent('POST', '/v1/custom-fields', { name: 'Active', type: 'boolean' });
  const s = await api.session();
  await api.agent('PATCH', `/v1/contacts/${s.contact.id}`, { name: '=SUM(A1:A9)', email: 'rt@example.com', phone: '+44 20 7946 0958', custom: { score: -4.5, active: false } });
  await api.agent('PUT', `/v1/contacts/${s.contact.id}/tags/a b`);
  await api.agent('PUT', `/v1/contacts/${s.contact.id}/note`, { text: '@mention, "quoted"\nnext line' });
  const csv = (await api.call('GET', '/v1/contacts/export.csv', undefined, t.agentToken)).text;
  const r = await runImport(csv);
  expect({ created: r.created, updated: r.updated, unchanged: r.unchanged, errors: r.errors }).toEqual({ created: 0, updated: 0, unchanged: 1, errors: [] });
  expect((await api.agent('GET', `/v1/contacts/${s.contact.id}`)).json.name).toBe('=SUM(A1:A9)');
});

it('reads a BOM, mixed CRLF/LF/CR line ends and quoted line breaks; keeps a formula-looking name as text', async () => {
  const r = await runImport('\ufeffemail,name,note\r\na@example.com,=cmd|\' /C calc\'!A0,"two\r\nlines"\nb@example.com,B,x\rc@example.com,C,y\r\n');
  expect({ created: r.created, errors: r.errors }).toEqual({ created: 3, errors: [] });
  const a = await byEmail('a@example.com');
  expect(a).toMatchObject({ name: "=cmd|' /C calc'!A0", note: 'two\r\nlines' });
  const exported = (await api.call('GET', '/v1/contacts/export.csv?columns=name&q=a%40example.com&bom=0', undefined, t.agentToken)).text;
  expect(exported).toBe(`name\r\n'=cmd|' /C calc'!A0\r\n`);
});

it('an unbalanced quote is an error for its row; the rows before it are applied, never a 5xx', async () => {
  const r = await runImport('email,name\nok@example.com,Ok\nq@example.com,"never closed\nlater@example.com,Later\n');
  expect(r.created).toBe(1);
  expect(r.errors).toEqual([{ row: 3, column: null, code: 'unbalanced_quote', message: expect.stringContaining('never closed') }]);
  expect(await byEmail('later@example.com')).toBeUndefined();
  const r2 = await runImport('email,name\nbad@example.com,a"b\nfine@example.com,Fine\nshort@example.com\n');
  expect(r2.created).toBe(1);
  expect(r2.errors.map((e) => [e.row, e.code])).toEqual([[2, 'invalid_quote'], [4, 'column_count']]);
});

it('a 1 MB cell is refused for its row with the column named; the other rows are applied', async () => {
  const big = 'x'.repeat(1024 * 1024);
  const r = await runImport(`email,name,note\nbig@example.com,${big},\nnote@example.com,N,${big}\nsmall@example.com,S,\n`);
  expect(r.created).toBe(1);
  expect(r.errors.map((e) => [e.row, e.column])).toEqual([[2, 'name'], [3, 'note']]);
});

it('refuses bad files before starting a job: each a clear 4xx naming what is wrong, nothing applied', async () => {
  const expect4xx = async (body: BodyInit | Uint8Array, status: number, code: string, query = 'match=email', headers: Record<string, string> = {}) => {
    const res = await post(body, query, headers);
    const json = await res.json();
    expect([res.status, json.error.code]).toEqual([status, code]);
    return json.error;
  };
  await expect4xx('', 400, 'empty_file');
  await expect4xx('\n\n', 400, 'empty_file');
  await expect4xx('email,name\n', 400, 'no_rows');
  // Windows-1252: "Zoë" as the single byte 0xEB
  const e = await expect4xx(new Uint8Array([...Buffer.from('email,name\nz@example.com,Zo'), 0xeb, 0x0a]), 400, 'invalid_encoding');
  expect(e.message).toContain('line 2');
  const dup = await expect4xx('email,name,Email\na@example.com,A,b@example.com\n', 400, 'validation_failed');
  expect(dup.issues).toEqual([{ path: ['header', 2], message: expect.stringContaining('repeats column 1') }]);
  const unknown = await expect4xx('email,password\na@example.com,x\n', 400, 'validation_failed');
  expect(unknown.issues[0].path).toEqual(['header', 1]);
  const wide = await expect4xx(`email,${Array.from({ length: 9_999 }, (_, i) => `c${i}`).join(',')}\na@example.com\n`, 400, 'validation_failed');
  expect(wide.issues[0].message).toContain('10000 columns');
  const noKey = await expect4xx('name\nA\n', 400, 'validation_failed', 'match=email');
  expect(noKey.issues[0].path).toEqual(['match']);
  expect((await expect4xx('email\na@example.com\n', 400, 'validation_failed', 'match=id')).issues[0].path).toEqual(['match']);
  await expect4xx('email\na@example.com\n', 415, 'unsupported_media_type', 'match=email', { 'content-type': 'application/json' });
  // 50 MB: refused by its length before a byte is read, and when sent chunked, as soon as the count passes the limit
  await expect4xx('x', 413, 'body_too_large', 'match=email', { 'content-length': String(50 * 1024 * 1024) });
  const chunk = new Uint8Array(1024 * 1024).fill(0x61);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({ pull: (ctrl) => (sent++ < 50 ? ctrl.enqueue(chunk) : ctrl.close()) });
  await expect4xx(stream, 413, 'body_too_large', 'match=email', { 'transfer-encoding': 'chunked' });
  expect(sent).toBeLessThan(50);
  expect(await contacts()).toEqual([]);
});
