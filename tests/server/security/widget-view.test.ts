// Issue 15, Medium 6: agent-internal data never reaches the visitor's browser. Walks every widget-facing route of
// the app's own route table (a new widget route fails this test until it is walked here) over real HTTP, with
// internal custom values, a note and a tag on the visitor's contact, and checks each answer and stream event.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { userHashFor } from '../../../server-stub/src/domain/identity.js';
import { openStream } from '../helpers/sse.js';
import { startServer, type RunningServer } from '../helpers/spawn-server.js';
import { createTestApp } from '../helpers/test-app.js';
import { realClient } from './lib/real-client.js';

let srv: RunningServer;
let api: ReturnType<typeof realClient>;
beforeAll(async () => {
  srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0' } });
  api = realClient(srv.url, srv.agentToken);
});
afterAll(() => srv?.stop());

const INTERNAL = ['risk_score', 'agent_remarks', 'do-not-trust-XYZ', 'internal-note-QQQ', 'internal-tag-WWW', 'possibleDuplicateOf', '"verified"', '"note"', '"tags"'];
const leaks = (text: string) => INTERNAL.filter((s) => text.includes(s));

/** The widget routes of the real route table, as "METHOD /path" (middleware entries left out). */
async function widgetRoutes(): Promise<string[]> {
  const t = await createTestApp();
  try {
    // the groups a browser's widget calls: session start and config (open) and everything behind a visitor token
    return [...new Set([...t.app.groups.open, ...t.app.groups.visitor])].sort();
  } finally {
    await t.close();
  }
}

it('no widget-facing answer or stream event carries agent-internal custom values, notes or tags', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Company', type: 'text', inForm: true });
  await api.agent('POST', '/v1/custom-fields', { name: 'Risk score', key: 'risk_score', type: 'number' });
  await api.agent('POST', '/v1/custom-fields', { name: 'Agent remarks', key: 'agent_remarks', type: 'text' });
  const walked = new Set<string>();
  const seen: { route: string; text: string }[] = [];
  const record = (route: string, text: string) => {
    walked.add(route);
    seen.push({ route, text });
  };

  const config = await api.call('GET', '/v1/sites/default/config');
  record('GET /v1/sites/:siteId/config', config.text);
  const started = await api.call('POST', '/v1/sessions', { siteId: 'default' });
  record('POST /v1/sessions', started.text);
  const v = started.json as { token: string; contact: { id: string } };
  const lead = await api.sync(v.token, [{ type: 'lead', name: 'Vera Visitor', email: 'vera@example.com', custom: { company: 'Acme Widgets' } }, { type: 'message', text: 'hello' }]);
  expect(lead.json.results.map((r: any) => r.status)).toEqual(['applied', 'applied']);

  const stream = openStream(`${srv.url}/v1/stream`, { authorization: `Bearer ${v.token}` });
  await stream.until((evs) => evs.some((e) => e.event === 'message'));
  // the agent writes internal data on the visitor's contact; each write is published to the visitor's stream too
  await api.agent('PATCH', `/v1/contacts/${v.contact.id}`, { custom: { risk_score: 97, agent_remarks: 'do-not-trust-XYZ' } });
  await api.agent('PUT', `/v1/contacts/${v.contact.id}/note`, { text: 'internal-note-QQQ' });
  await api.agent('PUT', `/v1/contacts/${v.contact.id}/tags/internal-tag-WWW`);
  await stream.until((evs) => evs.filter((e) => e.event === 'contact').length >= 3);

  const resumed = await api.call('GET', '/v1/session', undefined, v.token);
  record('GET /v1/session', resumed.text);
  expect(resumed.json.contact.custom).toEqual({ company: 'Acme Widgets' }); // what the visitor typed in the form comes back
  const synced = await api.sync(v.token, [{ type: 'update', name: 'Vera V.' }]);
  record('POST /v1/sync', synced.text);
  const history = await api.call('GET', '/v1/messages', undefined, v.token);
  record('GET /v1/messages', history.text);
  const typing = await api.call('POST', '/v1/typing', undefined, v.token);
  expect(typing.status).toBe(204);
  record('POST /v1/typing', typing.text);

  // a merge: the visitor proves a customer id whose contact holds internal data too; the survivor reaches the stream
  const other = await api.session();
  await api.sync(other.token, [{ type: 'identify', customerId: 'cust-9', userHash: userHashFor(srv.secret, 'cust-9') }]);
  const holder = (await api.call('GET', '/v1/session', undefined, other.token)).json.contact.id;
  await api.agent('PATCH', `/v1/contacts/${holder}`, { custom: { risk_score: 12, agent_remarks: 'do-not-trust-XYZ again' } });
  const merged = await api.sync(v.token, [{ type: 'identify', customerId: 'cust-9', userHash: userHashFor(srv.secret, 'cust-9') }]);
  record('POST /v1/sync', merged.text);
  expect(merged.json.contact.id).toBe(holder);
  await stream.until((evs) => evs.some((e) => e.event === 'contact' && e.data.id === holder));
  await stream.close();
  record('GET /v1/stream', JSON.stringify(stream.events));

  const revoke = await api.call('DELETE', '/v1/session', undefined, v.token);
  record('DELETE /v1/session', revoke.text);

  for (const { route, text } of seen) expect(leaks(text), route).toEqual([]);
  expect([...walked].sort()).toEqual(await widgetRoutes());
  // the agent still sees all of it
  const full = (await api.agent('GET', `/v1/contacts/${holder}`)).json;
  expect(full.custom).toMatchObject({ risk_score: 12, company: 'Acme Widgets' });
  expect(full.tags).toContain('internal-tag-WWW');
});
