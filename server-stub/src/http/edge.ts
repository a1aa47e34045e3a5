// The API's request shape, checked before any handler runs: JSON bodies only, no content codings, no HEAD.
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { HttpError } from './http-error.js';

/** Endpoints whose body is not JSON (CONTRACT §9: the contact import takes text/csv). */
const NON_JSON: { path: RegExp; type: string }[] = [{ path: /^\/v1\/contacts\/import$/, type: 'text/csv' }];

/** Refuses what the server would otherwise misread: a body that is not JSON, a compressed one, a HEAD that would run a GET handler (and its writes). */
export function apiRequestShape(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    // Hono answers HEAD with the GET handler, so GET /v1/session would refresh lastSeenAt: HEAD never runs a handler
    if (method === 'HEAD') throw new HttpError(405, 'method_not_allowed', 'HEAD is not supported on the API; use GET', undefined, { allow: 'GET' });
    if (method === 'GET' || method === 'OPTIONS') return next();
    if (!hasBody(c)) return next();
    const encoding = c.req.header('content-encoding')?.trim().toLowerCase();
    if (encoding && encoding !== 'identity') throw new HttpError(415, 'unsupported_encoding', `Content-Encoding "${encoding.slice(0, 40)}" is not supported; send the body uncompressed`);
    const [type, ...params] = (c.req.header('content-type') ?? '').split(';').map((p) => p.trim().toLowerCase());
    const expected = NON_JSON.find((e) => e.path.test(c.req.path))?.type ?? 'application/json';
    if (type !== expected) throw new HttpError(415, 'unsupported_media_type', `Content-Type must be ${expected}`);
    for (const p of params) if (p.startsWith('charset=') && p.replace(/"/g, '') !== 'charset=utf-8') throw new HttpError(415, 'unsupported_media_type', 'bodies must be UTF-8 (charset=utf-8)');
    return next();
  };
}

/** Over HTTP/1.1 a body is announced by Content-Length or Transfer-Encoding; app.request() (tests, no real socket) may have neither, so ask its Request. */
function hasBody(c: Context<AppEnv>): boolean {
  const length = c.req.header('content-length');
  if (c.req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0')) return true;
  if (c.env?.incoming?.headers) return false;
  return length === undefined && c.req.raw.body !== null;
}

/** The storage failures that are the server's condition, not a bug: 503 with Retry-After and a code saying which. */
export function storageFailure(err: unknown): HttpError | null {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT')
    return new HttpError(503, 'storage_full', 'the server\'s disk is full; retry later (replaying the same event ids is safe)', undefined, { 'retry-after': '60' });
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
    return new HttpError(503, 'storage_busy', 'the database is busy; retry shortly', undefined, { 'retry-after': '1' });
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'EROFS')
    return new HttpError(503, 'storage_read_only', 'the server cannot write its database; retry later', undefined, { 'retry-after': '60' });
  return null;
}
