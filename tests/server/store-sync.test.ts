// The sync write path on every engine (helpers/engines.ts): the group commit's batches — side by side on an engine that
// pipelines, in savepoints otherwise or after any failure — give the same outcome as one job after another; no unit
// holds more than 48 savepoints; what a unit reads once (webhooks, rules version) follows its own writes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbox } from '../../server-stub/src/services/changes.js';
import { createGroupCommit, NeedsSerial, type BatchFn } from '../../server-stub/src/services/group-commit.js';
import type { Store, Tx } from '../../server-stub/src/storage/store.js';
import { eachEngine } from './helpers/engines.js';

const T0 = '2026-03-01T10:00:00.000Z';

/** A job like a sync event: its own savepoint, writes keyed by its chain; `fail` throws inside the savepoint. */
function job(chain: string, id: string, steps: string[], opts: { fail?: boolean; nested?: 'ok' | 'fail'; chained?: boolean } = {}): BatchFn<string> {
  const fn: BatchFn<string> = async (tx: Tx, out: Outbox) => {
    steps.push(`${id}:1`);
    const seen = await tx.getEventResult(chain, id);
    steps.push(`${id}:2`);
    if (seen) return `dup:${seen}`;
    try {
      await tx.savepoint(async (sp) => {
        await sp.saveEventResult(chain, id, 'applied');
        if (opts.nested) {
          // like a rule's action: its failure is undone alone and the event stands
          await sp.savepoint(async (inner) => {
            await inner.saveEventResult(chain, `${id}-n`, 'nested');
            if (opts.nested === 'fail') throw new Error('action failed');
          }).catch(() => undefined);
        }
        if (opts.fail) throw new Error('refused');
      });
    } catch {
      await tx.savepoint((sp) => sp.saveEventResult(chain, id, 'rejected'));
      return 'rejected';
    }
    out.push(() => steps.push(`${id}:published`));
    return 'applied';
  };
  if (opts.chained !== false) fn.chain = chain;
  return fn;
}

eachEngine('store sync path', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.open());
  });
  afterEach(() => dispose());
  const stored = (scope: string, id: string) => store.read((r) => r.getEventResult(scope, id));

  describe('group commit', () => {
    it('jobs of different chains share one unit; on an engine that pipelines they run side by side', async () => {
      const gc = createGroupCommit(store);
      const steps: string[] = [];
      const results = await Promise.all([gc.run([job('c1', 'a', steps)]), gc.run([job('c2', 'b', steps)]), gc.run([job('c3', 'c', steps)])]);
      expect(results).toEqual([['applied'], ['applied'], ['applied']]);
      for (const [c, id] of [['c1', 'a'], ['c2', 'b'], ['c3', 'c']]) expect(await stored(c, id)).toBe('applied');
      // side by side: every chain has issued its first statement before any has its answer
      const firstAnswer = steps.findIndex((s) => s.endsWith(':2'));
      expect(steps.slice(0, firstAnswer).sort()).toEqual(store.pipelines ? ['a:1', 'b:1', 'c:1'] : ['a:1']);
      expect(gc.fallbacks()).toBe(0);
      expect(steps.filter((s) => s.endsWith(':published')).sort()).toEqual(['a:published', 'b:published', 'c:published']);
    });

    it('a refused event in a batch: the others stand, its writes are undone and its refusal stored — as if run one by one', async () => {
      const gc = createGroupCommit(store);
      const steps: string[] = [];
      const results = await Promise.all([
        gc.run([job('c1', 'a', steps)]),
        gc.run([job('c2', 'b', steps, { fail: true })]),
        gc.run([job('c3', 'c', steps)]),
      ]);
      expect(results).toEqual([['applied'], ['rejected'], ['applied']]);
      expect(await stored('c1', 'a')).toBe('applied');
      expect(await stored('c2', 'b')).toBe('rejected');
      expect(await stored('c3', 'c')).toBe('applied');
      // on an engine that pipelines, the attempt side by side was rolled back once and the batch re-ran in savepoints
      expect(gc.fallbacks()).toBe(store.pipelines ? 1 : 0);
      // only what committed is published, once
      expect(steps.filter((s) => s.endsWith(':published')).sort()).toEqual(['a:published', 'c:published']);
    });

    it("a nested savepoint (a rule's action) runs in order, and its failure is undone alone", async () => {
      const gc = createGroupCommit(store);
      const steps: string[] = [];
      const results = await Promise.all([
        gc.run([job('c1', 'a', steps, { nested: 'fail' })]),
        gc.run([job('c2', 'b', steps, { nested: 'ok' })]),
      ]);
      expect(results).toEqual([['applied'], ['applied']]);
      expect(await stored('c1', 'a-n')).toBeUndefined();
      expect(await stored('c2', 'b-n')).toBe('nested');
      expect(gc.fallbacks()).toBe(store.pipelines ? 1 : 0);
    });

    it('a job that finds it cannot run side by side (NeedsSerial) re-runs in order and is applied once', async () => {
      const gc = createGroupCommit(store);
      const steps: string[] = [];
      let attempts = 0;
      const picky: BatchFn<string> = async (tx, out, pipelined) => {
        attempts++;
        if (pipelined) throw new NeedsSerial('test');
        return job('c9', 'z', steps)(tx, out);
      };
      picky.chain = 'c9';
      const results = await Promise.all([gc.run([picky]), gc.run([job('c1', 'a', steps)])]);
      expect(results).toEqual([['applied'], ['applied']]);
      expect(await stored('c9', 'z')).toBe('applied');
      expect(attempts).toBe(store.pipelines ? 2 : 1);
    });

    it('jobs of one chain run in arrival order, never side by side; a replay in the same batch answers the first', async () => {
      const gc = createGroupCommit(store);
      const steps: string[] = [];
      const results = await Promise.all([gc.run([job('c1', 'a', steps)]), gc.run([job('c1', 'a', steps)]), gc.run([job('c1', 'b', steps)])]);
      expect(results).toEqual([['applied'], ['dup:applied'], ['applied']]);
      expect(steps.filter((s) => !s.endsWith(':published'))).toEqual(['a:1', 'a:2', 'a:1', 'a:2', 'b:1', 'b:2']);
    });

    it('no unit holds more than 48 events (each a savepoint): PostgreSQL slows down past 64 subtransactions', async () => {
      let units = 0;
      let biggest = 0;
      // the real store, counting the events each unit runs
      const counting = Object.assign(Object.create(null), store, {
        write: <T>(fn: (tx: Tx) => Promise<T>, opts?: { syncLater?: boolean }) => store.write(async (tx) => {
          units++;
          let n = 0;
          const r = await fn(Object.assign(Object.create(tx) as Tx, { savepoint: <U>(f: (t: Tx) => Promise<U>) => { n++; return tx.savepoint(f); } }));
          biggest = Math.max(biggest, n);
          return r;
        }, opts),
      }) as Store;
      const gc = createGroupCommit(counting);
      const steps: string[] = [];
      // not chained: the savepoint way from the start
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => gc.run([job(`c${i}`, `e${i}`, steps, { chained: false })])));
      expect(results.flat()).toEqual(Array(100).fill('applied'));
      expect(await stored('c99', 'e99')).toBe('applied');
      if (store.pipelines) {
        expect(biggest).toBeLessThanOrEqual(48);
        expect(units).toBeGreaterThanOrEqual(3);
      } else {
        expect(biggest).toBeGreaterThan(48); // SQLite has no such cliff: one unit, one fsync
      }
    });
  });

  describe('eventContext', () => {
    it("answers a message event's stored result, token, contact brief and conversation (given, else the latest)", async () => {
      const tokenId = await store.write(async (tx) => {
        await tx.insertContact({ id: 'ct_1', siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: T0 });
        await tx.createConversation({ id: 'cv_old', siteId: 'default', contactId: 'ct_1', createdAt: T0 });
        await tx.createConversation({ id: 'cv_new', siteId: 'default', contactId: 'ct_1', createdAt: T0 });
        await tx.insertMessage({ conversationId: 'cv_new', author: 'visitor', text: 'hi', createdAt: '2026-03-01T10:05:00.000Z' });
        return tx.createToken({ hash: 'h1', siteId: 'default', contactId: 'ct_1' });
      });
      const ctx = (q: Partial<Parameters<Tx['eventContext']>[0]> = {}) =>
        store.read((r) => r.eventContext({ scope: `t:${tokenId}`, eventId: 'ev-00001', tokenId, contactId: 'ct_1', ...q }));
      const first = await ctx();
      expect(first.seen).toBeUndefined();
      expect(first.token).toEqual(await store.read((r) => r.findTokenById(tokenId)));
      expect(first.token).toMatchObject({ id: tokenId, contactId: 'ct_1', revoked: false });
      expect(first.brief).toEqual({ id: 'ct_1', siteId: 'default', mergedInto: null });
      expect(first.conv).toEqual(await store.read((r) => r.getConversation('cv_new')));
      expect(first.conv?.lastMessageSeq).toBeGreaterThan(0);
      expect((await ctx({ conversationId: 'cv_old' })).conv).toEqual(await store.read((r) => r.getConversation('cv_old')));
      await store.write((tx) => tx.saveEventResult(`t:${tokenId}`, 'ev-00001', '{"seq":1}'));
      expect((await ctx()).seen).toBe('{"seq":1}');
      expect(await ctx({ tokenId: tokenId + 99, contactId: 'ct_none', conversationId: 'cv_none', eventId: 'ev-00002' }))
        .toEqual({ seen: undefined, token: undefined, brief: undefined, conv: undefined });
    });

    it('answers the same for calls made side by side in one write unit (PostgreSQL: one statement) as one by one', async () => {
      const tokens = await store.write(async (tx) => {
        const out: number[] = [];
        for (const i of [1, 2, 3]) {
          await tx.insertContact({ id: `ct_${i}`, siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: T0 });
          await tx.createConversation({ id: `cv_${i}`, siteId: 'default', contactId: `ct_${i}`, createdAt: T0 });
          out.push(await tx.createToken({ hash: `h${i}`, siteId: 'default', contactId: `ct_${i}` }));
        }
        await tx.saveEventResult(`t:${out[1]}`, 'ev-seen', '{"seq":7}');
        return out;
      });
      const queries: Parameters<Tx['eventContext']>[0][] = [
        { scope: `t:${tokens[0]}`, eventId: 'ev-a', tokenId: tokens[0], contactId: 'ct_1' },
        { scope: `t:${tokens[1]}`, eventId: 'ev-seen', tokenId: tokens[1], contactId: 'ct_2', conversationId: 'cv_2' },
        { scope: `t:${tokens[2]}`, eventId: 'ev-c', tokenId: tokens[2], contactId: 'ct_3', conversationId: 'cv_1' },
        { scope: 't:999', eventId: 'ev-d', tokenId: 999, contactId: 'ct_none' },
      ];
      const together = await store.write((tx) => Promise.all(queries.map((q) => tx.eventContext(q))));
      const alone: unknown[] = [];
      for (const q of queries) alone.push(await store.read((r) => r.eventContext(q)));
      expect(together).toEqual(alone);
      expect(together.map((c) => [c.token?.id, c.brief?.id, c.conv?.id, c.seen])).toEqual([
        [tokens[0], 'ct_1', 'cv_1', undefined], [tokens[1], 'ct_2', 'cv_2', '{"seq":7}'], [tokens[2], 'ct_3', 'cv_1', undefined], [undefined, undefined, undefined, undefined],
      ]);
    });
  });

  describe('visitorMessageEvent', () => {
    it("writes the message, its conversation's pointer, the contact's lastSeenAt and the stored result, and answers the contact", async () => {
      await store.write(async (tx) => {
        for (const i of [1, 2]) {
          await tx.insertContact({ id: `ct_${i}`, siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: T0 });
          await tx.createConversation({ id: `cv_${i}`, siteId: 'default', contactId: `ct_${i}`, createdAt: T0 });
        }
        await tx.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: T0 });
        await tx.setValues('ct_1', { plan: 'pro' });
        await tx.attachTag('ct_1', (await tx.createTag('VIP', T0)).id);
      });
      const at = (m: number) => `2026-03-01T10:0${m}:00.000Z`;
      // side by side, as a pipelined unit's events make them (PostgreSQL: one statement for both)
      const out = await store.write((tx) => Promise.all([1, 2].map((i) =>
        tx.visitorMessageEvent({ conversationId: `cv_${i}`, contactId: `ct_${i}`, text: `hello ${i}`, createdAt: at(i), scope: `t:${i}`, eventId: `ev-${i}` }))));
      expect(out[0].message.seq).toBeLessThan(out[1].message.seq);
      for (const [k, i] of [[0, 1], [1, 2]]) {
        const { message, contact } = out[k];
        expect(message).toEqual({ seq: message.seq, conversationId: `cv_${i}`, author: 'visitor', text: `hello ${i}`, createdAt: at(i), agentId: null, agentName: null });
        expect(contact).toEqual(await store.read((r) => r.getContact(`ct_${i}`)));
        expect(contact?.lastSeenAt).toBe(at(i));
        expect(await store.read((r) => r.getMessage(message.seq))).toEqual(message);
        expect(await store.read((r) => r.getConversation(`cv_${i}`))).toMatchObject({ lastMessageSeq: message.seq, lastMessageAt: at(i) });
        expect(JSON.parse((await stored(`t:${i}`, `ev-${i}`))!)).toEqual({ id: `ev-${i}`, status: 'applied', seq: message.seq });
      }
      expect(out[0].contact).toMatchObject({ custom: { plan: 'pro' }, tags: ['VIP'] });
      // a second time under the same event id fails (the stored result is the idempotency record) and leaves nothing
      await expect(store.write((tx) => tx.visitorMessageEvent({ conversationId: 'cv_1', contactId: 'ct_1', text: 'again', createdAt: at(5), scope: 't:1', eventId: 'ev-1' })))
        .rejects.toThrow();
      expect(await store.read((r) => r.getConversation('cv_1'))).toMatchObject({ lastMessageSeq: out[0].message.seq });
    });
  });

  describe('read once per unit', () => {
    const hook = (id: string) => ({ id, url: 'https://example.com/h', events: ['contact.created'], enabled: true, secret: 'whsec_x', createdAt: T0, failingSince: null, disabledReason: null });
    const rule = (id: string) => ({ id, name: id, enabled: true, position: 0, triggerJson: '{"on":"contact.created"}', whereJson: null, actionsJson: '[]', createdAt: T0, updatedAt: T0 });

    it("webhooks and the rules version read again after the unit's own writes", async () => {
      await store.write(async (tx) => {
        expect(await tx.listWebhooks()).toEqual([]);
        await tx.insertWebhook(hook('wh_1'));
        expect((await tx.listWebhooks()).map((w) => w.id)).toEqual(['wh_1']);
        await tx.updateWebhook('wh_1', { enabled: false });
        expect((await tx.listWebhooks())[0].enabled).toBe(false);
        await tx.deleteWebhook('wh_1');
        expect(await tx.listWebhooks()).toEqual([]);
        const v0 = await tx.rulesVersion();
        await tx.insertRule(rule('ru_1'));
        const v1 = await tx.rulesVersion();
        expect(v1).not.toBe(v0);
        await tx.deleteRule('ru_1');
        expect(await tx.rulesVersion()).not.toBe(v1);
      });
    });

    it("a savepoint rolled back takes its writes out of what the unit reads next", async () => {
      await store.write(async (tx) => {
        const v0 = await tx.rulesVersion();
        await tx.savepoint(async (sp) => {
          await sp.insertWebhook(hook('wh_2'));
          await sp.insertRule(rule('ru_2'));
          expect((await sp.listWebhooks()).map((w) => w.id)).toEqual(['wh_2']);
          expect(await sp.rulesVersion()).not.toBe(v0);
          throw new Error('undo');
        }).catch(() => undefined);
        expect(await tx.listWebhooks()).toEqual([]);
        expect(await tx.rulesVersion()).toBe(v0);
      });
    });

    it('another unit sees a committed webhook at once', async () => {
      await store.write(async (tx) => void (await tx.listWebhooks()));
      await store.write((tx) => tx.insertWebhook(hook('wh_3')));
      expect((await store.write((tx) => tx.listWebhooks())).map((w) => w.id)).toEqual(['wh_3']);
    });
  });
});
