// CONTRACT §7 over HTTP: POST /v1/contacts/search (conditions, sort, cursor, total), segments with live counts,
// bulk actions as durable jobs (frozen set, client-id idempotency, the actor on the change bus, resume after restart).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchResponseSchema, segmentListSchema, jobSchema, type ConditionGroup } from '../../widget/src/contract/zod/conditions.js';
import { startBulk } from '../../server-stub/src/services/bulk.js';
import type { Change } from '../../server-stub/src/services/changes.js';
import type { ImportContact, Store } from '../../server-stub/src/storage/store.js';
import { createClient } from './helpers/client.js';
import { createTestApp, useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
type Seed = Partial<ImportContact> & { id: string; tags?: string[] };
async function seed(store: Store, people: Seed[]) {
  await store.write(async (tx) => {
    const tagIds = new Map<string, number>();
    for (const p of people) for (const t of p.tags ?? []) if (!tagIds.has(t)) tagIds.set(t, ((await tx.getTagByKey(t.toLowerCase())) ?? (await tx.createTag(t, day(30)))).id);
    await tx.importContacts(people.map((p, i) => ({
      siteId: 'default', type: 'guest', name: null, email: null, phone: null, timezone: null, locale: null, customerId: null, verified: false, note: null,
      createdAt: day(20), lastSeenAt: day(i % 5), values: {}, ...p, tagIds: (p.tags ?? []).map((t) => tagIds.get(t)!),
    })));
  });
}
const search = (body: unknown) => api.agent('POST', '/v1/contacts/search', body);
const ids = (r: { json: { items: { id: string }[] } }) => r.json.items.map((c) => c.id).sort();

async function fields() {
  expect((await api.agent('POST', '/v1/custom-fields', { name: 'Plan', type: 'text' })).status).toBe(201);
  expect((await api.agent('POST', '/v1/custom-fields', { name: 'Seats', type: 'number' })).status).toBe(201);
}

describe('POST /v1/contacts/search', () => {
  it('past 10,000 contacts a common condition answers an estimated total (totalExact false), a narrow one an exact total', async () => {
    // server-shaped ids (ct_ + 16 random base64url characters): the sample of the first 10,000 in id order scales
    // 11,250 leads: more candidates than may drive (10,000), so the total is sampled
    await seed(t.store, Array.from({ length: 15_000 }, (_, i) => ({ id: `ct_${randomBytes(12).toString('base64url')}`, type: i % 4 ? 'lead' : 'guest', tags: i % 500 ? [] : ['rare'] })));
    const leads = await search({ where: { all: [{ field: 'type', op: 'is', value: 'lead' }] }, limit: 5 });
    expect(leads.status).toBe(200);
    expect(searchResponseSchema.safeParse(leads.json).success).toBe(true);
    expect(leads.json.totalExact).toBe(false);
    // 10,000 of 15,000 read: the estimate of 11,250 is within a few percent
    expect(Math.abs(leads.json.total - 11_250)).toBeLessThan(1000);
    const rare = await search({ where: { all: [{ field: 'tags', op: 'has_any', value: ['rare'] }, { field: 'type', op: 'is', value: 'guest' }] } });
    expect(rare.json).toMatchObject({ total: 30, totalExact: true });
    expect(rare.json.items).toHaveLength(30);
  }, 60_000);

  it('combines type, tags, a custom field and last seen; answers the total; schema-valid', async () => {
    await fields();
    await seed(t.store, [
      { id: 'ct_a', type: 'lead', name: 'Ann', tags: ['VIP'], values: { plan: 'Pro', seats: '12' } },
      { id: 'ct_b', type: 'lead', name: 'Bob', tags: ['vip', 'billing'], values: { plan: 'free', seats: '3' } },
      { id: 'ct_c', type: 'customer', name: 'Cy', tags: ['billing'], values: { plan: 'PRO' } },
      { id: 'ct_d', type: 'guest', lastSeenAt: day(40) },
    ]);
    const r = await search({ where: { all: [{ field: 'type', op: 'in', value: ['lead', 'customer'] }, { any: [{ field: 'custom.plan', op: 'is', value: 'pro' }, { field: 'custom.seats', op: 'lt', value: 5 }] }] } });
    expect(r.status).toBe(200);
    expect(searchResponseSchema.safeParse(r.json).success).toBe(true);
    expect(ids(r)).toEqual(['ct_a', 'ct_b', 'ct_c']);
    expect(r.json.total).toBe(3);
    expect(r.json.totalExact).toBe(true);
    expect(ids(await search({ where: { all: [{ field: 'tags', op: 'has_all', value: ['Vip', 'BILLING'] }] } }))).toEqual(['ct_b']);
    expect(ids(await search({ where: { all: [{ field: 'lastSeenAt', op: 'more_than_days_ago', value: 30 }] } }))).toEqual(['ct_d']);
    expect(ids(await search({ where: { all: [{ field: 'tags', op: 'has_none', value: ['vip'] }, { field: 'custom.seats', op: 'is_not_set' }] } }))).toEqual(['ct_c', 'ct_d']);
    const everyone = await search({});
    expect(everyone.json.total).toBe(4);
    // default order: newest activity first
    expect(everyone.json.items.map((c: { id: string }) => c.id)).toEqual(['ct_a', 'ct_b', 'ct_c', 'ct_d']);
  });

  it('pages by any sort without skipping or repeating, ties and unset values included', async () => {
    await fields();
    const people: Seed[] = [];
    for (let i = 0; i < 23; i++) people.push({ id: `ct_${String(i).padStart(2, '0')}`, name: i % 4 === 0 ? null : ['ann', 'Bob', 'ANN'][i % 3], lastSeenAt: day(i % 2), values: i % 3 ? { seats: String(i % 4) } : {} });
    await seed(t.store, people);
    for (const sort of [{ field: 'name', dir: 'asc' }, { field: 'name', dir: 'desc' }, { field: 'custom.seats', dir: 'asc' }, { field: 'lastSeenAt', dir: 'desc' }, { field: 'type', dir: 'asc' }]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await search({ sort, limit: 4, ...(cursor ? { cursor } : {}) });
        expect(r.status, JSON.stringify(sort)).toBe(200);
        seen.push(...r.json.items.map((c: { id: string }) => c.id));
        cursor = r.json.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size, JSON.stringify(sort)).toBe(23);
      expect(seen).toHaveLength(23);
    }
    // unset values come last in both directions
    const asc = await search({ sort: { field: 'name', dir: 'asc' }, limit: 200 });
    const names = asc.json.items.map((c: { name: string | null }) => c.name);
    expect(names.slice(-6)).toEqual(Array(6).fill(null));
    expect(names.slice(0, 17).map((n: string) => n.toLowerCase())).toEqual([...names.slice(0, 17)].map((n: string) => n.toLowerCase()).sort());
    // a cursor of another order is refused
    const first = await search({ sort: { field: 'name', dir: 'asc' }, limit: 2 });
    const wrong = await search({ sort: { field: 'name', dir: 'desc' }, cursor: first.json.nextCursor });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.issues[0].path).toEqual(['cursor']);
  });

  it('refuses a wrong operator, value, field, depth or size with 400 validation_failed at the leaf', async () => {
    await fields();
    const cases: [unknown, (string | number)[]][] = [
      [{ all: [{ field: 'type', op: 'is', value: 'lead' }, { field: 'custom.seats', op: 'contains', value: 'x' }] }, ['where', 'all', 1, 'op']],
      [{ all: [{ field: 'name', op: 'is', value: 'a' }, { field: 'type', op: 'is', value: 'lead' }, { field: 'custom.seats', op: 'gt', value: 'ten' }] }, ['where', 'all', 2, 'value']],
      [{ any: [{ field: 'custom.nope', op: 'is_set' }] }, ['where', 'any', 0, 'field']],
      [{ any: [{ field: 'birthday', op: 'is_set' }] }, ['where', 'any', 0, 'field']],
      [{ all: [{ field: 'lastSeenAt', op: 'on', value: '2026-02-30' }] }, ['where', 'all', 0, 'value']],
      [{ all: [{ field: 'lastSeenAt', op: 'in_last_days', value: -1 }] }, ['where', 'all', 0, 'value']],
      [{ all: [{ field: 'custom.seats', op: 'between', value: [5, 1] }] }, ['where', 'all', 0, 'value']],
      [{ all: [{ field: 'tags', op: 'has_any', value: [] }] }, ['where', 'all', 0, 'value']],
      [{ all: [{ field: 'type', op: 'is', value: 'vip' }] }, ['where', 'all', 0, 'value']],
      [{ all: [{ field: 'email', op: 'is_set', value: 'x' }] }, ['where', 'all', 0, 'value']],
      [{ all: [{ any: [{ all: [{ any: [] }] }] }] }, ['where', 'all', 0, 'any', 0, 'all', 0]],
      [{ all: Array.from({ length: 31 }, () => ({ field: 'name', op: 'is_set' })) }, ['where', 'all', 30]],
      [{ field: 'name', op: 'is_set' }, ['where']],
      [{ all: [{ field: 'name', op: 'is_set', extra: 1 }] }, ['where', 'all', 0, 'extra']],
    ];
    for (const [where, path] of cases) {
      const r = await search({ where });
      expect(r.status, JSON.stringify(where)).toBe(400);
      expect(r.json.error.code).toBe('validation_failed');
      expect(r.json.error.issues.map((i: { path: unknown }) => i.path), JSON.stringify(where)).toContainEqual(path);
    }
    // exactly 3 deep and 30 leaves are accepted
    expect((await search({ where: { all: [{ any: [{ all: Array.from({ length: 30 }, () => ({ field: 'name', op: 'is_set' })) }] }] } })).status).toBe(200);
    expect((await search({ sort: { field: 'custom.nope', dir: 'asc' } })).json.error.issues[0].path).toEqual(['sort', 'field']);
  });
});

describe('segments', () => {
  it('saved, listed with live counts, edited, searched by id, deleted; bad input changes nothing', async () => {
    await fields();
    await seed(t.store, [{ id: 'ct_a', type: 'lead' }, { id: 'ct_b', type: 'lead' }, { id: 'ct_c', type: 'customer' }]);
    const made = await api.agent('POST', '/v1/segments', { name: ' Leads ', where: { all: [{ field: 'type', op: 'is', value: 'lead' }] } });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ name: 'Leads', count: 2 });
    const bad = await api.agent('POST', '/v1/segments', { name: 'x', where: { all: [{ field: 'type', op: 'gt', value: 1 }] } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0].path).toEqual(['where', 'all', 0, 'op']);
    await seed(t.store, [{ id: 'ct_d', type: 'lead' }]);
    const list = await api.agent('GET', '/v1/segments');
    expect(segmentListSchema.parse(list.json).items.map((s) => [s.name, s.count])).toEqual([['Leads', 3]]);
    expect(ids(await search({ segmentId: made.json.id, where: { all: [{ field: 'name', op: 'is_not_set' }] } }))).toEqual(['ct_a', 'ct_b', 'ct_d']);
    const edited = await api.agent('PATCH', `/v1/segments/${made.json.id}`, { where: { any: [{ field: 'type', op: 'is', value: 'customer' }] } });
    expect(edited.json).toMatchObject({ name: 'Leads', count: 1 });
    expect((await api.agent('PATCH', `/v1/segments/${made.json.id}`, { where: { any: [{ field: 'nope', op: 'is_set' }] } })).status).toBe(400);
    expect((await api.agent('GET', '/v1/segments')).json.items[0].count).toBe(1);
    // a segment naming a deleted field matches nothing and says so
    const seats = await api.agent('POST', '/v1/segments', { name: 'Big', where: { all: [{ field: 'custom.seats', op: 'gt', value: 1 }] } });
    expect((await api.agent('DELETE', '/v1/custom-fields/seats')).status).toBeLessThan(300);
    expect((await api.agent('GET', '/v1/segments')).json.items.find((s: { id: string }) => s.id === seats.json.id)).toMatchObject({ count: 0, outdated: true });
    expect((await search({ segmentId: seats.json.id })).json.error.code).toBe('segment_outdated');
    expect((await api.agent('DELETE', `/v1/segments/${made.json.id}`)).status).toBe(204);
    expect((await api.agent('DELETE', `/v1/segments/${made.json.id}`)).status).toBe(404);
    expect((await search({ segmentId: made.json.id })).status).toBe(404);
  });
});

describe('bulk actions', () => {
  const bulk = (body: unknown) => api.agent('POST', '/v1/contacts/bulk', body);
  const job = async (id: string) => jobSchema.parse((await api.agent('GET', `/v1/jobs/${id}`)).json);

  it('tags every matching contact through the contact service (actor on the change bus); a repeated id is the same job', async () => {
    await fields();
    await seed(t.store, Array.from({ length: 30 }, (_, i) => ({ id: `ct_${String(i).padStart(2, '0')}`, type: i % 3 ? 'lead' : 'guest' } as Seed)));
    const seen: { actor: string; change: Change }[] = [];
    t.app.services.changes.on(async (_tx, changes, out) => void seen.push(...changes.map((change) => ({ actor: out.actor.kind, change }))));
    const body = { id: 'bulk-0001', where: { all: [{ field: 'type', op: 'is', value: 'lead' }] }, action: { addTag: 'Wave 1' } };
    const r = await bulk(body);
    expect(r.status).toBe(202);
    expect((await bulk(body)).json.jobId).toBe(r.json.jobId);
    await t.app.services.jobs.idle();
    expect(await job(r.json.jobId)).toMatchObject({ status: 'done', done: 20, total: 20, errorCount: 0 });
    expect(ids(await search({ where: { all: [{ field: 'tags', op: 'has_any', value: ['wave 1'] }] }, limit: 200 }))).toEqual(ids(await search({ where: body.where, limit: 200 })));
    expect(seen.filter((s) => s.change.change === 'tag_added')).toHaveLength(20);
    // the job acts as whoever asked for it: the same actor a single edit by this caller records
    expect((await api.agent('PUT', '/v1/contacts/ct_00/tags/solo')).status).toBe(200);
    const single = seen.find((s) => s.change.change === 'tag_added' && s.change.field === 'solo')!.actor;
    expect(new Set(seen.map((s) => s.actor))).toEqual(new Set([single]));
    expect((await bulk(body)).json.jobId).toBe(r.json.jobId);
    expect((await bulk({ ...body, action: { addTag: 'other' } })).status).toBe(409);

    const set = await bulk({ id: 'bulk-0002', where: { all: [] }, action: { setField: { key: 'seats', value: 7 } } });
    await t.app.services.jobs.idle();
    expect(await job(set.json.jobId)).toMatchObject({ status: 'done', total: 30 });
    expect((await search({ where: { all: [{ field: 'custom.seats', op: 'eq', value: 7 }] } })).json.total).toBe(30);
  });

  it('refuses bad actions and targets with a 400 naming the field and starts nothing', async () => {
    await fields();
    await seed(t.store, [{ id: 'ct_a' }]);
    const cases: [unknown, (string | number)[]][] = [
      [{ id: 'bulk-1000', where: { all: [] }, action: { setField: { key: 'seats', value: 'many' } } }, ['action', 'setField', 'value']],
      [{ id: 'bulk-1001', where: { all: [] }, action: { setField: { key: 'nope', value: 1 } } }, ['action', 'setField', 'key']],
      [{ id: 'bulk-1002', where: { all: [] }, action: { addTag: '   ' } }, ['action', 'addTag']],
      [{ id: 'bulk-1003', action: { addTag: 'x' } }, ['where']],
      [{ id: 'bulk-1004', where: { all: [{ field: 'type', op: 'lt', value: 1 }] }, action: { addTag: 'x' } }, ['where', 'all', 0, 'op']],
      [{ id: 'x', where: { all: [] }, action: { addTag: 'x' } }, ['id']],
    ];
    for (const [body, path] of cases) {
      const r = await bulk(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.issues.map((i: { path: unknown }) => i.path), JSON.stringify(body)).toContainEqual(path);
    }
    expect(await t.store.read((r) => r.runningJobIds())).toEqual([]);
    expect((await api.agent('GET', '/v1/jobs/job_nope')).status).toBe(404);
  });

  it('erase: an admin erases every match as one job (each then answers 410); an agent-role token is refused and nothing starts', async () => {
    await fields();
    await seed(t.store, Array.from({ length: 6 }, (_, i) => ({ id: `ct_e${i}`, type: i < 4 ? 'guest' : 'lead' } as Seed)));
    const tok = await api.agent('POST', '/v1/api-tokens', { name: 'helper', role: 'agent' });
    expect(tok.status).toBe(201);
    const where = { all: [{ field: 'type', op: 'is', value: 'guest' }] };
    const refused = await api.call('POST', '/v1/contacts/bulk', { id: 'bulk-erase-agent', where, action: { erase: true } }, tok.json.token);
    expect(refused.status).toBe(403);
    expect(await t.store.read((r) => r.runningJobIds())).toEqual([]);
    const r = await bulk({ id: 'bulk-erase-0001', where, action: { erase: true } });
    expect(r.status).toBe(202);
    await t.app.services.jobs.idle();
    expect(await job(r.json.jobId)).toMatchObject({ status: 'done', done: 4, total: 4, errorCount: 0 });
    for (let i = 0; i < 6; i++) expect((await api.agent('GET', `/v1/contacts/ct_e${i}`)).status).toBe(i < 4 ? 410 : 200);
  });

  it('acts on the set matched when it started, not on contacts that match later', async () => {
    await seed(t.store, [{ id: 'ct_a', type: 'lead' }, { id: 'ct_b', type: 'lead' }]);
    const where: ConditionGroup = { all: [{ field: 'type', op: 'is', value: 'lead' }] };
    const { checkCondition } = await import('../../server-stub/src/domain/conditions/index.js');
    const checked = checkCondition(where, () => undefined);
    if (!checked.ok) throw new Error('bad test condition');
    const { job: started } = await t.store.write((tx) => startBulk(tx, t.app.services.jobs, { id: 'bulk-frozen', where: checked.where, action: { addTag: 'frozen' }, source: where, actor: { kind: 'system' }, now: new Date() }));
    await seed(t.store, [{ id: 'ct_late', type: 'lead' }]);
    t.app.services.jobs.kick(started.id);
    await t.app.services.jobs.idle();
    expect(await job(started.id)).toMatchObject({ status: 'done', total: 2 });
    expect(ids(await search({ where: { all: [{ field: 'tags', op: 'has_any', value: ['frozen'] }] } }))).toEqual(['ct_a', 'ct_b']);
  });
});

it('a job resumes after a restart where its last committed batch stopped', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chative-jobs-'));
  try {
    const first = await createTestApp({ dataDir });
    await seed(first.store, Array.from({ length: 5 }, (_, i) => ({ id: `ct_${i}`, type: 'lead' } as Seed)));
    const { checkCondition } = await import('../../server-stub/src/domain/conditions/index.js');
    const checked = checkCondition({ all: [] }, () => undefined);
    if (!checked.ok) throw new Error('bad test condition');
    // a job that got through two items before the process died: items 1-2 were applied in that batch, so only 3-5 remain
    const { job: started } = await first.store.write((tx) => startBulk(tx, first.app.services.jobs, { id: 'bulk-restart', where: checked.where, action: { addTag: 'resumed' }, source: {}, actor: { kind: 'system' }, now: new Date() }));
    await first.store.write((tx) => tx.updateJob(started.id, { done: 2 }));
    await first.close();
    const second = await createTestApp({ dataDir });
    try {
      const api2 = createClient((p, i) => second.app.request(p, i), second.agentToken);
      // resume() runs at start: wait until this process has picked the job up and finished it
      await second.app.services.jobs.resume();
      await second.app.services.jobs.idle();
      const after = (await api2.agent('GET', `/v1/jobs/${started.id}`)).json;
      expect(after).toMatchObject({ status: 'done', done: 5, total: 5 });
      const tagged = await api2.agent('POST', '/v1/contacts/search', { where: { all: [{ field: 'tags', op: 'has_any', value: ['resumed'] }] } });
      expect(ids(tagged)).toEqual(['ct_2', 'ct_3', 'ct_4']);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
