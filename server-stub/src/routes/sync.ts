// POST /v1/sync: a batch of client-keyed events, applied in order, one transaction each.
import { Hono } from 'hono';
import { batchSchema } from '../../../widget/src/contract/zod/events.js';
import { clientIp } from '../http/client-ip.js';
import type { AppEnv } from '../http/env.js';
import { readJson } from '../http/read-json.js';
import type { Services } from '../services/index.js';
import { widgetContact } from '../services/present.js';

export function syncRoutes(s: Services) {
  const r = new Hono<AppEnv>();
  r.post('/v1/sync', async (c) => {
    const token = c.get('token');
    s.limiter.take('syncPerIp', clientIp(c));
    s.limiter.take('syncPerToken', String(token.id));
    const batch = await readJson(c, batchSchema);
    const results = await s.groupCommit.run(batch.events.map((ev) => s.sync.prepare(ev, token)));
    // every applied event already refreshed lastSeenAt in its own transaction: no extra write (fsync) here
    const fresh = s.store.findTokenById(token.id)!;
    return c.json({ results, contact: widgetContact(s.store.getContact(fresh.contactId)!) });
  });
  return r;
}
