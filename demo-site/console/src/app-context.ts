import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { Api } from './api';
import type { AgentStream } from './lib/agent-stream';
import type { SseEvent } from './lib/sse-parser';
import type { Me } from './api/team';
import type { InboxCounts } from './lib/inbox-counts';

/** `token` null: the session cookie; `me` the caller (an account, or an API token with a role and no account). */
export type AppCtx = { api: Api; stream: AgentStream; token: string | null; me: Me; setMe: (me: Me) => void; signOut: () => void; inbox: InboxCounts };
export const AppContext = createContext<AppCtx | null>(null);

export function useApp(): AppCtx {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside AppContext');
  return ctx;
}

/** Subscribes to live agent-stream events for the component's lifetime (latest handler wins). */
export function useLive(handler: (e: SseEvent & { json: any }) => void) {
  const { stream } = useApp();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => stream.subscribe((e) => ref.current(e as SseEvent & { json: any })), [stream]);
}
