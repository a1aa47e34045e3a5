// Two instances on one PostgreSQL behind Debian's haproxy, configured as docs/DEPLOY.md says: live events are not
// held back by the proxy, per-IP limits see the real client (CHATIVE_TRUST_PROXY=1), and an instance that stops or
// dies hands its widgets to the other with no gap. Needs PostgreSQL and haproxy (the skip names what is missing).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyBin, startHaproxy, type Haproxy } from './helpers/haproxy.js';
import { bearer, startInstance, type Instance } from './helpers/pair.js';
import { pgSkip } from './helpers/pg.js';
import { openStream } from './helpers/sse.js';

const missing = [pgSkip && 'PostgreSQL', !haproxyBin && 'haproxy'].filter(Boolean);
const SKIP = missing.length ? ` — skipped: ${missing.join(' and ')} not installed (apt-get install postgresql haproxy; .ci/run does)` : '';
if (missing.length) {
  // CI installs both (.ci/run): a skip there would hide the multi-instance proof
  if (process.env.CI === 'true') throw new Error(`CI=true but${SKIP}`);
  console.log(`SKIPPED: tests/server/multi-haproxy.test.ts${SKIP}`);
}

/** POST /v1/sessions through the proxy from a chosen loopback address (127.0.0.0/8 all reach us). */
const sessionFrom = (url: string, localAddress: string, forged?: string) =>
  new Promise<number>((res, rej) => {
    const u = new URL('/v1/sessions', url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...(forged ? { 'x-forwarded-for': forged } : {}) } }, (r) => {
      r.resume();
      r.on('end', () => res(r.statusCode!));
    });
    req.on('error', rej);
    req.end(JSON.stringify({ siteId: 'default' }));
  });

describe.skipIf(missing.length > 0)(`two instances behind haproxy${SKIP}`, () => {
  let A: Instance;
  let B: Instance;
  let lb: Haproxy;
  beforeAll(async () => {
    // real limits here: the per-IP session limit is what must see the client, not the proxy
    A = await startInstance({ CHATIVE_TRUST_PROXY: '1', CHATIVE_RATE_LIMIT: '1' });
    B = await startInstance({ CHATIVE_TRUST_PROXY: '1', CHATIVE_RATE_LIMIT: '1' });
    lb = await startHaproxy([{ name: 'A', port: A.port }, { name: 'B', port: B.port }]);
    await lb.waitUp(['A', 'B']);
  });
  afterAll(async () => {
    await lb?.stop();
    await Promise.all([A?.stop(), B?.stop()]);
  });

  it('live replies through the proxy are not held back (option http-no-delay)', async () => {
    const call = (method: string, path: string, body?: unknown, token?: string) =>
      fetch(lb.url + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? A.agentToken}` }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: await r.json() }));
    const s = (await call('POST', '/v1/sessions', { siteId: 'default' }, '')).json as { token: string };
    const first = await call('POST', '/v1/sync', { events: [{ id: 'lb_first', type: 'message', text: 'hi' }] }, s.token);
    const cv = first.json.results[0].message.conversationId;
    const st = openStream(`${lb.url}/v1/stream`, bearer(s.token, first.json.results[0].message.seq));
    expect(await st.opened).toBe(200);
    const lags: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      expect((await call('POST', `/v1/conversations/${cv}/messages`, { text: `lb ${i}` })).status).toBe(201);
      await st.until((evs) => evs.some((e) => e.data?.text === `lb ${i}`));
      lags.push(performance.now() - t0);
    }
    lags.sort((x, y) => x - y);
    console.log(`reply -> stream through haproxy: p50 ${lags[10].toFixed(1)} ms, max ${lags[19].toFixed(1)} ms (20 replies)`);
    // without http-no-delay every event waits ~200 ms in the proxy (research: p50 212 ms); with it a few ms
    expect(lags[10]).toBeLessThan(150);
    expect(st.messages().map((m) => m.text)).toEqual(Array.from({ length: 20 }, (_, i) => `lb ${i}`));
    await st.close();
  });

  it('per-IP session limits key on each client behind the proxy, and a forged X-Forwarded-For changes nothing', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push(await sessionFrom(lb.url, '127.0.0.2', `198.51.100.${i}`));
    // two instances keep their own buckets (DEPLOY.md): 30 per instance at most, so the client is refused by 61
    for (let i = 0; i < 30 && !codes.includes(429); i++) codes.push(await sessionFrom(lb.url, '127.0.0.2', `198.51.100.${100 + i}`));
    expect(codes).toContain(429);
    expect(await sessionFrom(lb.url, '127.0.0.3')).toBe(201);
  });

  it('SIGTERM of the instance holding a stream: the widget resumes through the proxy on the other with no gap', async () => {
    const C = await startInstance({ CHATIVE_TRUST_PROXY: '1' });
    const lb2 = await startHaproxy([{ name: 'C', port: C.port }, { name: 'A', port: A.port }]);
    try {
      await lb2.waitUp(['C', 'A']);
      const s = await A.api.session();
      const first = await A.api.sync(s.token, [{ type: 'message', text: 'before' }]);
      const cv = first.json.results[0].message.conversationId;
      const base = first.json.results[0].message.seq as number;
      // the stream goes to C directly (the one that will stop); its reconnect goes through the proxy
      const onC = openStream(`${C.url}/v1/stream`, bearer(s.token, base));
      expect(await onC.opened).toBe(200);
      for (let i = 0; i < 5; i++) await A.api.agent('POST', `/v1/conversations/${cv}/messages`, { text: `pre ${i}` });
      await onC.until((evs) => evs.filter((e) => e.event === 'message').length === 5);
      const stopping = C.kill('SIGTERM');
      await onC.done;
      expect(onC.events.at(-1)!.event).toBe('resume');
      const after = onC.events.at(-1)!.data.after as number;
      const written: number[] = [];
      for (let i = 0; i < 5; i++) written.push((await A.api.agent('POST', `/v1/conversations/${cv}/messages`, { text: `post ${i}` })).json.seq);
      await stopping;
      const resumed = openStream(`${lb2.url}/v1/stream`, bearer(s.token, after));
      expect(await resumed.opened).toBe(200);
      await resumed.until((evs) => evs.some((e) => e.data?.seq === written.at(-1)));
      const all = [...onC.messages(), ...resumed.messages()].map((m) => m.seq);
      const stored = (await A.api.call('GET', '/v1/messages?limit=200', undefined, s.token)).json.items.map((m: { seq: number }) => m.seq).filter((x: number) => x > base);
      expect(all).toEqual(stored);
    } finally {
      await lb2.stop();
      await C.stop();
    }
  });

  it('kill -9 of one instance under load through the proxy: every acknowledged event is stored, and the proxy moves on to the survivor', async () => {
    const C = await startInstance({ CHATIVE_TRUST_PROXY: '1' });
    const lb2 = await startHaproxy([{ name: 'C', port: C.port }, { name: 'A', port: A.port }]);
    try {
      await lb2.waitUp(['C', 'A']);
      const post = (path: string, body: unknown, token: string) =>
        fetch(lb2.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })
          .then(async (r) => ({ status: r.status, json: r.status < 300 ? await r.json() : null, retryAfter: Number(r.headers.get('retry-after') ?? 1) }))
          .catch(() => ({ status: 0, json: null, retryAfter: 1 }));
      const s = (await post('/v1/sessions', { siteId: 'default' }, '')).json as { token: string };
      const acked: number[] = [];
      let refused = 0;
      let n = 0;
      const writer = async () => {
        for (let i = 0; i < 60; i++) {
          const r = await post('/v1/sync', { events: [{ id: `lbk_${n++}_${Date.now()}`, type: 'message', text: `load ${n}` }] }, s.token);
          if (r.status === 200 && r.json.results[0].status === 'applied') acked.push(r.json.results[0].message.seq);
          else refused++; // not acknowledged: a widget keeps it in its outbox and sends it again
        }
      };
      const load = Promise.all([writer(), writer(), writer()]);
      while (acked.length < 40) await new Promise((r) => setImmediate(r));
      await C.kill('SIGKILL');
      await load;
      await lb2.waitUp(['A']);
      // after the checks marked C down, everything goes to A
      // A keeps real limits (this file's first tests need them): the writers may have spent this token's sync budget
      // there, so the event waits as long as A's Retry-After says, as the widget's outbox does, and is sent again
      const afterEvent = { events: [{ id: `lbk_after_${Date.now()}`, type: 'message', text: 'after' }] };
      let after = await post('/v1/sync', afterEvent, s.token);
      for (let tries = 0; after.status === 429 && tries < 5; tries++) {
        await new Promise((r) => setTimeout(r, after.retryAfter * 1000));
        after = await post('/v1/sync', afterEvent, s.token);
      }
      expect(after.status).toBe(200);
      const stored = (await A.api.call('GET', '/v1/messages?limit=200', undefined, s.token)).json.items.map((m: { seq: number }) => m.seq);
      for (const seq of acked) expect(stored).toContain(seq);
      // an unanswered event may still have committed before the kill (the widget's resend would then be a duplicate)
      expect(stored.length).toBeGreaterThanOrEqual(acked.length + 1);
      expect(stored.length).toBeLessThanOrEqual(acked.length + 1 + refused);
      console.log(`kill -9 behind haproxy: ${acked.length} acknowledged, ${refused} not (resent by a real widget)`);
    } finally {
      await lb2.stop();
      await C.stop();
    }
  });
});
