import { query, type Http } from './http';
import { conversationSchema, messageSchema, pageSchema } from './schemas';

/** Thin client for /v1/conversations. */
export function createConversationsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: (opts: { contactId?: string; cursor?: string | null; limit?: number } = {}) =>
      http('GET', '/v1/conversations' + query({ contactId: opts.contactId, cursor: opts.cursor, limit: opts.limit ?? 50 }), undefined, pageSchema(conversationSchema)),
    messages: (id: string) => http('GET', `/v1/conversations/${enc(id)}/messages` + query({ limit: 200 }), undefined, pageSchema(messageSchema)),
    reply: (id: string, text: string) => http('POST', `/v1/conversations/${enc(id)}/messages`, { text }, messageSchema),
    markRead: (id: string) => http('POST', `/v1/conversations/${enc(id)}/read`, undefined, conversationSchema),
    /** The agent is typing a reply: the visitor's widget shows "typing…" (never stored). */
    typing: (id: string) => http('POST', `/v1/conversations/${enc(id)}/typing`),
  };
}
