// GET /v1/messages: the visitor's history across all their conversations (merged ones included), oldest first.
import { Hono } from 'hono';
import { historyQuerySchema } from '../../../widget/src/contract/zod/widget.js';
import type { AppEnv } from '../http/env.js';
import { parseWith } from '../http/read-json.js';
import type { Services } from '../services/index.js';
import { presentMessage } from '../services/present.js';
import { boundedPage } from './cursor.js';

export function messageRoutes(s: Services) {
  const r = new Hono<AppEnv>();
  r.get('/v1/messages', async (c) => {
    const token = c.get('token');
    s.limiter.take('readPerToken', String(token.id));
    const q = parseWith(historyQuerySchema, { after: c.req.query('after') || undefined, limit: c.req.query('limit') || undefined });
    const { page, more } = boundedPage(await s.store.read((r) => r.messagesForContact(token.contactId, q.after, q.limit + 1)), q.limit);
    const items = page.map(presentMessage);
    return c.json({ items, nextCursor: more ? String(items[items.length - 1].seq) : null });
  });
  return r;
}
