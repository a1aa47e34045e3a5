// Agent API in-process: auth, combined filters, cursor pagination, tags, custom fields, conversations, settings, CORS.
import { describe, expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { createTestApp, useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

async function seedFew() {
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' });
  await api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
  await api.agent('POST', '/v1/custom-fields', { name: 'Trial ends', type: 'date' });
  await api.agent('POST', '/v1/custom-fields', { name: 'Churned', type: 'boolean' });
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const s = await api.session();
    const ev: Record<string, unknown> = { type: 'update', custom: { plan: i % 3 === 0 ? 'pro' : 'free', seats: i % 5, churned: i % 2 === 0 } };
    if (i % 2 === 0) Object.assign(ev, { name: `Person ${i}`, email: `p${i}@example.com` });
    await api.sync(s.token, [ev]);
    if (i % 4 === 0) await api.agent('PUT', `/v1/contacts/${s.contact.id}/tags/VIP`);
    if (i % 6 === 0) await api.agent('PUT', `/v1/contacts/${s.contact.id}/tags/b2b`);
    ids.push(s.contact.id);
  }
  return ids;
}

describe('auth', () => {
  it('every agent endpoint needs the agent token; a visitor token is not enough', async () => {
    const s = await api.session();
    for (const p of ['/v1/contacts', '/v1/tags', '/v1/custom-fields', '/v1/conversations', '/v1/settings', '/v1/contacts/counts']) {
      expect((await api.call('GET', p)).status).toBe(401);
      expect((await api.call('GET', p, undefined, s.token)).status).toBe(401);
      expect((await api.call('GET', p, undefined, t.agentToken + 'x')).status).toBe(401);
      expect((await api.agent('GET', p)).status).toBe(200);
    }
  });
});

describe('contact list', () => {
  it('combines type AND every tag AND field values AND search', async () => {
    const ids = await seedFew();
    const all = async (qs: string) => {
      const out: any[] = [];
      let cursor: string | null = null;
      do {
        const r = await api.agent('GET', `/v1/contacts?${qs}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        out.push(...r.json.items);
        cursor = r.json.nextCursor;
      } while (cursor);
      return out;
    };
    const expectIdx = (items: any[], pred: (i: number) => boolean) =>
      expect(items.map((c) => c.id).sort()).toEqual(ids.filter((_, i) => pred(i)).sort());
    expectIdx(await all('type=lead'), (i) => i % 2 === 0);
    expectIdx(await all('tag=vip'), (i) => i % 4 === 0);
    expectIdx(await all('tag=VIP&tag=B2B'), (i) => i % 12 === 0);
    expectIdx(await all('field.plan=pro&field.seats=0'), (i) => i % 3 === 0 && i % 5 === 0);
    expectIdx(await all('field.churned=true&tag=vip&type=lead'), (i) => i % 4 === 0);
    expectIdx(await all('q=person 1'), (i) => i % 2 === 0 && String(i).startsWith('1'));
    expectIdx(await all('q=P2'), (i) => i % 2 === 0 && String(i).startsWith('2'));
    expectIdx(await all('tag=nosuchtag'), () => false);
    // word prefixes: the second word of the name, a word of the email
    const s = await api.session();
    await api.sync(s.token, [{ type: 'update', name: 'Grace Brewster Hopper', email: 'g.hopper@navy.mil', phone: '+1 202 555 0100' }]);
    for (const q of ['hop', 'BREW', 'navy', 'grace b', '+1 202', '1202555']) {
      const r = await api.agent('GET', `/v1/contacts?q=${encodeURIComponent(q)}`);
      expect(r.json.items.map((c: any) => c.id), q).toEqual([s.contact.id]);
    }
    await api.sync(s.token, [{ type: 'update', name: 'Grace Murray' }]);
    expect((await api.agent('GET', '/v1/contacts?q=brewster')).json.items).toEqual([]);
    const counts = await api.agent('GET', '/v1/contacts/counts?tag=vip');
    expect(counts.json).toEqual({ guest: 0, lead: 8, customer: 0, total: 8 });
  });
  it('orders by newest activity, pages without gaps or repeats', async () => {
    const ids = await seedFew();
    const seen: string[] = [];
    let cursor: string | null = null;
    let last = '9999';
    do {
      const r = await api.agent('GET', `/v1/contacts?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      for (const c of r.json.items) {
        expect(c.lastSeenAt <= last).toBe(true);
        last = c.lastSeenAt;
        seen.push(c.id);
      }
      cursor = r.json.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(ids.length);
    expect(new Set(seen).size).toBe(ids.length);
  });
  it('refuses a bad limit, cursor, type, or field filter with a 400 naming it', async () => {
    await seedFew();
    for (const [qs, field] of [['limit=0', undefined], ['limit=201', undefined], ['limit=abc', undefined], ['cursor=%%%', undefined], ['cursor=abc', 'cursor'], ['type=vip', undefined], ['field.nope=1', 'field.nope'], ['field.seats=many', 'field.seats'], ['field.trial_ends=2024-02-31', 'field.trial_ends']] as const) {
      const r = await api.agent('GET', `/v1/contacts?${qs}`);
      expect(r.status, qs).toBe(400);
      if (field) expect(r.json.error.issues[0].path).toEqual([field]);
    }
    expect((await api.agent('GET', '/v1/contacts?limit=200')).status).toBe(200);
    expect((await api.agent('GET', '/v1/contacts?limit=1')).json.items).toHaveLength(1);
  });
});

describe('contact edits', () => {
  it('patch types custom values, refusing a wrong type naming the field', async () => {
    await api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
    const s = await api.session();
    const bad = await api.agent('PATCH', `/v1/contacts/${s.contact.id}`, { custom: { seats: '12' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toEqual(['custom', 'seats']);
    const unknown = await api.agent('PATCH', `/v1/contacts/${s.contact.id}`, { custom: { nope: 1 } });
    expect(unknown.json.error.issues[0].path).toEqual(['custom', 'nope']);
    const ok = await api.agent('PATCH', `/v1/contacts/${s.contact.id}`, { name: 'Agent Typed', email: 'typed@x.io', custom: { seats: 12 } });
    expect(ok.json).toMatchObject({ type: 'lead', custom: { seats: 12 } });
    expect((await api.agent('PATCH', '/v1/contacts/ct_nope', { name: 'x' })).status).toBe(404);
  });
  it('tags are created on the fly, case-insensitive, first spelling kept; note set and read', async () => {
    const s = await api.session();
    await api.agent('PUT', `/v1/contacts/${s.contact.id}/tags/${encodeURIComponent(' Big Deal ')}`);
    const again = await api.agent('PUT', `/v1/contacts/${s.contact.id}/tags/big%20deal`);
    expect(again.json.tags).toEqual(['Big Deal']);
    expect((await api.agent('GET', '/v1/tags')).json.items).toEqual([expect.objectContaining({ name: 'Big Deal', contactCount: 1 })]);
    expect((await api.agent('DELETE', `/v1/contacts/${s.contact.id}/tags/BIG%20DEAL`)).json.tags).toEqual([]);
    const note = await api.agent('PUT', `/v1/contacts/${s.contact.id}/note`, { text: 'Called on Monday <b>not html</b>' });
    expect(note.json.note).toBe('Called on Monday <b>not html</b>');
    const widget = await api.call('GET', '/v1/session', undefined, s.token);
    expect(widget.json.contact).not.toHaveProperty('note');
    expect(widget.json.contact).not.toHaveProperty('tags');
  });
  it('tags API: create, rename (409 on clash), delete', async () => {
    expect((await api.agent('POST', '/v1/tags', { name: 'VIP' })).status).toBe(201);
    expect((await api.agent('POST', '/v1/tags', { name: 'vip' })).status).toBe(200);
    await api.agent('POST', '/v1/tags', { name: 'Trial' });
    expect((await api.agent('PATCH', '/v1/tags/trial', { name: 'VIP' })).status).toBe(409);
    expect((await api.agent('PATCH', '/v1/tags/trial', { name: 'Trialist' })).json.name).toBe('Trialist');
    expect((await api.agent('DELETE', '/v1/tags/vip')).status).toBe(204);
    expect((await api.agent('GET', '/v1/tags')).json.items.map((x: any) => x.name)).toEqual(['Trialist']);
    expect((await api.agent('DELETE', '/v1/tags/vip')).status).toBe(404);
  });
  it('custom fields API: key derived, reserved and duplicate keys refused, inForm shows in the widget config', async () => {
    const f = await api.agent('POST', '/v1/custom-fields', { name: 'Company size', type: 'number', inForm: true, required: true });
    expect(f.status).toBe(201);
    expect(f.json).toMatchObject({ key: 'company_size', inForm: true, required: true });
    expect((await api.agent('POST', '/v1/custom-fields', { name: 'x', key: 'company_size', type: 'text' })).status).toBe(409);
    expect((await api.agent('POST', '/v1/custom-fields', { name: 'Email', type: 'text' })).status).toBe(400);
    expect((await api.agent('POST', '/v1/custom-fields', { name: 'x', key: 'Bad-Key', type: 'text' })).json.error.issues[0].path).toEqual(['key']);
    expect((await api.agent('POST', '/v1/custom-fields', { name: 'x', type: 'color' })).json.error.issues[0].path).toEqual(['type']);
    const cfg = await api.call('GET', '/v1/sites/default/config');
    expect(cfg.json.form.fields.at(-1)).toEqual({ key: 'company_size', label: 'Company size', type: 'number', required: true, custom: true });
    // required custom field enforced on the lead form
    const s = await api.session();
    const r = await api.sync(s.token, [{ type: 'lead', name: 'A', email: 'a@b.co' }]);
    expect(r.json.results[0].error.issues[0].path).toEqual(['company_size']);
    expect((await api.sync(s.token, [{ type: 'lead', name: 'A', email: 'a@b.co', custom: { company_size: 40 } }])).json.contact.type).toBe('lead');
    await api.agent('PATCH', '/v1/custom-fields/company_size', { inForm: false });
    expect((await api.call('GET', '/v1/sites/default/config')).json.form.fields).toHaveLength(3);
    expect((await api.agent('DELETE', '/v1/custom-fields/company_size')).status).toBe(204);
    expect((await api.agent('GET', `/v1/contacts/${s.contact.id}`)).json.custom).toEqual({});
  });
});

describe('conversations', () => {
  it('visitor message -> agent list with unread -> reply -> visitor history', async () => {
    const s = await api.session();
    await api.sync(s.token, [{ type: 'message', text: 'hello <script>x</script>' }, { type: 'message', text: 'anyone?' }]);
    const list = await api.agent('GET', '/v1/conversations');
    expect(list.json.items).toHaveLength(1);
    const cv = list.json.items[0];
    expect(cv).toMatchObject({ contactId: s.contact.id, unread: 2, lastMessage: { text: 'anyone?', author: 'visitor' } });
    const reply = await api.agent('POST', `/v1/conversations/${cv.id}/messages`, { text: 'Hi!' });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ author: 'agent', text: 'Hi!', conversationId: cv.id, id: String(reply.json.seq) });
    const msgs = await api.agent('GET', `/v1/conversations/${cv.id}/messages`);
    expect(msgs.json.items.map((m: any) => m.text)).toEqual(['hello <script>x</script>', 'anyone?', 'Hi!']);
    const hist = await api.call('GET', '/v1/messages?after=1', undefined, s.token);
    expect(hist.json.items.map((m: any) => m.text)).toEqual(['anyone?', 'Hi!']);
    await api.sync(s.token, [{ type: 'message', text: 'thanks' }]);
    expect((await api.agent('POST', `/v1/conversations/${cv.id}/read`)).json.unread).toBe(0);
    expect((await api.agent('POST', '/v1/conversations/cv_nope/messages', { text: 'x' })).status).toBe(404);
  });
  it("a visitor cannot post into someone else's conversation", async () => {
    const a = await api.session();
    const b = await api.session();
    const r = await api.sync(a.token, [{ type: 'message', text: 'mine' }]);
    const other = await api.sync(b.token, [{ type: 'message', text: 'sneaky', conversationId: r.json.results[0].message.conversationId }]);
    expect(other.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'conversation_not_found' } });
  });
});

describe('settings and CORS', () => {
  it('patches settings with validation and shows the secret to agents only', async () => {
    const g = await api.agent('GET', '/v1/settings');
    expect(g.json.secret).toBe(t.secret);
    const p = await api.agent('PATCH', '/v1/settings', { color: '#112233', greeting: 'Hello', allowedOrigins: ['https://shop.example'] });
    expect(p.json).toMatchObject({ color: '#112233', greeting: 'Hello' });
    expect((await api.agent('PATCH', '/v1/settings', { color: 'red' })).json.error.issues[0].path).toEqual(['color']);
    expect((await api.agent('PATCH', '/v1/settings', { allowedOrigins: ['*'] })).status).toBe(400);
    expect((await api.agent('PATCH', '/v1/settings', { secret: 'x'.repeat(32) })).status).toBe(400);
    expect((await api.agent('PATCH', '/v1/settings', { form: { fields: [{ key: 'nope', required: true }] } })).status).toBe(400);
    const cfg = await api.call('GET', '/v1/sites/default/config');
    expect(cfg.json).toMatchObject({ color: '#112233', greeting: 'Hello' });
  });
  it('name, theme and greetings per language: defaults, validation by field, a patch leaves the others alone; the config is cacheable', async () => {
    const cfg0 = await api.call('GET', '/v1/sites/default/config');
    expect(cfg0.json).toMatchObject({ name: 'Support', theme: 'auto', greetings: {}, sound: false });
    expect(cfg0.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const p = await api.agent('PATCH', '/v1/settings', { name: 'Hoa Shop', theme: 'dark', greetings: { fr: 'Bonjour !', vi: 'Xin chào!' } });
    expect(p.json).toMatchObject({ name: 'Hoa Shop', theme: 'dark', greetings: { fr: 'Bonjour !', vi: 'Xin chào!' } });
    expect((await api.agent('PATCH', '/v1/settings', { sound: true })).json.sound).toBe(true);
    expect((await api.agent('PATCH', '/v1/settings', { sound: 'yes' })).json.error.issues[0].path).toEqual(['sound']);
    const bad = await api.agent('PATCH', '/v1/settings', { theme: 'pink' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toEqual(['theme']);
    const badLang = await api.agent('PATCH', '/v1/settings', { greetings: { 'FR-x': 'hi' } });
    expect(badLang.status).toBe(400);
    expect(badLang.json.error.issues[0].path).toEqual(['greetings', 'FR-x']);
    await api.agent('PATCH', '/v1/settings', { color: '#223344' }); // leaves name, theme and greetings as they were
    expect((await api.call('GET', '/v1/sites/default/config')).json).toMatchObject({ color: '#223344', name: 'Hoa Shop', theme: 'dark', greetings: { fr: 'Bonjour !' } });
  });
  it('a settings row stored before name/theme/greetings existed still reads, with its secret kept', async () => {
    const { settingsSchema } = await import('../../widget/src/contract/zod/settings.js');
    const old = { color: '#4f46e5', greeting: 'Hi', position: 'right', form: { enabled: true, fields: [], emailOrPhone: true }, verification: true, allowedOrigins: [], secret: 's'.repeat(64) };
    expect(settingsSchema.parse(old)).toMatchObject({ secret: 's'.repeat(64), name: 'Support', theme: 'auto', greetings: {} });
  });
  it('answers CORS only for allowed origins on widget endpoints, never on the agent API', async () => {
    await api.agent('PATCH', '/v1/settings', { allowedOrigins: ['https://shop.example'] });
    const pre = await api.call('OPTIONS', '/v1/sync', undefined, undefined, { origin: 'https://shop.example', 'access-control-request-method': 'POST' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(pre.headers.get('vary')).toContain('Origin');
    // errors for an allowed origin carry CORS too, so the widget can read them (e.g. 401 -> start a new session)
    const denied = await api.call('GET', '/v1/session', undefined, 'x'.repeat(43), { origin: 'https://shop.example' });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const local = await api.call('GET', '/v1/sites/default/config', undefined, undefined, { origin: 'http://localhost:5173' });
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    for (const origin of ['https://evil.example', 'null', 'https://shop.example.evil.com', 'http://localhost.evil.com:80']) {
      const r = await api.call('GET', '/v1/sites/default/config', undefined, undefined, { origin });
      expect(r.status, origin).toBe(403);
      expect(r.json.error.code).toBe('origin_not_allowed');
      // the refusal (and nothing else) is readable by a well-formed origin, so its widget can say what to fix
      expect(r.headers.get('access-control-allow-origin')).toBe(origin.startsWith('https://') ? origin : null);
    }
    const agentPre = await api.call('OPTIONS', '/v1/contacts', undefined, undefined, { origin: 'https://shop.example', 'access-control-request-method': 'GET' });
    expect(agentPre.headers.get('access-control-allow-origin')).toBeNull();
    const agentGet = await api.call('GET', '/v1/contacts', undefined, t.agentToken, { origin: 'https://shop.example' });
    expect(agentGet.headers.get('access-control-allow-origin')).toBeNull();
  });
  it('demo login signs with the site secret, and can be switched off', async () => {
    const r = await api.call('POST', '/demo/login', { customerId: 'demo-1', name: 'Demo', email: 'd@x.io' });
    const { userHashFor } = await import('../../server-stub/src/domain/identity.js');
    expect(r.json.userHash).toBe(userHashFor(t.secret, 'demo-1'));
    const off = await createTestApp({ demo: false });
    try {
      expect((await off.app.request('/demo/login', { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
