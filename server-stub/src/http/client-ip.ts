// The client's address: the TCP peer, or with CHATIVE_TRUST_PROXY=N the address N proxies back in X-Forwarded-For.
// X-Forwarded-For is client-controlled, so only the entries our own proxies appended are believed.
import type { Context } from 'hono';
import type { AppEnv } from './env.js';

/**
 * `trust` proxies sit in front: each appended the address it received from, so the client is `trust` places
 * from the right of [...X-Forwarded-For, peer]. Fewer entries than proxies (a request that bypassed one) → the leftmost.
 */
export function clientIpFrom(peer: string, forwardedFor: string | undefined, trust: number): string {
  if (trust <= 0 || !forwardedFor) return peer;
  const hops = forwardedFor.split(',').map((s) => s.trim()).filter(Boolean);
  const chain = [...hops, peer];
  return chain[Math.max(0, chain.length - 1 - trust)] || peer;
}

/** Set once per request by app.ts from CHATIVE_TRUST_PROXY; 0 (the default) = the socket peer. */
export function clientIp(c: Context<AppEnv>): string {
  const peer = c.env?.incoming?.socket?.remoteAddress ?? 'local';
  return clientIpFrom(peer, c.req.header('x-forwarded-for'), c.get('trustProxy') ?? 0);
}
