// Records -> the public JSON shapes of CONTRACT §1/§3 and PROTOCOL.md.
import type { FieldValue } from '../domain/custom-fields.js';
import type { ContactRecord, ConversationSummary, MessageRecord, TokenRecord } from '../storage/store.js';

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

/**
 * The one view of a contact a visitor's browser ever receives (session, sync, live stream): its details and the
 * custom values of the pre-chat form's fields — what the visitor was asked and may see. Everything else is
 * agent-only: other custom values (`risk_score`, remarks), note, tags, verification and duplicate hints.
 */
export function widgetContact(c: ContactRecord, site: { form: { fields: readonly { key: string }[] } }, token: Pick<TokenRecord, 'claimedCustomerId'> | null) {
  const custom: Record<string, FieldValue> = {};
  for (const { key } of site.form.fields) if (Object.hasOwn(c.custom, key)) custom[key] = c.custom[key];
  return {
    id: c.id, type: c.type, name: c.name, email: c.email, phone: c.phone, timezone: c.timezone,
    // only the id this browser identified as: one an agent or a CRM sync linked is not the visitor's to learn
    customerId: c.customerId !== null && c.customerId === token?.claimedCustomerId ? c.customerId : null,
    custom, createdAt: c.createdAt, lastSeenAt: c.lastSeenAt,
  };
}

/** A message (PROTOCOL.md): id is the global seq in decimal; `agentName` is the answering agent's display name. */
export function presentMessage(m: MessageRecord) {
  return { id: String(m.seq), seq: m.seq, conversationId: m.conversationId, author: m.author, ...(m.agentName ? { agentName: m.agentName } : {}), text: m.text, createdAt: m.createdAt };
}

/** A message in the agent API (CONTRACT §6): also `agent: {id, name}` when a signed-in agent wrote it (never the email). */
export function presentAgentMessage(m: MessageRecord) {
  return { ...presentMessage(m), ...(m.agentId ? { agent: { id: m.agentId, name: m.agentName ?? '' } } : {}) };
}
export type Message = ReturnType<typeof presentMessage>;

/** A conversation for the agent list (PROTOCOL.md agent additions). */
export function presentConversation(cv: ConversationSummary) {
  return {
    id: cv.id,
    contactId: cv.contactId,
    contact: cv.contact,
    lastMessage: cv.lastMessage && presentAgentMessage(cv.lastMessage),
    lastMessageAt: cv.lastMessageAt,
    createdAt: cv.createdAt,
    unread: cv.unread,
    status: cv.status,
    assigneeId: cv.assigneeId,
  };
}
