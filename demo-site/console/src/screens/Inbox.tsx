import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive } from '../app-context';
import type { Conversation, Message } from '../api/schemas';
import { Thread } from '../components/Thread';
import { ContactDetails } from '../components/ContactDetails';
import { TypeBadge } from '../components/TypeBadge';
import { Avatar } from '../components/Avatar';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useContact } from '../lib/use-contact';
import { displayName, relativeTime } from '../lib/format';

/** Conversations, newest activity first with unread markers; the open one shows its contact beside it. */
export function Inbox({ id }: { id?: string }) {
  const { api } = useApp();
  const [convs, setConvs] = useState<Conversation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => { setError(null); api.conversations.list({ limit: 100 }).then((r) => setConvs(r.items), setError); };
  useEffect(load, [api]);

  useLive((e) => {
    if (e.event === 'conversation') return load();
    if (e.event !== 'message') return;
    const m = e.json as Message;
    setConvs((list) => {
      if (!list) return list;
      const found = list.find((c) => c.id === m.conversationId);
      if (!found) { load(); return list; }
      const unread = (found.unread ?? 0) + (m.author === 'visitor' && m.conversationId !== id ? 1 : 0);
      return [{ ...found, lastMessage: m, lastMessageAt: m.createdAt, unread }, ...list.filter((c) => c.id !== m.conversationId)];
    });
  });

  useEffect(() => { if (id) setConvs((l) => l?.map((c) => (c.id === id ? { ...c, unread: 0 } : c)) ?? l); }, [id]);
  const open = convs?.find((c) => c.id === id);

  return (
    <section class="inbox" aria-labelledby="inbox-title">
      <div class={`inbox-list ${id ? 'has-open' : ''}`}>
        <h1 id="inbox-title" class="inbox-title">Inbox</h1>
        {error ? <ErrorState error={error} onRetry={load} /> : !convs ? <Loading /> : convs.length === 0 ? (
          <EmptyState title="No conversations yet">Open the demo shop in another window and send a message from the chat widget.</EmptyState>
        ) : (
          <ul class="conv-list" aria-label="Conversations">
            {convs.map((c) => {
              const name = c.contact ? displayName(c.contact) : 'Visitor';
              return (
                <li key={c.id}>
                  <a href={`#/inbox/${encodeURIComponent(c.id)}`} class={`conv ${c.id === id ? 'active' : ''} ${c.unread ? 'unread' : ''}`} aria-current={c.id === id ? 'true' : undefined}>
                    <Avatar name={c.contact?.name} size={36} />
                    <span class="conv-body">
                      <span class="conv-name">{name}</span>
                      {c.contact?.possibleDuplicateOf && <span class="dup-badge">Possible duplicate</span>}
                      <span class="conv-preview">{c.lastMessage ? (c.lastMessage.author === 'agent' ? 'You: ' : '') + c.lastMessage.text : 'No messages'}</span>
                    </span>
                    <span class="conv-meta">
                      <span class="conv-time">{relativeTime(c.lastMessageAt)}</span>
                      {c.unread ? <span class="unread-badge">{c.unread}<span class="visually-hidden"> unread</span></span> : null}
                    </span>
                  </a>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <div class="inbox-thread">
        {open ? (
          <>
            <div class="thread-head">
              <a class="back back-mobile" href="#/inbox">← Inbox</a>
              <h2>{open.contact ? displayName(open.contact) : 'Visitor'}</h2>
              {open.contact && <TypeBadge type={open.contact.type} />}
              <a class="btn btn-small btn-ghost" href={`#/contacts/${encodeURIComponent(open.contactId)}`}>Open profile</a>
            </div>
            <Thread key={open.id} conversationId={open.id} contactId={open.contactId} contactName={open.contact ? displayName(open.contact) : 'Visitor'} />
          </>
        ) : <EmptyState title={convs?.length ? 'Choose a conversation' : 'Nothing to answer'}>Select a conversation on the left to read and reply.</EmptyState>}
      </div>
      {open && <aside class="inbox-contact" aria-label="Contact"><InboxContact id={open.contactId} /></aside>}
    </section>
  );
}

function InboxContact({ id }: { id: string }) {
  const { contact, setContact, error, retry } = useContact(id);
  if (error) return <ErrorState error={error} onRetry={retry} />;
  if (!contact) return <Loading label="Loading contact…" />;
  return <ContactDetails contact={contact} onChange={setContact} />;
}
