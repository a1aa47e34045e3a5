// In-memory token buckets per IP and per visitor token; CHATIVE_RATE_LIMIT multiplies every rate (0 = off).
import { HttpError } from './http-error.js';

export type Limit = { perSecond: number; burst: number };

/** The limits of the public widget endpoints, before the multiplier (documented in docs/SERVER.md). */
export const RATE_LIMITS = {
  sessionsPerIp: { perSecond: 10 / 60, burst: 30 },
  syncPerToken: { perSecond: 20, burst: 60 },
  syncPerIp: { perSecond: 100, burst: 300 },
  readPerIp: { perSecond: 50, burst: 200 },
  readPerToken: { perSecond: 10, burst: 60 },
  demoPerIp: { perSecond: 2, burst: 20 },
} satisfies Record<string, Limit>;

export type RateLimiter = { take(bucket: keyof typeof RATE_LIMITS, key: string): void; stop(): void };

export function createRateLimiter(multiplier = 1, now: () => number = () => Date.now()): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  // forget idle buckets so a scan of many IPs cannot grow memory forever
  const sweep = setInterval(() => {
    const cutoff = now() - 10 * 60_000;
    for (const [k, b] of buckets) if (b.at < cutoff) buckets.delete(k);
  }, 60_000);
  sweep.unref();
  return {
    take(bucket, key) {
      if (multiplier <= 0) return;
      const limit = RATE_LIMITS[bucket];
      const rate = limit.perSecond * multiplier;
      const burst = Math.max(1, Math.round(limit.burst * multiplier));
      const id = `${bucket}:${key}`;
      const t = now();
      const b = buckets.get(id) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
      b.at = t;
      buckets.set(id, b);
      if (b.tokens < 1) {
        const retry = Math.max(1, Math.ceil((1 - b.tokens) / rate));
        throw new HttpError(429, 'rate_limited', `too many requests: retry in ${retry}s`, undefined, { 'retry-after': String(retry) });
      }
      b.tokens -= 1;
    },
    stop: () => clearInterval(sweep),
  };
}
