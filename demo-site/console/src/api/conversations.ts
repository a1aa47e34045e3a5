import { query, type Http } from './http';
import { conversationCountsSchema, conversationSchema, messageSchema, pageSchema } from './schemas';

/** An inbox view's filter (CONTRACT §6): `assignee` is me, none or an agent id. */
export type ConversationView = { status?: 'open' | 'resolved'; assignee?: string };

/** Thin client for /v1/conversations. */
export function createConversationsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: (opts: { contactId?: string; cursor?: string | null; limit?: number } & ConversationView = {}) =>
      http('GET', '/v1/conversations' + query({ contactId: opts.contactId, status: opts.status, assignee: opts.assignee, cursor: opts.cursor, limit: opts.limit ?? 50 }), undefined, pageSchema(conversationSchema)),
    /** The inbox views' sizes and the caller's unread conversations per view. */
    counts: () => http('GET', '/v1/conversations/counts', undefined, conversationCountsSchema),
    /** Assign (agent id, or null for nobody) and resolve / reopen. */
    patch: (id: string, body: { status?: 'open' | 'resolved'; assigneeId?: string | null }) => http('PATCH', `/v1/conversations/${enc(id)}`, body, conversationSchema),
    get: (id: string) => http('GET', `/v1/conversations/${enc(id)}`, undefined, conversationSchema),
    messages: (id: string) => http('GET', `/v1/conversations/${enc(id)}/messages` + query({ limit: 200 }), undefined, pageSchema(messageSchema)),
    reply: (id: string, text: string) => http('POST', `/v1/conversations/${enc(id)}/messages`, { text }, messageSchema),
    markRead: (id: string) => http('POST', `/v1/conversations/${enc(id)}/read`, undefined, conversationSchema),
    /** The agent is typing a reply: the visitor's widget shows "typing…" (never stored). */
    typing: (id: string) => http('POST', `/v1/conversations/${enc(id)}/typing`),
  };
}
