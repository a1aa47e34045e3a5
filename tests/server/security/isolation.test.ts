// Items 2, 5 and 6 at the protocol level: one visitor can never write into or read from another's conversation,
// tokens do not cross between the widget and agent APIs, and a revoked token ends its open stream at once.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { contactRows } from './lib/db-snapshot.js';
import { createHarness, type Harness } from './lib/in-process.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ keepAliveMs: 200 });
});
afterEach(() => h.close());

async function readFor(body: ReadableStream<Uint8Array>, ms: number): Promise<{ text: string; ended: boolean }> {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) {
      reader.cancel().catch(() => undefined);
      return { text, ended: false };
    }
    const r = await Promise.race([reader.read(), new Promise<null>((res) => setTimeout(() => res(null), left))]);
    if (r === null) continue;
    if (r.done) return { text, ended: true };
    text += dec.decode(r.value);
  }
}

it("2. a visitor cannot post into, or stream, another visitor's conversation", async () => {
  const a = await h.api.session();
  const first = await h.api.sync(a.token, [{ type: 'message', text: 'A secret line' }]);
  const convA = first.json.results[0].message.conversationId;
  const before = contactRows(h.dataDir, a.contact.id);
  const b = await h.api.session();
  const r = await h.api.sync(b.token, [{ type: 'message', text: 'B intrudes', conversationId: convA }]);
  expect(r.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'conversation_not_found' } });
  expect(contactRows(h.dataDir, a.contact.id)).toEqual(before);
  // B's live stream: an agent reply to A never reaches it
  const stream = await h.app.request('/v1/stream', { headers: { authorization: `Bearer ${b.token}`, 'last-event-id': '0' } });
  expect(stream.status).toBe(200);
  const pending = readFor(stream.body!, 800);
  await h.api.agent('POST', `/v1/conversations/${convA}/messages`, { text: 'reply meant for A only' });
  const seen = await pending;
  expect(seen.text).not.toContain('reply meant for A only');
  expect(seen.text).not.toContain('A secret line');
});

it('5+6. visitor and agent tokens do not cross; a revoked token ends its open stream', async () => {
  const v = await h.api.session();
  for (const path of ['/v1/contacts', '/v1/conversations', '/v1/settings', '/v1/agent/stream', '/v1/tags'])
    expect((await h.api.call('GET', path, undefined, v.token)).status, path).toBe(401);
  for (const path of ['/v1/session', '/v1/messages'])
    expect((await h.api.call('GET', path, undefined, h.agentToken)).status, path).toBe(401);
  const settings = await h.api.agent('GET', '/v1/settings');
  expect(settings.json.secret).toBe(h.secret); // agents see it…
  const cfg = await h.api.call('GET', '/v1/sites/default/config');
  expect(cfg.text).not.toContain(h.secret); // …the widget never does
  expect(JSON.stringify(v)).not.toContain(h.secret);
  // revocation closes a live stream
  const stream = await h.app.request('/v1/stream', { headers: { authorization: `Bearer ${v.token}` } });
  expect(stream.status).toBe(200);
  // the stream subscribed before its answer was returned (routes/stream.ts), so revoke at once
  const pending = readFor(stream.body!, 3000);
  expect((await h.api.call('DELETE', '/v1/session', undefined, v.token)).status).toBe(204);
  const seen = await pending;
  expect(seen.ended).toBe(true);
  expect((await h.api.call('GET', '/v1/session', undefined, v.token)).status).toBe(401);
});
