// The change bus: every contact change reaches its listeners inside the transaction, with who made it.
import { expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import type { Actor, Change } from '../../server-stub/src/services/changes.js';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
let seen: (Change & { actor: Actor })[];
useTestApp((app, client) => {
  t = app;
  api = client;
  seen = [];
  t.app.services.changes.on(async (_tx, changes, out) => {
    for (const ch of changes) seen.push({ ...ch, actor: out.actor });
  });
});

it('reports creation, visitor details, host identify, agent edits and messages with their actors', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  const v = await api.session();
  const id = v.contact.id;
  await api.sync(v.token, [{ type: 'update', name: 'Ada', email: 'ada@example.com', custom: { plan: 'free' } }, { type: 'message', text: 'hi' }]);
  await api.sync(v.token, [{ type: 'identify', customerId: 'c-1', userHash: userHashFor(t.secret, 'c-1') }]);
  await api.agent('PUT', `/v1/contacts/${id}/tags/VIP`);
  await api.agent('PUT', `/v1/contacts/${id}/note`, { text: 'likes tea' });
  await api.agent('PATCH', `/v1/contacts/${id}`, { custom: { plan: 'pro' } });
  const brief = seen.map((c) => [c.change, 'field' in c ? c.field : undefined, c.actor.kind]);
  expect(brief).toEqual([
    ['created', undefined, 'visitor'],
    ['field', 'name', 'visitor'],
    ['field', 'email', 'visitor'],
    ['type', undefined, 'visitor'],
    ['custom', 'plan', 'visitor'],
    ['message', undefined, 'visitor'],
    ['identified', undefined, 'host'],
    ['field', 'customerId', 'host'],
    ['type', undefined, 'host'],
    ['tag_added', 'VIP', 'api'],
    ['note', undefined, 'api'],
    ['custom', 'plan', 'api'],
  ]);
  expect(seen.find((c) => c.change === 'custom' && c.actor.kind === 'api')).toMatchObject({ from: 'free', to: 'pro' });
  expect(seen.find((c) => c.change === 'type' && c.actor.kind === 'host')).toMatchObject({ from: 'lead', to: 'customer' });
});

it('a change whose unit fails reports nothing that lasts: the listener ran in the rolled-back transaction', async () => {
  const v = await api.session();
  t.app.services.changes.on(async (tx, changes) => {
    // a listener's write is part of the unit: throwing undoes the change itself
    if (changes.some((c) => c.change === 'note')) throw new Error('listener refused');
    void tx;
  });
  const r = await api.agent('PUT', `/v1/contacts/${v.contact.id}/note`, { text: 'x' });
  expect(r.status).toBe(500);
  expect((await api.agent('GET', `/v1/contacts/${v.contact.id}`)).json.note).toBeNull();
});
