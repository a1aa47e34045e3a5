// Agent API: conversations (newest activity first), their messages (oldest first), replies, read marks.
import { Hono } from 'hono';
import { contactQuerySchema, limitSchema, replySchema } from '../../../widget/src/contract/zod/agent.js';
import { seqSchema } from '../../../widget/src/contract/zod/widget.js';
import { HttpError } from '../http/http-error.js';
import { parseWith, readJson } from '../http/read-json.js';
import { agentActor } from '../http/auth.js';
import type { AppEnv } from '../http/env.js';
import { commit } from '../services/contacts.js';
import type { Services } from '../services/index.js';
import { presentConversation, presentMessage } from '../services/present.js';
import { boundedPage, decodeCursor, encodeCursor } from './cursor.js';

export function conversationRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  r.get('/v1/conversations', async (c) => {
    const limit = parseWith(limitSchema.default(50), c.req.query('limit') || undefined);
    const cursor = decodeCursor(c.req.query('cursor'));
    const rawContact = c.req.queries('contactId');
    if (rawContact && rawContact.length > 1) throw new HttpError(400, 'validation_failed', 'contactId: give it once', [{ path: ['contactId'], message: 'give it once' }]);
    const contactId = rawContact ? parseWith(contactQuerySchema, { contactId: rawContact[0] }).contactId : undefined;
    const rows = await s.store.read((db) => db.listConversations({ after: cursor && { lastMessageAt: cursor[0], id: cursor[1] }, contactId, limit: limit + 1 }));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({ items: page.map(presentConversation), nextCursor: rows.length > limit ? encodeCursor([last.lastMessageAt, last.id]) : null });
  });

  r.get('/v1/conversations/:id', async (c) => {
    const id = c.req.param('id');
    const cv = await s.store.read((db) => db.summarizeConversation(id));
    if (!cv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
    return c.json(presentConversation(cv));
  });

  r.get('/v1/conversations/:id/messages', async (c) => {
    const id = c.req.param('id');
    const rows = await s.store.read(async (db) => {
      if (!(await db.getConversation(id))) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
      const limit = parseWith(limitSchema.default(50), c.req.query('limit') || undefined);
      const raw = c.req.query('cursor') || c.req.query('after');
      const after = raw ? parseWith(seqSchema, raw) : 0;
      return { limit, list: await db.messagesForConversation(id, after, limit + 1) };
    });
    const { page, more } = boundedPage(rows.list, rows.limit);
    const items = page.map(presentMessage);
    return c.json({ items, nextCursor: more ? String(items[items.length - 1].seq) : null });
  });

  r.post('/v1/conversations/:id/messages', async (c) => {
    const body = await readJson(c, replySchema);
    const m = await commit(s.store, (tx, out) => s.conversations.agentReply(tx, c.req.param('id'), body.text, out), agentActor(c));
    return c.json(presentMessage(m), 201);
  });

  r.post('/v1/conversations/:id/read', async (c) => {
    const id = c.req.param('id');
    const summary = await s.store.write(async (tx) => {
      const cv = await tx.getConversation(id);
      if (!cv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
      await tx.markConversationRead(cv.id, cv.lastMessageSeq);
      return (await tx.summarizeConversation(cv.id))!;
    });
    return c.json(presentConversation(summary));
  });

  return r;
}
