// Live streams on the real server: catch-up from Last-Event-ID with no gap or duplicate, ten tabs, merge, revoke, shutdown.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { createClient } from './helpers/client.js';
import { openStream } from './helpers/sse.js';
import { startServer, type RunningServer } from './helpers/spawn-server.js';

let srv: RunningServer;
let api: ReturnType<typeof createClient>;
beforeAll(async () => {
  srv = await startServer({ env: { CHATIVE_RATE_LIMIT: '0' } });
  api = createClient((p, i) => fetch(srv.url + p, i), srv.agentToken);
});
afterAll(() => srv.stop());

const auth = (token: string, last?: number) => ({ authorization: `Bearer ${token}`, ...(last !== undefined ? { 'last-event-id': String(last) } : {}) });

it('delivers agent replies live and catches up from the last id with no gap and no duplicate', async () => {
  const s = await api.session();
  const first = await api.sync(s.token, [{ type: 'message', text: 'v0' }]);
  const cv = first.json.results[0].message.conversationId;
  const st = openStream(`${srv.url}/v1/stream`, auth(s.token, 0));
  await st.until((e) => e.some((x) => x.data?.text === 'v0'));
  await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: 'a0' });
  await st.until((e) => e.some((x) => x.data?.text === 'a0'));
  const lastSeen = Number(st.messages().at(-1).seq);
  await st.close();

  // messages written while disconnected and while reconnecting: the stream opens once a few are in
  let someWritten: () => void = () => undefined;
  const fewIn = new Promise<void>((r) => (someWritten = r));
  const writer = (async () => {
    for (let i = 1; i <= 40; i++) {
      if (i % 2) await api.sync(s.token, [{ type: 'message', text: `v${i}` }]);
      else await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: `a${i}` });
      if (i === 3) someWritten();
    }
  })();
  await fewIn;
  const st2 = openStream(`${srv.url}/v1/stream`, auth(s.token, lastSeen));
  await writer;
  const all = (await api.call('GET', '/v1/messages?limit=200', undefined, s.token)).json.items;
  const expected = all.filter((m: any) => m.seq > lastSeen).map((m: any) => m.seq);
  // a last message after all of them: once it is in, any gap or late duplicate before it would show
  await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: 'end marker' });
  await st2.until((e) => e.some((x) => x.data?.text === 'end marker'));
  const got = st2.messages().filter((m) => m.text !== 'end marker').map((m) => m.seq);
  expect(got).toEqual(expected);
  expect(st2.events.filter((e) => e.event === 'message').every((e) => e.id === String(e.data.seq))).toBe(true);
  await st2.close();
});

it('ten streams of the same visitor (ten tabs without the Web Lock) all get every message', async () => {
  const s = await api.session();
  const first = await api.sync(s.token, [{ type: 'message', text: 'hello' }]);
  const cv = first.json.results[0].message.conversationId;
  const tabs = Array.from({ length: 10 }, () => openStream(`${srv.url}/v1/stream`, auth(s.token, first.json.results[0].message.seq)));
  expect(await Promise.all(tabs.map((t) => t.opened))).toEqual(Array(10).fill(200));
  for (let i = 0; i < 5; i++) await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: `r${i}` });
  for (const tab of tabs) {
    await tab.until((e) => e.filter((x) => x.event === 'message').length >= 5);
    expect(tab.messages().map((m) => m.text)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  }
  await Promise.all(tabs.map((t) => t.close()));
});

it('the agent stream sees visitor messages and contact changes; the widget stream gets contact updates without agent data', async () => {
  const agent = openStream(`${srv.url}/v1/agent/stream`, { authorization: `Bearer ${srv.agentToken}` });
  expect((await fetch(`${srv.url}/v1/agent/stream`)).status).toBe(401);
  const s = await api.session();
  const widget = openStream(`${srv.url}/v1/stream`, auth(s.token));
  expect(await agent.opened).toBe(200);
  expect(await widget.opened).toBe(200);
  await api.sync(s.token, [{ type: 'lead', name: 'Live Lead', email: 'live@x.io' }, { type: 'message', text: 'to agents' }]);
  await agent.until((e) => e.some((x) => x.event === 'message' && x.data.text === 'to agents' && x.data.contactId === s.contact.id));
  await agent.until((e) => e.some((x) => x.event === 'contact' && x.data.id === s.contact.id && x.data.type === 'lead'));
  await agent.until((e) => e.some((x) => x.event === 'conversation' && x.data.contactId === s.contact.id));
  await api.agent('PUT', `/v1/contacts/${s.contact.id}/note`, { text: 'private note' });
  await widget.until((e) => e.some((x) => x.event === 'contact' && x.data.type === 'lead'));
  // a later change as a marker: the stream is ordered, so the note's contact event (if any) came before it
  await api.sync(s.token, [{ type: 'update', name: 'Live Lead 2' }]);
  await widget.until((e) => e.some((x) => x.event === 'contact' && x.data.name === 'Live Lead 2'));
  for (const e of widget.events.filter((x) => x.event === 'contact')) {
    expect(e.data).not.toHaveProperty('note');
    expect(e.data).not.toHaveProperty('tags');
  }
  await agent.close();
  await widget.close();
});

it('after a merge the stream follows the surviving customer; logout ends the stream', async () => {
  const cust = await api.session();
  await api.sync(cust.token, [{ type: 'identify', customerId: 'live-c', userHash: userHashFor(srv.secret, 'live-c') }, { type: 'message', text: 'old' }]);
  const s = await api.session();
  const st = openStream(`${srv.url}/v1/stream`, auth(s.token));
  expect(await st.opened).toBe(200);
  await api.sync(s.token, [{ type: 'identify', customerId: 'live-c', userHash: userHashFor(srv.secret, 'live-c') }]);
  await st.until((e) => e.some((x) => x.event === 'contact' && x.data.id === cust.contact.id));
  const cv = (await api.call('GET', '/v1/messages', undefined, s.token)).json.items[0].conversationId;
  await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: 'after merge' });
  await st.until((e) => e.some((x) => x.data?.text === 'after merge'));
  expect((await api.call('DELETE', '/v1/session', undefined, s.token)).status).toBe(204);
  await st.done;
  expect(st.ended).toBe(true);
});

it('the agent stream without Last-Event-ID starts from now (no history replay); with it, it catches up as before', async () => {
  const s = await api.session();
  const old = await api.sync(s.token, [{ type: 'message', text: 'hist-1' }, { type: 'message', text: 'hist-2' }]);
  const firstSeq = old.json.results[0].message.seq as number;
  const fresh = openStream(`${srv.url}/v1/agent/stream`, { authorization: `Bearer ${srv.agentToken}` });
  expect(await fresh.opened).toBe(200);
  await api.sync(s.token, [{ type: 'message', text: 'live-1' }]);
  // a replay would come before the live message: once live-1 is in, anything replayed already is
  await fresh.until((e) => e.some((x) => x.event === 'message' && x.data.text === 'live-1'));
  expect(fresh.messages().map((m) => m.text)).toEqual(['live-1']);
  await fresh.close();

  for (const headers of [{ 'last-event-id': String(firstSeq - 1) }, {}] as Record<string, string>[]) {
    const url = `${srv.url}/v1/agent/stream${'last-event-id' in headers ? '' : `?after=${firstSeq - 1}`}`;
    const resumed = openStream(url, { authorization: `Bearer ${srv.agentToken}`, ...headers });
    await resumed.until((e) => e.some((x) => x.event === 'message' && x.data.text === 'live-1'));
    expect(resumed.messages().map((m) => m.text)).toEqual(['hist-1', 'hist-2', 'live-1']);
    await resumed.close();
  }
});

it('a bad Last-Event-ID is a 400', async () => {
  const s = await api.session();
  const r = await fetch(`${srv.url}/v1/stream`, { headers: { ...auth(s.token), 'last-event-id': 'abc' } });
  expect(r.status).toBe(400);
});

it('SIGTERM ends open streams and exits cleanly', async () => {
  const other = await startServer();
  const a2 = createClient((p, i) => fetch(other.url + p, i), other.agentToken);
  const s = await a2.session();
  const st = openStream(`${other.url}/v1/stream`, auth(s.token));
  expect(await st.opened).toBe(200);
  const t0 = Date.now();
  await other.kill('SIGTERM');
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(other.process.exitCode).toBe(0);
  await st.done;
  expect(st.ended).toBe(true);
  await other.stop();
});
