// The live bus across instances on one PostgreSQL (CONTRACT §10). The database stays the source of truth:
// - after a commit this instance publishes to its own hub at once and rings the others with a doorbell
//   (NOTIFY after COMMIT, outside the transaction, coalesced per tick, ids: rows can exceed NOTIFY's 8000 bytes; a new
//   message's row rides along when it fits, a hint that saves a read — see deliverNext);
// - messages reach any hub — this instance's included — only through the tailer, which reads `seq > cursor` in seq
//   order (the pg store draws seqs under a lock so they become visible in order): two delivery paths could hand a
//   stream seq 11 before 10, and its dedupe by seq would then drop 10 (research §6.2);
// - safety nets: the tailer also polls every second, and when the LISTEN connection comes back (postgres.js
//   reconnects it) everything is resynced: messages, revoked tokens, merged contacts, invalidated caches.
import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { presentConversation } from '../services/present.js';
import type { MessageRecord, Store } from '../storage/store.js';
import { createInvalidations, type Bus } from './bus.js';
import type { Hub, LiveEvent } from './hub.js';
import { trace, tracing } from './trace.js';

export const CHANNEL = 'chative';
/** NOTIFY refuses payloads of 8000 bytes and more; stay well under. */
const MAX_PAYLOAD = 7000;
const PAGE = 500;

/** One doorbell item: what changed, by id; receivers re-read the rows (a carried message row only spares the next seq's read). */
type Item =
  | ['m', Row?] // new messages: pull by seq (the row, when small, lets a receiver at seq - 1 skip the read)
  | ['c', string] // contact changed
  | ['g', string, string] // contact merged: from, into
  | ['r', number] // token revoked
  | ['v', string] // conversation summary changed
  | ['y', string, unknown] // typing (never stored; small)
  | ['i', string, string?] // a named cache is stale
  | ['e', string, LiveEvent]; // any other small event, carried whole

type Row = MessageRecord & { contactId: string };

export type PgBusOptions = { pollMs?: number; channel?: string };

export type PgBus = Bus & {
  /** Reads and publishes every message past the cursor now (tests, shutdown). */
  pull(): Promise<void>;
  /**
   * Resolves once the messages this instance published so far (its own commits, handed over after them) are on its
   * streams: at once when each was the next seq (delivered without a read), else when the tailer's read in flight is done.
   */
  delivered(): Promise<void>;
  /** The last seq this instance has published. */
  cursor(): number;
  /** Starts listening and tailing; resolves once the first LISTEN is in place. */
  start(): Promise<void>;
};

export function createPgBus(hub: Hub, store: Store, sql: postgres.Sql, opts: PgBusOptions = {}): PgBus {
  const self = randomBytes(6).toString('hex');
  const channel = opts.channel ?? CHANNEL;
  const invalidations = createInvalidations();
  let cursor = 0;
  let listening = false;
  let closed = false;
  let lastPollOk = Date.now();
  let unlisten: (() => Promise<void>) | undefined;
  let poller: NodeJS.Timeout | undefined;

  // ---- ringing: items gathered during one tick go out as one NOTIFY (after the commit that made them)
  let pending: Item[] = [];
  let flushScheduled = false;
  const ring = (item: Item) => {
    pending.push(item);
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flush);
  };
  function flush() {
    flushScheduled = false;
    const items = pending;
    pending = [];
    const seen = new Set<string>();
    let batch: Item[] = [];
    let size = 0;
    const send = () => {
      if (!batch.length) return;
      const payload = JSON.stringify({ o: self, d: batch });
      if (tracing) trace('notify', { n: batch.length });
      batch = [];
      size = 0;
      // a lost doorbell costs the others at most one poll interval (messages) or waits for their resync (the rest)
      sql`SELECT pg_notify(${channel}, ${payload})`.catch((err: Error) => console.error('live bus: NOTIFY failed', err.message));
    };
    for (let item of items) {
      let key = JSON.stringify(item);
      // NOTIFY's limit is in bytes: a long or non-Latin text can be 3 bytes a character
      let bytes = Buffer.byteLength(key);
      // a message too large to carry rings bare: the receivers read it
      if (item[0] === 'm' && bytes > MAX_PAYLOAD - 40) [item, key, bytes] = [['m'], '["m"]', 5];
      if (item[0] !== 'y' && seen.has(key)) continue;
      seen.add(key);
      if (bytes > MAX_PAYLOAD - 40) {
        console.error(`live bus: an event for other instances is too large to ring (${bytes} bytes), dropped`);
        continue;
      }
      if (size + bytes > MAX_PAYLOAD - 40) send();
      batch.push(item);
      size += bytes + 1;
    }
    send();
  }

  // ---- the tailer: single-flight; a doorbell that rings during a pull makes it run once more
  let pulling: Promise<void> | null = null;
  let again = false;
  /** Publishes the rows past the cursor, in seq order (the one place the cursor moves); answers the conversations agents should see moved. */
  function deliver(rows: Row[]): Set<string> {
    const touched = new Set<string>();
    for (const m of rows) {
      if (m.seq <= cursor) continue;
      cursor = m.seq;
      const { contactId, ...msg } = m;
      if (tracing && hub.has(`contact:${contactId}`)) trace('hub', { q: m.seq });
      hub.publish(`contact:${contactId}`, { kind: 'message', seq: m.seq, data: msg });
      if (hub.has('agent')) {
        hub.publish('agent', { kind: 'message', seq: m.seq, data: m });
        touched.add(m.conversationId);
      }
    }
    return touched;
  }
  /** The inbox row of each conversation that moved (the writer only summarised it when its own agents listened). */
  async function summarise(touched: Set<string>) {
    for (const id of touched) {
      const cv = await store.read((r) => r.summarizeConversation(id));
      if (cv) hub.publish('agent', { kind: 'conversation', data: presentConversation(cv) });
    }
  }
  /**
   * A committed row in hand (the writer's own, or carried by a doorbell) that is the very next seq is published
   * without reading the database: the cursor's own message was already published, so nothing can be skipped. Any
   * other seq (a gap: a bell still on its way, or a seq a rolled-back unit drew) goes through the read, which the
   * seq lock keeps exact. Saves a round trip on each side of a cross-instance reply (docs/BENCH.md).
   */
  function deliverNext(row: Row): boolean {
    if (row.seq !== cursor + 1) return false;
    const touched = deliver([row]);
    if (touched.size) void summarise(touched).catch((err: Error) => console.error('live bus: reading a conversation summary failed', err.message));
    return true;
  }
  async function pullOnce() {
    for (;;) {
      if (tracing) trace('pull', { from: cursor });
      const rows = await store.read((r) => r.messagesAfter(cursor, PAGE));
      if (tracing) trace('read', { q: rows.map((m) => m.seq) });
      await summarise(deliver(rows));
      if (rows.length < PAGE) return;
    }
  }
  function pull(): Promise<void> {
    if (pulling) {
      again = true;
      return pulling;
    }
    pulling = (async () => {
      try {
        do {
          again = false;
          await pullOnce();
        } while (again && !closed);
        lastPollOk = Date.now();
      } finally {
        pulling = null;
      }
    })();
    return pulling;
  }
  const pullQuietly = () => pull().catch((err: Error) => console.error('live bus: reading new messages failed (retried on the next poll)', err.message));

  // ---- receiving: items are applied in order, one doorbell after the other
  let applying: Promise<void> = Promise.resolve();
  function receive(payload: string) {
    let msg: { o: string; d: Item[] };
    try {
      msg = JSON.parse(payload);
    } catch {
      return;
    }
    if (msg.o === self || !Array.isArray(msg.d)) return;
    if (tracing) trace('bell', { n: msg.d.length });
    applying = applying.then(() => apply(msg.d)).catch((err: Error) => console.error('live bus: applying a doorbell failed', err.message));
  }
  async function apply(items: Item[]) {
    for (const item of items) {
      switch (item[0]) {
        case 'm':
          if (!item[1] || !deliverNext(item[1])) await pullQuietly();
          break;
        case 'c': {
          const c = await store.read((r) => r.getContact(item[1]));
          if (!c) break;
          // a tombstone only updates agents: the merged stream follows its 'g' item instead
          if (!c.mergedInto) hub.publish(`contact:${c.id}`, { kind: 'contact', data: c });
          hub.publish('agent', { kind: 'contact', data: c });
          break;
        }
        case 'g':
          // messages to the survivor may already have been tailed: pull first, then follow
          await pullQuietly();
          hub.publish(`contact:${item[1]}`, { kind: 'merged', into: item[2] });
          break;
        case 'r':
          hub.publish(`token:${item[1]}`, { kind: 'revoked' });
          break;
        case 'v': {
          if (!hub.has('agent')) break;
          const cv = await store.read((r) => r.summarizeConversation(item[1]));
          if (cv) hub.publish('agent', { kind: 'conversation', data: presentConversation(cv) });
          break;
        }
        case 'y':
          hub.publish(item[1], { kind: 'typing', data: item[2] });
          break;
        case 'i':
          await invalidations.run(item[1], item[2]);
          break;
        case 'e':
          hub.publish(item[1], item[2]);
          break;
      }
    }
  }

  /** After a lost LISTEN connection anything may have changed: re-read what open streams and caches depend on. */
  async function resync() {
    await pullQuietly();
    for (const topic of hub.topics('token:')) {
      const t = await store.read((r) => r.findTokenById(Number(topic.slice(6))));
      if (!t || t.revoked) hub.publish(topic, { kind: 'revoked' });
    }
    for (const topic of hub.topics('contact:')) {
      const c = await store.read((r) => r.getContactBrief(topic.slice(8)));
      if (c?.mergedInto) hub.publish(topic, { kind: 'merged', into: c.mergedInto });
    }
    await invalidations.all();
  }

  return {
    subscribe: (topic, fn) => hub.subscribe(topic, fn),
    has: (topic) => hub.has(topic),
    topics: (prefix) => hub.topics(prefix),
    closeAll: () => hub.closeAll(),
    size: () => hub.size(),
    publish(topic, e) {
      switch (e.kind) {
        case 'message': {
          // only the tailer publishes messages (in seq order); the doorbell wakes it here and elsewhere
          if (tracing) trace('commit', { q: e.seq, c: (e.data as MessageRecord).createdAt });
          const data = e.data as MessageRecord & { contactId?: string };
          const row: Row = { ...data, contactId: data.contactId ?? topic.slice(8) };
          ring(['m', row]);
          // (the agent topic's copy of a message arrives after the contact's: already delivered, nothing to read)
          if (row.seq > cursor && !deliverNext(row)) void pullQuietly();
          return;
        }
        case 'contact': {
          const id = (e.data as { id?: string }).id;
          if (id) ring(['c', id]);
          break;
        }
        case 'merged':
          ring(['g', topic.slice(8), e.into]);
          break;
        case 'revoked':
          if (topic.startsWith('token:')) ring(['r', Number(topic.slice(6))]);
          else ring(['e', topic, e]);
          break;
        case 'conversation': {
          const id = (e.data as { id?: string }).id;
          if (id) ring(['v', id]);
          break;
        }
        case 'typing':
          ring(['y', topic, e.data]);
          break;
        case 'erased':
          // small and final (the row is gone): carried whole
          ring(['e', topic, e]);
          break;
        case 'resume':
          break;
      }
      hub.publish(topic, e);
    },
    invalidate: (name, id) => ring(id === undefined ? ['i', name] : ['i', name, id]),
    onInvalidate: (name, fn) => invalidations.on(name, fn),
    // the poll is the proof of life: it fails when the database is gone, and the LISTEN must be in place
    healthy: () => !closed && listening && Date.now() - lastPollOk < Math.max(5_000, 5 * (opts.pollMs ?? 1_000)),
    cursor: () => cursor,
    pull,
    // publish() delivered a row in order or started (or re-armed) the pull that will read it: awaiting that pull suffices
    delivered: () => pulling ?? Promise.resolve(),
    async start() {
      const [row] = await sql`SELECT coalesce(max(seq), 0) AS seq FROM messages`;
      cursor = Number(row.seq);
      let first = true;
      const l = await sql.listen(channel, receive, () => {
        listening = true;
        // onlisten runs on the first LISTEN and after every reconnect: a reconnect may have lost doorbells
        if (first) first = false;
        else void resync().catch((err: Error) => console.error('live bus: resync failed', err.message));
      });
      unlisten = l.unlisten;
      poller = setInterval(() => void pullQuietly(), opts.pollMs ?? 1_000);
      poller.unref();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poller);
      if (flushScheduled) flush();
      await unlisten?.().catch(() => {});
      await pulling?.catch(() => {});
    },
  };
}
