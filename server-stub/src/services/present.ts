// Records -> the public JSON shapes of CONTRACT §1/§3 and PROTOCOL.md.
import type { ContactRecord, ConversationSummary, MessageRecord } from '../storage/store.js';

/** The contact as agents see it (CONTRACT §1), plus agent-only hints. */
export function agentContact(c: ContactRecord) {
  if (c.mergedInto) return { id: c.id, mergedInto: c.mergedInto };
  return {
    id: c.id, type: c.type, name: c.name, email: c.email, phone: c.phone, timezone: c.timezone,
    customerId: c.customerId, custom: c.custom, tags: c.tags, note: c.note, createdAt: c.createdAt, lastSeenAt: c.lastSeenAt,
    locale: c.locale, verified: c.customerId ? c.verified : null, possibleDuplicateOf: c.possibleDuplicateOf,
    otherDetails: c.otherDetails,
  };
}

/** The contact as the visitor's own widget sees it: no agent-only data (note, tags, duplicates). */
export function widgetContact(c: ContactRecord) {
  return {
    id: c.id, type: c.type, name: c.name, email: c.email, phone: c.phone, timezone: c.timezone,
    customerId: c.customerId, custom: c.custom, createdAt: c.createdAt, lastSeenAt: c.lastSeenAt,
  };
}

/** A message (PROTOCOL.md): id is the global seq in decimal. */
export function presentMessage(m: MessageRecord) {
  return { id: String(m.seq), seq: m.seq, conversationId: m.conversationId, author: m.author, text: m.text, createdAt: m.createdAt };
}
export type Message = ReturnType<typeof presentMessage>;

/** A conversation for the agent list (PROTOCOL.md agent additions). */
export function presentConversation(cv: ConversationSummary) {
  return {
    id: cv.id,
    contactId: cv.contactId,
    contact: cv.contact,
    lastMessage: cv.lastMessage && presentMessage(cv.lastMessage),
    lastMessageAt: cv.lastMessageAt,
    createdAt: cv.createdAt,
    unread: cv.unread,
  };
}
