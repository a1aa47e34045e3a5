// Export one contact (CONTRACT §9, the right of access): everything held about it as one JSON document.
import type { Store } from '../storage/store.js';
import { presentActivity } from './activity.js';
import { agentContact, presentConversation, presentMessage } from './present.js';

const PAGE = 500;

/** The contact, its conversations with every message, and the merge tombstones folded into it; undefined when there is none. */
export async function exportOneContact(store: Store, id: string) {
  // a read unit per page: a long history never holds the store for one long read
  const contact = await store.read((r) => r.getContact(id));
  if (!contact || contact.mergedInto) return contact && { contact: agentContact(contact) };
  const conversations = [];
  for (let after: { lastMessageAt: string; id: string } | undefined; ; ) {
    const page = await store.read((r) => r.listConversations({ contactId: id, after, limit: PAGE }));
    for (const cv of page) {
      const messages = [];
      for (let seq = 0; ; ) {
        const batch = await store.read((r) => r.messagesForConversation(cv.id, seq, PAGE));
        messages.push(...batch.map(presentMessage));
        if (batch.length < PAGE) break;
        seq = batch[batch.length - 1].seq;
      }
      const { lastMessage: _last, contact: _c, ...rest } = presentConversation(cv);
      conversations.push({ ...rest, messages });
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1];
    after = { lastMessageAt: last.lastMessageAt, id: last.id };
  }
  // every entry of GET /v1/contacts/:id/activity, newest first, a read unit per page
  const activity = [];
  for (let before: number | null = null; ; ) {
    const page = await store.read((r) => r.listActivity(id, before, PAGE));
    activity.push(...page.map(presentActivity));
    if (page.length < PAGE) break;
    before = page[page.length - 1].id;
  }
  return { exportedAt: new Date().toISOString(), contact: agentContact(contact), conversations, activity };
}
