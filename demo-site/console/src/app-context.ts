import { createContext } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { Api } from './api';
import type { AgentStream } from './lib/agent-stream';
import type { SseEvent } from './lib/sse-parser';

export type AppCtx = { api: Api; stream: AgentStream; token: string; signOut: () => void };
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
