// @vitest-environment happy-dom
// A refused session (a 4xx that retrying cannot cure) stops the widget and says so: the host's `error`
// event, one console warning, getContact() and update() rejected — while offline or a 5xx keeps retrying.
import 'fake-indexeddb/auto';
import { expect, it, vi } from 'vitest';
import { createCore } from '../../../widget/src/core/widget-core';
import { createClient, WidgetError } from '../../../widget/src/client/http';
import { createKv } from '../../../widget/src/storage/kv';
import { createBus } from '../../../widget/src/client/bus';
import { fatalError } from '../../../widget/src/core/host-errors';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const where = { siteId: 'shop', server: 'https://chat.example', page: 'https://shop.example' };

it('tells what heals by itself from what never will', () => {
  expect(fatalError(new WidgetError(0, 'network_error', 'offline'), where)).toBeNull();
  expect(fatalError(new WidgetError(503, 'http_503', 'busy'), where)).toBeNull();
  expect(fatalError(new WidgetError(429, 'rate_limited', 'slow down'), where)).toBeNull();
  expect(fatalError(new Error('boom'), where)).toBeNull();
  expect(fatalError(new WidgetError(404, 'site_not_found', 'no site "shop"'), where)).toEqual({ code: 'unknown_site', message: 'data-site="shop" is not a site on https://chat.example' });
  expect(fatalError(new WidgetError(403, 'origin_not_allowed', 'x'), where)?.code).toBe('origin_not_allowed');
  expect(fatalError(new WidgetError(403, 'session_refused', 'sessions are closed'), where)).toEqual({ code: 'session_refused', message: 'sessions are closed' });
});

it('a refused session emits error once, warns once and rejects calls instead of hanging', async () => {
  let sessions = 0;
  const fakeFetch = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    if (url.pathname === '/v1/sites/default/config') return json({ siteId: 'default', form: { enabled: false, fields: [] } });
    if (url.pathname === '/v1/sessions') {
      sessions++;
      return json({ error: { code: 'session_refused', message: 'sessions are closed' } }, 403);
    }
    return json({ error: { code: 'not_found' } }, 404);
  }) as typeof fetch;
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const core = createCore({ client: createClient('http://chat.test', 'default', fakeFetch), fetch: fakeFetch, kv: createKv(), bus: createBus('refused-test'), siteId: 'default', consent: false });
  const errors: unknown[] = [];
  core.on('error', (e) => errors.push({ code: (e as { code: string }).code, message: (e as Error).message }));
  void core.start();
  await expect(core.getContact()).rejects.toMatchObject({ code: 'session_refused' });
  await expect(core.update({ name: 'Ann', email: 'ann@example.com' })).rejects.toMatchObject({ code: 'session_refused' });
  core.send('hello?');
  expect(core.getState().pending.map((p) => p.status)).toEqual(['failed']);
  expect(errors).toEqual([{ code: 'session_refused', message: 'sessions are closed' }]);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(String(warn.mock.calls[0][0])).toMatch(/^Chative: the chat server refused the session/);
  expect(sessions).toBe(1); // no retry loop against a refusal
  warn.mockRestore();
});

// Issue 10: the config comes baked into widget.js, so the page view no longer reads it; a session start that
// fails unread (a refused CORS preflight looks like being offline) asks the config, whose 403 the page can read.
it('a session start that fails unread asks the config once: its 403 names origin_not_allowed', async () => {
  const seen: string[] = [];
  const fakeFetch = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    seen.push(url.pathname);
    if (url.pathname === '/v1/sessions') throw new TypeError('Failed to fetch'); // the preflight was refused
    if (url.pathname === '/v1/sites/default/config') return json({ error: { code: 'origin_not_allowed', message: 'not allowed' } }, 403);
    return json({ error: { code: 'not_found' } }, 404);
  }) as typeof fetch;
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const baked = { siteId: 'default', form: { enabled: false, fields: [] } };
  const core = createCore({ client: createClient('http://chat.test', 'default', fakeFetch), fetch: fakeFetch, kv: createKv(), bus: createBus('probe-test'), siteId: 'default', consent: false, config: baked });
  void core.start();
  await expect(core.getContact()).rejects.toMatchObject({ code: 'origin_not_allowed' });
  expect(seen).toEqual(['/v1/sessions', '/v1/sites/default/config']); // the baked config saved the page view's read
  expect(String(warn.mock.calls[0][0])).toContain('Allowed origins');
  warn.mockRestore();
});

it('offline at the first interaction is not a refusal: the config answers, and the session is retried', async () => {
  let online = false;
  const seen: string[] = [];
  const fakeFetch = (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    seen.push(url.pathname);
    if (url.pathname === '/v1/sessions') {
      if (!online) { online = true; throw new TypeError('Failed to fetch'); }
      return json({ token: 't'.repeat(43), contact: { id: 'ct_1', type: 'guest' } }, 201);
    }
    if (url.pathname === '/v1/sites/default/config') return json({ siteId: 'default' });
    return json({ items: [], nextCursor: null });
  }) as typeof fetch;
  const core = createCore({ client: createClient('http://chat.test', 'default', fakeFetch), fetch: fakeFetch, kv: createKv(), bus: createBus('probe-ok'), siteId: 'default', consent: false, config: { siteId: 'default' } });
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  try {
    void core.start();
    const contact = core.getContact();
    await vi.waitFor(() => expect(seen).toEqual(['/v1/sessions', '/v1/sites/default/config']));
    await vi.advanceTimersByTimeAsync(2000); // the backoff before the retry
    await expect(contact).resolves.toMatchObject({ id: 'ct_1', type: 'guest' });
    expect(core.getState().failure).toBeNull();
  } finally {
    vi.useRealTimers();
  }
});
