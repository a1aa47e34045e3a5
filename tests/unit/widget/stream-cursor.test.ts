// @vitest-environment happy-dom
// The stream's resume cursor (Last-Event-ID) moves only with what the stream and the history delivered:
// the /v1/sync answer for the visitor's message can carry a seq past an agent reply committed just
// before it; were the cursor moved by that answer, a reconnect would skip the reply for ever.
import 'fake-indexeddb/auto';
import { expect, it, vi } from 'vitest';
import { createCore } from '../../../widget/src/core/widget-core';
import { createClient } from '../../../widget/src/client/http';
import { createKv } from '../../../widget/src/storage/kv';
import { createBus } from '../../../widget/src/client/bus';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const msg = (seq: number, author: 'visitor' | 'agent', text: string) =>
  ({ id: String(seq), seq, conversationId: 'cv_1', author, text, createdAt: new Date().toISOString() });
const frame = (m: ReturnType<typeof msg>) => `id: ${m.seq}\nevent: message\ndata: ${JSON.stringify(m)}\n\n`;

it('a reconnect resumes from the last streamed seq, not from the seq of its own sync answer', async () => {
  const contact = { id: 'ct_1', type: 'lead', name: 'Ola', email: 'ola@example.com' };
  const streams: { lastEventId: string | null; push: (text: string) => void; end: () => void }[] = [];
  const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    if (url.pathname === '/v1/sites/default/config') return json({ siteId: 'default', form: { enabled: false, fields: [] } });
    if (url.pathname === '/v1/sessions') return json({ token: 't0k3n', contact });
    if (url.pathname === '/v1/messages') return json({ items: [], nextCursor: null });
    if (url.pathname === '/v1/stream') {
      const headers = new Headers(init?.headers);
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({ start(c) { controller = c; } });
      streams.push({ lastEventId: headers.get('last-event-id'), push: (t) => controller.enqueue(new TextEncoder().encode(t)), end: () => controller.close() });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    if (url.pathname === '/v1/sync') {
      // The agent's reply took seq 4 a moment before; the visitor's message is seq 5.
      const { events } = JSON.parse(String(init!.body)) as { events: { id: string; text: string }[] };
      return json({ results: events.map((e) => ({ id: e.id, status: 'applied', message: msg(5, 'visitor', e.text) })), contact });
    }
    return json({ error: { code: 'not_found' } }, 404);
  }) as typeof fetch;
  const core = createCore({ client: createClient('http://chat.test', 'default', fakeFetch), fetch: fakeFetch, kv: createKv(), bus: createBus('cursor-test'), siteId: 'default', consent: false });
  void core.start();
  await vi.waitFor(() => expect(core.getState().contact?.id).toBe('ct_1'));
  core.open();
  await vi.waitFor(() => expect(streams.length).toBe(1));
  expect(streams[0].lastEventId).toBe('0');

  core.send('hello');
  await vi.waitFor(() => expect(core.getState().messages.map((m) => m.seq)).toEqual([5]));
  streams[0].end(); // the connection drops before the stream delivered seq 4

  await vi.waitFor(() => expect(streams.length).toBe(2), { timeout: 5000 });
  expect(streams[1].lastEventId).toBe('0');
  streams[1].push(frame(msg(4, 'agent', 'Hi, how can I help?')) + frame(msg(5, 'visitor', 'hello')));
  await vi.waitFor(() => expect(core.getState().messages.map((m) => m.text)).toEqual(['Hi, how can I help?', 'hello']));

  // Once streamed, seq 5 is the cursor: the next reconnect asks only for what came after it.
  streams[1].end();
  await vi.waitFor(() => expect(streams.length).toBe(3), { timeout: 5000 });
  expect(streams[2].lastEventId).toBe('5');
  core.close();
});
