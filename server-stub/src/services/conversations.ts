// Visitor messages (via /v1/sync) and agent replies (via the agent API), both fanned out live after commit.
import { HttpError } from '../http/http-error.js';
import type { Hub } from '../live/hub.js';
import type { ContactRecord, MessageRecord, Store } from '../storage/store.js';
import type { Outbox } from './contacts.js';
import { newConversationId } from './ids.js';
import { presentConversation } from './present.js';

export type ConversationService = ReturnType<typeof createConversationService>;

export function createConversationService(deps: { store: Store; hub: Hub; now?: () => string }) {
  const { store, hub } = deps;
  const now = deps.now ?? (() => new Date().toISOString());

  function publish(m: MessageRecord, contactId: string, out: Outbox) {
    out.push(() => {
      hub.publish(`contact:${contactId}`, { kind: 'message', seq: m.seq, data: m });
      // no agent stream open (the usual case under load): no event to build, no unread count(*) to run
      if (!hub.has('agent')) return;
      hub.publish('agent', { kind: 'message', seq: m.seq, data: { ...m, contactId } });
      const summary = store.summarizeConversation(m.conversationId);
      if (summary) hub.publish('agent', { kind: 'conversation', data: presentConversation(summary) });
    });
  }

  return {
    /** Appends to the given conversation (it must be the contact's) or the contact's latest, created on first message. */
    visitorMessage(c: Pick<ContactRecord, 'id' | 'siteId'>, text: string, conversationId: string | undefined, out: Outbox): MessageRecord {
      let conv = conversationId ? store.getConversation(conversationId) : store.latestConversation(c.id);
      if (conversationId && (!conv || conv.contactId !== c.id)) throw new HttpError(404, 'conversation_not_found', 'no such conversation for this visitor');
      const at = now();
      conv ??= store.createConversation({ id: newConversationId(), siteId: c.siteId, contactId: c.id, createdAt: at });
      const m = store.insertMessage({ conversationId: conv.id, author: 'visitor', text, createdAt: at });
      store.updateContact(c.id, { lastSeenAt: at });
      publish(m, c.id, out);
      return m;
    },

    /** An agent reply, delivered live to the widget of the conversation's contact. */
    agentReply(conversationId: string, text: string, out: Outbox): MessageRecord {
      const conv = store.getConversation(conversationId);
      if (!conv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
      const m = store.insertMessage({ conversationId, author: 'agent', text, createdAt: now() });
      // an agent answering has read what came before
      store.markConversationRead(conversationId, m.seq);
      publish(m, conv.contactId, out);
      return m;
    },
  };
}
