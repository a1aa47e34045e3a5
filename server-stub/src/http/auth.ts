// Bearer authentication: visitor tokens by their stored hash, the agent token in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { hashToken } from '../services/ids.js';
import type { Actor } from '../services/changes.js';
import type { Role, Store } from '../storage/store.js';
import { checkOrigin, clearSessionCookie, readSessionCookie, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, TOUCH_EVERY_MS } from './agent-session.js';
import { clientIp } from './client-ip.js';
import type { AppEnv, Caller } from './env.js';
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

const RANK: Record<Role, number> = { agent: 1, admin: 2, owner: 3 };
/** True when `role` may do what `needed` may (owner > admin > agent). */
export const allows = (role: Role, needed: Role) => RANK[role] >= RANK[needed];
/** The caller of an authenticated agent-side request (set by teamAuth). */
export const callerOf = (c: Context<AppEnv>): Caller => c.get('caller');

const ROLE = Symbol('requiredRole');
const FALLBACK = Symbol('fallbackRole');
type RoleGuard = MiddlewareHandler<AppEnv> & { [ROLE]: Role; [FALLBACK]?: true };

/**
 * The least role a route needs, declared beside it: `r.get(path, role('agent'), handler)`. The role matrix test
 * reads it back from app.routes with roleOf(); a refused call answers 403 forbidden before the handler runs.
 */
export function role(needed: Role): MiddlewareHandler<AppEnv> {
  const guard = (async (c, next) => {
    const caller = c.get('caller');
    if (!caller || !allows(caller.role, needed)) throw new HttpError(403, 'forbidden', `this needs the ${needed} role${caller ? ` (you are ${caller.role})` : ''}`);
    await next();
  }) as RoleGuard;
  guard[ROLE] = needed;
  return guard;
}

/** The role a handler declares (undefined: not a role guard). */
export const roleOf = (handler: unknown): Role | undefined => (typeof handler === 'function' ? (handler as Partial<RoleGuard>)[ROLE] : undefined);
/** The role a route's author declared beside it (not withDeclaredRoles' fallback). */
export const declaredRoleOf = (handler: unknown): Role | undefined => (typeof handler === 'function' && !(handler as Partial<RoleGuard>)[FALLBACK] ? roleOf(handler) : undefined);

/**
 * Routes that forgot to declare a role get role(fallback) in front (deny by default for the agent role):
 * the role matrix test fails on them, so the forgetting is noticed, but no agent can use them meanwhile.
 */
export function withDeclaredRoles<R extends Pick<Hono, 'routes'>>(routers: R[], fallback: Role = 'admin'): Pick<Hono, 'routes'>[] {
  return routers.map((router) => {
    const declared = new Set(router.routes.filter((r) => roleOf(r.handler)).map((r) => `${r.method} ${r.path}`));
    const routes: Hono['routes'] = [];
    const guarded = new Set<string>();
    for (const r of router.routes) {
      const key = `${r.method} ${r.path}`;
      if (!declared.has(key) && !guarded.has(key)) {
        guarded.add(key);
        const guard = role(fallback) as RoleGuard;
        guard[FALLBACK] = true;
        routes.push({ ...r, handler: guard });
      }
      routes.push(r);
    }
    return { routes };
  });
}

export type TeamAuthDeps = { store: Store; agentToken: string; limiter?: RateLimiter; publicOrigin?: string; now?: () => number };

/**
 * Authenticates an agent-side request (issue 11): `Authorization: Bearer` with $CHATIVE_AGENT_TOKEN (owner) or an
 * API token (its role), else the console's session cookie (its agent's role; writes must carry the console's Origin).
 * Sets c.var.caller and c.var.actor. Wrong bearer tokens are throttled per IP like before.
 */
export function teamAuth(deps: TeamAuthDeps): MiddlewareHandler<AppEnv> {
  const expected = createHash('sha256').update(deps.agentToken).digest();
  const now = deps.now ?? Date.now;
  const { store, limiter } = deps;
  const unauthorized = (msg: string) => new HttpError(401, 'unauthorized', msg, undefined, { 'www-authenticate': 'Bearer' });
  return async (c, next) => {
    const ip = clientIp(c);
    try {
      limiter?.check('agentFailuresPerIp', ip);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      throw new HttpError(429, 'rate_limited', `too many wrong agent tokens from this address: retry in ${err.headers?.['retry-after'] ?? 'a few '}s`, undefined, err.headers);
    }
    const at = new Date(now()).toISOString();
    const header = c.req.header('authorization');
    let caller: Caller;
    if (header !== undefined) {
      const token = bearer(c);
      const given = createHash('sha256').update(token ?? '').digest();
      if (token && timingSafeEqual(given, expected)) caller = { role: 'owner', actor: AGENT_TOKEN_ACTOR, agent: null, via: 'env-token' };
      else {
        const found = token ? await store.read(async (r) => {
          const t = await r.findApiToken(hashToken(token));
          // a token dies with its author's account: disabling someone ends what they handed out
          const author = t?.createdBy ? await r.getAgent(t.createdBy) : undefined;
          return t && !t.revokedAt && !author?.disabled ? t : undefined;
        }) : undefined;
        if (!found) {
          limiter?.take('agentFailuresPerIp', ip);
          throw unauthorized('missing or wrong agent token');
        }
        if (!found.lastUsedAt || now() - Date.parse(found.lastUsedAt) > TOUCH_EVERY_MS) await store.write((tx) => tx.touchApiToken(found.id, at));
        caller = { role: found.role, actor: { kind: 'api', id: found.id, name: found.name }, agent: null, via: 'api-token', tokenAuthor: found.createdBy };
      }
    } else {
      const id = readSessionCookie(c);
      if (!id) throw unauthorized('sign in first (or send Authorization: Bearer <token>)');
      const hash = hashToken(id);
      const t = now();
      const found = await store.read(async (r) => {
        const s = await r.findAgentSession(hash);
        const agent = s && (await r.getAgent(s.agentId));
        return s && agent ? { s, agent } : undefined;
      });
      const live = found && !found.agent.disabled && t - Date.parse(found.s.lastSeenAt) < SESSION_IDLE_MS && t - Date.parse(found.s.createdAt) < SESSION_ABSOLUTE_MS;
      if (!found || !live) {
        // an expired session's row goes now (a disabled agent's went when they were disabled)
        if (found && !found.agent.disabled) await store.write((tx) => tx.deleteAgentSession(hash));
        clearSessionCookie(c, deps.publicOrigin);
        throw new HttpError(401, 'unauthorized', 'your session has ended: sign in again');
      }
      checkOrigin(c, deps.publicOrigin, true);
      if (t - Date.parse(found.s.lastSeenAt) > TOUCH_EVERY_MS) {
        await store.write(async (tx) => {
          await tx.touchAgentSession(hash, at);
          await tx.updateAgent(found.agent.id, { lastActiveAt: at });
        });
      }
      const { agent } = found;
      caller = { role: agent.role, actor: { kind: 'agent', id: agent.id, name: agent.name }, agent, via: 'session', sessionHash: hash };
    }
    c.set('caller', caller);
    c.set('actor', caller.actor);
    await next();
  };
}
