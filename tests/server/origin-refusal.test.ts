// Issue 9 item 5: a widget on a disallowed origin can read why it was refused, and the server log
// says so once per origin (per 10 min), not once per request.
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { widgetCors } from '../../server-stub/src/http/cors.js';
import { createRefusalLog } from '../../server-stub/src/http/refusal-log.js';
import { HttpError } from '../../server-stub/src/http/http-error.js';
import { createTestApp } from './helpers/test-app.js';

describe('a refused origin', () => {
  it('gets a 403 origin_not_allowed its page can read (CORS for that origin), with no data and no preflight', async () => {
    const t = await createTestApp({ allowedOrigins: ['https://shop.example'] });
    try {
      const res = await t.app.request('/v1/sites/default/config', { headers: { origin: 'https://other.example' } });
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://other.example');
      expect(res.headers.get('vary')).toMatch(/origin/i);
      const body = await res.json();
      expect(body).toEqual({ error: { code: 'origin_not_allowed', message: expect.stringContaining('https://other.example') } });
      expect(JSON.stringify(body)).not.toMatch(/greeting|form/); // no site config leaks with the refusal
      // a preflight (what a request with a visitor token needs) still fails
      const pre = await t.app.request('/v1/sessions', { method: 'OPTIONS', headers: { origin: 'https://other.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect(pre.status).toBe(403);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      // an allowed origin still gets its data
      const ok = await t.app.request('/v1/sites/default/config', { headers: { origin: 'https://shop.example' } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    } finally {
      await t.close();
    }
  });

  it('is logged once per origin per 10 minutes, quoted, whichever widget path it hits', async () => {
    let now = 0;
    const lines: string[] = [];
    const refusals = createRefusalLog({ log: (l) => lines.push(l), now: () => now });
    const app = new Hono();
    app.onError((err, c) => c.json({ error: { code: (err as HttpError).code } }, (err as HttpError).status, (err as HttpError).headers));
    for (const p of ['/a', '/b']) app.use(p, widgetCors(() => ['https://shop.example'], { refusals }));
    app.get('/a', (c) => c.text('a'));
    app.get('/b', (c) => c.text('b'));
    const hit = (path: string, origin: string) => app.request(path, { headers: { origin } });
    for (let i = 0; i < 20; i++) expect((await hit(i % 2 ? '/a' : '/b', 'https://evil.example')).status).toBe(403);
    await hit('/a', 'https://other.example');
    await hit('/a', 'https://shop.example');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"https://evil.example"');
    expect(lines[1]).toContain('"https://other.example"');
    now += 9 * 60_000;
    await hit('/a', 'https://evil.example');
    expect(lines).toHaveLength(2);
    now += 60_000;
    await hit('/b', 'https://evil.example');
    expect(lines).toHaveLength(3);
    // a header crafted to forge a second log line stays inside one quoted line
    await hit('/a', 'https://x.example" fake origin');
    expect(lines[3]).toMatch(/^widget origin refused: "https:\/\/x\.example\\" fake origin" is not/);
  });

  it('caps the lines per window for a flood of made-up origins and says how many it left out', () => {
    let now = 0;
    const lines: string[] = [];
    const refusals = createRefusalLog({ log: (l) => lines.push(l), now: () => now, maxLines: 5 });
    for (let i = 0; i < 100; i++) refusals.note(`https://o${i}.example`);
    expect(lines).toHaveLength(5);
    now += 10 * 60_000;
    refusals.note('https://late.example');
    expect(lines[5]).toMatch(/95 more refusals/);
    expect(lines[6]).toContain('"https://late.example"');
  });
});
