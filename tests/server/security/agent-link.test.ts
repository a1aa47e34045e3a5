// Issue 15, High 1: a customer id linked by an agent (or an integration) grants no browser anything. Only a
// browser that itself proved the id with a valid userHash reads the customer's history; a verified identify
// landing on a contact revokes every token there that did not prove it. End to end over real HTTP.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { userHashFor } from '../../../server-stub/src/domain/identity.js';
import { openStream } from '../helpers/sse.js';
import { startServer, type RunningServer } from '../helpers/spawn-server.js';
import { realClient } from './lib/real-client.js';

let srv: RunningServer;
let api: ReturnType<typeof realClient>;
beforeAll(async () => {
  srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0' } });
  api = realClient(srv.url, srv.agentToken);
});
afterAll(() => srv?.stop());

const SECRETS = ['R private line', 'Real Customer', 'real.customer@corp.example', 'R after merge', 'agent to R'];
const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

it('a guest whose contact an agent linked to 1001 reads nothing of the real customer 1001, now or later', async () => {
  const g = await api.session();
  const gMsg = await api.sync(g.token, [{ type: 'message', text: 'please link my account 1001' }]);
  expect(gMsg.json.results[0].status).toBe('applied');
  const gStream = openStream(`${srv.url}/v1/stream`, { authorization: `Bearer ${g.token}` });
  await gStream.until((evs) => evs.some((e) => e.data?.text === 'please link my account 1001'));

  // the agent links the guest's contact: a link, not a proof
  const link = await api.agent('PATCH', `/v1/contacts/${g.contact.id}`, { customerId: '1001' });
  expect(link.status).toBe(200);
  expect(link.json).toMatchObject({ customerId: '1001' });
  // the guest still reads its own conversation (nothing of the customer's is on it yet), but not the linked id
  expect((await api.call('GET', '/v1/messages', undefined, g.token)).json.items.map((m: any) => m.text)).toEqual(['please link my account 1001']);
  expect((await api.call('GET', '/v1/session', undefined, g.token)).json.contact).toMatchObject({ id: g.contact.id, customerId: null });
  await gStream.until((evs) => evs.some((e) => e.event === 'contact'));
  expect(gStream.events.filter((e) => e.event === 'contact').map((e) => e.data.customerId)).toEqual([null]);

  // the real customer chats as a guest, then proves 1001 on their own browser
  const r = await api.session();
  await api.sync(r.token, [{ type: 'message', text: 'R private line' }]);
  const ident = await api.sync(r.token, [
    { type: 'identify', customerId: '1001', userHash: userHashFor(srv.secret, '1001'), name: 'Real Customer', email: 'real.customer@corp.example' },
  ]);
  expect(ident.json.results[0].status).toBe('applied');
  expect(ident.json.contact).toMatchObject({ id: g.contact.id, customerId: '1001', type: 'customer' });

  // the guest's open stream ended before it could carry the customer's details or messages
  // (the first of: the stream ends, or it carries something of the customer's)
  await Promise.race([gStream.done, gStream.until((evs) => leaks(JSON.stringify(evs)).length > 0).catch(() => undefined)]);
  expect(leaks(JSON.stringify(gStream.events))).toEqual([]);
  await gStream.done;
  expect(gStream.ended).toBe(true);
  expect(leaks(JSON.stringify(gStream.events))).toEqual([]);

  // every widget endpoint refuses the guest's token now: it starts over as a fresh guest
  for (const [method, path, body] of [
    ['GET', '/v1/messages', undefined],
    ['GET', '/v1/session', undefined],
    ['POST', '/v1/sync', { events: [{ id: api.eventId(), type: 'message', text: 'still here?' }] }],
  ] as const) {
    const res = await api.call(method, path, body, g.token);
    expect(res.status, `${method} ${path}`).toBe(401);
    expect(leaks(res.text), `${method} ${path}`).toEqual([]);
  }
  const again = openStream(`${srv.url}/v1/stream`, { authorization: `Bearer ${g.token}` });
  await again.done;
  expect(again.status).toBe(401);

  // later messages, from both sides, reach the customer and never the guest
  const after = await api.sync(r.token, [{ type: 'message', text: 'R after merge' }]);
  await api.agent('POST', `/v1/conversations/${after.json.results[0].message.conversationId}/messages`, { text: 'agent to R' });
  const rHist = await api.call('GET', '/v1/messages', undefined, r.token);
  expect(rHist.json.items.map((m: any) => m.text)).toEqual(expect.arrayContaining(['R private line', 'R after merge', 'agent to R']));
  expect((await api.call('GET', '/v1/messages', undefined, g.token)).status).toBe(401);
  expect(leaks(JSON.stringify(gStream.events))).toEqual([]);

  // the guest's browser starts over: a new guest with an empty history
  const fresh = await api.session();
  expect((await api.call('GET', '/v1/messages', undefined, fresh.token)).json.items).toEqual([]);
});

it('a customer id set by an unverified identify (verification off) is no proof either', async () => {
  await api.agent('PATCH', '/v1/settings', { verification: false });
  const u = await api.session();
  const claim = await api.sync(u.token, [{ type: 'identify', customerId: '2002' }]);
  expect(claim.json.results[0].status).toBe('applied');
  await api.agent('PATCH', '/v1/settings', { verification: true });
  const r = await api.session();
  await api.sync(r.token, [{ type: 'message', text: 'R private line' }]);
  const ident = await api.sync(r.token, [{ type: 'identify', customerId: '2002', userHash: userHashFor(srv.secret, '2002') }]);
  expect(ident.json.contact).toMatchObject({ id: u.contact.id, customerId: '2002' });
  expect((await api.call('GET', '/v1/messages', undefined, u.token)).status).toBe(401);
  // a second device of the same customer that proves the id keeps reading: proofs are per browser
  const r2 = await api.session();
  await api.sync(r2.token, [{ type: 'identify', customerId: '2002', userHash: userHashFor(srv.secret, '2002') }]);
  expect((await api.call('GET', '/v1/messages', undefined, r.token)).status).toBe(200);
  expect((await api.call('GET', '/v1/messages', undefined, r2.token)).json.items.map((m: any) => m.text)).toContain('R private line');
});

it('an agent cannot link a customer id another contact holds, nor a blank one', async () => {
  const a = await api.session();
  const b = await api.session();
  const linked = await api.agent('PATCH', `/v1/contacts/${a.contact.id}`, { customerId: 'crm-7' });
  // a link is not a proof: agents see it as unverified
  expect(linked.json).toMatchObject({ customerId: 'crm-7', type: 'customer', verified: false });
  const taken = await api.agent('PATCH', `/v1/contacts/${b.contact.id}`, { customerId: 'crm-7' });
  expect(taken.status).toBe(409);
  const blank = await api.agent('PATCH', `/v1/contacts/${b.contact.id}`, { customerId: '   ' });
  expect(blank.status).toBe(400);
  expect(blank.json.error.issues[0].path).toEqual(['customerId']);
  const ws = await api.sync(b.token, [{ type: 'identify', customerId: ' \t ', userHash: userHashFor(srv.secret, ' \t ') }]);
  expect(ws.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'validation_failed' } });
  expect(ws.json.contact.customerId).toBeNull();
});
