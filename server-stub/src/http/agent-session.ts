// The console's session cookie and the same-origin rule for cookie-authenticated writes (CONTRACT §6).
import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { AppEnv } from './env.js';
import { HttpError } from './http-error.js';

export const SESSION_COOKIE = 'chative_session';
/** A session ends after 12 h without a request, and 30 days after sign-in whatever happens. */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3600_000;
/** lastSeen / lastActive are written at most this often per session (a write per request would cost the disk). */
export const TOUCH_EVERY_MS = 60_000;

/** The console's origin: CHATIVE_PUBLIC_URL's when set, else the one the request was addressed to. */
export function ownOrigin(c: Context<AppEnv>, publicOrigin: string | undefined): string {
  return publicOrigin ?? new URL(c.req.url).origin;
}

/** `Secure` when the console is served over https (CHATIVE_PUBLIC_URL, or this request). */
const secure = (c: Context<AppEnv>, publicOrigin: string | undefined) => ownOrigin(c, publicOrigin).startsWith('https:') || new URL(c.req.url).protocol === 'https:';

export const readSessionCookie = (c: Context<AppEnv>): string | undefined => {
  const v = getCookie(c, SESSION_COOKIE);
  return v && /^[A-Za-z0-9_-]{20,100}$/.test(v) ? v : undefined;
};

export function setSessionCookie(c: Context<AppEnv>, id: string, publicOrigin: string | undefined) {
  setCookie(c, SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(c, publicOrigin), maxAge: SESSION_ABSOLUTE_MS / 1000 });
}

export function clearSessionCookie(c: Context<AppEnv>, publicOrigin: string | undefined) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(c, publicOrigin) });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a request that changes something and rides on the browser's cookie must say it comes from the console's
 * own origin. `required`: a missing Origin is refused too (cookie-authenticated); else only a foreign one (sign-in).
 */
export function checkOrigin(c: Context<AppEnv>, publicOrigin: string | undefined, required: boolean) {
  if (SAFE.has(c.req.method)) return;
  const origin = c.req.header('origin');
  if (origin === undefined && !required) return;
  if (origin !== ownOrigin(c, publicOrigin)) {
    throw new HttpError(403, 'cross_site_request', `a request that changes something must come from the console's origin (${ownOrigin(c, publicOrigin)}); Origin was ${origin === undefined ? 'missing' : JSON.stringify(origin.slice(0, 100))}`);
  }
}
