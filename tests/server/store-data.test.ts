// What every Store engine must do for issue 13 (data-store.ts: erase, duplicates, imports, retention), written against
// storage/store.ts only, on the engines of helpers/engines.ts (SQLite and PostgreSQL); the HTTP flows are in
// erase/export/import/manual-merge/retention.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store, Tx } from '../../server-stub/src/storage/store.js';
import { eachEngine } from './helpers/engines.js';
import { openPgStore, pgSkip } from './helpers/pg.js';

const AT = '2026-03-01T10:00:00.000Z';
const at = (minute: number) => new Date(Date.parse(AT) + minute * 60_000).toISOString();
async function contact(tx: Tx, id: string, minute: number, cols: Parameters<Tx['updateContact']>[1] = {}) {
  await tx.insertContact({ id, siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: at(minute) });
  await tx.updateContact(id, { lastSeenAt: at(minute), ...cols });
}

eachEngine('store: erase, duplicates, imports, retention', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.open());
  });
  afterEach(() => dispose());

  it('erase removes the contact, its tombstones, messages, values, trail; revokes live tokens; leaves tombstone records', async () => {
    const tokens = await store.write(async (tx) => {
      await tx.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: AT });
      await contact(tx, 'ct_a', 1, { name: 'Ada', email: 'ada@example.com' });
      await contact(tx, 'ct_b', 2, { name: 'Bob', mergedInto: 'ct_a' });
      await contact(tx, 'ct_c', 3, { possibleDuplicateOf: 'ct_a' });
      await tx.setValues('ct_a', { plan: 'gold' });
      const tag = await tx.createTag('VIP', AT);
      await tx.attachTag('ct_a', tag.id);
      const live = await tx.createToken({ hash: 'h1', siteId: 'default', contactId: 'ct_a' });
      const dead = await tx.createToken({ hash: 'h2', siteId: 'default', contactId: 'ct_b' });
      await tx.revokeToken(dead);
      const other = await tx.createToken({ hash: 'h3', siteId: 'default', contactId: 'ct_b' });
      await tx.saveEventResult(`t:${live}`, 'e1', '{"name":"Ada"}');
      await tx.createConversation({ id: 'cv_a', siteId: 'default', contactId: 'ct_a', createdAt: AT });
      await tx.insertMessage({ conversationId: 'cv_a', author: 'visitor', text: 'secret', createdAt: AT });
      await tx.insertActivity([{ contactId: 'ct_a', at: AT, actor: { kind: 'visitor' }, change: 'field', field: 'name', from: null, to: 'Ada' }]);
      return { live, other };
    });
    const out = await store.write((tx) => tx.eraseContactData('ct_a', at(9)));
    expect(out.erasedIds).toEqual(['ct_a', 'ct_b']);
    expect(out.tokenIds.sort((x, y) => x - y)).toEqual([tokens.live, tokens.other]);
    await store.read(async (r) => {
      expect(await r.getContact('ct_a')).toBeUndefined();
      expect(await r.getContact('ct_b')).toBeUndefined();
      expect(await r.getErased('ct_b')).toEqual({ id: 'ct_b', siteId: 'default', erasedAt: at(9) });
      expect((await r.getContact('ct_c'))?.possibleDuplicateOf).toBeNull();
      expect(await r.getConversation('cv_a')).toBeUndefined();
      expect(await r.messagesAfter(0, 10)).toEqual([]);
      expect(await r.listActivity('ct_a', null, 10)).toEqual([]);
      expect(await r.getEventResult(`t:${tokens.live}`, 'e1')).toBeUndefined();
      expect(await r.findToken('h1')).toMatchObject({ revoked: true, provedCustomerId: null, claimedCustomerId: null });
      expect((await r.listTags())[0].contactCount).toBe(0);
      expect((await r.listFields())[0].contactCount).toBe(0);
    });
  });

  it('duplicates and lookups: email any case or phone, customers first; stale guests without messages, oldest first', async () => {
    await store.write(async (tx) => {
      await contact(tx, 'ct_1', 1, { email: 'Sam@Example.com' });
      await contact(tx, 'ct_2', 2, { email: 'sam@example.COM', type: 'customer', customerId: 'c2' });
      await contact(tx, 'ct_3', 3, { phone: '+442079460958' });
      await contact(tx, 'ct_4', 4, { email: 'sam@example.com', mergedInto: 'ct_2' });
      await contact(tx, 'ct_5', 5);
      await tx.createConversation({ id: 'cv_5', siteId: 'default', contactId: 'ct_5', createdAt: AT });
      await tx.insertMessage({ conversationId: 'cv_5', author: 'visitor', text: 'hi', createdAt: AT });
    });
    await store.read(async (r) => {
      expect((await r.findDuplicates('ct_1', 'SAM@example.com', '+442079460958', 10)).map((c) => c.id)).toEqual(['ct_2', 'ct_3']);
      expect((await r.findDuplicates('ct_1', null, null, 10))).toEqual([]);
      expect((await r.findContactsBy('email', 'SAM@EXAMPLE.COM', 10)).map((c) => c.id)).toEqual(['ct_1', 'ct_2']);
      expect((await r.findContactsBy('customerId', 'c2', 10)).map((c) => c.id)).toEqual(['ct_2']);
      expect(await r.listStaleGuests(at(4), 10)).toEqual(['ct_1', 'ct_3']);
      expect((await r.exportContacts({}, 'ct_1', 2)).map((c) => c.id)).toEqual(['ct_2', 'ct_3']);
    });
  });

  it('getContacts: the ones that exist (merged included), hydrated like getContact, none for an empty list', async () => {
    await store.write(async (tx) => {
      await tx.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: AT });
      await contact(tx, 'ct_1', 1, { name: 'Ada' });
      await contact(tx, 'ct_2', 2, { mergedInto: 'ct_1' });
      await contact(tx, 'ct_3', 3);
      await tx.setValues('ct_1', { plan: 'gold' });
      await tx.attachTag('ct_1', (await tx.createTag('VIP', AT)).id);
    });
    await store.read(async (r) => {
      const got = await r.getContacts(['ct_2', 'ct_nobody', 'ct_1', 'ct_1']);
      expect(got.map((c) => c.id).sort()).toEqual(['ct_1', 'ct_2']);
      expect(got.find((c) => c.id === 'ct_1')).toEqual(await r.getContact('ct_1'));
      expect(got.find((c) => c.id === 'ct_2')).toMatchObject({ mergedInto: 'ct_1' });
      expect(await r.getContacts([])).toEqual([]);
    });
  });

  it('imports: created running, updated, changes newest first by seq, running ones failed on restart; retention runs', async () => {
    await store.write(async (tx) => {
      await tx.createImport({ id: 'im_1', match: 'email', dryRun: true, createdAt: AT });
      for (const id of ['ct_1', 'ct_2', 'ct_3']) await tx.recordImportChange({ jobId: 'im_1', contactId: id, created: id !== 'ct_2', changesJson: '[]' });
      await tx.createImport({ id: 'im_2', match: 'none', dryRun: false, createdAt: AT });
      await tx.updateImport('im_2', { status: 'done', done: 3, resultJson: '{"ok":1}', finishedAt: at(1) });
      await tx.saveRetentionRun(at(1), 4);
      await tx.saveRetentionRun(at(2), 0);
    });
    expect(await store.read((r) => r.getImport('im_1'))).toEqual({ id: 'im_1', match: 'email', dryRun: true, status: 'running', done: 0, resultJson: null, createdAt: AT, finishedAt: null, undoneAt: null });
    const all = await store.read((r) => r.importChanges('im_1', null, 10));
    expect(all.map((c) => [c.contactId, c.created])).toEqual([['ct_3', true], ['ct_2', false], ['ct_1', true]]);
    expect((await store.read((r) => r.importChanges('im_1', all[0].seq, 1))).map((c) => c.contactId)).toEqual(['ct_2']);
    expect(await store.write((tx) => tx.failRunningImports('{"error":"restart"}', at(3)))).toBe(1);
    expect(await store.read((r) => r.getImport('im_1'))).toMatchObject({ status: 'failed', resultJson: '{"error":"restart"}', finishedAt: at(3) });
    expect(await store.read((r) => r.getImport('im_2'))).toMatchObject({ status: 'done', done: 3, dryRun: false });
    expect(await store.read((r) => r.lastRetentionRun())).toEqual({ at: at(2), erased: 0 });
  });
});

// PostgreSQL only: SQLite's scrub (checkpoint TRUNCATE) is proven by erase.test.ts's file-bytes check
describe.skipIf(pgSkip)(`store: scrub on PostgreSQL${pgSkip ? ' — skipped: PostgreSQL is not installed' : ''}`, () => {
  it('scrub() vacuums the tables an erase touched, outside any unit', async () => {
    const store = await openPgStore();
    try {
      await store.write((tx) => contact(tx, 'ct_v', 1, { name: 'Vic' }));
      await store.write((tx) => tx.eraseContactData('ct_v', AT));
      const last = async () => (await store.sql`SELECT relname, last_vacuum FROM pg_stat_user_tables WHERE relname IN ('contacts', 'messages', 'activity') ORDER BY relname`)
        .map((r) => [r.relname, r.last_vacuum !== null]);
      expect(await last()).toEqual([['activity', false], ['contacts', false], ['messages', false]]);
      await store.scrub();
      expect(await last()).toEqual([['activity', true], ['contacts', true], ['messages', true]]);
    } finally {
      await store.close();
    }
  });
});
