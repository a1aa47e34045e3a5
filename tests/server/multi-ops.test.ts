// Operations for running behind a load balancer, on any engine: the client address behind trusted proxies
// (CHATIVE_TRUST_PROXY), GET /health, and SIGTERM handing open streams over.
import { afterEach, describe, expect, it } from 'vitest';
import { clientIpFrom } from '../../server-stub/src/http/client-ip.js';
import { createClient } from './helpers/client.js';
import { openStream } from './helpers/sse.js';
import { startServer, type RunningServer } from './helpers/spawn-server.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('client address (CHATIVE_TRUST_PROXY)', () => {
  it('believes only as many X-Forwarded-For entries as there are proxies', () => {
    expect(clientIpFrom('10.0.0.9', '1.2.3.4', 0)).toBe('10.0.0.9');
    expect(clientIpFrom('10.0.0.9', '1.2.3.4', 1)).toBe('1.2.3.4');
    // a client that sends its own header cannot pick its address: the proxy appended the real one last
    expect(clientIpFrom('10.0.0.9', '6.6.6.6, 1.2.3.4', 1)).toBe('1.2.3.4');
    expect(clientIpFrom('10.0.0.9', '6.6.6.6, 1.2.3.4, 10.0.0.8', 2)).toBe('1.2.3.4');
    // fewer entries than proxies (a hop bypassed): the leftmost, never undefined
    expect(clientIpFrom('10.0.0.9', '1.2.3.4', 3)).toBe('1.2.3.4');
    expect(clientIpFrom('10.0.0.9', undefined, 1)).toBe('10.0.0.9');
    expect(clientIpFrom('10.0.0.9', ' , ', 1)).toBe('10.0.0.9');
  });

  const sessionsFrom = async (api: ReturnType<typeof createClient>, xff: string, n: number) => {
    const codes: number[] = [];
    for (let i = 0; i < n; i++) codes.push((await api.call('POST', '/v1/sessions', { siteId: 'default' }, undefined, { 'x-forwarded-for': xff })).status);
    return codes;
  };

  it('behind one proxy, the per-IP session limit applies to each client, not to the proxy', async () => {
    t = await createTestApp({ rateLimit: 1, trustProxy: 1 });
    const api = createClient((p, i) => t!.app.request(p, i), t.agentToken);
    const first = await sessionsFrom(api, '203.0.113.1', 31);
    expect(first.slice(0, 30).every((s) => s === 201)).toBe(true);
    expect(first[30]).toBe(429);
    // another client behind the same proxy still gets its own bucket
    expect(await sessionsFrom(api, '203.0.113.2', 1)).toEqual([201]);
  });

  it('without CHATIVE_TRUST_PROXY a forged X-Forwarded-For does not escape the limit', async () => {
    t = await createTestApp({ rateLimit: 1 });
    const api = createClient((p, i) => t!.app.request(p, i), t.agentToken);
    expect((await sessionsFrom(api, '203.0.113.1', 30)).every((s) => s === 201)).toBe(true);
    expect(await sessionsFrom(api, '203.0.113.99', 1)).toEqual([429]);
  });
});

describe('GET /health', () => {
  it('is 200 while the store answers, 503 while draining or when the store is gone', async () => {
    let draining = false;
    t = await createTestApp({ health: { draining: () => draining } });
    const get = async () => {
      const r = await t!.app.request('/health');
      return { status: r.status, body: await r.json(), cache: r.headers.get('cache-control') };
    };
    expect(await get()).toEqual({ status: 200, body: { status: 'ok' }, cache: 'no-store' });
    draining = true;
    expect((await get()).status).toBe(503);
    expect((await get()).body).toEqual({ status: 'draining' });
    draining = false;
    await t.store.close();
    expect(await get()).toMatchObject({ status: 503, body: { status: 'store_unavailable' } });
  });
});

describe('SIGTERM', () => {
  let srv: RunningServer | undefined;
  afterEach(async () => {
    await srv?.stop();
    srv = undefined;
  });

  it('tells open streams to resume elsewhere from their last id and exits 0', async () => {
    srv = await startServer({ env: { CHATIVE_SHUTDOWN_MS: '8000' } });
    const api = createClient((p, i) => fetch(srv!.url + p, i), srv.agentToken);
    const v = await api.session();
    const conv = await api.sync(v.token, [{ type: 'message', text: 'hello' }]);
    expect(conv.status).toBe(200);
    const st = openStream(`${srv.url}/v1/stream`, { authorization: `Bearer ${v.token}` });
    expect(await st.opened).toBe(200);
    await st.until((evs) => evs.some((e) => e.event === 'message'));
    const t0 = Date.now();
    await srv.kill('SIGTERM');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(srv.process.exitCode).toBe(0);
    await st.done;
    const last = st.events.at(-1)!;
    expect(last.event).toBe('resume');
    expect(last.data).toEqual({ after: st.messages().at(-1).seq });
  });
});

describe('a stream that follows a merge', () => {
  it('reads the survivor\'s messages published before it followed (another instance\'s tailer may be ahead of the merge)', async () => {
    t = await createTestApp();
    const api = createClient((p, i) => t!.app.request(p, i), t.agentToken);
    const customer = await api.session();
    const c1 = await api.sync(customer.token, [{ type: 'message', text: 'customer first' }]);
    const guest = await api.session();
    const g1 = await api.sync(guest.token, [{ type: 'message', text: 'guest first' }]);
    const res = await t.app.request('/v1/stream', { headers: { authorization: `Bearer ${guest.token}`, 'last-event-id': String(g1.json.results[0].message.seq) } });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before "${needle}": ${text}`);
        text += value;
      }
    };
    // a reply to the customer while the guest's stream does not listen to it yet…
    const reply = await api.agent('POST', `/v1/conversations/${c1.json.results[0].message.conversationId}/messages`, { text: 'reply before the follow' });
    expect(reply.status).toBe(201);
    // …then the merge doorbell reaches this instance (published as the PostgreSQL bus would, after the fact)
    t.app.services.hub.publish(`contact:${guest.contact.id}`, { kind: 'merged', into: customer.contact.id });
    await until('reply before the follow');
    expect(text).toContain(`id: ${reply.json.seq}`);
    await reader.cancel();
  });
});
