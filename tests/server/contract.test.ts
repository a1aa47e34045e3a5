// One contract (issue 9 item 1): every widget-facing answer of the real app passes the contract's zod schema
// (the widget's types come from it; the window trusts the shape of its own server's answers since issue 10's
// fifth pass, so this test is what holds the server to it); every agent answer passes the console's safeParse.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createContactsApi } from '../../demo-site/console/src/api/contacts.js';
import { createConversationsApi } from '../../demo-site/console/src/api/conversations.js';
import { createCustomFieldsApi } from '../../demo-site/console/src/api/custom-fields.js';
import { createHttp } from '../../demo-site/console/src/api/http.js';
import { createSettingsApi } from '../../demo-site/console/src/api/settings.js';
import { createTagsApi } from '../../demo-site/console/src/api/tags.js';
import { userHashFor } from '../../server-stub/src/domain/identity.js';
import { createClient as createWidgetClient } from '../../widget/src/client/http.js';
import * as wire from '../../widget/src/contract/zod/responses.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

/** Holds one raw answer to the contract's zod schema. */
function holds(schema: z.ZodType, body: unknown, what: string) {
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues, `${what}: zod`).toEqual([]);
}

/** Reads SSE blocks from an in-process streaming answer until `enough` holds; then cancels the body. */
async function readSse(res: Response, enough: (evs: { event: string; data: unknown }[]) => boolean) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { event: string; data: unknown }[] = [];
  let buf = '';
  while (!enough(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      const lines = buf.slice(0, i).split('\n').filter((l) => !l.startsWith(':'));
      buf = buf.slice(i + 2);
      const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
      const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
      if (event) events.push({ event, data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}

let t: TestApp;
let api: Parameters<Parameters<typeof useTestApp>[0]>[1];
useTestApp((app, client) => { t = app; api = client; });

async function siteWithCustomField() {
  await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text', inForm: true, required: false });
  await api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number' });
  await api.agent('PATCH', '/v1/settings', { verification: true, form: { enabled: true, emailOrPhone: true } });
}

describe('widget-facing answers through the contract schemas', () => {
  it('config, session start and resume, sync (applied, duplicate, rejected), history, errors', async () => {
    await siteWithCustomField();
    const config = await api.call('GET', '/v1/sites/default/config');
    expect(config.json.form.fields.some((f: { custom?: boolean }) => f.custom)).toBe(true);
    holds(wire.siteConfigSchema, config.json, 'config');

    const start = await api.call('POST', '/v1/sessions', { siteId: 'default', timezone: 'Europe/Paris', locale: 'fr' });
    expect(start.status).toBe(201);
    holds(wire.sessionSchema, start.json, 'session start');
    const token: string = start.json.token;
    holds(wire.sessionSchema, (await api.call('GET', '/v1/session?timezone=Europe/Berlin', undefined, token)).json, 'session resume');

    const events = [
      { id: 'contract-lead-1', type: 'lead', name: 'Ada', email: 'ada@example.com', custom: { plan: 'pro' } },
      { id: 'contract-msg-1', type: 'message', text: 'hello' },
      { id: 'contract-bad-1', type: 'update', email: 'not an email' },
      { id: 'contract-idn-1', type: 'identify', customerId: 'cust-1', userHash: userHashFor(t.secret, 'cust-1') },
    ];
    const sync = await api.call('POST', '/v1/sync', { events }, token);
    expect(sync.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'rejected', 'applied']);
    holds(wire.syncResponseSchema, sync.json, 'sync');
    const again = await api.call('POST', '/v1/sync', { events: events.slice(1, 3) }, token);
    expect(again.json.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate']);
    holds(wire.syncResponseSchema, again.json, 'sync duplicates');

    holds(wire.historySchema, (await api.call('GET', '/v1/messages?after=0&limit=1', undefined, token)).json, 'history');

    for (const bad of [await api.call('GET', '/v1/session'), await api.call('GET', '/v1/sites/nope/config'), await api.call('POST', '/v1/sync', { events: 'x' }, token)]) {
      expect(bad.status).toBeGreaterThanOrEqual(400);
      holds(wire.errorResponseSchema, bad.json, `error ${bad.status}`);
    }
  });

  it('the widget client itself reads every answer', async () => {
    await siteWithCustomField();
    const w = createWidgetClient('http://chat.test', 'default', ((url: string, init?: RequestInit) => t.app.request(url, init)) as typeof fetch);
    expect((await w.getConfig()).siteId).toBe('default');
    const s = await w.startSession('Europe/Paris', 'en');
    expect((await w.resumeSession(s.token!, 'Europe/Paris', 'en')).contact.id).toBe(s.contact.id);
    const r = await w.sync(s.token!, [{ id: 'contract-w-msg-1', type: 'message', text: 'hi' }]);
    expect(r.results[0].message?.text).toBe('hi');
    expect((await w.history(s.token!, 0)).map((m) => m.text)).toEqual(['hi']);
  });

  it('stream events (catch-up message, live message, contact) pass the contract schemas the stream reader trusts', async () => {
    const s = await api.session();
    const first = await api.sync(s.token, [{ type: 'message', text: 'before' }]);
    const cv = first.json.results[0].message.conversationId;
    const res = await t.app.request('/v1/stream', { headers: { authorization: `Bearer ${s.token}`, 'last-event-id': '0' } });
    expect(res.status).toBe(200);
    const reading = readSse(res, (evs) => evs.some((e) => e.event === 'contact') && evs.filter((e) => e.event === 'message').length >= 2);
    await api.agent('POST', `/v1/conversations/${cv}/messages`, { text: 'live reply' });
    await api.sync(s.token, [{ type: 'update', name: 'Grace', phone: '+33612345678' }]);
    const evs = await reading;
    for (const e of evs) {
      if (e.event === 'message') holds(wire.messageSchema, e.data, 'stream message');
      else if (e.event === 'contact') holds(wire.widgetContactSchema, e.data, 'stream contact');
    }
    expect(evs.filter((e) => e.event === 'message').map((e) => (e.data as { text: string }).text)).toEqual(['before', 'live reply']);
  });
});

/** The console's own HTTP client (with its safeParse), talking to the in-process app. */
const consoleHttp = () => createHttp(t.agentToken, () => undefined, ((url: string, init?: RequestInit) => t.app.request(url, init)) as typeof fetch);

describe('agent answers through the console safeParse', () => {
  it('every console call against the real app parses (a drift would throw invalid_response)', async () => {
    await siteWithCustomField();
    const s = await api.session();
    const sent = await api.sync(s.token, [{ type: 'lead', name: 'Ada', email: 'ada@example.com' }, { type: 'message', text: 'hi' }]);
    const cv = sent.json.results[1].message.conversationId;
    const id = s.contact.id;
    const http = consoleHttp();
    const contacts = createContactsApi(http), convs = createConversationsApi(http), fields = createCustomFieldsApi(http);
    const settings = createSettingsApi(http), tags = createTagsApi(http);

    expect((await contacts.list({})).items.map((x) => x.id)).toContain(id);
    expect((await contacts.counts({})).lead).toBe(1);
    const got = await contacts.get(id);
    expect('type' in got && got.type).toBe('lead');
    expect((await contacts.patch(id, { phone: '+33612345678', custom: { plan: 'team', seats: 3 } })).custom).toEqual({ plan: 'team', seats: 3 });
    expect((await contacts.addTag(id, 'vip')).tags).toEqual(['vip']);
    expect((await contacts.removeTag(id, 'vip')).tags).toEqual([]);
    expect((await contacts.setNote(id, 'called')).note).toBe('called');
    expect((await convs.list()).items[0].id).toBe(cv);
    expect((await convs.list({ contactId: id })).items).toHaveLength(1);
    expect((await convs.messages(cv)).items.map((m) => m.text)).toEqual(['hi']);
    expect((await convs.reply(cv, 'hello Ada')).author).toBe('agent');
    expect((await convs.markRead(cv)).unread).toBe(0);
    const field = await fields.create('Renewal date', 'date');
    expect(field.key).toBe('renewal_date');
    expect((await fields.patch(field.key, { inForm: true })).inForm).toBe(true);
    expect((await fields.list()).items.map((f) => f.key)).toContain('renewal_date');
    await fields.remove(field.key);
    expect((await tags.create('gold')).name).toBe('gold');
    expect((await tags.rename('gold', 'platinum')).name).toBe('platinum');
    expect((await tags.list()).items.map((x) => x.name)).toContain('platinum');
    await tags.remove('platinum');
    expect((await settings.get()).secret.length).toBeGreaterThan(15);
    expect((await settings.patch({ greeting: 'Bonjour' })).greeting).toBe('Bonjour');
    expect((await settings.rotateSecret()).secret).not.toBe(t.secret);
  });

  it('a merged-away contact comes back as its tombstone, which the console follows', async () => {
    const secret = t.secret;
    const a = await api.session();
    await api.sync(a.token, [{ type: 'identify', customerId: 'cust-9', userHash: userHashFor(secret, 'cust-9') }]);
    const b = await api.session();
    await api.sync(b.token, [{ type: 'identify', customerId: 'cust-9', userHash: userHashFor(secret, 'cust-9') }]);
    const got = await createContactsApi(consoleHttp()).get(b.contact.id);
    expect('type' in got ? null : got.mergedInto).toBe(a.contact.id);
  });
});
