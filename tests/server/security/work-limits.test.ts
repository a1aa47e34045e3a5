// Issue 15, Medium 7 and 8 in process: live streams are capped per token and per IP (agent streams too),
// sync is budgeted by events and bytes (not requests), and idempotency records hold no message text and
// are pruned after their window.
import { afterEach, describe, expect, it } from 'vitest';
import { STREAM_CAPS } from '../../../server-stub/src/http/rate-limit.js';
import { PAGE_TEXT_BYTES } from '../../../server-stub/src/routes/cursor.js';
import { MAX_PENDING } from '../../../server-stub/src/routes/stream.js';
import { IDEMPOTENCY_WINDOW_MS } from '../../../server-stub/src/services/idempotency.js';
import { queryDb } from './lib/db-snapshot.js';
import { createHarness, type Harness } from './lib/in-process.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const env = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

describe('live stream caps', () => {
  it('per token, per IP and agent streams per IP: the next one is 429 too_many_streams with Retry-After; closing one frees a slot', async () => {
    // multiplier 0.1: 1 stream per token, 20 per IP, 2 agent streams per IP
    h = await createHarness({ rateLimit: 0.1 });
    const perIp = Math.round(STREAM_CAPS.streamsPerIp * 0.1);
    const tokens: string[] = [];
    for (let i = 0; i <= perIp; i++) tokens.push((await h.fromIp(`10.0.${i}.1`).session()).token);
    const open = (token: string, ip: string) => h!.app.request('/v1/stream', { headers: { authorization: `Bearer ${token}` } }, env(ip));
    const held: Response[] = [];
    for (let i = 0; i < perIp; i++) {
      const r = await open(tokens[i], '192.0.2.1');
      expect(r.status, `stream ${i}`).toBe(200);
      held.push(r);
    }
    const overIp = await open(tokens[perIp], '192.0.2.1');
    expect(overIp.status).toBe(429);
    expect((await overIp.json()).error.code).toBe('too_many_streams');
    expect(Number(overIp.headers.get('retry-after'))).toBeGreaterThan(0);
    // the same token from another IP meets its own per-token cap (1 at this multiplier)
    const overToken = await open(tokens[0], '192.0.2.2');
    expect(overToken.status).toBe(429);
    expect((await open(tokens[perIp], '192.0.2.2')).status).toBe(200);
    // closing a stream releases its slot
    await held[0].body!.cancel();
    let again = 0;
    for (let i = 0; i < 50 && again !== 200; i++) {
      const r = await open(tokens[0], '192.0.2.1');
      again = r.status;
      if (again === 200) held.push(r);
      else await new Promise((res) => setTimeout(res, 20));
    }
    expect(again).toBe(200);
    // agent streams
    const agentOpen = (ip: string) => h!.app.request('/v1/agent/stream', { headers: { authorization: `Bearer ${h!.agentToken}` } }, env(ip));
    const a1 = await agentOpen('192.0.2.9');
    const a2 = await agentOpen('192.0.2.9');
    expect([a1.status, a2.status]).toEqual([200, 200]);
    const a3 = await agentOpen('192.0.2.9');
    expect(a3.status).toBe(429);
    expect((await agentOpen('192.0.2.10')).status).toBe(200);
    console.log(`[security 15] stream caps at multiplier 0.1: ${perIp} per IP, 1 per token, 2 agent per IP; the next one 429 too_many_streams`);
    for (const r of [...held, a1, a2]) await r.body?.cancel();
  });
});

describe('a stream that stops reading', () => {
  it(`is cut once ${MAX_PENDING} live events wait for it (its queue cannot grow for ever), and resumes from its last id`, async () => {
    h = await createHarness();
    const s = await h.api.session();
    // an agent stream that is never read: its writes block, live events pile up in its queue
    const stalled = await h.app.request('/v1/agent/stream', { headers: { authorization: `Bearer ${h.agentToken}` } }, env('192.0.2.50'));
    expect(stalled.status).toBe(200);
    expect(h.app.services.hub.size()).toBe(1);
    let sent = 0;
    for (let i = 0; sent <= MAX_PENDING + 100; i++) {
      const r = await h.api.sync(s.token, Array.from({ length: 100 }, (_, k) => ({ type: 'message', text: `flood ${i}-${k} ${'z'.repeat(200)}` })));
      expect(r.status).toBe(200);
      sent += 100;
    }
    // the stalled stream was cut: it no longer listens
    expect(h.app.services.hub.size()).toBe(0);
    await stalled.body?.cancel();
    // a reconnect from the last id it had catches up (paged) from the database
    const again = await h.app.request('/v1/agent/stream', { headers: { authorization: `Bearer ${h.agentToken}`, 'last-event-id': '0' } }, env('192.0.2.50'));
    const text = await again.text();
    expect((text.match(/^event: message$/gm) ?? []).length).toBe(200);
    expect(text).toContain('event: resume');
    console.log(`[security 15] a stalled agent stream was cut after ${MAX_PENDING} waiting events (${sent} sent); a resume pages the history`);
  });
});

describe('sync is budgeted by work', () => {
  it('an IP pushing thousands of events in few requests gets 429 with Retry-After, inside the request limits', async () => {
    h = await createHarness({ rateLimit: 1 });
    const batch = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ type: 'update', name: `N ${tag} ${i}` }));
    // one token: 100 events a request; the request bucket (60 burst) would take all three
    const one = await h.fromIp('10.1.0.1').session();
    const ip = h.fromIp('198.51.100.20');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await ip.sync(one.token, batch(100, `t${i}`))).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses[2]).toBe(429);
    // many tokens behind one IP: the IP's event budget (1,000 burst) runs out after ~10 full batches
    const ipStatuses: number[] = [];
    let last: Awaited<ReturnType<typeof ip.sync>> | undefined;
    for (let i = 0; i < 14; i++) {
      const t = (await h.fromIp(`10.2.${i}.1`).session()).token;
      last = await ip.sync(t, batch(100, `ip${i}`));
      ipStatuses.push(last.status);
    }
    const refusedAt = ipStatuses.indexOf(429);
    expect(refusedAt).toBeGreaterThanOrEqual(6);
    expect(refusedAt).toBeLessThanOrEqual(10);
    expect(last!.json.error.code).toBe('rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    console.log(`[security 15] events budget: one token 100+100 events then 429; one IP ${refusedAt} batches of 100 events then 429 (14 requests, far below the 300-request burst)`);
  });

  it('bytes are budgeted per token: big messages run out of bytes long before events or requests', async () => {
    h = await createHarness({ rateLimit: 1 });
    const s = await h.fromIp('10.3.0.1').session();
    const ip = h.fromIp('198.51.100.30');
    const big = '€'.repeat(10_000); // 30 KB of UTF-8
    let n = 0;
    let status = 200;
    for (; n < 60 && status === 200; n++) status = (await ip.sync(s.token, [{ type: 'message', text: big }])).status;
    expect(status).toBe(429);
    // ~1 MB burst / 30 KB ≈ 34 messages (requests: 60 burst, events: 200 burst)
    expect(n).toBeGreaterThan(25);
    expect(n).toBeLessThan(45);
    console.log(`[security 15] bytes budget: ${n - 1} × 30 KB messages from one token, then 429`);
  });
});

describe('history pages are bounded in bytes', () => {
  it('limit=200 of 10,000-character messages answers ~512 KB pages whose cursors still reach every message (widget and agent)', async () => {
    h = await createHarness();
    const s = await h.api.session();
    const seqs: number[] = [];
    // 6 a batch: the 64 KB body limit
    for (let i = 0; i < 20; i++) {
      const r = await h.api.sync(s.token, Array.from({ length: 6 }, (_, k) => ({ type: 'message', text: `${i}-${k} `.padEnd(10_000, 'w') })));
      seqs.push(...r.json.results.map((x: any) => x.message.seq));
    }
    const conv = (await h.api.agent('GET', `/v1/conversations?contactId=${s.contact.id}`)).json.items[0].id;
    for (const [who, first] of [['widget', (after: string) => h!.api.call('GET', `/v1/messages?after=${after}&limit=200`, undefined, s.token)], ['agent', (after: string) => h!.api.agent('GET', `/v1/conversations/${conv}/messages?cursor=${after}&limit=200`)]] as const) {
      const got: number[] = [];
      let pages = 0;
      for (let cursor: string | null = '0'; cursor !== null; pages++) {
        const r: { status: number; text: string; json: any } = await first(cursor);
        expect(r.status).toBe(200);
        expect(r.text.length).toBeLessThan(PAGE_TEXT_BYTES + 20_000);
        got.push(...r.json.items.map((m: any) => m.seq));
        cursor = r.json.nextCursor;
      }
      expect(got, who).toEqual(seqs);
      expect(pages, who).toBeGreaterThanOrEqual(3);
      console.log(`[security 15] ${who} history: 120 × 10,000-character messages in ${pages} pages of ≤ ${PAGE_TEXT_BYTES / 1024} KB text`);
    }
  });
});

describe('idempotency records', () => {
  it('hold no message text, replay the original message, and are pruned after the window', async () => {
    h = await createHarness();
    const s = await h.api.session();
    const text = 'a message whose text must be stored once ' + 'x'.repeat(2000);
    const ev = { id: 'idem_once_0001', type: 'message', text };
    const first = await h.api.call('POST', '/v1/sync', { events: [ev] }, s.token);
    expect(first.json.results[0].status).toBe('applied');
    const rows = queryDb<{ result: string }>(h.dataDir, 'SELECT result FROM processed_events');
    expect(rows).toHaveLength(1);
    expect(rows[0].result).not.toContain('a message whose text');
    expect(rows[0].result.length).toBeLessThan(200);
    const replay = await h.api.call('POST', '/v1/sync', { events: [ev] }, s.token);
    expect(replay.json.results[0]).toEqual({ ...first.json.results[0], status: 'duplicate' });
    // a rejected event keeps its refusal
    const bad = { id: 'idem_bad_00001', type: 'message', text: '   ' };
    const refused = (await h.api.call('POST', '/v1/sync', { events: [bad] }, s.token)).json.results[0];
    expect((await h.api.call('POST', '/v1/sync', { events: [bad] }, s.token)).json.results[0]).toEqual({ ...refused, status: 'duplicate' });
    // inside the window nothing goes; after it everything does
    expect(await h.app.services.idempotency.prune(Date.now())).toBe(0);
    expect(await h.app.services.idempotency.prune(Date.now() + IDEMPOTENCY_WINDOW_MS + 60_000)).toBe(2);
    expect(queryDb(h.dataDir, 'SELECT 1 FROM processed_events')).toHaveLength(0);
    expect(queryDb(h.dataDir, 'SELECT 1 FROM messages')).toHaveLength(1);
  });
});
