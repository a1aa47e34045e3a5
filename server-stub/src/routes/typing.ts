// Typing indicators, both ways: relayed live to the other side's stream, never stored (nothing to
// replay on reconnect: a stale "typing…" is worse than none). Clients throttle (one call per ~3 s of
// typing); the server only rate-limits.
import { Hono } from 'hono';
import { role } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import type { Services } from '../services/index.js';

/** Two groups (app.ts): the visitor's signal behind a visitor token, the agent's behind agent auth. */
export function typingRoutes(s: Services) {
  const visitor = new Hono<AppEnv>();
  const agent = new Hono<AppEnv>();

  // The visitor types: the console shows "typing…" on that contact's conversation.
  visitor.post('/v1/typing', (c) => {
    const token = c.get('token');
    s.limiter.take('readPerToken', String(token.id));
    s.hub.publish('agent', { kind: 'typing', data: { contactId: token.contactId, author: 'visitor' } });
    return c.body(null, 204);
  });

  // An agent types a reply: the visitor's widget shows "typing…".
  agent.post('/v1/conversations/:id/typing', role('agent'), async (c) => {
    const id = c.req.param('id');
    const cv = await s.store.read((db) => db.getConversation(id));
    if (!cv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
    s.hub.publish(`contact:${cv.contactId}`, { kind: 'typing', data: { conversationId: cv.id, author: 'agent' } });
    return c.body(null, 204);
  });

  return { visitor, agent };
}
