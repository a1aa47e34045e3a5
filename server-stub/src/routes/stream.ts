// Live SSE streams (widget and agent): subscribe first, then catch up from Last-Event-ID, then live; dedupe by seq.
import { Hono, type Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import type { LiveEvent } from '../live/hub.js';
import type { Services } from '../services/index.js';
import { agentContact, presentMessage, widgetContact } from '../services/present.js';
import type { ContactRecord, MessageRecord } from '../storage/store.js';

type Feed = {
  topics: string[];
  catchUp(afterSeq: number): MessageRecord[];
  message(data: unknown): unknown;
  contact(c: ContactRecord): unknown;
  /** The stream's contact was merged into another: follow it. */
  onMerged?(into: string): { topics: string[] } | null;
};

/** The resume point (Last-Event-ID header, else ?after=); `fallback` when the client gave none. */
function lastEventId<F extends number | null>(c: Context, fallback: F): number | F {
  const raw = c.req.header('last-event-id') ?? c.req.query('after');
  if (raw === undefined) return fallback;
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'validation_failed', 'Last-Event-ID must be a message seq', [{ path: ['Last-Event-ID'], message: 'expected an integer' }]);
  return Number(raw);
}

/** Runs one stream until the client leaves, the token is revoked or the server stops; `after` null = live only, no catch-up. */
async function pump(s: Services, stream: SSEStreamingApi, feed: Feed, after: number | null) {
  const queue: LiveEvent[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const push = (e: LiveEvent) => {
    queue.push(e);
    wake?.();
  };
  let offs = feed.topics.map((t) => s.hub.subscribe(t, push));
  stream.onAbort(() => {
    done = true;
    wake?.();
  });
  let lastSeq = after ?? 0;
  try {
    // catch-up after subscribing: anything committed meanwhile is in the queue and deduped by seq
    for (; after !== null; ) {
      const page = feed.catchUp(lastSeq);
      for (const m of page) {
        await stream.writeSSE({ id: String(m.seq), event: 'message', data: JSON.stringify(feed.message(m)) });
        lastSeq = m.seq;
      }
      if (page.length < 200) break;
    }
    while (!done) {
      const e = queue.shift();
      if (!e) {
        const timer = setTimeout(() => wake?.(), s.keepAliveMs);
        await new Promise<void>((r) => (wake = r));
        clearTimeout(timer);
        wake = null;
        if (!queue.length && !done) await stream.write(': keep-alive\n\n');
        continue;
      }
      if (e.kind === 'revoked') break;
      if (e.kind === 'message') {
        if (e.seq <= lastSeq) continue;
        await stream.writeSSE({ id: String(e.seq), event: 'message', data: JSON.stringify(feed.message(e.data)) });
        lastSeq = e.seq;
      } else if (e.kind === 'contact') {
        await stream.writeSSE({ event: 'contact', data: JSON.stringify(feed.contact(e.data as ContactRecord)) });
      } else if (e.kind === 'typing') {
        await stream.writeSSE({ event: 'typing', data: JSON.stringify(e.data) });
      } else if (e.kind === 'conversation') {
        await stream.writeSSE({ event: 'conversation', data: JSON.stringify(e.data) });
      } else if (e.kind === 'merged' && feed.onMerged) {
        const next = feed.onMerged(e.into);
        if (next) {
          offs.forEach((off) => off());
          offs = next.topics.map((t) => s.hub.subscribe(t, push));
          const survivor = s.store.getContact(e.into);
          if (survivor) await stream.writeSSE({ event: 'contact', data: JSON.stringify(feed.contact(survivor)) });
        }
      }
    }
  } finally {
    offs.forEach((off) => off());
  }
}

export function streamRoutes(s: Services) {
  const r = new Hono<AppEnv>();
  const headers = { 'cache-control': 'no-store', 'x-accel-buffering': 'no' };

  r.get('/v1/stream', (c) => {
    const token = c.get('token');
    s.limiter.take('readPerToken', String(token.id));
    const after = lastEventId(c, 0);
    let contactId = token.contactId;
    const feed: Feed = {
      topics: [`contact:${contactId}`, `token:${token.id}`],
      catchUp: (seq) => s.store.messagesForContact(contactId, seq, 200),
      message: (m) => presentMessage(m as MessageRecord),
      contact: widgetContact,
      onMerged: (into) => {
        contactId = into;
        return { topics: [`contact:${into}`, `token:${token.id}`] };
      },
    };
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    return streamSSE(c, (stream) => pump(s, stream, feed, after), async (err) => console.error('stream failed', err.message));
  });

  r.get('/v1/agent/stream', (c) => {
    // no resume point = start from now: an agent console never wants the whole history replayed
    const after = lastEventId(c, null);
    const feed: Feed = {
      topics: ['agent'],
      catchUp: (seq) => s.store.messagesAfter(seq, 200),
      message: (m) => ({ ...presentMessage(m as MessageRecord), contactId: (m as { contactId: string }).contactId }),
      contact: agentContact,
    };
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    return streamSSE(c, (stream) => pump(s, stream, feed, after), async (err) => console.error('stream failed', err.message));
  });

  return r;
}
