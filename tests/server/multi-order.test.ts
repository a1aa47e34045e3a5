// Seqs become visible in seq order across instances (CONTRACT §10; research §6.1): a reader that saw seq n never later
// finds a new row below n. The pg store's guard (insertMessage draws the seq under a transaction advisory lock) is
// what makes `seq > cursor` tailing and Last-Event-ID catch-up exact; this test fails when the guard is removed,
// and its control run proves it (the same steps without the guard lose a message).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTestSwitches, type PgStore } from '../../server-stub/src/storage/pg-store.js';
import type { Tx } from '../../server-stub/src/storage/store.js';
import { openPgPeer, openPgStore, pgSkip } from './helpers/pg.js';

const AT = '2026-01-01T00:00:00.000Z';

describe.skipIf(pgSkip)(`seq visibility across instances${pgSkip ? ' — skipped: PostgreSQL is not installed (see the line printed at the start of the run)' : ''}`, () => {
  let a: PgStore;
  let b: PgStore;
  beforeAll(async () => {
    a = await openPgStore();
    b = await openPgPeer();
    await a.write(async (tx) => {
      await tx.insertContact({ id: 'ct_o', siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: AT });
      await tx.createConversation({ id: 'cv_o1', siteId: 'default', contactId: 'ct_o', createdAt: AT });
      await tx.createConversation({ id: 'cv_o2', siteId: 'default', contactId: 'ct_o', createdAt: AT });
    });
  });
  afterAll(async () => {
    pgTestSwitches.skipSeqLock = false;
    await a?.close();
    await b?.close();
  });

  const msg = (conversationId: string, text: string) => ({ conversationId, author: 'agent' as const, text, createdAt: AT });
  /** A tailer like live/pg-bus.ts: everything past its cursor, in seq order. */
  const tailer = () => {
    let cursor = 0;
    const seen: number[] = [];
    return {
      seen,
      async pull() {
        for (const m of await a.read((r) => r.messagesAfter(cursor, 1000))) {
          seen.push(m.seq);
          cursor = m.seq;
        }
      },
    };
  };

  /**
   * T1 (instance A) draws a seq and holds its commit; T2 (instance B) writes another message; a tailer reads while T1
   * is open, then again after both committed. Returns the seqs committed and the ones the tailer saw.
   */
  async function slowFirstCommit() {
    const tail = tailer();
    // start past what earlier tests wrote
    await tail.pull();
    tail.seen.length = 0;
    let inserted!: () => void;
    const t1Inserted = new Promise<void>((r) => (inserted = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t1 = a.write(async (tx: Tx) => {
      const m = await tx.insertMessage(msg('cv_o1', 'slow'));
      inserted();
      await gate;
      return m.seq;
    });
    await t1Inserted;
    let t2Done = false;
    const t2 = b.write((tx) => tx.insertMessage(msg('cv_o2', 'fast'))).then((m) => ((t2Done = true), m.seq));
    // wait for a signal, not a time: T2 either committed (no guard) or waits on the seq lock (the guard)
    for (;;) {
      if (t2Done) break;
      const [w] = await a.sql`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`;
      if (Number(w.n) > 0) break;
      await new Promise((r) => setImmediate(r));
    }
    await tail.pull();
    release();
    const committed = [await t1, await t2].sort((x, y) => x - y);
    await tail.pull();
    return { committed, seen: tail.seen };
  }

  it('a tailer reading while an earlier seq is still uncommitted misses nothing (the guard holds)', async () => {
    pgTestSwitches.skipSeqLock = false;
    const { committed, seen } = await slowFirstCommit();
    expect(seen).toEqual(committed);
  });

  it('control: the same steps without the guard lose the slow message (so the test above can fail)', async () => {
    pgTestSwitches.skipSeqLock = true;
    try {
      const { committed, seen } = await slowFirstCommit();
      expect(seen).not.toEqual(committed);
      expect(seen).toEqual([committed[1]]);
    } finally {
      pgTestSwitches.skipSeqLock = false;
    }
  });

  it('under concurrent writers on two instances with commit lags, a tailer polling throughout sees every seq once, in order', async () => {
    const tail = tailer();
    // the tailer starts past everything committed so far
    await tail.pull();
    const before = tail.seen.length;
    let writing = true;
    const polling = (async () => {
      while (writing) {
        await tail.pull();
        await new Promise((r) => setImmediate(r));
      }
    })();
    const writer = (store: PgStore, conv: string, n: number) =>
      (async () => {
        const seqs: number[] = [];
        for (let i = 0; i < n; i++) {
          // a random commit lag after the seq is drawn: the case an identity column alone gets wrong
          const lag = Math.random() < 0.3 ? Math.floor(Math.random() * 4) : 0;
          seqs.push(await store.write(async (tx) => {
            const m = await tx.insertMessage(msg(conv, `w${i}`));
            if (lag) await new Promise((r) => setTimeout(r, lag));
            return m.seq;
          }));
        }
        return seqs;
      })();
    const all = (await Promise.all([writer(a, 'cv_o1', 40), writer(b, 'cv_o2', 40), writer(a, 'cv_o2', 40), writer(b, 'cv_o1', 40)])).flat().sort((x, y) => x - y);
    writing = false;
    await polling;
    await tail.pull();
    expect(tail.seen.slice(before)).toEqual(all);
  });
});
