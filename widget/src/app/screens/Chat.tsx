// The conversation: an aria-live log of messages (pending → sent, failed with retry) and the composer.
// A class component, like PreChat: the window uses no hooks, so preact/hooks (~1 KB gzip) is not shipped.
import { Component } from 'preact';
import type { Message } from '../../contract/schemas';
import type { PendingMessage } from '../../core/widget-core';
import { messageText } from '../components/MessageText';
import type { Strings } from '../i18n';

export interface ChatProps {
  /** The log's accessible name: the loader's chat title in the visitor's language. */
  title: string;
  messages: Message[];
  pending: PendingMessage[];
  strings: Strings;
  /** The visitor's language: message times are written its way. */
  lang: string;
  /** The site's team name: who agent messages are from until agents have accounts (agentName). */
  team?: string;
  onSend: (text: string) => void;
  onTyping?: () => void;
  agentTyping?: boolean;
  onRetry: (eventId: string) => void;
}

/** "14:05" today, "3 Dec, 14:05" before, in the visitor's language (Intl, only once the chat is open). */
export function timeFormat(lang: string, now = new Date()): (iso: string) => string {
  const time = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' });
  const day = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  const today = now.toDateString();
  return (iso) => {
    const d = new Date(iso);
    return isNaN(d.getTime()) ? '' : (d.toDateString() === today ? time : day).format(d);
  };
}

/** "Ada Lovelace" → "AL": the first letters of the first and last words (whole code points, so an emoji stays whole). */
export const initials = (name: string) => {
  const w = name.trim().split(/\s+/);
  const first = (s = '') => [...s][0] || '';
  return (first(w[0]) + (w[1] ? first(w[w.length - 1]) : '')).toUpperCase();
};

export class Chat extends Component<ChatProps, { draft: string }> {
  declare at: (iso: string) => string;
  declare lang: string;
  declare end: HTMLDivElement | null;
  declare box: HTMLTextAreaElement | null;

  constructor(props: ChatProps) {
    super(props);
    this.state = { draft: '' };
  }
  override componentDidMount() {
    this.scroll();
    this.box?.focus();
  }
  override componentDidUpdate(prev: ChatProps) {
    if (prev.messages.length !== this.props.messages.length || prev.pending.length !== this.props.pending.length) this.scroll();
  }
  scroll() { this.end?.scrollIntoView?.({ block: 'end' }); }
  send() {
    const { draft } = this.state;
    if (!draft.trim()) return;
    this.props.onSend(draft);
    this.setState({ draft: '' });
  }

  render({ title, messages, pending, strings, lang, team, onRetry, onTyping, agentTyping }: ChatProps, { draft }: { draft: string }) {
    if (this.lang !== lang) { this.lang = lang; this.at = timeFormat(lang); } // the formatters once per language
    const at = this.at;
    const send = () => this.send();
    return (
      <>
        <div class="body">
          {!messages.length && !pending.length && <p class="hint">{strings.empty}</p>}
          <div class="log" role="log" aria-live="polite" aria-label={title}>
            {messages.map((m) => (
              <div key={m.id} class={'msg ' + m.author} data-seq={m.seq}>
                {m.author === 'agent'
                  ? who(m.agentName || team || strings.agent)
                  : <span class="sr">{strings.you}: </span>}
                {messageText(m.text)}
                <time class="at" dateTime={m.createdAt}>{at(m.createdAt)}</time>
              </div>
            ))}
            {pending.map((p) => (
              <div key={p.eventId} class={'msg visitor' + (p.status === 'failed' ? ' failed' : '')} data-pending={p.status}>
                {messageText(p.text)}
                <span class="status">
                  {p.status === 'pending' ? strings.pending : strings.failed + (p.error ? ' ' + p.error : '')}
                  {p.status === 'failed' && <button type="button" class="link" onClick={() => onRetry(p.eventId)}>{strings.retry}</button>}
                </span>
              </div>
            ))}
          </div>
          {agentTyping && <p class="typing" role="status">{(team || strings.agent) + ' ' + strings.typing}</p>}
          <div ref={(e) => { this.end = e; }} />
        </div>
        <div class="composer">
          <textarea ref={(e) => { this.box = e; }} rows={1} aria-label={strings.message} placeholder={strings.placeholder} value={draft} maxLength={10000}
            onInput={(e) => { this.setState({ draft: (e.currentTarget as HTMLTextAreaElement).value }); onTyping?.(); }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
            }} />
          <button type="button" class="send" onClick={send}>{strings.send}</button>
        </div>
      </>
    );
  }
}

/** Who wrote an agent message: the name, with its initials drawn by CSS (data-i, hidden from screen readers). */
const who = (name: string) => <span class="who" data-i={initials(name)}>{name}<span class="sr">: </span></span>;
