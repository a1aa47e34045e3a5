// GET /health for load balancers: 200 when this instance can serve (the store answers, the live bus is connected),
// 503 while it shuts down or cannot reach its database — the balancer then sends new requests elsewhere.
import { Hono } from 'hono';
import type { Bus } from '../live/bus.js';
import type { Store } from '../storage/store.js';

/** How long the store may take to answer before the instance counts as down (a balancer's check times out too). */
const STORE_TIMEOUT_MS = 2_000;

export type Health = { draining(): boolean };

export function healthRoutes(deps: { store: Store; bus: Bus; health: Health }) {
  const r = new Hono();
  r.get('/health', async (c) => {
    c.header('cache-control', 'no-store');
    if (deps.health.draining()) return c.json({ status: 'draining' }, 503);
    let timer: NodeJS.Timeout | undefined;
    try {
      // one tiny read: proves the database (and, on SQLite, the file) answers now
      await Promise.race([
        deps.store.read((q) => q.getSettingsJson('default')),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('store timeout')), STORE_TIMEOUT_MS))),
      ]);
    } catch {
      return c.json({ status: 'store_unavailable' }, 503);
    } finally {
      clearTimeout(timer);
    }
    if (!deps.bus.healthy()) return c.json({ status: 'bus_unavailable' }, 503);
    return c.json({ status: 'ok' }, 200);
  });
  return r;
}
