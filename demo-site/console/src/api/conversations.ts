import { query, type Http } from './http';
import type { Conversation, Message, Page } from './schemas';

/** Thin client for /v1/conversations. */
export function createConversationsApi(http: Http) {
  const enc = encodeURIComponent;
  return {
    list: (opts: { contactId?: string; cursor?: string | null; limit?: number } = {}) =>
      http<Page<Conversation>>('GET', '/v1/conversations' + query({ contactId: opts.contactId, cursor: opts.cursor, limit: opts.limit ?? 50 })),
    messages: (id: string) => http<Page<Message>>('GET', `/v1/conversations/${enc(id)}/messages` + query({ limit: 200 })),
    reply: (id: string, text: string) => http<Message>('POST', `/v1/conversations/${enc(id)}/messages`, { text }),
    markRead: (id: string) => http<void>('POST', `/v1/conversations/${enc(id)}/read`),
    /** The agent is typing a reply: the visitor's widget shows "typing…" (never stored). */
    typing: (id: string) => http<void>('POST', `/v1/conversations/${enc(id)}/typing`),
  };
}
