// CORS for the widget endpoints only: the exact allowed origin is echoed, never `*`, never an arbitrary one.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { HttpError } from './http-error.js';
import { createRefusalLog, type RefusalLog } from './refusal-log.js';

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

/** A well-formed http(s) origin, as browsers send it: only such an origin is echoed on a refusal. */
function isWebOrigin(origin: string): boolean {
  if (!/^https?:\/\/[^\s/?#@]+$/.test(origin)) return false;
  try {
    return new URL(origin).origin === origin;
  } catch {
    return false;
  }
}

/**
 * `allowed()` is read per request so settings changes apply at once. The server's own origin is the configured
 * public URL, else the address the connection arrived on — never the Host header, which the client writes.
 */
export function widgetCors(allowed: () => readonly string[], opts: { publicOrigin?: string; refusals?: RefusalLog } = {}): MiddlewareHandler<AppEnv> {
  const refusals = opts.refusals ?? createRefusalLog();
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin) return next();
    const own = opts.publicOrigin ?? listeningOrigin(c);
    if (origin !== own && !originMatches(origin, allowed())) {
      refusals.note(origin);
      // The refusal itself is readable by the page (error only, no data) so the widget can tell its host
      // what to fix instead of retrying a "network error" for ever. Preflights stay refused: no request
      // carrying a visitor token ever leaves a page of a disallowed origin.
      const headers: Record<string, string> = c.req.method !== 'OPTIONS' && isWebOrigin(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
      throw new HttpError(403, 'origin_not_allowed', `the origin ${isWebOrigin(origin) ? origin : '(malformed)'} may not use the widget API; add it to CHATIVE_ALLOWED_ORIGINS or the console's Settings -> Widget -> Allowed origins`, undefined, headers);
    }
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
