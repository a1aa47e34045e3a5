// The inbox views' sizes and the caller's unread conversations, shared by the nav, the tab title and the Inbox;
// re-read (coalesced) whenever the live stream reports a message or a conversation change.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api';
import type { ConversationCounts } from '../api/schemas';
import type { AgentStream } from './agent-stream';

export type InboxCounts = { counts: ConversationCounts | null; refresh: () => void };

export function useInboxCounts(api: Api, stream: AgentStream): InboxCounts {
  const [counts, setCounts] = useState<ConversationCounts | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const read = () => void api.conversations.counts().then(setCounts, (err) => console.warn('[chative console] inbox counts not read', err));
  // a burst of events (a visitor typing fast, a bulk assign) costs one request, not one per event
  const refresh = () => { clearTimeout(timer.current); timer.current = setTimeout(read, 250); };
  useEffect(() => {
    read();
    const off = stream.subscribe((e) => { if (e.event === 'message' || e.event === 'conversation') refresh(); });
    return () => { off(); clearTimeout(timer.current); };
  }, [api, stream]);
  return { counts, refresh };
}
