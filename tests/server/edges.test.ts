// Static serving, rate limits (429 + Retry-After), and no visitor token in the server's output.
import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from './helpers/client.js';
import { startServer } from './helpers/spawn-server.js';
import { createTestApp } from './helpers/test-app.js';

const dist = mkdtempSync(join(tmpdir(), 'chative-dist-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('static files', () => {
  it('serves widget.js with cache and CORS *, the shop, the console and its routes; no traversal', async () => {
    mkdirSync(join(dist, 'widget'), { recursive: true });
    mkdirSync(join(dist, 'site/console'), { recursive: true });
    mkdirSync(join(dist, 'site/assets'), { recursive: true });
    writeFileSync(join(dist, 'widget/widget.js'), 'console.log("w")');
    writeFileSync(join(dist, 'site/index.html'), '<h1>shop</h1>');
    writeFileSync(join(dist, 'site/checkout.html'), '<h1>checkout</h1>');
    writeFileSync(join(dist, 'site/console/index.html'), '<h1>console</h1>');
    writeFileSync(join(dist, 'site/assets/a.js'), 'x');
    const t = await createTestApp({ distDir: dist });
    try {
      const w = await t.app.request('/widget.js');
      expect(w.status).toBe(200);
      // the site config is baked in (widget-js.test.ts): fresh for a minute, then revalidated by ETag
      expect(w.headers.get('cache-control')).toBe('public, max-age=60');
      expect(w.headers.get('etag')).toBeTruthy();
      expect(w.headers.get('access-control-allow-origin')).toBe('*');
      expect(w.headers.get('content-type')).toContain('javascript');
      // the window's modules: content-hashed, so cached for good; CORS * (module scripts load in CORS mode)
      mkdirSync(join(dist, 'widget/widget'), { recursive: true });
      writeFileSync(join(dist, 'widget/widget/app-AbC_1.js'), 'export const start = 1');
      const m = await t.app.request('/widget/app-AbC_1.js');
      expect(m.status).toBe(200);
      expect(m.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(m.headers.get('access-control-allow-origin')).toBe('*');
      expect(m.headers.get('content-type')).toContain('javascript');
      for (const p of ['/widget/missing.js', '/widget/..%2fwidget.js', '/widget/%2e%2e%2fwidget.js', '/widget/app.css'])
        expect((await t.app.request(p)).status, p).toBe(404);
      expect(await (await t.app.request('/')).text()).toBe('<h1>shop</h1>');
      expect(await (await t.app.request('/checkout.html')).text()).toBe('<h1>checkout</h1>');
      expect(await (await t.app.request('/console/')).text()).toBe('<h1>console</h1>');
      expect(await (await t.app.request('/console/contacts/ct_1')).text()).toBe('<h1>console</h1>');
      expect((await t.app.request('/assets/a.js')).status).toBe(200);
      for (const p of ['/assets/../../widget/widget.js', '/assets/%2e%2e/%2e%2e/widget/widget.js', '/console/..%2f..%2fwidget/widget.js', '/console/missing.js'])
        expect((await t.app.request(p)).status, p).toBe(404);
    } finally {
      await t.close();
    }
  });
  it('without a build, answers a page saying to run npm run build', async () => {
    const t = await createTestApp({ distDir: join(dist, 'nothing') });
    try {
      const r = await t.app.request('/');
      expect(r.status).toBe(404);
      expect(await r.text()).toContain('npm run build');
    } finally {
      await t.close();
    }
  });
});

describe('rate limits', () => {
  it('sessions per IP and sync per token answer 429 with Retry-After', async () => {
    const t = await createTestApp({ rateLimit: 0.1 });
    const api = createClient((p, i) => t.app.request(p, i), t.agentToken);
    try {
      // sessions: burst 30 x 0.1 = 3
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await api.call('POST', '/v1/sessions', { siteId: 'default' })).status);
      expect(codes).toEqual([201, 201, 201, 429, 429]);
      const r = await api.call('POST', '/v1/sessions', { siteId: 'default' });
      expect(r.json.error.code).toBe('rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await t.close();
    }
  });
  it('a real visitor pace (a message a second, a burst of 20 on reconnect) never meets the default limits', async () => {
    const t = await createTestApp({ rateLimit: 1 });
    const api = createClient((p, i) => t.app.request(p, i), t.agentToken);
    try {
      const s = await api.session();
      const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => api.sync(s.token, [{ type: 'message', text: `m${i}` }])));
      expect(burst.every((r) => r.status === 200)).toBe(true);
      for (let i = 0; i < 10; i++) expect((await api.call('GET', '/v1/session', undefined, s.token)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

it('the visitor token never appears in the server output, even on errors', async () => {
  const srv = await startServer();
  const api = createClient((p, i) => fetch(srv.url + p, i), srv.agentToken);
  try {
    const s = await api.session();
    await api.sync(s.token, [{ type: 'message', text: 'hello' }]);
    await api.call('POST', '/v1/sync', '{bad json', s.token);
    await api.call('GET', '/v1/stream?after=x', undefined, s.token);
    await api.call('DELETE', '/v1/session', undefined, s.token);
    await api.call('GET', '/v1/session', undefined, s.token);
    // a client that hangs up mid-body is a client problem, not a server error
    const s2 = await api.session();
    await new Promise<void>((done) => {
      const sock = connect(srv.port, '127.0.0.1', () => sock.end(`POST /v1/sync HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s2.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"events":[`));
      sock.on('data', () => undefined);
      sock.on('close', () => done());
      sock.on('error', () => done());
    });
    expect((await api.call('GET', '/v1/sites/default/config')).status).toBe(200);
    // a log line may still be in the pipe: stop() returns once the process closed its output
    await srv.stop();
    expect(srv.output()).not.toMatch(/unexpected error/);
    expect(srv.output()).not.toContain(s.token);
    expect(srv.output()).not.toContain(s2.token);
  } finally {
    await srv.stop();
  }
});
