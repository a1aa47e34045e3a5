// Issue 13's store methods, second suite (data's own, beside pgteam's store-data.test.ts): on every engine of helpers/engines.ts.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachEngine } from './helpers/engines.js';
import type { ImportContact, Store } from '../../server-stub/src/storage/store.js';

const at = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString();
const row = (id: string, o: Partial<ImportContact> = {}): ImportContact => ({
  id, siteId: 'default', type: 'guest', name: null, email: null, phone: null, timezone: null, locale: null, customerId: null,
  verified: false, note: null, createdAt: at(0), lastSeenAt: at(0), values: {}, tagIds: [], ...o,
});

eachEngine('store data methods (paging, lookups, imports)', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({ store, dispose } = await engine.open()));
  afterEach(() => dispose());

  it('eraseContactData removes the contact, its values, tags, conversations, messages and idempotency rows, revokes its tokens and leaves a tombstone', async () => {
    await store.write(async (tx) => {
      await tx.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: at(0) });
      const tag = await tx.createTag('VIP', at(0));
      await tx.importContacts([row('ct_a', { type: 'lead', name: 'Ada', email: 'ada@example.com', values: { plan: 'pro' }, tagIds: [tag.id] }), row('ct_b', { email: 'ADA@example.com' })]);
      await tx.updateContact('ct_b', { possibleDuplicateOf: 'ct_a' });
      const token = await tx.createToken({ hash: 'h1', siteId: 'default', contactId: 'ct_a' });
      await tx.saveEventResult(`t:${token}`, 'ev1', '{"contact":"Ada"}');
      await tx.createConversation({ id: 'cv_1', siteId: 'default', contactId: 'ct_a', createdAt: at(1) });
      await tx.insertMessage({ conversationId: 'cv_1', author: 'visitor', text: 'hello', createdAt: at(1) });
      // a merge tombstone pointing at it
      await tx.importContacts([row('ct_t', { name: 'Old Ada' })]);
      await tx.updateContact('ct_t', { mergedInto: 'ct_a' });
    });
    const out = await store.write((tx) => tx.eraseContactData('ct_a', at(2)));
    expect(out.erasedIds.sort()).toEqual(['ct_a', 'ct_t']);
    expect(out.tokenIds.length).toBe(1);
    await store.read(async (r) => {
      expect(await r.getContact('ct_a')).toBeUndefined();
      expect(await r.getContact('ct_t')).toBeUndefined();
      expect(await r.getErased('ct_a')).toEqual({ id: 'ct_a', siteId: 'default', erasedAt: at(2) });
      expect((await r.findToken('h1'))?.revoked).toBe(true);
      expect(await r.getEventResult(`t:${out.tokenIds[0]}`, 'ev1')).toBeUndefined();
      expect(await r.getConversation('cv_1')).toBeUndefined();
      expect(await r.messagesForConversation('cv_1', 0, 10)).toEqual([]);
      expect((await r.getContact('ct_b'))?.possibleDuplicateOf).toBeNull();
      expect((await r.listTags()).map((t) => t.contactCount)).toEqual([0]);
      expect((await r.listFields()).map((f) => f.contactCount)).toEqual([0]);
    });
  });

  it('findDuplicates, findContactsBy, listStaleGuests and exportContacts answer live contacts only, in their orders', async () => {
    await store.write((tx) => tx.importContacts([
      row('ct_1', { type: 'lead', name: 'A', email: 'x@example.com', createdAt: at(1), lastSeenAt: at(1) }),
      row('ct_2', { type: 'customer', customerId: 'c2', email: 'X@Example.com', createdAt: at(2), lastSeenAt: at(2) }),
      row('ct_3', { phone: '+442079460958', lastSeenAt: at(3) }),
      row('ct_4', { lastSeenAt: at(40) }),
    ]));
    await store.write(async (tx) => {
      await tx.createConversation({ id: 'cv_3', siteId: 'default', contactId: 'ct_3', createdAt: at(3) });
      await tx.insertMessage({ conversationId: 'cv_3', author: 'visitor', text: 'hi', createdAt: at(3) });
    });
    await store.read(async (r) => {
      expect((await r.findDuplicates('ct_1', 'x@example.com', '+442079460958', 10)).map((c) => c.id)).toEqual(['ct_2', 'ct_3']);
      expect((await r.findContactsBy('email', 'X@EXAMPLE.COM', 5)).map((c) => c.id)).toEqual(['ct_1', 'ct_2']);
      expect((await r.findContactsBy('customerId', 'c2', 5)).map((c) => c.id)).toEqual(['ct_2']);
      expect((await r.findContactsBy('phone', '+442079460958', 5)).map((c) => c.id)).toEqual(['ct_3']);
      // guests only, no message, last seen before the cutoff
      expect(await r.listStaleGuests(at(30), 10)).toEqual([]);
      expect(await r.listStaleGuests(at(41), 10)).toEqual(['ct_4']);
      expect((await r.exportContacts({}, null, 2)).map((c) => c.id)).toEqual(['ct_1', 'ct_2']);
      expect((await r.exportContacts({}, 'ct_2', 10)).map((c) => c.id)).toEqual(['ct_3', 'ct_4']);
      expect((await r.exportContacts({ type: 'lead' }, null, 10)).map((c) => c.id)).toEqual(['ct_1']);
    });
  });

  it('keeps imports, their changes (newest first for undo), retention runs, and fails running imports after a restart', async () => {
    await store.write(async (tx) => {
      await tx.createImport({ id: 'im_1', match: 'email', dryRun: false, createdAt: at(0) });
      for (const c of ['ct_a', 'ct_b', 'ct_c']) await tx.recordImportChange({ jobId: 'im_1', contactId: c, created: c === 'ct_c', changesJson: `["${c}"]` });
      await tx.saveRetentionRun(at(1), 3);
      await tx.saveRetentionRun(at(2), 5);
    });
    await store.read(async (r) => {
      expect((await r.importChanges('im_1', null, 2)).map((c) => [c.contactId, c.created])).toEqual([['ct_c', true], ['ct_b', false]]);
      const first = await r.importChanges('im_1', null, 2);
      expect((await r.importChanges('im_1', first[1].seq, 5)).map((c) => c.contactId)).toEqual(['ct_a']);
      expect(await r.lastRetentionRun()).toEqual({ at: at(2), erased: 5 });
      expect(await r.getImport('im_1')).toMatchObject({ status: 'running', dryRun: false, resultJson: null });
    });
    expect(await store.write((tx) => tx.failRunningImports('{"error":1}', at(3)))).toBe(1);
    await store.write((tx) => tx.updateImport('im_1', { undoneAt: at(4) }));
    expect(await store.read((r) => r.getImport('im_1'))).toMatchObject({ status: 'failed', resultJson: '{"error":1}', finishedAt: at(3), undoneAt: at(4) });
  });
});
