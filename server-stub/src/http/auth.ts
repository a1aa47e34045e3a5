// Bearer authentication: visitor tokens by their stored hash, the agent token in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { hashToken } from '../services/ids.js';
import type { Actor } from '../services/changes.js';
import type { Store } from '../storage/store.js';
import { clientIp } from './client-ip.js';
import type { AppEnv } from './env.js';
import type { RateLimiter } from './rate-limit.js';
import { HttpError } from './http-error.js';

/** The bearer credential of a request, or null. */
export function bearer(c: Context): string | null {
  const h = c.req.header('authorization');
  const m = h ? /^Bearer\s+([A-Za-z0-9._~+/=-]{1,512})\s*$/i.exec(h) : null;
  return m ? m[1] : null;
}

/** Requires a live visitor token; sets c.var.token. */
export function visitorAuth(store: Store): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const token = bearer(c);
    if (!token) throw new HttpError(401, 'invalid_token', 'missing visitor token (Authorization: Bearer …)');
    const hash = hashToken(token);
    const rec = await store.read((r) => r.findToken(hash));
    if (!rec || rec.revoked) throw new HttpError(401, 'invalid_token', 'unknown or revoked visitor token');
    c.set('token', rec);
    await next();
  };
}

/** Who acts with $CHATIVE_AGENT_TOKEN (CONTRACT §6: an owner-level API token). */
export const AGENT_TOKEN_ACTOR: Actor = { kind: 'api', id: 'env', name: 'CHATIVE_AGENT_TOKEN' };

/** The actor of an authenticated agent-side request. */
export function agentActor(c: Context<AppEnv>): Actor {
  return c.get('actor');
}

/** Requires the agent token; wrong tokens are throttled per IP (checked before comparing, so a throttled guesser learns nothing). */
export function agentAuth(agentToken: string, limiter?: RateLimiter): MiddlewareHandler<AppEnv> {
  const expected = createHash('sha256').update(agentToken).digest();
  return async (c, next) => {
    const ip = clientIp(c);
    try {
      limiter?.check('agentFailuresPerIp', ip);
    } catch (err) {
      // say why, so the console's sign-in explains the wait instead of "too many requests"
      if (!(err instanceof HttpError)) throw err;
      throw new HttpError(429, 'rate_limited', `too many wrong agent tokens from this address: retry in ${err.headers?.['retry-after'] ?? 'a few '}s`, undefined, err.headers);
    }
    const token = bearer(c);
    const given = createHash('sha256').update(token ?? '').digest();
    if (!token || !timingSafeEqual(given, expected)) {
      // a request with no credential at all is a console before login, not a guess: it costs nothing
      if (c.req.header('authorization') !== undefined) limiter?.take('agentFailuresPerIp', ip);
      throw new HttpError(401, 'unauthorized', 'missing or wrong agent token', undefined, { 'www-authenticate': 'Bearer' });
    }
    c.set('actor', AGENT_TOKEN_ACTOR);
    await next();
  };
}
