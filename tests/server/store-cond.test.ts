// What every Store engine must do for issue 12 part 1 (search, counts, segments, jobs), written against
// storage/store.ts only, with helpers/engines.ts: SQLite and PostgreSQL run the same suite.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkCondition, type CheckedGroup, type SortSpec } from '../../server-stub/src/domain/conditions/index.js';
import type { ImportContact, Store } from '../../server-stub/src/storage/store.js';
import { eachEngine } from './helpers/engines.js';
import type { ConditionGroup } from '../../widget/src/contract/zod/conditions.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const where = (w: ConditionGroup): CheckedGroup => {
  const r = checkCondition(w, (k) => ({ seats: 'number', plan: 'text' } as const)[k as 'seats' | 'plan']);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.where;
};
const row = (id: string, over: Partial<ImportContact> = {}): ImportContact => ({
  id, siteId: 'default', type: 'lead', name: null, email: null, phone: null, timezone: null, locale: null, customerId: null, verified: false, note: null,
  createdAt: '2026-03-01T00:00:00.000Z', lastSeenAt: '2026-03-10T00:00:00.000Z', values: {}, tagIds: [], ...over,
});

eachEngine('store: conditions, segments, jobs', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await engine.open());
    await store.write(async (tx) => {
      await tx.createField({ key: 'seats', name: 'Seats', type: 'number', createdAt: NOW.toISOString() });
      await tx.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: NOW.toISOString() });
      const vip = await tx.createTag('VIP', NOW.toISOString());
      await tx.importContacts([
        row('ct_a', { name: 'Ärni', values: { seats: '10', plan: 'Pro' }, tagIds: [vip.id], lastSeenAt: '2026-03-12T00:00:00.000Z' }),
        row('ct_b', { name: 'bob', values: { seats: '9' } }),
        row('ct_c', { type: 'guest', values: { seats: '100' }, lastSeenAt: '2026-03-12T00:00:00.000Z' }),
      ]);
      await tx.updateContact('ct_b', { mergedInto: 'ct_a' });
    });
  });
  afterEach(() => dispose());

  it('searchContacts: a condition, numeric comparison of stored numbers, Unicode case, tombstones left out; sort keys for the cursor', async () => {
    const gt = await store.read((r) => r.searchContacts({ where: where({ all: [{ field: 'custom.seats', op: 'gt', value: 9.5 }] }), now: NOW, sort: { field: 'custom.seats', dir: 'asc' }, limit: 10 }));
    // "100" > "10" as numbers, not as texts; ct_b (9) is below and a tombstone anyway
    expect(gt.map((x) => [x.contact.id, x.key])).toEqual([['ct_a', 10], ['ct_c', 100]]);
    expect((await store.read((r) => r.searchContacts({ where: where({ all: [{ field: 'name', op: 'starts_with', value: 'äR' }] }), now: NOW, sort: { field: 'lastSeenAt', dir: 'desc' }, limit: 10 }))).map((x) => x.contact.id)).toEqual(['ct_a']);
    // ties on last_seen_at break on the id, and the cursor continues after it
    const page1 = await store.read((r) => r.searchContacts({ now: NOW, sort: { field: 'lastSeenAt', dir: 'desc' }, limit: 1 }));
    expect(page1.map((x) => x.contact.id)).toEqual(['ct_c']);
    const page2 = await store.read((r) => r.searchContacts({ now: NOW, sort: { field: 'lastSeenAt', dir: 'desc' }, after: { value: page1[0].key, id: 'ct_c' }, limit: 5 }));
    expect(page2.map((x) => x.contact.id)).toEqual(['ct_a']);
    expect(await store.read((r) => r.countMatching(undefined, NOW))).toBe(2);
    expect(await store.read((r) => r.countMatching(where({ any: [{ field: 'tags', op: 'has_any', value: ['vip'] }, { field: 'custom.plan', op: 'is_not_set' }] }), NOW))).toBe(2);
  });

  it('a custom text folds case like JS toLowerCase (Unicode, İ to i̇), and sorts by its lower-cased bytes, unset last', async () => {
    await store.write((tx) => tx.importContacts([row('ct_d', { values: { plan: 'ÖLAF İstanbul' } })]));
    const search = (w: ConditionGroup, sort: SortSpec = { field: 'lastSeenAt', dir: 'desc' }) =>
      store.read((r) => r.searchContacts({ where: where(w), now: NOW, sort, limit: 10 }));
    expect((await search({ all: [{ field: 'custom.plan', op: 'contains', value: 'ölaf i̇st' }] })).map((x) => x.contact.id)).toEqual(['ct_d']);
    expect((await search({ all: [{ field: 'custom.plan', op: 'is', value: 'öLaF i̇STANBUL' }] })).map((x) => x.contact.id)).toEqual(['ct_d']);
    expect(await store.read((r) => r.countMatching(where({ all: [{ field: 'custom.plan', op: 'starts_with', value: 'Ö' }] }), NOW))).toBe(1);
    // 'pro' (0x70…) before 'ölaf…' (0xc3…) by bytes, whatever a linguistic collation would say
    const sorted = await search({ all: [] }, { field: 'custom.plan', dir: 'asc' as const });
    expect(sorted.map((x) => [x.contact.id, x.key])).toEqual([['ct_a', 'pro'], ['ct_d', 'ölaf i̇stanbul'], ['ct_c', null]]);
  });

  it('segments: create, update, list, delete', async () => {
    await store.write((tx) => tx.createSegment({ id: 'sg_1', name: 'B', whereJson: '{"all":[]}', createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() }));
    await store.write((tx) => tx.createSegment({ id: 'sg_2', name: 'A', whereJson: '{"any":[]}', createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() }));
    await store.write((tx) => tx.updateSegment('sg_1', { whereJson: '{"all":[{"field":"name","op":"is_set"}]}', updatedAt: '2026-03-16T00:00:00.000Z' }));
    expect((await store.read((r) => r.listSegments())).map((s) => s.name)).toEqual(['A', 'B']);
    expect(await store.read((r) => r.getSegment('sg_1'))).toMatchObject({ name: 'B', whereJson: '{"all":[{"field":"name","op":"is_set"}]}', updatedAt: '2026-03-16T00:00:00.000Z' });
    await store.write((tx) => tx.deleteSegment('sg_1'));
    expect(await store.read((r) => r.getSegment('sg_1'))).toBeUndefined();
  });

  it('jobs: freeze the matching ids in order, page items, record progress, find by client id; a client id is unique', async () => {
    const total = await store.write(async (tx) => {
      await tx.createJob({ id: 'job_1', kind: 'bulk', clientId: 'client-1', paramsJson: '{}', actorJson: '{"kind":"system"}', createdAt: NOW.toISOString() });
      return tx.freezeMatching('job_1', undefined, NOW);
    });
    expect(total).toBe(2);
    expect(await store.read((r) => r.jobItems('job_1', 0, 10))).toEqual([{ seq: 1, item: 'ct_a' }, { seq: 2, item: 'ct_c' }]);
    expect(await store.read((r) => r.jobItems('job_1', 1, 10))).toEqual([{ seq: 2, item: 'ct_c' }]);
    expect(await store.write((tx) => tx.addJobItems('job_1', ['x', 'y']))).toBe(4);
    await store.write((tx) => tx.updateJob('job_1', { done: 2, errorCount: 1, errors: [{ code: 'c', message: 'm', contactId: 'ct_a' }] }));
    expect(await store.read((r) => r.getJobByClientId('client-1'))).toMatchObject({ id: 'job_1', status: 'running', done: 2, total: 4, errorCount: 1, errors: [{ code: 'c', message: 'm', contactId: 'ct_a' }] });
    expect(await store.read((r) => r.runningJobIds())).toEqual(['job_1']);
    await store.write(async (tx) => { await tx.updateJob('job_1', { status: 'done', finishedAt: NOW.toISOString(), resultJson: '{"ok":1}' }); await tx.dropJobItems('job_1'); });
    expect(await store.read((r) => r.runningJobIds())).toEqual([]);
    expect(await store.read((r) => r.jobItems('job_1', 0, 10))).toEqual([]);
    await expect(store.write((tx) => tx.createJob({ id: 'job_2', kind: 'bulk', clientId: 'client-1', paramsJson: '{}', actorJson: '{}', createdAt: NOW.toISOString() }))).rejects.toThrow();
  });
});
