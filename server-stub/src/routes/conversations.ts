// Agent API: conversations (newest activity first), their messages (oldest first), replies, read marks.
import { Hono } from 'hono';
import { contactQuerySchema, limitSchema, replySchema } from '../../../widget/src/contract/zod/agent.js';
import { seqSchema } from '../../../widget/src/contract/zod/widget.js';
import { HttpError } from '../http/http-error.js';
import { parseWith, readJson } from '../http/read-json.js';
import { commit } from '../services/contacts.js';
import type { Services } from '../services/index.js';
import { presentConversation, presentMessage } from '../services/present.js';
import { boundedPage, decodeCursor, encodeCursor } from './cursor.js';

export function conversationRoutes(s: Services) {
  const r = new Hono();

  r.get('/v1/conversations', (c) => {
    const limit = parseWith(limitSchema.default(50), c.req.query('limit') || undefined);
    const cursor = decodeCursor(c.req.query('cursor'));
    const rawContact = c.req.queries('contactId');
    if (rawContact && rawContact.length > 1) throw new HttpError(400, 'validation_failed', 'contactId: give it once', [{ path: ['contactId'], message: 'give it once' }]);
    const contactId = rawContact ? parseWith(contactQuerySchema, { contactId: rawContact[0] }).contactId : undefined;
    const rows = s.store.listConversations({ after: cursor && { lastMessageAt: cursor[0], id: cursor[1] }, contactId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({ items: page.map(presentConversation), nextCursor: rows.length > limit ? encodeCursor([last.lastMessageAt, last.id]) : null });
  });

  r.get('/v1/conversations/:id', (c) => {
    const cv = s.store.summarizeConversation(c.req.param('id'));
    if (!cv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
    return c.json(presentConversation(cv));
  });

  r.get('/v1/conversations/:id/messages', (c) => {
    const id = c.req.param('id');
    if (!s.store.getConversation(id)) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
    const limit = parseWith(limitSchema.default(50), c.req.query('limit') || undefined);
    const raw = c.req.query('cursor') || c.req.query('after');
    const after = raw ? parseWith(seqSchema, raw) : 0;
    const { page, more } = boundedPage(s.store.messagesForConversation(id, after, limit + 1), limit);
    const items = page.map(presentMessage);
    return c.json({ items, nextCursor: more ? String(items[items.length - 1].seq) : null });
  });

  r.post('/v1/conversations/:id/messages', async (c) => {
    const body = await readJson(c, replySchema);
    const m = commit(s.store, (out) => s.conversations.agentReply(c.req.param('id'), body.text, out));
    return c.json(presentMessage(m), 201);
  });

  r.post('/v1/conversations/:id/read', (c) => {
    const cv = s.store.getConversation(c.req.param('id'));
    if (!cv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
    s.store.transaction(() => s.store.markConversationRead(cv.id, cv.lastMessageSeq));
    return c.json(presentConversation(s.store.summarizeConversation(cv.id)!));
  });

  return r;
}
