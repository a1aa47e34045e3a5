import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useLive } from '../app-context';
import { ApiError } from '../api';
import type { Message } from '../api/schemas';
import { ErrorState, Loading } from './States';
import { authorName } from '../lib/format';
// The widget's one rule for links in messages (http/https/mailto, rel=noopener noreferrer nofollow, text as text).
import { MessageText } from '../../../../widget/src/app/components/MessageText';

const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** One conversation's messages (live) and the agent's reply box. */
export function Thread({ conversationId, contactId, contactName }: { conversationId: string; contactId?: string; contactName: string }) {
  const { api, me, inbox } = useApp();
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState('');
  const [sendError, setSendError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [announce, setAnnounce] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  // "typing…": the widget signals every ~3 s while the visitor types; hide it when the signals stop.
  const [typing, setTyping] = useState(false);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const typedAt = useRef(0);
  useEffect(() => () => clearTimeout(typingTimer.current), []);

  const load = () => {
    setError(null);
    api.conversations.messages(conversationId).then((r) => setMessages(r.items), setError);
    markRead();
  };
  // unread markers are cosmetic: a failed mark leaves the thread readable
  const markRead = () => void api.conversations.markRead(conversationId).then(inbox.refresh, (err) => console.warn('[chative console] not marked read', err));
  useEffect(load, [api, conversationId]);

  const addMessage = (m: Message) => setMessages((list) => (list && !list.some((x) => x.id === m.id) ? [...list, m].sort((a, b) => a.seq - b.seq) : list));

  useLive((e) => {
    if (e.event === 'typing' && e.json?.author === 'visitor' && contactId && e.json.contactId === contactId) {
      setTyping(true);
      clearTimeout(typingTimer.current);
      typingTimer.current = setTimeout(() => setTyping(false), 6000);
      return;
    }
    if (e.event !== 'message') return;
    if ((e.json as Message).author === 'visitor' && (e.json as Message).conversationId === conversationId) setTyping(false);
    const m = e.json as Message;
    if (m.conversationId !== conversationId) return;
    addMessage(m);
    if (m.author === 'visitor') { setAnnounce(`New message from ${contactName}: ${m.text}`); markRead(); }
  });

  useEffect(() => { const el = listRef.current; if (el) el.scrollTop = el.scrollHeight; }, [messages?.length]);

  async function send(e: Event) {
    e.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setSending(true); setSendError(null);
    try {
      addMessage(await api.conversations.reply(conversationId, text));
      setDraft('');
    } catch (err) {
      setSendError(err instanceof ApiError ? err.message : 'The reply was not sent. Try again.');
    } finally {
      setSending(false);
    }
  }

  return (
    <div class="thread">
      {error ? <ErrorState error={error} onRetry={load} /> : !messages ? <Loading label="Loading conversation…" /> : (
        <ol class="messages" ref={listRef} aria-label={`Conversation with ${contactName}`} tabIndex={0}>
          {messages.length === 0 && <li class="muted">No messages yet.</li>}
          {messages.map((m) => (
            <li key={m.id} class={`msg msg-${m.author}`}>
              {m.author === 'agent' ? <span class="msg-author">{authorName(m, me.agent?.id)}<span class="visually-hidden">: </span></span>
                : <span class="visually-hidden">{contactName}: </span>}
              <p class="msg-text"><MessageText text={m.text} /></p>
              <time class="msg-time" dateTime={m.createdAt}>{time(m.createdAt)}</time>
            </li>
          ))}
        </ol>
      )}
      {typing && <p class="muted typing" role="status">{contactName} is typing…</p>}
      <p class="visually-hidden" aria-live="polite">{announce}</p>
      <form class="composer" onSubmit={send}>
        <label class="visually-hidden" for={`reply-${conversationId}`}>Reply</label>
        <textarea id={`reply-${conversationId}`} class="input textarea" rows={2} placeholder="Write a reply… (Enter sends, Shift+Enter adds a line)" value={draft}
          onInput={(e) => {
            setDraft(e.currentTarget.value);
            const now = Date.now();
            if (now - typedAt.current > 3000) { typedAt.current = now; api.conversations.typing(conversationId).catch(() => {}); } // a lost signal only hides "typing…" sooner
          }}
          onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); (e.currentTarget.form as HTMLFormElement).requestSubmit(); } }} />
        <button type="submit" class="btn btn-primary" disabled={sending || !draft.trim()}>{sending ? 'Sending…' : 'Send'}</button>
      </form>
      {sendError && <p class="field-error" role="alert">{sendError}</p>}
    </div>
  );
}
