// Bulk add-tag applied a chunk at a time (services/bulk.ts addTagBatch): every contact ends as contacts.addTag would
// leave it — one tag_added on the trail with the job's actor, the change bus told, live events after the commit —
// and the cases addTag refuses or treats specially (gone, merged, at the tag limit, already tagged) come out the same.
import { expect, it } from 'vitest';
import { BULK_KIND } from '../../server-stub/src/services/bulk.js';
import { BATCH_CHUNK } from '../../server-stub/src/services/jobs.js';
import type { Change } from '../../server-stub/src/services/changes.js';
import { LIMITS } from '../../widget/src/contract/limits.js';
import { createClient } from './helpers/client.js';
import { useTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let api: ReturnType<typeof createClient>;
useTestApp((app, client) => { t = app; api = client; });

const AT = '2026-03-01T10:00:00.000Z';
const id = (i: number) => `ct_bt${String(i).padStart(4, '0')}`;

it('tags more contacts than one chunk holds exactly as addTag does, and leaves the refusals and no-ops to it', async () => {
  const n = BATCH_CHUNK * 2 + 7;
  await t.store.write(async (tx) => {
    const many: number[] = [];
    for (let k = 0; k < LIMITS.tagsPerContact; k++) many.push((await tx.createTag(`full${k}`, AT)).id);
    await tx.importContacts(Array.from({ length: n }, (_, i) => ({
      id: id(i), siteId: 'default', type: 'lead' as const, name: `P ${i}`, email: `p${i}@example.com`, phone: null, timezone: null, locale: null,
      customerId: null, verified: false, note: null, createdAt: AT, lastSeenAt: AT, values: {}, tagIds: i === 3 ? many : [],
    })));
  });
  // the tag exists before the job: every chunk takes the set-based path (the first one included)
  expect((await api.agent('PUT', `/v1/contacts/${id(5)}/tags/Wave`)).status).toBe(200);
  const merged = id(n - 2);
  await t.store.write((tx) => tx.updateContact(merged, { mergedInto: id(0) }));
  const seen: { actor: string; change: Change }[] = [];
  t.app.services.changes.on(async (_tx, list, out) => void seen.push(...list.map((change) => ({ actor: `${out.actor.kind}:${out.actor.id ?? ''}`, change }))));
  const live: string[] = [];
  const stop = t.app.services.hub.subscribe('agent', (e) => {
    const c = e.kind === 'contact' ? (e.data as { id: string; tags: string[] }) : null;
    if (c?.tags.includes('Wave')) live.push(c.id);
  });

  const items = [...Array.from({ length: n }, (_, i) => id(i)), 'ct_nobody'];
  const { job } = await t.store.write((tx) => t.app.services.jobs.start(tx, { kind: BULK_KIND, clientId: 'bulk-tag-test-1', params: { action: { addTag: 'wave' } }, actor: { kind: 'api', id: 'tok_1' } }, (tx2, jobId) => tx2.addJobItems(jobId, items)));
  t.app.services.jobs.kick(job.id);
  await t.app.services.jobs.idle();
  stop();

  const done = (await api.agent('GET', `/v1/jobs/${job.id}`)).json;
  expect(done).toMatchObject({ status: 'done', done: items.length, total: items.length, errorCount: 3 });
  expect(done.errors.map((e: { contactId: string; code: string }) => [e.contactId, e.code]).sort()).toEqual([[id(3), 'validation_failed'], [merged, 'contact_merged'], ['ct_nobody', 'contact_not_found']].sort());
  const tagged = Array.from({ length: n }, (_, i) => id(i)).filter((x) => x !== id(3) && x !== merged && x !== id(5));
  // one tag_added per newly tagged contact, by the job's actor, with the tag's first spelling
  const added = seen.filter((s) => s.change.change === 'tag_added');
  expect(added.map((s) => s.change.contactId).sort()).toEqual(tagged.sort());
  expect(new Set(added.map((s) => `${s.actor} ${(s.change as { field?: string }).field}`))).toEqual(new Set(['api:tok_1 Wave']));
  expect(live.sort()).toEqual(tagged.sort());
  for (const x of [id(0), id(BATCH_CHUNK + 1), id(n - 1)]) {
    const c = (await api.agent('GET', `/v1/contacts/${x}`)).json;
    expect(c.tags).toEqual(['Wave']);
    const trail = (await api.agent('GET', `/v1/contacts/${x}/activity`)).json.items;
    expect(trail).toMatchObject([{ change: 'tag_added', field: 'Wave', actor: { kind: 'api', id: 'tok_1' } }]);
  }
  expect((await api.agent('GET', `/v1/contacts/${id(3)}`)).json.tags).not.toContain('Wave');
  expect((await t.store.read((r) => r.getContact(merged)))?.tags).toEqual([]);
});
