// In-memory token buckets per IP and per visitor token, and counters of held streams; CHATIVE_RATE_LIMIT
// multiplies every rate and cap (0 = off).
import { HttpError } from './http-error.js';

export type Limit = { perSecond: number; burst: number };

/** The limits of the public endpoints, before the multiplier (documented in docs/SERVER.md). */
export const RATE_LIMITS = {
  sessionsPerIp: { perSecond: 10 / 60, burst: 30 },
  syncPerToken: { perSecond: 20, burst: 60 },
  syncPerIp: { perSecond: 100, burst: 300 },
  // requests are not the cost: events (a transaction each) and bytes (disk) are budgeted too
  syncEventsPerToken: { perSecond: 20, burst: 200 },
  syncEventsPerIp: { perSecond: 200, burst: 1000 },
  syncBytesPerToken: { perSecond: 64 * 1024, burst: 1024 * 1024 },
  syncBytesPerIp: { perSecond: 256 * 1024, burst: 2 * 1024 * 1024 },
  readPerIp: { perSecond: 50, burst: 200 },
  readPerToken: { perSecond: 10, burst: 60 },
  demoPerIp: { perSecond: 2, burst: 20 },
  // a wrong agent token costs one; the bucket is checked before the comparison, so a guesser learns nothing once it is empty
  agentFailuresPerIp: { perSecond: 10 / 60, burst: 10 },
  // issue 11: failed sign-ins (and wrong current passwords), per address and per email; checked before any hashing
  loginFailuresPerIp: { perSecond: 10 / 60, burst: 20 },
  loginFailuresPerAccount: { perSecond: 5 / 60, burst: 10 },
} satisfies Record<string, Limit>;

/** Live streams one key may hold at once (widget and agent streams), before the multiplier. */
export const STREAM_CAPS = {
  streamsPerToken: 5,
  streamsPerIp: 200,
  agentStreamsPerIp: 20,
} as const;

export type Bucket = keyof typeof RATE_LIMITS;
export type RateLimiter = {
  /** Takes `cost` (default 1) from the bucket or throws 429 with Retry-After. */
  take(bucket: Bucket, key: string, cost?: number): void;
  /** Throws the bucket's 429 when it holds less than one, without taking anything. */
  check(bucket: Bucket, key: string): void;
  /** Counts one stream against every cap named or throws 429 `too_many_streams`; the answer releases it (once). */
  hold(caps: [keyof typeof STREAM_CAPS, string][]): () => void;
  stop(): void;
};

export function createRateLimiter(multiplier = 1, now: () => number = () => Date.now()): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const held = new Map<string, number>();
  // forget idle buckets so a scan of many IPs cannot grow memory forever
  const sweep = setInterval(() => {
    const cutoff = now() - 10 * 60_000;
    for (const [k, b] of buckets) if (b.at < cutoff) buckets.delete(k);
  }, 60_000);
  sweep.unref();
  const refill = (bucket: Bucket, key: string) => {
    const limit = RATE_LIMITS[bucket];
    const rate = limit.perSecond * multiplier;
    const burst = Math.max(1, Math.round(limit.burst * multiplier));
    const id = `${bucket}:${key}`;
    const t = now();
    const b = buckets.get(id) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    buckets.set(id, b);
    return { b, rate, burst };
  };
  const refuse = (need: number, tokens: number, rate: number): never => {
    const retry = Math.max(1, Math.ceil((need - tokens) / rate));
    throw new HttpError(429, 'rate_limited', `too many requests: retry in ${retry}s`, undefined, { 'retry-after': String(retry) });
  };
  return {
    take(bucket, key, cost = 1) {
      if (multiplier <= 0) return;
      const { b, rate, burst } = refill(bucket, key);
      // a cost above the burst could never pass: it waits for a full bucket instead
      const need = Math.min(cost, burst);
      if (b.tokens < need) refuse(need, b.tokens, rate);
      b.tokens -= need;
    },
    check(bucket, key) {
      if (multiplier <= 0) return;
      const { b, rate } = refill(bucket, key);
      if (b.tokens < 1) refuse(1, b.tokens, rate);
    },
    hold(caps) {
      if (multiplier <= 0) return () => undefined;
      const ids = caps.map(([cap, key]) => `${cap}:${key}`);
      caps.forEach(([cap], i) => {
        const max = Math.max(1, Math.round(STREAM_CAPS[cap] * multiplier));
        if ((held.get(ids[i]) ?? 0) >= max)
          throw new HttpError(429, 'too_many_streams', `at most ${max} live streams at once (${cap}); close one first`, undefined, { 'retry-after': '5' });
      });
      for (const id of ids) held.set(id, (held.get(id) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const id of ids) {
          const n = (held.get(id) ?? 1) - 1;
          if (n <= 0) held.delete(id);
          else held.set(id, n);
        }
      };
    },
    stop: () => clearInterval(sweep),
  };
}
