// The PostgreSQL live bus (live/pg-bus.ts) between two "instances" in one process: two stores on one database, a bus
// and a hub each. A committed message carried by the doorbell is delivered without a read when it is the next seq
// (the cross-instance fast path); any gap — a message no bell announced, a seq a rolled-back unit drew, a message
// too large to carry — goes through the read by seq, and every stream still sees every seq once, in order.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type LiveEvent } from '../../server-stub/src/live/hub.js';
import { createPgBus, type PgBus } from '../../server-stub/src/live/pg-bus.js';
import type { PgStore } from '../../server-stub/src/storage/pg-store.js';
import type { MessageRecord, Store } from '../../server-stub/src/storage/store.js';
import { openPgPeer, openPgStore, pgSkip } from './helpers/pg.js';

const AT = '2026-01-01T00:00:00.000Z';
const SKIP = pgSkip ? ' — skipped: PostgreSQL is not installed (see the line printed at the start of the run)' : '';

/** A store that counts the tailer's reads of new messages (the round trip the fast path saves). */
function counting(store: PgStore) {
  let reads = 0;
  const wrapped: Store = {
    ...store,
    read: (fn) => store.read((r) => fn(new Proxy(r, { get: (t, k) => (k === 'messagesAfter' && reads++, Reflect.get(t, k)) }))),
  };
  return { store: wrapped, reads: () => reads };
}

describe.skipIf(pgSkip)(`live bus on PostgreSQL${SKIP}`, () => {
  let a: PgStore;
  let b: PgStore;
  let channel = 0;
  const buses: PgBus[] = [];
  beforeAll(async () => {
    a = await openPgStore();
    b = await openPgPeer();
    await a.write(async (tx) => {
      await tx.insertContact({ id: 'ct_b', siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: AT });
      await tx.createConversation({ id: 'cv_b', siteId: 'default', contactId: 'ct_b', createdAt: AT });
    });
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((x) => x.close()));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  /** Two buses on their own channel (tests do not hear each other); the poll is off so only doorbells and reads act. */
  async function pair() {
    const name = `bus_test_${process.pid}_${channel++}`;
    const countedA = counting(a);
    const hubA = createHub();
    const busA = createPgBus(hubA, countedA.store, a.sql, { channel: name, pollMs: 3_600_000 });
    const busB = createPgBus(createHub(), b, b.sql, { channel: name, pollMs: 3_600_000 });
    buses.push(busA, busB);
    await Promise.all([busA.start(), busB.start()]);
    const seen: number[] = [];
    const texts: string[] = [];
    const data: unknown[] = [];
    hubA.subscribe('contact:ct_b', (e: LiveEvent) => {
      if (e.kind !== 'message') return;
      seen.push(e.seq);
      texts.push((e.data as MessageRecord).text);
      data.push(e.data);
    });
    /** Resolves once A's stream has seen `seq`. */
    const until = (seq: number) =>
      new Promise<void>((resolve) => {
        if (seen.includes(seq)) return resolve();
        const off = hubA.subscribe('contact:ct_b', (e) => {
          if (e.kind === 'message' && e.seq === seq) {
            off();
            resolve();
          }
        });
      });
    return { busA, busB, hubA, readsA: countedA.reads, seen, texts, data, until };
  }

  /** What a reply on instance B does: commit, then publish (the outbox). */
  async function replyOnB(bus: PgBus, text: string) {
    const m = await b.write((tx) => tx.insertMessage({ conversationId: 'cv_b', author: 'agent', text, createdAt: AT }));
    bus.publish('contact:ct_b', { kind: 'message', seq: m.seq, data: m });
    return m.seq;
  }

  it('a reply committed on B reaches A\'s stream from the doorbell alone, without A reading the database', async () => {
    const p = await pair();
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) {
      seqs.push(await replyOnB(p.busB, `fast ${i}`));
      await p.until(seqs[i]);
    }
    expect(p.seen).toEqual(seqs);
    expect(p.texts).toEqual(['fast 0', 'fast 1', 'fast 2', 'fast 3', 'fast 4']);
    expect(p.readsA()).toBe(0);
    // what the doorbell carried is exactly what a read would have published
    const read = await a.read((r) => r.messagesAfter(seqs[0] - 1, 10));
    expect(p.data).toEqual(read.map(({ contactId: _, ...m }) => m));
  });

  it('the writer hands its own next message to its streams and the agent stream without a read', async () => {
    const p = await pair();
    const agent: number[] = [];
    p.hubA.subscribe('agent', (e) => void (e.kind === 'message' && agent.push(e.seq)));
    // what conversations.ts does on A after the commit when an agent listens: the contact's topic, then the agent's
    const m = await a.write((tx) => tx.insertMessage({ conversationId: 'cv_b', author: 'visitor', text: 'own', createdAt: AT }));
    p.busA.publish('contact:ct_b', { kind: 'message', seq: m.seq, data: m });
    p.busA.publish('agent', { kind: 'message', seq: m.seq, data: { ...m, contactId: 'ct_b' } });
    expect(p.seen).toEqual([m.seq]);
    expect(agent).toEqual([m.seq]);
    expect(p.readsA()).toBe(0);
  });

  it("delivered(): at once, without a read, when the writer's own row was the next seq; after a gap, once the read put it on the stream", async () => {
    const p = await pair();
    const own = await a.write((tx) => tx.insertMessage({ conversationId: 'cv_b', author: 'visitor', text: 'own next', createdAt: AT }));
    p.busA.publish('contact:ct_b', { kind: 'message', seq: own.seq, data: own });
    await p.busA.delivered();
    expect(p.seen).toEqual([own.seq]);
    expect(p.readsA()).toBe(0);
    // committed on B with no bell: A's next own row is not the next seq, so only the read can deliver it (after the gap)
    const silent = (await b.write((tx) => tx.insertMessage({ conversationId: 'cv_b', author: 'agent', text: 'silent', createdAt: AT }))).seq;
    const mine = await a.write((tx) => tx.insertMessage({ conversationId: 'cv_b', author: 'visitor', text: 'own after a gap', createdAt: AT }));
    p.busA.publish('contact:ct_b', { kind: 'message', seq: mine.seq, data: mine });
    await p.busA.delivered();
    expect(p.seen).toEqual([own.seq, silent, mine.seq]);
    expect(p.readsA()).toBeGreaterThan(0);
  });

  it('a message no doorbell announced is read first: the carried next one never skips it', async () => {
    const p = await pair();
    // committed on B without a publish (as if its bell were lost): A's cursor stays behind it
    const silent = (await b.write((tx) => tx.insertMessage({ conversationId: 'cv_b', author: 'agent', text: 'silent', createdAt: AT }))).seq;
    const rung = await replyOnB(p.busB, 'rung');
    await p.until(rung);
    expect(p.seen).toEqual([silent, rung]);
    expect(p.readsA()).toBeGreaterThan(0);
  });

  it('a seq drawn by a unit that rolled back leaves a gap the read steps over, in order', async () => {
    const p = await pair();
    const first = await replyOnB(p.busB, 'before rollback');
    await p.until(first);
    await expect(b.write(async (tx) => {
      await tx.insertMessage({ conversationId: 'cv_b', author: 'agent', text: 'rolled back', createdAt: AT });
      throw new Error('abort the unit');
    })).rejects.toThrow('abort the unit');
    const after = [await replyOnB(p.busB, 'after 1'), await replyOnB(p.busB, 'after 2')];
    await p.until(after[1]);
    expect(after[0]).toBeGreaterThan(first + 1);
    expect(p.seen).toEqual([first, ...after]);
    expect(p.texts).not.toContain('rolled back');
  });

  it('a message too large to carry in a NOTIFY rings bare and is read (multi-byte text counted in bytes)', async () => {
    const p = await pair();
    const big = 'é'.repeat(4000); // 4,000 characters, 8,000 bytes: over NOTIFY's limit only when counted in bytes
    const seq = await replyOnB(p.busB, big);
    await p.until(seq);
    expect(p.texts).toEqual([big]);
    expect(p.readsA()).toBeGreaterThan(0);
  });
});
