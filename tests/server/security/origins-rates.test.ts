// Item 10: widget requests from origins the site does not allow are refused, CORS never reflects an arbitrary
// origin, floods get 429 + Retry-After, and a scripted visitor at half the limit never sees a 429.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, RATE_LIMITS } from '../../../server-stub/src/http/rate-limit.js';
import { createHarness } from './lib/in-process.js';

describe('10. origins', () => {
  it('refuses foreign origins on every widget endpoint: no preflight passes, no data, the error readable by that origin only', async () => {
    const h = await createHarness({ allowedOrigins: ['https://shop.example'] });
    try {
      const tok = (await h.api.session()).token;
      const hostile = fc.sample(
        fc.oneof(
          fc.constantFrom('https://evil.example', 'null', 'https://shop.example.evil.com', 'https://evilshop.example', 'http://shop.example', 'https://shop.example:8443',
            'https://shop.example.', 'https://SHOP.example', 'https://shop.example@evil.com', 'http://localhost:3000', 'file://', 'https://shop.example/'),
          fc.webUrl().map((u) => new URL(u).origin),
        ),
        { numRuns: 300, seed: 7 },
      ).filter((o) => o !== 'https://shop.example');
      const calls = [
        ['GET', '/v1/sites/default/config', undefined, undefined],
        ['POST', '/v1/sessions', '{"siteId":"default"}', undefined],
        ['POST', '/v1/sync', '{"events":[]}', tok],
        ['GET', '/v1/messages', undefined, tok],
        ['GET', '/v1/session', undefined, tok],
      ] as const;
      let refused = 0;
      for (const origin of hostile) {
        for (const [method, path, body, token] of calls) {
          const res = await h.app.request(path, { method, body, headers: { origin, 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
          expect(res.status, `${origin} ${path}`).toBe(403);
          const answer = await res.json();
          expect(Object.keys(answer)).toEqual(['error']); // the refusal only, never data
          expect(answer.error.code).toBe('origin_not_allowed');
          // the page may read the refusal (so the widget can tell its host): echoed for that origin only, never `*`
          expect([null, origin]).toContain(res.headers.get('access-control-allow-origin'));
          refused++;
        }
        const pre = await h.app.request('/v1/sync', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
        expect(pre.status).toBe(403);
        expect(pre.headers.get('access-control-allow-origin')).toBeNull();
        expect(pre.headers.get('access-control-allow-headers')).toBeNull();
        // the agent API answers no cross-origin preflight at all
        const agentPre = await h.app.request('/v1/contacts', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
        expect(agentPre.headers.get('access-control-allow-origin')).toBeNull();
      }
      // the allowed origin is echoed exactly, with Vary: Origin
      const ok = await h.app.request('/v1/sync', { method: 'POST', body: '{"events":[]}', headers: { origin: 'https://shop.example', 'content-type': 'application/json', authorization: `Bearer ${tok}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(ok.headers.get('vary')).toMatch(/origin/i);
      expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
      const agentFromShop = await h.app.request('/v1/contacts', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' } });
      expect(agentFromShop.headers.get('access-control-allow-origin')).toBeNull();
      console.log(`[security 10] ${hostile.length} foreign origins x ${calls.length} widget endpoints: ${refused} refused with 403 origin_not_allowed, 0 preflights passed`);
    } finally {
      await h.close();
    }
  });
});

describe('10. rates', () => {
  it('floods get 429 with Retry-After; a visitor at half the limit never does (simulated clock, 45 s)', async () => {
    let now = 1_000_000;
    const limiter = createRateLimiter(1, () => now);
    const h = await createHarness({ limiter });
    try {
      const visitorIp = h.fromIp('203.0.113.10');
      const flooderIp = h.fromIp('198.51.100.66');
      const visitor = await visitorIp.session();
      const flooder = await flooderIp.session();
      // session creation flood from one address
      let sessions429 = 0;
      let retryAfter = '';
      for (let i = 0; i < 100; i++) {
        const r = await flooderIp.call('POST', '/v1/sessions', { siteId: 'default' });
        if (r.status === 429) {
          sessions429++;
          retryAfter = r.headers.get('retry-after') ?? '';
          expect(r.json.error.code).toBe('rate_limited');
        } else expect(r.status).toBe(201);
      }
      expect(sessions429).toBeGreaterThan(50);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // simulated seconds: the flooder syncs at 100/s, the visitor at half its limits (10 syncs/s, 5 reads/s)
      const SECONDS = 45;
      const halfSync = RATE_LIMITS.syncPerToken.perSecond / 2;
      const halfRead = RATE_LIMITS.readPerToken.perSecond / 2;
      let flood429 = 0;
      let floodOk = 0;
      let visitor429 = 0;
      let visitorRequests = 0;
      const retryAfters = new Set<string>();
      for (let tick = 0; tick < SECONDS * 20; tick++) {
        now += 50; // 20 ticks per second
        for (let k = 0; k < 5; k++) {
          const r = await flooderIp.call('POST', '/v1/sync', { events: [] }, flooder.token);
          if (r.status === 429) {
            flood429++;
            retryAfters.add(r.headers.get('retry-after') ?? 'missing');
          } else floodOk++;
        }
        if (tick % (20 / halfSync) === 0) {
          const r = await visitorIp.sync(visitor.token, [{ type: 'message', text: `tick ${tick}` }]);
          visitorRequests++;
          if (r.status === 429) visitor429++;
        }
        if (tick % (20 / halfRead) === 0) {
          const r = await visitorIp.call('GET', '/v1/messages?limit=1', undefined, visitor.token);
          visitorRequests++;
          if (r.status === 429) visitor429++;
        }
      }
      expect(visitor429).toBe(0);
      expect(flood429).toBeGreaterThan(floodOk);
      expect([...retryAfters].every((v) => /^\d+$/.test(v) && Number(v) >= 1)).toBe(true);
      // the flooder's allowance is its limit: ~20/s plus the burst, never more
      expect(floodOk).toBeLessThanOrEqual(RATE_LIMITS.syncPerToken.perSecond * SECONDS + RATE_LIMITS.syncPerToken.burst + 1);
      console.log(`[security 10] sessions flood: ${sessions429}/100 got 429 (Retry-After ${retryAfter}s); sync flood 100/s for ${SECONDS} s: ${floodOk} allowed, ${flood429} got 429 with Retry-After; visitor at half the limits: ${visitorRequests} requests, ${visitor429} x 429`);
    } finally {
      await h.close();
    }
  });
});
