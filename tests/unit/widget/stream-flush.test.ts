// @vitest-environment happy-dom
// When the live stream (re)opens, the server is reachable again: the outbox sends what waits at once
// instead of at its next backoff, which a run of failures had pushed ≥ 16 s away.
import 'fake-indexeddb/auto';
import { expect, it, vi } from 'vitest';
import { createCore } from '../../../widget/src/core/widget-core';
import { createClient } from '../../../widget/src/client/http';
import { createKv } from '../../../widget/src/storage/kv';
import { createBus } from '../../../widget/src/client/bus';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

it('a stream that opens flushes the outbox at once, not at the next backoff', async () => {
  let syncOk = false;
  const syncAt: number[] = [];
  let releaseStream!: () => void;
  const streamGate = new Promise<void>((r) => (releaseStream = r));
  const contact = { id: 'ct_1', type: 'lead', name: 'Ola', email: 'ola@example.com' };
  const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    if (url.pathname === '/v1/sites/default/config') return json({ siteId: 'default', form: { enabled: false, fields: [] } });
    if (url.pathname === '/v1/sessions') return json({ token: 't0k3n', contact });
    if (url.pathname === '/v1/messages') return json({ items: [], nextCursor: null });
    if (url.pathname === '/v1/stream') {
      await streamGate; // connecting… until the test lets it open; then an open, quiet stream
      return new Response(new ReadableStream({ start() {} }), { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    if (url.pathname === '/v1/sync') {
      syncAt.push(Date.now());
      if (!syncOk) throw new TypeError('Failed to fetch');
      const { events } = JSON.parse(String(init!.body)) as { events: { id: string; text: string }[] };
      return json({ results: events.map((e, i) => ({ id: e.id, status: 'applied', message: { id: 'm' + e.id, seq: i + 1, conversationId: 'cv_1', author: 'visitor', text: e.text, createdAt: new Date().toISOString() } })), contact });
    }
    return json({ error: { code: 'not_found' } }, 404);
  }) as typeof fetch;
  const core = createCore({ client: createClient('http://chat.test', 'default', fakeFetch), fetch: fakeFetch, kv: createKv(), bus: createBus('flush-test'), siteId: 'default', consent: false });
  void core.start();
  await vi.waitFor(() => expect(core.getState().contact?.id).toBe('ct_1'));
  // six sends while sync fails: each failure doubles the outbox's wait (1 s · 2^6 · ≥ 0.5 ≥ 32 s next)
  for (let i = 0; i < 6; i++) {
    const before = syncAt.length;
    core.send('offline ' + i);
    await vi.waitFor(() => expect(syncAt.length).toBeGreaterThan(before));
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(core.getState().pending.length).toBe(6);
  syncOk = true;
  const opened = Date.now();
  releaseStream();
  await vi.waitFor(() => expect(core.getState().pending.length).toBe(0), { timeout: 3000 });
  expect(Math.min(...syncAt.filter((t) => t >= opened)) - opened).toBeLessThan(2000);
  expect(core.getState().messages.map((m) => m.text)).toEqual(Array.from({ length: 6 }, (_, i) => 'offline ' + i));
});
