// Visitor messages (via /v1/sync) and agent replies (via the agent API), both fanned out live after commit.
import { HttpError } from '../http/http-error.js';
import type { Hub } from '../live/hub.js';
import type { ContactRecord, ConversationRecord, MessageRecord, Tx } from '../storage/store.js';
import type { ChangeBus, ConversationChange, Outbox } from './changes.js';
import { newConversationId } from './ids.js';
import { presentConversation } from './present.js';

export type ConversationService = ReturnType<typeof createConversationService>;

export function createConversationService(deps: { hub: Hub; changes: ChangeBus; now?: () => string }) {
  const { hub, changes } = deps;
  const now = deps.now ?? (() => new Date().toISOString());

  async function publish(tx: Tx, m: MessageRecord, contactId: string, out: Outbox) {
    // no agent stream open (the usual case under load): no event to build, no unread count(*) to run; the summary
    // is read inside the unit (the outbox runs after the commit and may not touch the store)
    const summary = hub.has('agent') ? await tx.summarizeConversation(m.conversationId) : undefined;
    out.push(() => {
      hub.publish(`contact:${contactId}`, { kind: 'message', seq: m.seq, data: m });
      if (!hub.has('agent')) return;
      hub.publish('agent', { kind: 'message', seq: m.seq, data: { ...m, contactId } });
      if (summary) hub.publish('agent', { kind: 'conversation', data: presentConversation(summary) });
    });
    await changes.emit(tx, out, [{ contactId, change: 'message', conversationId: m.conversationId, seq: m.seq, author: m.author }]);
  }

  /**
   * Status / assignee (PATCH /v1/conversations/:id, a visitor's reopen): each real change is reported on the bus
   * (`change: 'conversation'`) and the new summary goes to the agent stream after the commit.
   */
  async function update(tx: Tx, id: string, patch: { status?: 'open' | 'resolved'; assigneeId?: string | null }, out: Outbox) {
    const conv = await tx.getConversation(id);
    if (!conv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
    if (patch.assigneeId) {
      const a = await tx.getAgent(patch.assigneeId);
      if (!a || a.disabled || a.passwordHash === null) {
        throw new HttpError(400, 'validation_failed', 'assigneeId: not an active agent', [{ path: ['assigneeId'], message: 'not an active agent' }]);
      }
    }
    const list: ConversationChange[] = [];
    if (patch.status !== undefined && patch.status !== conv.status) list.push({ contactId: conv.contactId, change: 'conversation', conversationId: id, field: 'status', from: conv.status, to: patch.status });
    if (patch.assigneeId !== undefined && patch.assigneeId !== conv.assigneeId) list.push({ contactId: conv.contactId, change: 'conversation', conversationId: id, field: 'assigneeId', from: conv.assigneeId, to: patch.assigneeId });
    if (list.length) {
      await tx.setConversation(id, patch);
      const summary = hub.has('agent') ? await tx.summarizeConversation(id) : undefined;
      if (summary) out.push(() => hub.publish('agent', { kind: 'conversation', data: presentConversation(summary) }));
      await changes.emit(tx, out, list);
    }
    return (await tx.getConversation(id))!;
  }

  return {
    /** Appends to the given conversation (it must be the contact's) or the contact's latest, created on first message. */
    async visitorMessage(tx: Tx, c: Pick<ContactRecord, 'id' | 'siteId'>, text: string, conversationId: string | undefined, out: Outbox,
      /**
       * That conversation (or the contact's latest), already read in this unit by the caller. `event`: a sync event's
       * writes go with the message in one step (Tx.visitorMessageEvent, its stored result included); the contact as
       * it then stands is left in `event.written`.
       */
      known?: { conv: ConversationRecord | undefined; event?: { scope: string; eventId: string; written?: { contact: ContactRecord | undefined } } }): Promise<MessageRecord> {
      let conv = known ? known.conv : conversationId ? await tx.getConversation(conversationId) : await tx.latestConversation(c.id);
      if (conversationId && (!conv || conv.contactId !== c.id)) throw new HttpError(404, 'conversation_not_found', 'no such conversation for this visitor');
      const at = now();
      conv ??= await tx.createConversation({ id: newConversationId(), siteId: c.siteId, contactId: c.id, createdAt: at });
      const event = known?.event;
      const written = event && await tx.visitorMessageEvent({ conversationId: conv.id, contactId: c.id, text, createdAt: at, scope: event.scope, eventId: event.eventId });
      if (written) event.written = { contact: written.contact };
      // independent: issued together (one round trip on an engine that pipelines)
      const [m] = written ? [written.message] : await Promise.all([
        tx.insertMessage({ conversationId: conv.id, author: 'visitor', text, createdAt: at }),
        tx.updateContact(c.id, { lastSeenAt: at }),
      ]);
      // a visitor writing again reopens a resolved conversation (CONTRACT §6)
      if (conv.status === 'resolved') await update(tx, conv.id, { status: 'open' }, out);
      await publish(tx, m, c.id, out);
      return m;
    },

    update,

    /** An agent reply, delivered live to the widget of the conversation's contact. */
    async agentReply(tx: Tx, conversationId: string, text: string, out: Outbox): Promise<MessageRecord> {
      const conv = await tx.getConversation(conversationId);
      if (!conv) throw new HttpError(404, 'conversation_not_found', 'no such conversation');
      // authorship: a signed-in agent's id and display name go with the message (never their email)
      const by = out.actor.kind === 'agent' && out.actor.id ? { agentId: out.actor.id, agentName: out.actor.name ?? null } : {};
      const m = await tx.insertMessage({ conversationId, author: 'agent', text, createdAt: now(), ...by });
      // an agent answering has read what came before
      await tx.markConversationRead(conversationId, m.seq);
      if (by.agentId) await tx.markReadBy(by.agentId, conversationId, m.seq);
      await publish(tx, m, conv.contactId, out);
      return m;
    },
  };
}
