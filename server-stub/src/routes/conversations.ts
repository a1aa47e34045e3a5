// Agent API: conversations (newest activity first), their messages (oldest first), replies, read marks.
import { Hono } from 'hono';
import { contactQuerySchema, limitSchema, replySchema } from '../../../widget/src/contract/zod/agent.js';
import { seqSchema } from '../../../widget/src/contract/zod/widget.js';
import { HttpError } from '../http/http-error.js';
import { parseWith, readJson } from '../http/read-json.js';
import { agentActor, callerOf, role } from '../http/auth.js';
import { conversationPatchSchema, conversationViewQuerySchema } from '../../../widget/src/contract/zod/team.js';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { commit } from '../services/contacts.js';
import type { Services } from '../services/index.js';
import { presentAgentMessage, presentConversation } from '../services/present.js';
import { boundedPage, decodeCursor, encodeCursor } from './cursor.js';

/** `?status=&assignee=me|none|<id>` (each at most once); `me` is the signed-in agent (a token has no "me": 400). */
function viewOf(c: Context<AppEnv>) {
  const one = (k: string) => {
    const all = c.req.queries(k);
    if (all && all.length > 1) throw new HttpError(400, 'validation_failed', `${k}: give it once`, [{ path: [k], message: 'give it once' }]);
    return all?.[0];
  };
  const q = parseWith(conversationViewQuerySchema, { status: one('status') || undefined, assignee: one('assignee') || undefined });
  const me = callerOf(c).agent?.id;
  if (q.assignee === 'me' && !me) throw new HttpError(400, 'validation_failed', 'assignee: "me" needs a signed-in agent', [{ path: ['assignee'], message: 'an API token is nobody' }]);
  return { view: { status: q.status, assignee: q.assignee === 'me' ? me : q.assignee }, viewerId: me };
}

export function conversationRoutes(s: Services) {
  const r = new Hono<AppEnv>();

  r.get('/v1/conversations', role('agent'), async (c) => {
    const limit = parseWith(limitSchema.default(50), c.req.query('limit') || undefined);
    const cursor = decodeCursor(c.req.query('cursor'));
    const rawContact = c.req.queries('contactId');
    if (rawContact && rawContact.length > 1) throw new HttpError(400, 'validation_failed', 'contactId: give it once', [{ path: ['contactId'], message: 'give it once' }]);
    const contactId = rawContact ? parseWith(contactQuerySchema, { contactId: rawContact[0] }).contactId : undefined;
    const { view, viewerId } = viewOf(c);
    const rows = await s.store.read((db) => db.listConversations({ after: cursor && { lastMessageAt: cursor[0], id: cursor[1] }, contactId, limit: limit + 1, view, viewerId }));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({ items: page.map(presentConversation), nextCursor: rows.length > limit ? encodeCursor([last.lastMessageAt, last.id]) : null });
  });

  /** The inbox views' sizes (Mine / Unassigned / All open / Resolved) and the caller's unread conversations in each. */
  r.get('/v1/conversations/counts', role('agent'), async (c) => {
    const me = callerOf(c).agent?.id ?? null;
    return c.json(await s.store.read((db) => db.countConversations(me)));
  });

  r.patch('/v1/conversations/:id', role('agent'), async (c) => {
    const body = await readJson(c, conversationPatchSchema);
    const id = c.req.param('id');
    await commit(s.store, (tx, out) => s.conversations.update(tx, id, body, out), agentActor(c));
    const viewerId = callerOf(c).agent?.id;
    return c.json(presentConversation((await s.store.read((db) => db.summarizeConversation(id, viewerId)))!));
  });

  r.get('/v1/conversations/:id', role('agent'), async (c) => {
    const id = c.req.param('id');
    const cv = await s.store.read((db) => db.summarizeConversation(id, callerOf(c).agent?.id));
    if (!cv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
    return c.json(presentConversation(cv));
  });

  r.get('/v1/conversations/:id/messages', role('agent'), async (c) => {
    const id = c.req.param('id');
    const rows = await s.store.read(async (db) => {
      if (!(await db.getConversation(id))) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
      const limit = parseWith(limitSchema.default(50), c.req.query('limit') || undefined);
      const raw = c.req.query('cursor') || c.req.query('after');
      const after = raw ? parseWith(seqSchema, raw) : 0;
      return { limit, list: await db.messagesForConversation(id, after, limit + 1) };
    });
    const { page, more } = boundedPage(rows.list, rows.limit);
    const items = page.map(presentAgentMessage);
    return c.json({ items, nextCursor: more ? String(items[items.length - 1].seq) : null });
  });

  r.post('/v1/conversations/:id/messages', role('agent'), async (c) => {
    const body = await readJson(c, replySchema);
    const m = await commit(s.store, (tx, out) => s.conversations.agentReply(tx, c.req.param('id'), body.text, out), agentActor(c));
    return c.json(presentAgentMessage(m), 201);
  });

  r.post('/v1/conversations/:id/read', role('agent'), async (c) => {
    const id = c.req.param('id');
    const me = callerOf(c).agent?.id;
    const summary = await s.store.write(async (tx) => {
      const cv = await tx.getConversation(id);
      if (!cv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
      await tx.markConversationRead(cv.id, cv.lastMessageSeq);
      // a signed-in agent has their own marker (unread counts per agent); tokens share the old one
      if (me) await tx.markReadBy(me, cv.id, cv.lastMessageSeq);
      return (await tx.summarizeConversation(cv.id, me))!;
    });
    return c.json(presentConversation(summary));
  });

  return r;
}
