// findContactsByAny (data-store.ts), the import's one read per unit for its rows' match keys, on every engine of
// helpers/engines.ts: it must answer what findContactsBy answers key by key (live contacts only, email case-insensitively).
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Store, Tx } from '../../server-stub/src/storage/store.js';
import { eachEngine } from './helpers/engines.js';

const AT = '2026-03-01T10:00:00.000Z';
async function contact(tx: Tx, id: string, cols: Parameters<Tx['updateContact']>[1]) {
  await tx.insertContact({ id, siteId: 'default', type: 'guest', timezone: null, locale: null, createdAt: AT });
  await tx.updateContact(id, { lastSeenAt: AT, ...cols });
}

eachEngine('store: findContactsByAny', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.open());
  });
  afterEach(() => dispose());

  it('answers the live contacts holding any of the keys, as findContactsBy does one key at a time', async () => {
    await store.write(async (tx) => {
      await contact(tx, 'ct_a', { email: 'Ada@Example.com', phone: '+4930123456', customerId: 'C-1' });
      await contact(tx, 'ct_b', { email: 'bob@example.com', customerId: 'c-1' });
      await contact(tx, 'ct_m', { email: 'ada@example.com' });
      await contact(tx, 'ct_x', { email: 'ada@example.com', mergedInto: 'ct_a' });
      await contact(tx, 'ct_c', { email: 'cy@example.com', phone: '+4930999' });
    });
    const ids = (cs: { id: string }[]) => cs.map((c) => c.id).sort();
    await store.read(async (r) => {
      // case-insensitive on email; a merged contact never matches; keys nobody holds add nothing
      expect(ids(await r.findContactsByAny('email', ['ADA@example.com', 'nobody@example.com', 'bob@example.com']))).toEqual(['ct_a', 'ct_b', 'ct_m']);
      for (const key of ['ADA@example.com', 'bob@example.com', 'nobody@example.com'])
        expect(ids(await r.findContactsByAny('email', [key]))).toEqual(ids(await r.findContactsBy('email', key, 10)));
      // customerId is compared exactly, phone in its stored E.164 form
      expect(ids(await r.findContactsByAny('customerId', ['C-1']))).toEqual(['ct_a']);
      expect(ids(await r.findContactsByAny('phone', ['+4930999', '+4930123456']))).toEqual(['ct_a', 'ct_c']);
      expect(await r.findContactsByAny('email', [])).toEqual([]);
    });
  });
});
