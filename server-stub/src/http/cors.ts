// CORS for the widget endpoints only: the exact allowed origin is echoed, never `*`, never an arbitrary one.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { HttpError } from './http-error.js';

/** True when origin matches an entry: exact, or `scheme://host:*` for any port. */
export function originMatches(origin: string, allowed: readonly string[]): boolean {
  for (const entry of allowed) {
    if (entry === origin) return true;
    if (entry.endsWith(':*')) {
      const prefix = entry.slice(0, -1);
      const base = entry.slice(0, -2);
      if (origin === base || (origin.startsWith(prefix) && /^\d{1,5}$/.test(origin.slice(prefix.length)))) return true;
    }
  }
  return false;
}

/**
 * `allowed()` is read per request so settings changes apply at once. The server's own origin is the configured
 * public URL, else the address the connection arrived on — never the Host header, which the client writes.
 */
export function widgetCors(allowed: () => readonly string[], publicOrigin?: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin) return next();
    const own = publicOrigin ?? listeningOrigin(c);
    if (origin !== own && !originMatches(origin, allowed())) throw new HttpError(403, 'origin_not_allowed', 'this origin may not use the widget API; add it to Settings -> allowed origins');
    const headers = {
      'access-control-allow-origin': origin,
      'access-control-allow-headers': 'authorization, content-type, last-event-id',
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
      'access-control-max-age': '600',
      vary: 'Origin',
    };
    if (c.req.method === 'OPTIONS') return c.body(null, 204, headers);
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  };
}

function listeningOrigin(c: Context<AppEnv>): string | undefined {
  const socket = c.env?.incoming?.socket;
  if (!socket?.localAddress || !socket.localPort) return undefined;
  const addr = socket.localAddress.replace(/^::ffff:/, '');
  return `http://${addr.includes(':') ? `[${addr}]` : addr}:${socket.localPort}`;
}
