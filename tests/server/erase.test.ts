// Erase (CONTRACT §9): nothing of the contact left in live tables nor in the database file's bytes; its browser starts over.
// On PostgreSQL (server-pg) the check reads every table's live rows instead: dead tuples stay in its files until VACUUM
// reuses the space, and a byte-level check of them is not a promise PostgreSQL makes (docs/PRIVACY.md).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { createClient } from './helpers/client.js';
import { openStream } from './helpers/sse.js';
import { dumpPgDatabase } from './helpers/pg.js';
import { startServer, type RunningServer } from './helpers/spawn-server.js';

let srv: RunningServer;
let api: ReturnType<typeof createClient>;
beforeAll(async () => {
  srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0' } });
  api = createClient((p, i) => fetch(srv.url + p, i), srv.agentToken);
});
afterAll(() => srv.stop());

/** Every byte of the database and its log, as latin1 text a marker can be searched in. */
const fileBytes = async () =>
  srv.databaseUrl
    ? dumpPgDatabase(srv.databaseUrl)
    : ['chative.sqlite', 'chative.sqlite-wal'].map((f) => join(srv.dataDir, f)).filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('\n');

it('erases personal data, values, tags, note, conversations and messages, down to the file bytes; the tombstone answers 410', async () => {
  const marker = `zq${randomBytes(6).toString('hex')}`;
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  const s = await api.session({ siteId: 'default', timezone: 'Europe/London' });
  const id = s.contact.id;
  const up = await api.sync(s.token, [
    { type: 'update', name: `Ada ${marker}`, email: `${marker}@example.com`, phone: '+44 20 7946 0958', custom: { plan: `plan-${marker}` } },
    { type: 'message', text: `my secret ${marker}` },
  ]);
  const cv = up.json.results[1].message.conversationId;
  await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: `reply ${marker}` });
  await api.agent('PUT', `/v1/contacts/${id}/tags/VIP`);
  await api.agent('PUT', `/v1/contacts/${id}/note`, { text: `note ${marker}` });
  // a second browser merged into it left a tombstone row that kept its own details
  const other = await api.session();
  await api.sync(other.token, [{ type: 'update', name: `Other ${marker}` }]);
  const first = await api.sync(s.token, [{ type: 'identify', customerId: `cust-${marker}`, userHash: userHashFor(srv.secret, `cust-${marker}`) }]);
  expect(first.json.results[0].status).toBe('applied');
  const o = await api.sync(other.token, [{ type: 'identify', customerId: `cust-${marker}`, userHash: userHashFor(srv.secret, `cust-${marker}`) }]);
  expect(o.json.contact.id).toBe(id);
  // the control: before the erase the marker is in the files (so the check below can fail)
  expect(await fileBytes()).toContain(marker);

  const stream = openStream(`${srv.url}/v1/stream`, { authorization: `Bearer ${s.token}` });
  expect(await stream.opened).toBe(200);

  const del = await api.agent('DELETE', `/v1/contacts/${id}`);
  expect(del.status).toBe(204);
  await stream.done; // its stream ended: the token was revoked
  expect(stream.ended).toBe(true);

  const get = await api.agent('GET', `/v1/contacts/${id}`);
  expect(get.status).toBe(410);
  expect(get.json.error.code).toBe('contact_erased');
  expect((await api.agent('PATCH', `/v1/contacts/${id}`, { name: 'x' })).status).toBe(410);
  expect((await api.agent('DELETE', `/v1/contacts/${id}`)).status).toBe(410);
  expect((await api.agent('GET', `/v1/contacts/${id}/export`)).status).toBe(410);
  expect((await api.agent('GET', `/v1/contacts?q=${marker}`)).json.items).toEqual([]);
  expect((await api.agent('GET', '/v1/conversations')).json.items.filter((c: any) => c.contactId === id)).toEqual([]);
  expect((await api.agent('GET', `/v1/conversations/${cv}/messages`)).status).toBe(404);
  expect((await api.agent('GET', '/v1/tags')).json.items.find((t: any) => t.name === 'VIP').contactCount).toBe(0);
  // both browsers start over: their tokens answer 401, a new session is a new guest
  expect((await api.sync(s.token, [{ type: 'message', text: 'hello?' }])).status).toBe(401);
  expect((await api.sync(other.token, [{ type: 'message', text: 'hello?' }])).status).toBe(401);
  const fresh = await api.session();
  expect(fresh.contact.id).not.toBe(id);
  expect(fresh.contact.type).toBe('guest');

  // nothing findable in the database file or its log: secure_delete zeroed the pages, the log was truncated
  expect(await fileBytes()).not.toContain(marker);
});

it('answers 404 for an unknown id and 409 for a merge tombstone (erase its survivor)', async () => {
  expect((await api.agent('DELETE', '/v1/contacts/ct_nope')).status).toBe(404);
  const a = await api.session();
  await api.sync(a.token, [{ type: 'identify', customerId: 'c-409', userHash: userHashFor(srv.secret, 'c-409') }]);
  const b = await api.session();
  await api.sync(b.token, [{ type: 'identify', customerId: 'c-409', userHash: userHashFor(srv.secret, 'c-409') }]);
  const r = await api.agent('DELETE', `/v1/contacts/${b.contact.id}`);
  expect(r.status).toBe(409);
  expect(r.json.error.code).toBe('contact_merged');
  expect((await api.agent('GET', `/v1/contacts/${a.contact.id}`)).json.customerId).toBe('c-409');
});
