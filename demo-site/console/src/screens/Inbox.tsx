import { useEffect, useState } from 'preact/hooks';
import { useApp, useLive } from '../app-context';
import type { Conversation, ConversationCounts, Message, TeamAgent } from '../api/schemas';
import type { ConversationView } from '../api/conversations';
import { Thread } from '../components/Thread';
import { ContactDetails } from '../components/ContactDetails';
import { ConversationActions } from '../components/ConversationActions';
import { TypeBadge } from '../components/TypeBadge';
import { Avatar } from '../components/Avatar';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useContact } from '../lib/use-contact';
import { useTeam } from '../lib/use-team';
import { authorName, displayName, relativeTime } from '../lib/format';

type ViewName = 'mine' | 'unassigned' | 'all' | 'resolved';
const VIEWS: { name: ViewName; label: string; filter: ConversationView; empty: string }[] = [
  { name: 'mine', label: 'Mine', filter: { status: 'open', assignee: 'me' }, empty: 'Nothing assigned to you is open.' },
  { name: 'unassigned', label: 'Unassigned', filter: { status: 'open', assignee: 'none' }, empty: 'Every open conversation has someone on it.' },
  { name: 'all', label: 'All', filter: { status: 'open' }, empty: 'No open conversations.' },
  { name: 'resolved', label: 'Resolved', filter: { status: 'resolved' }, empty: 'Nothing resolved yet.' },
];

/** The view in the address (`#/inbox?view=mine`, `#/inbox/<id>?view=mine`), so a reload or a shared link keeps it. */
function viewFromHash(): ViewName {
  const v = new URLSearchParams(location.hash.split('?')[1] ?? '').get('view');
  return VIEWS.some((x) => x.name === v) ? (v as ViewName) : 'all';
}
const countOf = (c: ConversationCounts | null, v: ViewName) => (c ? c[v] : null);
const unreadOf = (c: ConversationCounts | null, v: ViewName) => (c && v !== 'resolved' ? c.unread[v] : 0);

/** Conversations by view (Mine / Unassigned / All / Resolved, with counts), newest activity first with unread
 * markers; the open one shows its thread, assignment and resolve, and its contact beside it. */
export function Inbox({ id }: { id?: string }) {
  const { api, me, inbox } = useApp();
  const team = useTeam();
  const view = viewFromHash();
  const current = VIEWS.find((v) => v.name === view)!;
  const views = me.agent ? VIEWS : VIEWS.filter((v) => v.name !== 'mine'); // an API token has no "me" to assign to
  const [convs, setConvs] = useState<Conversation[] | null>(null);
  const [opened, setOpened] = useState<Conversation | null>(null); // the open one, even when it left this view
  const [error, setError] = useState<unknown>(null);
  const load = () => { setError(null); api.conversations.list({ limit: 100, ...current.filter }).then((r) => setConvs(r.items), setError); };
  useEffect(() => { setConvs(null); load(); }, [api, view]);
  useEffect(() => {
    if (!id) return setOpened(null);
    const inList = convs?.find((c) => c.id === id);
    if (inList) setOpened(inList);
    else if (convs && opened?.id !== id) api.conversations.get(id).then(setOpened, setError);
  }, [id, convs]);

  useLive((e) => {
    if (e.event === 'conversation') return load();
    // an erased contact's conversations are gone (issue 14): the list reloads without them, an open one closes
    if (e.event === 'erased') {
      if (open?.contactId === e.json?.id) location.hash = `#/inbox${q}`;
      return load();
    }
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
  const changed = (c: Conversation) => { setOpened(c); load(); };
  const open = opened?.id === id ? opened : undefined;
  const q = `?view=${view}`;

  return (
    <section class="inbox" aria-labelledby="inbox-title">
      <div class={`inbox-list ${id ? 'has-open' : ''}`}>
        <h1 id="inbox-title" class="inbox-title">Inbox</h1>
        <nav class="inbox-views" aria-label="Inbox views">
          {views.map((v) => {
            const n = countOf(inbox.counts, v.name);
            const u = unreadOf(inbox.counts, v.name);
            return (
              <a key={v.name} href={`#/inbox?view=${v.name}`} class="inbox-view" aria-current={v.name === view ? 'page' : undefined}>
                {v.label}
                {n !== null && <span class="segment-count">{n}<span class="visually-hidden"> conversations</span></span>}
                {u > 0 && <span class="view-unread">{u}<span class="visually-hidden"> unread</span></span>}
              </a>
            );
          })}
        </nav>
        {error ? <ErrorState error={error} onRetry={load} /> : !convs ? <Loading /> : convs.length === 0 ? (
          <EmptyState title={view === 'all' && !inbox.counts?.resolved ? 'No conversations yet' : current.empty}>{view === 'all' || view === 'unassigned' ? 'Open the demo shop in another window and send a message from the chat widget.' : null}</EmptyState>
        ) : (
          <ul class="conv-list" aria-label="Conversations">
            {convs.map((c) => <ConversationRow key={c.id} c={c} active={c.id === id} href={`#/inbox/${encodeURIComponent(c.id)}${q}`} team={team} showAssignee={view === 'all' || view === 'resolved'} />)}
          </ul>
        )}
      </div>
      <div class="inbox-thread">
        {open ? (
          <>
            <div class="thread-head">
              <a class="back back-mobile" href={`#/inbox${q}`}>← Inbox</a>
              <h2>{open.contact ? displayName(open.contact) : 'Visitor'}</h2>
              {open.contact && <TypeBadge type={open.contact.type} />}
              {open.status === 'resolved' && <span class="pill">Resolved</span>}
              <a class="btn btn-small btn-ghost" href={`#/contacts/${encodeURIComponent(open.contactId)}`}>Open profile</a>
            </div>
            <ConversationActions conv={open} team={team} onChange={changed} />
            <Thread key={open.id} conversationId={open.id} contactId={open.contactId} contactName={open.contact ? displayName(open.contact) : 'Visitor'} />
          </>
        ) : id && !error ? <Loading label="Loading conversation…" />
          : <EmptyState title={convs?.length ? 'Choose a conversation' : 'Nothing to answer'}>Select a conversation on the left to read and reply.</EmptyState>}
      </div>
      {open && <aside class="inbox-contact" aria-label="Contact"><InboxContact id={open.contactId} /></aside>}
    </section>
  );
}

function ConversationRow({ c, active, href, team, showAssignee }: { c: Conversation; active: boolean; href: string; team: TeamAgent[]; showAssignee: boolean }) {
  const { me } = useApp();
  const name = c.contact ? displayName(c.contact) : 'Visitor';
  const assignee = !c.assigneeId ? 'Unassigned' : c.assigneeId === me.agent?.id ? 'You' : team.find((a) => a.id === c.assigneeId)?.name ?? 'A teammate';
  const last = c.lastMessage;
  const lastBy = last?.author === 'agent' ? `${authorName(last, me.agent?.id)}: ` : '';
  return (
    <li>
      <a href={href} class={`conv ${active ? 'active' : ''} ${c.unread ? 'unread' : ''}`} aria-current={active ? 'true' : undefined}>
        <Avatar name={c.contact?.name} size={36} />
        <span class="conv-body">
          <span class="conv-name">{name}</span>
          {c.contact?.possibleDuplicateOf && <span class="dup-badge">Possible duplicate</span>}
          <span class="conv-preview">{last ? lastBy + last.text : 'No messages'}</span>
          {showAssignee && <span class="conv-assignee">{assignee}</span>}
        </span>
        <span class="conv-meta">
          <span class="conv-time">{relativeTime(c.lastMessageAt)}</span>
          {c.unread ? <span class="unread-badge">{c.unread}<span class="visually-hidden"> unread</span></span> : null}
        </span>
      </a>
    </li>
  );
}

function InboxContact({ id }: { id: string }) {
  const { contact, setContact, error, retry } = useContact(id);
  if (error) return <ErrorState error={error} onRetry={retry} />;
  if (!contact) return <Loading label="Loading contact…" />;
  return <ContactDetails contact={contact} onChange={setContact} />;
}
