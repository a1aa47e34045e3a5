// Export one contact (CONTRACT §9, the right of access): everything held about it as JSON — profile, conversations
// with their messages, and the activity trail — and nothing of another contact.
import { expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { useTestApp } from './helpers/test-app.js';

let api: ReturnType<typeof createClient>;
useTestApp((_t, client) => { api = client; });

it('answers the profile, every conversation with its messages, and the whole activity trail', async () => {
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  const v = await api.session();
  const other = await api.session();
  await api.sync(other.token, [{ type: 'update', name: 'Someone Else' }, { type: 'message', text: 'not yours' }]);
  const sent = await api.sync(v.token, [{ type: 'update', name: 'Ada', email: 'ada@example.com', custom: { plan: 'pro' } }, { type: 'message', text: 'hello 👋' }]);
  const cv = sent.json.results[1].message.conversationId;
  await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: 'hi Ada' });
  await api.agent('PUT', `/v1/contacts/${v.contact.id}/tags/VIP`);
  await api.agent('PUT', `/v1/contacts/${v.contact.id}/note`, { text: 'likes tea' });

  const r = await api.agent('GET', `/v1/contacts/${v.contact.id}/export`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-disposition')).toContain(`contact-${v.contact.id}.json`);
  expect(r.json.contact).toMatchObject({ id: v.contact.id, name: 'Ada', email: 'ada@example.com', custom: { plan: 'pro' }, tags: ['VIP'], note: 'likes tea' });
  expect(r.json.conversations).toHaveLength(1);
  expect(r.json.conversations[0].messages.map((m: { author: string; text: string }) => [m.author, m.text])).toEqual([['visitor', 'hello 👋'], ['agent', 'hi Ada']]);
  const changes = r.json.activity.map((a: { change: string; field?: string }) => `${a.change}${a.field ? ':' + a.field : ''}`);
  expect(changes).toEqual(expect.arrayContaining(['created', 'field:name', 'field:email', 'custom:plan', 'tag_added:VIP', 'note']));
  expect(r.json.activity.find((a: { change: string }) => a.change === 'note').actor.kind).toBe('api');
  expect(JSON.stringify(r.json)).not.toContain('Someone Else');
  expect(JSON.stringify(r.json)).not.toContain('not yours');
});
