import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive } from '../app-context';
import type { Contact, Conversation } from '../api/schemas';
import { Thread } from './Thread';
import { EmptyState, ErrorState } from './States';
import { displayName, relativeTime } from '../lib/format';

/** The contact's conversations (newest first) with the selected one's thread. */
export function ContactConversation({ contact }: { contact: Contact }) {
  const { api } = useApp();
  const [convs, setConvs] = useState<Conversation[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = () => {
    setError(null);
    // the server filters by contact, so one small page holds them all
    api.conversations.list({ contactId: contact.id, limit: 50 }).then((r) => {
      setConvs(r.items);
      setSelected((s) => (s && r.items.some((c) => c.id === s) ? s : r.items[0]?.id ?? null));
    }, setError);
  };
  useEffect(load, [api, contact.id]);
  useLive((e) => {
    if (e.event === 'message' && e.json?.contactId === contact.id && convs && !convs.some((c) => c.id === e.json.conversationId)) load();
  });

  return (
    <section class="card panel conversation-panel" aria-labelledby="conv-title">
      <div class="panel-head">
        <h2 id="conv-title">Conversation</h2>
        {convs && convs.length > 1 && (
          <>
            <label class="visually-hidden" for="conv-pick">Conversation</label>
            <select id="conv-pick" class="input input-small" value={selected ?? ''} onChange={(e) => setSelected(e.currentTarget.value)}>
              {convs.map((c, i) => <option key={c.id} value={c.id}>{i === 0 ? 'Latest' : `Earlier`} · {relativeTime(c.lastMessageAt)}</option>)}
            </select>
          </>
        )}
      </div>
      {error ? <ErrorState error={error} onRetry={load} />
        : convs && !selected ? <EmptyState title="No conversation yet">When {displayName(contact)} writes from the chat widget, the thread appears here live.</EmptyState>
        : selected ? <Thread key={selected} conversationId={selected} contactId={contact.id} contactName={displayName(contact)} /> : null}
    </section>
  );
}
