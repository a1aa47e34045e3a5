// POST /v1/sync: a batch of client-keyed events, applied in order, one transaction each.
import { Hono } from 'hono';
import { batchSchema } from '../../../widget/src/contract/zod/events.js';
import { clientIp } from '../http/client-ip.js';
import type { AppEnv } from '../http/env.js';
import { readJson } from '../http/read-json.js';
import type { Services } from '../services/index.js';
import type { EventResult, SyncAnswer } from '../services/sync.js';
import { widgetContact } from '../services/present.js';

export function syncRoutes(s: Services) {
  const r = new Hono<AppEnv>();
  r.post('/v1/sync', async (c) => {
    const token = c.get('token');
    const ip = clientIp(c);
    const tokenKey = String(token.id);
    s.limiter.take('syncPerIp', ip);
    s.limiter.take('syncPerToken', tokenKey);
    const batch = await readJson(c, batchSchema);
    // chunked bodies have no Content-Length: measure the text Hono already cached
    const bytes = Number(c.req.header('content-length')) || Buffer.byteLength(await c.req.text());
    // the work is the events (a transaction each) and the bytes (the disk), not the request: budget both
    const n = batch.events.length;
    s.limiter.take('syncEventsPerIp', ip, n);
    s.limiter.take('syncEventsPerToken', tokenKey, n);
    s.limiter.take('syncBytesPerIp', ip, bytes);
    s.limiter.take('syncBytesPerToken', tokenKey, bytes);
    // every applied event already refreshed lastSeenAt in its own transaction: no extra write (fsync) here; the
    // answer's token and contact are read in the same unit, after the events
    const out = await s.groupCommit.run<EventResult | SyncAnswer>([...batch.events.map((ev) => s.sync.prepare(ev, token)), s.sync.answer(token)]);
    const { token: fresh, contact } = out.pop() as SyncAnswer;
    const results = out as EventResult[];
    return c.json({ results, contact: widgetContact(contact, s.settings.get(contact.siteId), fresh) });
  });
  return r;
}
