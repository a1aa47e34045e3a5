// Live SSE streams (widget and agent): subscribe first, then catch up from Last-Event-ID, then live; dedupe by seq.
import { Hono, type Context } from 'hono';
import { callerOf, role } from '../http/auth.js';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { clientIp } from '../http/client-ip.js';
import type { AppEnv } from '../http/env.js';
import { HttpError } from '../http/http-error.js';
import type { LiveEvent } from '../live/hub.js';
import { trace, tracing } from '../live/trace.js';
import type { Services } from '../services/index.js';
import { agentContact, presentAgentMessage, presentMessage, widgetContact } from '../services/present.js';
import type { ContactRecord, MessageRecord } from '../storage/store.js';

type Feed = {
  topics: string[];
  catchUp(afterSeq: number): Promise<MessageRecord[]>;
  message(data: unknown): unknown;
  contact(c: ContactRecord): unknown | Promise<unknown>;
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

/** One connection's catch-up is bounded (messages and bytes); past it the stream says `resume` and ends, and the client reconnects from its last id. */
export const CATCH_UP = { messages: 200, bytes: 512 * 1024 } as const;
/** Live events one stream may have waiting; a client that reads slower than that is cut and resumes from its last id (the data itself is shared by all streams). */
export const MAX_PENDING = 1000;

/** Runs one stream until the client leaves, the token is revoked or the server stops; `after` null = live only, no catch-up. */
async function pump(s: Services, stream: SSEStreamingApi, feed: Feed, after: number | null) {
  const queue: LiveEvent[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const push = (e: LiveEvent) => {
    if (done) return;
    if (queue.length >= MAX_PENDING) {
      // a reader that stalls would otherwise make this queue grow for ever; its pending write is cancelled too
      done = true;
      queue.length = 0;
      stream.abort();
    } else queue.push(e);
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
    if (after !== null) {
      // one bounded page per connection: a reopen from 0 costs a page, not the whole history (issue 15, Medium 8)
      const page = await feed.catchUp(lastSeq);
      let bytes = 0;
      let more = page.length >= CATCH_UP.messages;
      for (const m of page) {
        if (bytes >= CATCH_UP.bytes) {
          more = true;
          break;
        }
        const data = JSON.stringify(feed.message(m));
        bytes += data.length;
        await stream.writeSSE({ id: String(m.seq), event: 'message', data });
        lastSeq = m.seq;
      }
      if (more) {
        await stream.writeSSE({ event: 'resume', data: JSON.stringify({ after: lastSeq }) });
        return;
      }
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
      if (e.kind === 'resume') {
        // handover at shutdown: reconnect now (the load balancer sends it to a live instance), from this id
        await stream.writeSSE({ event: 'resume', data: JSON.stringify({ after: lastSeq }), retry: 250 });
        break;
      }
      if (e.kind === 'message') {
        if (e.seq <= lastSeq) continue;
        await stream.writeSSE({ id: String(e.seq), event: 'message', data: JSON.stringify(feed.message(e.data)) });
        if (tracing) trace('sent', { q: e.seq });
        lastSeq = e.seq;
      } else if (e.kind === 'contact') {
        await stream.writeSSE({ event: 'contact', data: JSON.stringify(await feed.contact(e.data as ContactRecord)) });
      } else if (e.kind === 'typing') {
        await stream.writeSSE({ event: 'typing', data: JSON.stringify(e.data) });
      } else if (e.kind === 'conversation' || e.kind === 'presence' || e.kind === 'erased') {
        await stream.writeSSE({ event: e.kind, data: JSON.stringify(e.data) });
      } else if (e.kind === 'merged' && feed.onMerged) {
        const next = feed.onMerged(e.into);
        if (next) {
          offs.forEach((off) => off());
          offs = next.topics.map((t) => s.hub.subscribe(t, push));
          const survivor = await s.store.read((r) => r.getContact(e.into));
          if (survivor) await stream.writeSSE({ event: 'contact', data: JSON.stringify(await feed.contact(survivor)) });
          // messages to the survivor published before we followed it (another instance's tailer may be ahead of
          // the merge's doorbell): read them now; later ones arrive live and are deduped by seq
          const missed = await feed.catchUp(lastSeq);
          for (const m of missed) {
            await stream.writeSSE({ id: String(m.seq), event: 'message', data: JSON.stringify(feed.message(m)) });
            lastSeq = m.seq;
          }
          if (missed.length >= CATCH_UP.messages) {
            await stream.writeSSE({ event: 'resume', data: JSON.stringify({ after: lastSeq }) });
            break;
          }
        }
      }
    }
  } finally {
    offs.forEach((off) => off());
  }
}

/** `visitor`: the widget's stream; `agent`: the console's (app.ts mounts each in its group). */
export function streamRoutes(s: Services) {
  const r = new Hono<AppEnv>();
  const agent = new Hono<AppEnv>();
  const headers = { 'cache-control': 'no-store', 'x-accel-buffering': 'no' };
  /** The held stream slot is released however the stream ends (client gone, revoked, resume, error). */
  const sse = (c: Context<AppEnv>, feed: Feed, after: number | null, release: () => void) => {
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    try {
      return streamSSE(c, (stream) => pump(s, stream, feed, after).finally(release), async (err) => {
        release();
        console.error('stream failed', err.message);
      });
    } catch (err) {
      release();
      throw err;
    }
  };

  r.get('/v1/stream', (c) => {
    const token = c.get('token');
    s.limiter.take('readPerToken', String(token.id));
    const after = lastEventId(c, 0);
    const release = s.limiter.hold([['streamsPerToken', String(token.id)], ['streamsPerIp', clientIp(c)]]);
    let contactId = token.contactId;
    const feed: Feed = {
      topics: [`contact:${contactId}`, `token:${token.id}`],
      catchUp: (seq) => s.store.read((r) => r.messagesForContact(contactId, seq, CATCH_UP.messages)),
      message: (m) => presentMessage(m as MessageRecord),
      // the token re-read (cached): an identify on this browser since the stream opened changes what it may show
      contact: async (contact) => widgetContact(contact, s.settings.get(contact.siteId), (await s.store.read((r) => r.findTokenById(token.id))) ?? null),
      onMerged: (into) => {
        contactId = into;
        return { topics: [`contact:${into}`, `token:${token.id}`] };
      },
    };
    return sse(c, feed, after, release);
  });

  agent.get('/v1/agent/stream', role('agent'), (c) => {
    // no resume point = start from now: an agent console never wants the whole history replayed
    const after = lastEventId(c, null);
    const ip = clientIp(c);
    const held = s.limiter.hold([['agentStreamsPerIp', ip], ['streamsPerIp', ip]]);
    // the credential's own topics: signing out, disabling the agent or revoking the token ends the stream at once
    const caller = callerOf(c);
    const own = caller.agent ? [`agent:${caller.agent.id}`, `session:${caller.sessionHash}`] : caller.via === 'api-token' ? [`apitoken:${caller.actor.id}`, ...(caller.tokenAuthor ? [`agent:${caller.tokenAuthor}`] : [])] : [];
    // an open stream is what makes an agent "online" (services/presence.ts)
    const offline = caller.agent ? s.presence.opened(caller.agent.id) : () => undefined;
    const release = () => {
      held();
      offline();
    };
    const feed: Feed = {
      topics: ['agent', ...own],
      catchUp: (seq) => s.store.read((r) => r.messagesAfter(seq, CATCH_UP.messages)),
      message: (m) => ({ ...presentAgentMessage(m as MessageRecord), contactId: (m as { contactId: string }).contactId }),
      contact: agentContact,
    };
    return sse(c, feed, after, release);
  });

  return { visitor: r, agent };
}
