// The live stream: GET /v1/stream read with fetch, resumed with Last-Event-ID, reconnected with
// backoff + jitter. Only the tab holding the Web Lock streams; the core relays to the others.
import type { Contact, Message } from '../contract/schemas';
import { createSseParser } from './sse';
import { backoffDelay } from './backoff';
import { withLock } from './bus';

export interface StreamDeps {
  origin: string;
  siteId: string;
  getToken: () => Promise<string>;
  lastSeq: () => number;
  onMessage: (m: Message) => void;
  onContact: (c: Contact) => void;
  /** An agent is typing a reply (never stored, so never replayed). */
  onTyping?: () => void;
  /** Called after a reconnect, so missed contact changes can be refetched. */
  onOpen?: () => void;
  onUnauthorized: () => void;
  fetch?: typeof fetch;
}

export function createStream(deps: StreamDeps) {
  let abort: AbortController | null = null;
  const doFetch = deps.fetch || ((...a: Parameters<typeof fetch>) => fetch(...a));

  async function connect(signal: AbortSignal): Promise<'again' | 'resume' | 'unauthorized'> {
    const token = await deps.getToken();
    const res = await doFetch(deps.origin + '/v1/stream', {
      headers: { authorization: 'Bearer ' + token, 'last-event-id': String(deps.lastSeq()), accept: 'text/event-stream' },
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
    if (res.status === 401) return 'unauthorized';
    if (!res.ok || !res.body) throw new Error('stream ' + res.status);
    deps.onOpen?.();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let resume = false;
    const feed = createSseParser((e) => {
      // the server pages a long catch-up: `resume` means "reconnect now from your last id", not a failure
      if (e.event === 'resume') { resume = true; return; }
      let data;
      try { data = JSON.parse(e.data); } catch { return; } // a garbled frame is skipped, the next one counts
      if (e.event === 'message') deps.onMessage(data as Message);
      else if (e.event === 'typing') deps.onTyping?.();
      else if (e.event === 'contact') deps.onContact(data as Contact);
    });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return resume ? 'resume' : 'again';
      feed(value);
    }
  }

  async function run(signal: AbortSignal) {
    let attempt = 0;
    while (!signal.aborted) {
      const started = Date.now();
      try {
        const ended = await connect(signal);
        if (ended === 'unauthorized') return deps.onUnauthorized();
        if (ended === 'resume') { attempt = 0; continue; }
      } catch (err) {
        if (signal.aborted) return;
      }
      if (Date.now() - started > 30_000) attempt = 0; // a long healthy connection resets the backoff
      await new Promise((r) => setTimeout(r, backoffDelay(attempt++, 500, 30_000)));
    }
  }

  return {
    /** Stream while holding `chative:<siteId>:stream`; tabs without the lock wait their turn. */
    start() {
      if (abort) return;
      const controller = (abort = new AbortController());
      withLock('chative:' + deps.siteId + ':stream', () => run(controller.signal), controller.signal)
        .catch(() => undefined); // AbortError when stopped while still waiting for the lock
    },
    stop() { abort?.abort(); abort = null; },
  };
}
