// What every Store engine must do, written against storage/store.ts only: each engine in helpers/engines.ts runs the
// same suite (SQLite and PostgreSQL).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportContact, Store, Tx } from '../../server-stub/src/storage/store.js';
import { eachEngine } from './helpers/engines.js';

const AT = '2026-03-01T10:00:00.000Z';
const at = (minute: number) => new Date(Date.parse(AT) + minute * 60_000).toISOString();
const newContact = (tx: Tx, id: string, minute = 0) => tx.insertContact({ id, siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: at(minute) });

eachEngine('store conformance', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.open());
  });
  afterEach(() => dispose());

  describe('units of work', () => {
    it('a write commits when its function resolves and answers its value; a read sees it', async () => {
      expect(await store.write(async (tx) => { await newContact(tx, 'ct_a'); return 'done'; })).toBe('done');
      expect(await store.read((r) => r.getContact('ct_a'))).toMatchObject({ id: 'ct_a', type: 'guest', mergedInto: null, tags: [], custom: {} });
    });

    it('a write whose function rejects leaves nothing behind, cached reads included, and rejects with that error', async () => {
      await store.write((tx) => newContact(tx, 'ct_a'));
      const id = await store.write((tx) => tx.createToken({ hash: 'h-a', siteId: 'default', contactId: 'ct_a' }));
      await store.read(async (r) => { await r.getContact('ct_a'); await r.findToken('h-a'); }); // warm any cache
      const boom = new Error('boom');
      await expect(store.write(async (tx) => {
        await tx.updateContact('ct_a', { name: 'Mallory' });
        await tx.revokeToken(id);
        await newContact(tx, 'ct_b');
        expect((await tx.getContact('ct_a'))?.name).toBe('Mallory');
        throw boom;
      })).rejects.toBe(boom);
      expect((await store.read((r) => r.getContact('ct_a')))?.name).toBeNull();
      expect((await store.read((r) => r.findToken('h-a')))?.revoked).toBe(false);
      expect(await store.read((r) => r.getContact('ct_b'))).toBeUndefined();
    });

    it('a failing statement (a duplicate key) rolls the whole unit back', async () => {
      await expect(store.write(async (tx) => {
        await newContact(tx, 'ct_a');
        await tx.saveEventResult('t:1', 'ev', '{}');
        await tx.saveEventResult('t:1', 'ev', '{}');
      })).rejects.toThrow();
      expect(await store.read((r) => r.getEventResult('t:1', 'ev'))).toBeUndefined();
      expect(await store.read((r) => r.getContact('ct_a'))).toBeUndefined();
    });

    it('a savepoint that fails undoes only its own writes; the unit goes on and commits', async () => {
      await store.write(async (tx) => {
        await newContact(tx, 'ct_a');
        await expect(tx.savepoint(async (sp) => {
          await newContact(sp, 'ct_b');
          await sp.updateContact('ct_a', { name: 'inside' });
          throw new Error('only this event');
        })).rejects.toThrow('only this event');
        expect(await tx.getContact('ct_b')).toBeUndefined();
        expect(await tx.savepoint(async (sp) => { await newContact(sp, 'ct_c'); return 'kept'; })).toBe('kept');
      });
      expect((await store.read((r) => r.getContact('ct_a')))?.name).toBeNull();
      expect(await store.read((r) => r.getContact('ct_b'))).toBeUndefined();
      expect(await store.read((r) => r.getContact('ct_c'))).toBeDefined();
    });

    it('a read never sees a write in flight, even one started before it', async () => {
      const writing = store.write(async (tx) => {
        await newContact(tx, 'ct_ghost');
        for (let i = 0; i < 20; i++) await tx.getContact('ct_ghost');
        throw new Error('rolled back');
      });
      const seen = store.read((r) => r.getContact('ct_ghost'));
      await expect(writing).rejects.toThrow('rolled back');
      expect(await seen).toBeUndefined();
    });

    it('concurrent writes behave as if run one after another: no lost update', async () => {
      await store.write((tx) => tx.saveSettingsJson('counter', JSON.stringify({ n: 0 })));
      const bump = () => store.write(async (tx) => {
        const { n } = JSON.parse((await tx.getSettingsJson('counter'))!) as { n: number };
        await tx.getSettingsJson('counter');
        await tx.saveSettingsJson('counter', JSON.stringify({ n: n + 1 }));
      });
      await Promise.all(Array.from({ length: 10 }, bump));
      expect(JSON.parse((await store.read((r) => r.getSettingsJson('counter')))!)).toEqual({ n: 10 });
    });

    it('a read unit offers no writes, and a handle is dead once its unit ended', async () => {
      let kept: Tx | undefined;
      await store.read(async (r) => {
        expect((r as Partial<Tx>).insertContact).toBeUndefined();
        expect((r as Partial<Tx>).savepoint).toBeUndefined();
      });
      await store.write(async (tx) => { kept = tx; });
      await expect(kept!.getContact('ct_a')).rejects.toThrow(/ended/);
      await expect(kept!.insertContact({ id: 'ct_late', siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: AT })).rejects.toThrow(/ended/);
      expect(await store.read((r) => r.getContact('ct_late'))).toBeUndefined();
    });

    it('a write that need not wait for the disk is readable at once and durable once syncToDisk resolves', async () => {
      await store.write((tx) => tx.saveEventResult('t:1', 'ev-1', '{"ok":true}'), { syncLater: true });
      expect(await store.read((r) => r.getEventResult('t:1', 'ev-1'))).toBe('{"ok":true}');
      await expect(store.syncToDisk()).resolves.toBeUndefined();
    });

    it.runIf(engine.enforcesTransactionRule)('a unit that awaits a timer or another unit is rolled back and rejects; the store goes on', async () => {
      await expect(store.write(async (tx) => {
        await newContact(tx, 'ct_slow');
        await new Promise((r) => setTimeout(r, 5));
      })).rejects.toThrow(/outside the store/);
      await expect(store.write(async (tx) => {
        await newContact(tx, 'ct_nested');
        await store.read((r) => r.getContact('ct_nested'));
      })).rejects.toThrow(/outside the store/);
      expect(await store.read((r) => r.getContact('ct_slow'))).toBeUndefined();
      expect(await store.read((r) => r.getContact('ct_nested'))).toBeUndefined();
      await store.write((tx) => newContact(tx, 'ct_after'));
      expect(await store.read((r) => r.getContact('ct_after'))).toBeDefined();
    });
  });

  describe('records', () => {
    it('contacts: columns, custom values, tags, search terms; callers get their own copies', async () => {
      await store.write(async (tx) => {
        await tx.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: AT });
        await newContact(tx, 'ct_a');
        await tx.updateContact('ct_a', { name: 'Ada Lovelace', email: 'ada@example.com', type: 'lead', verified: true, lastSeenAt: at(5) });
        await tx.setValues('ct_a', { plan: 'pro' });
        const vip = await tx.createTag('VIP', AT);
        await tx.attachTag('ct_a', vip.id);
      });
      const c = (await store.read((r) => r.getContact('ct_a')))!;
      expect(c).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', type: 'lead', verified: true, lastSeenAt: at(5), custom: { plan: 'pro' }, tags: ['VIP'] });
      c.tags.push('changed');
      c.custom.plan = 'changed';
      expect(await store.read((r) => r.getContact('ct_a'))).toMatchObject({ tags: ['VIP'], custom: { plan: 'pro' } });
      expect((await store.read((r) => r.listContacts({ q: 'lovel' }))).map((x) => x.id)).toEqual(['ct_a']);
      expect(await store.read((r) => r.findSameDetails('ct_other', 'ADA@example.com', null))).toBe('ct_a');
      expect(await store.read((r) => r.getContactBrief('ct_a'))).toEqual({ id: 'ct_a', siteId: 'default', mergedInto: null });
      await store.write((tx) => tx.setValues('ct_a', { plan: null }));
      expect((await store.read((r) => r.getContact('ct_a')))?.custom).toEqual({});
    });

    it('lists page newest first with a cursor and count by type; tombstones are left out', async () => {
      const rows: ImportContact[] = Array.from({ length: 7 }, (_, i) => ({
        id: `ct_${i}`, siteId: 'default', type: i % 2 ? 'lead' : 'guest', name: `n${i}`, email: null, phone: null, timezone: null, locale: null,
        customerId: null, verified: false, note: null, createdAt: AT, lastSeenAt: at(i), values: {}, tagIds: [],
      }));
      await store.write((tx) => tx.importContacts(rows));
      await store.write((tx) => tx.updateContact('ct_6', { mergedInto: 'ct_5' }));
      const first = await store.read((r) => r.listContacts({ limit: 3 }));
      expect(first.map((c) => c.id)).toEqual(['ct_5', 'ct_4', 'ct_3']);
      const last = first[2];
      const next = await store.read((r) => r.listContacts({ limit: 10, after: { lastSeenAt: last.lastSeenAt, id: last.id } }));
      expect(next.map((c) => c.id)).toEqual(['ct_2', 'ct_1', 'ct_0']);
      expect(await store.read((r) => r.countContacts({}))).toEqual({ guest: 3, lead: 3, customer: 0 });
    });

    it('tokens: found by hash and id, revocation and proofs seen by the next read, unproven ones revoked together', async () => {
      await store.write((tx) => newContact(tx, 'ct_a'));
      const [a, b] = await store.write(async (tx) => [
        await tx.createToken({ hash: 'h-a', siteId: 'default', contactId: 'ct_a' }),
        await tx.createToken({ hash: 'h-b', siteId: 'default', contactId: 'ct_a' }),
      ]);
      expect(await store.read((r) => r.findToken('h-a'))).toEqual({ id: a, siteId: 'default', contactId: 'ct_a', revoked: false, provedCustomerId: null, claimedCustomerId: null });
      await store.write((tx) => tx.recordIdentify(a, 'cus-1', true));
      expect(await store.read((r) => r.findTokenById(a))).toMatchObject({ provedCustomerId: 'cus-1', claimedCustomerId: 'cus-1' });
      expect(await store.write((tx) => tx.revokeUnprovenTokens('ct_a', 'cus-1'))).toEqual([b]);
      expect((await store.read((r) => r.findToken('h-b')))?.revoked).toBe(true);
      expect((await store.read((r) => r.findToken('h-a')))?.revoked).toBe(false);
      expect(await store.read((r) => r.findToken('h-unknown'))).toBeUndefined();
    });

    it('messages: seq grows in insertion order; the conversation follows its last message; catch-up reads in order', async () => {
      await store.write(async (tx) => {
        await newContact(tx, 'ct_a');
        await tx.createConversation({ id: 'cv_a', siteId: 'default', contactId: 'ct_a', createdAt: AT });
      });
      const seqs: number[] = [];
      for (let i = 0; i < 3; i++) seqs.push((await store.write((tx) => tx.insertMessage({ conversationId: 'cv_a', author: i === 1 ? 'agent' : 'visitor', text: `m${i}`, createdAt: at(i) }))).seq);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(3);
      expect(await store.read((r) => r.getConversation('cv_a'))).toMatchObject({ lastMessageSeq: seqs[2], lastMessageAt: at(2) });
      expect((await store.read((r) => r.messagesAfter(seqs[0], 10))).map((m) => [m.seq, m.contactId])).toEqual([[seqs[1], 'ct_a'], [seqs[2], 'ct_a']]);
      expect((await store.read((r) => r.messagesForContact('ct_a', 0, 2))).map((m) => m.text)).toEqual(['m0', 'm1']);
      await store.write((tx) => tx.markConversationRead('cv_a', seqs[0]));
      expect((await store.read((r) => r.summarizeConversation('cv_a')))?.unread).toBe(1);
      await store.write((tx) => tx.markConversationRead('cv_a', 0)); // a read mark never goes back
      expect((await store.read((r) => r.getConversation('cv_a')))?.agentReadSeq).toBe(seqs[0]);
    });

    it('idempotency records: one per scope and id, pruned oldest first in bounded batches', async () => {
      await store.write((tx) => tx.saveEventResult('t:1', 'ev', '{}'));
      await expect(store.write((tx) => tx.saveEventResult('t:1', 'ev', '{"again":1}'))).rejects.toThrow();
      await store.write((tx) => tx.saveEventResult('t:2', 'ev', '{}'));
      const future = new Date(Date.now() + 60_000).toISOString();
      expect(await store.write((tx) => tx.pruneEventResults(future, 1))).toBe(1);
      expect(await store.write((tx) => tx.pruneEventResults(future, 10))).toBe(1);
      expect(await store.read((r) => r.getEventResult('t:1', 'ev'))).toBeUndefined();
    });

    it('a lookup by a value holding NUL (a hostile path or query) finds nothing and fails nothing', async () => {
      await store.write((tx) => newContact(tx, 'ct_a'));
      await store.read(async (r) => {
        expect(await r.getContact('ct_a\u0000')).toBeUndefined();
        expect(await r.getContactBrief('ct_\u0000')).toBeUndefined();
        expect(await r.getConversation('cv\u0000')).toBeUndefined();
        expect(await r.summarizeConversation('cv\u0000')).toBeUndefined();
        expect(await r.findToken('h\u0000')).toBeUndefined();
        expect(await r.getTagByKey('t\u0000')).toBeUndefined();
        expect(await r.listContacts({ q: 'a\u0000b' })).toEqual([]);
        expect(await r.countContacts({ q: 'a\u0000' })).toEqual({ guest: 0, lead: 0, customer: 0 });
        expect(await r.listContacts({ values: [{ key: 'plan', value: 'x\u0000' }] })).toEqual([]);
      });
    });

    it('settings: one JSON row per site, replaced on save', async () => {
      expect(await store.read((r) => r.getSettingsJson('default'))).toBeUndefined();
      await store.write((tx) => tx.saveSettingsJson('default', '{"a":1}'));
      await store.write((tx) => tx.saveSettingsJson('default', '{"a":2}'));
      expect(await store.read((r) => r.getSettingsJson('default'))).toBe('{"a":2}');
    });
  });
});
