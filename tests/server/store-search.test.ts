// What every Store engine must do for a search at scale (domain/conditions/plan.ts): a total is exact when a leaf's index
// bounds it, estimated from the first contacts in id order otherwise, exact again when ids are not the server's; a custom
// text value is found by its folded copy whatever its case. helpers/engines.ts runs it on SQLite and PostgreSQL.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkCondition, DEFAULT_SORT, type CheckedGroup, type SearchPlan } from '../../server-stub/src/domain/conditions/index.js';
import type { ImportContact, Store } from '../../server-stub/src/storage/store.js';
import { eachEngine } from './helpers/engines.js';
import type { ConditionGroup } from '../../widget/src/contract/zod/conditions.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const where = (w: ConditionGroup): CheckedGroup => {
  const r = checkCondition(w, (k) => ({ plan: 'text' } as const)[k as 'plan']);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.where;
};
const row = (id: string, over: Partial<ImportContact> = {}): ImportContact => ({
  id, siteId: 'default', type: 'guest', name: null, email: null, phone: null, timezone: null, locale: null, customerId: null, verified: false, note: null,
  createdAt: '2026-03-01T00:00:00.000Z', lastSeenAt: '2026-03-10T00:00:00.000Z', values: {}, tagIds: [], ...over,
});
// 2,000 contacts with server-made ids: every 5th a lead (400), every 50th tagged rare (40), every 4th on plan "PrO" in some case
const N = 2000;
const PLAN: SearchPlan = { driveMax: 100, sample: 500 };

eachEngine('store: search plan and totals at scale', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.open());
    await store.write(async (tx) => {
      await tx.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: NOW.toISOString() });
      const rare = await tx.createTag('rare', NOW.toISOString());
      await tx.importContacts(Array.from({ length: N }, (_, i) => row(`ct_${randomBytes(12).toString('base64url')}`, {
        type: i % 5 === 0 ? 'lead' : 'guest', tagIds: i % 50 === 0 ? [rare.id] : [], values: i % 4 === 0 ? { plan: ['PrO', 'pro', 'PRO'][i % 3] } : {},
      })));
    });
  });
  afterEach(() => dispose());

  it('a leaf with few candidates makes the total exact; a common condition is estimated from the sample, close to the truth', async () => {
    const rare = where({ all: [{ field: 'tags', op: 'has_any', value: ['rare'] }, { field: 'type', op: 'is', value: 'lead' }] });
    expect(await store.read((r) => r.estimateMatching(rare, NOW, PLAN))).toEqual({ n: 40, exact: true });
    const leads = where({ all: [{ field: 'type', op: 'is', value: 'lead' }] });
    const estimate = await store.read((r) => r.estimateMatching(leads, NOW, PLAN));
    expect(estimate.exact).toBe(false);
    // 500 of 2,000 read: the estimate of 400 is off by more than 30 % about once in 10^5 runs
    expect(estimate.n).toBeGreaterThan(280);
    expect(estimate.n).toBeLessThan(520);
    expect(await store.read((r) => r.countMatching(leads, NOW))).toBe(400);
    // with the default plan this table is small: exact
    expect(await store.read((r) => r.estimateMatching(leads, NOW))).toEqual({ n: 400, exact: true });
  });

  it('a custom text value is matched case-insensitively through its folded copy, driving or walking', async () => {
    const pro = where({ all: [{ field: 'custom.plan', op: 'is', value: 'pRo' }] });
    for (const plan of [PLAN, { driveMax: 1000, sample: 500 }]) {
      const found = await store.read((r) => r.searchContacts({ where: pro, now: NOW, sort: DEFAULT_SORT, limit: 1000, plan }));
      expect(found).toHaveLength(N / 4);
      expect(found.every((f) => f.contact.custom.plan === 'PrO' || f.contact.custom.plan === 'pro' || f.contact.custom.plan === 'PRO')).toBe(true);
    }
    // a value changed later is found by its new text only
    const id = (await store.read((r) => r.searchContacts({ where: pro, now: NOW, sort: DEFAULT_SORT, limit: 1, plan: PLAN })))[0].contact.id;
    await store.write((tx) => tx.setValues(id, { plan: 'Team' }));
    expect(await store.read((r) => r.countMatching(pro, NOW))).toBe(N / 4 - 1);
    expect(await store.read((r) => r.countMatching(where({ all: [{ field: 'custom.plan', op: 'is', value: 'TEAM' }] }), NOW))).toBe(1);
  });

  it('ids that are not the server\'s cannot scale a sample: the total is then counted exactly', async () => {
    // "ct_0000".."ct_0599" sort after the ~31 random ids that begin with "-" and before all others: the sample's 500th id is one of them
    await store.write((tx) => tx.importContacts(Array.from({ length: 600 }, (_, i) => row(`ct_${String(i).padStart(4, '0')}`, { type: 'lead' }))));
    const leads = where({ all: [{ field: 'type', op: 'is', value: 'lead' }] });
    expect(await store.read((db) => db.estimateMatching(leads, NOW, PLAN))).toEqual({ n: 1000, exact: true });
  });
});
