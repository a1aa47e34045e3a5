import { createSseParser, type SseEvent } from './sse-parser';

export type StreamStatus = 'connecting' | 'live' | 'offline';
type Listener = (e: SseEvent & { json: unknown }) => void;

/**
 * Reads GET /v1/agent/stream with fetch (EventSource cannot send the Authorization header; null: the session cookie),
 * resumes with Last-Event-ID and reconnects with capped exponential backoff.
 */
export function createAgentStream(token: string | null, opts: { url?: string; fetchFn?: typeof fetch; onStatus?: (s: StreamStatus) => void; startAfter?: () => Promise<string | undefined> } = {}) {
  const url = opts.url ?? '/v1/agent/stream';
  const fetchFn = opts.fetchFn ?? fetch;
  const listeners = new Set<Listener>();
  let lastId: string | undefined;
  let stopped = false;
  let attempt = 0;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const emit = (e: SseEvent) => {
    if (e.id) lastId = e.id;
    let json: unknown = null;
    try { json = JSON.parse(e.data); } catch { json = e.data; } // a non-JSON data line is passed on as text
    listeners.forEach((l) => l({ ...e, json }));
  };

  async function connect() {
    if (stopped) return;
    opts.onStatus?.('connecting');
    // Without Last-Event-ID the server starts from now; startAfter only pins an explicit start point.
    if (lastId === undefined && opts.startAfter) lastId = await opts.startAfter().catch(() => undefined);
    controller = new AbortController();
    let resume = false;
    try {
      const res = await fetchFn(url, {
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
        signal: controller.signal,
      });
      if (!res.ok || !res.body) throw new Error('stream answered ' + res.status);
      attempt = 0;
      opts.onStatus?.('live');
      // `resume`: the server paged a long catch-up and ended the stream; reconnect at once from lastId
      const feed = createSseParser((e) => (e.event === 'resume' ? void (resume = true) : emit(e)));
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        feed(value);
      }
    } catch (err) {
      if (stopped) return;
      console.warn('[chative console] live stream dropped, reconnecting', err);
    }
    if (stopped) return;
    if (resume) {
      timer = setTimeout(() => void connect(), 0); // the server paged the catch-up: the next page at once
      return;
    }
    opts.onStatus?.('offline');
    const delay = Math.min(30_000, 500 * 2 ** attempt++) * (0.75 + Math.random() * 0.5);
    timer = setTimeout(() => void connect(), delay); // connect catches its own errors
  }

  return {
    start() { stopped = false; void connect(); },
    stop() { stopped = true; clearTimeout(timer); controller?.abort(); },
    subscribe(l: Listener) { listeners.add(l); return () => { listeners.delete(l); }; },
  };
}
export type AgentStream = ReturnType<typeof createAgentStream>;
