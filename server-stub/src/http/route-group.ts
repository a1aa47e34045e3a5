// Route groups: who may call a route is decided by the group its module is mounted in, never by a list
// of paths a new route could be forgotten in (STYLE.md). tests/server/route-groups.test.ts walks them all.
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';

/** `signin`: the console's credential-free sign-in endpoints (login, setup, accept invite), same-origin only. */
export type GroupName = 'open' | 'visitor' | 'agent' | 'public' | 'signin';
export type RouteKey = `${string} ${string}`;

/**
 * Mounts every route of `routers` on `app` behind `guards`, in each route's own handler chain: no
 * `use('*')` in a sub-app, which Hono would apply to every path of the whole app. With `preflight`,
 * each path also answers OPTIONS through the first guard (CORS). Returns the mounted "METHOD /path" keys.
 */
export function mountGroup(app: Hono<AppEnv>, guards: MiddlewareHandler<AppEnv>[], routers: Pick<Hono, 'routes'>[], preflight = false): RouteKey[] {
  const chains = new Map<RouteKey, { method: string; path: string; handlers: MiddlewareHandler<AppEnv>[] }>();
  for (const router of routers) {
    for (const r of router.routes) {
      const key: RouteKey = `${r.method} ${r.path}`;
      const chain = chains.get(key) ?? { method: r.method, path: r.path, handlers: [] };
      chain.handlers.push(r.handler as MiddlewareHandler<AppEnv>);
      chains.set(key, chain);
    }
  }
  const paths = new Set<string>();
  for (const { method, path, handlers } of chains.values()) {
    app.on(method, [path], ...guards, ...handlers);
    paths.add(path);
  }
  if (preflight) for (const path of paths) app.on('OPTIONS', [path], guards[0]);
  return [...chains.keys()];
}
