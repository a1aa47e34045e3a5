// The contact list's q= search on both engines, page by page through cursors against a brute-force answer: on
// PostgreSQL a prefix few contacts hold walks its terms newest-first through contact_terms' copy of last_seen_at
// (pglist, issue 14), so the copy must follow every change (seen again, renamed, merged) and a contact whose several
// terms share the prefix must come once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rng } from '../../server-stub/scripts/seed.js';
import { searchTerms } from '../../server-stub/src/domain/search-terms.js';
import type { ContactFilter, ImportContact, Store } from '../../server-stub/src/storage/store.js';
import type { ContactType } from '../../server-stub/src/domain/contact-type.js';
import { eachEngine } from './helpers/engines.js';
import { pageAll } from './helpers/list-paging.js';

type Model = { id: string; type: ContactType; name: string; email: string; lastSeenAt: string; tags: Set<number>; merged: boolean };

const N = 3000;
// "Anna Annik" has four terms starting "ann" (name, two words, email): the walk must answer her once
const FIRST = ['Anna', 'Annika', 'Bob', 'Carla', 'Dario', 'Eve'];
const LAST = ['Annik', 'Berg', 'Holm', 'Stone', 'Moss'];
const iso = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

eachEngine('contact list, q= walk', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  const r = rng(23);
  const models = new Map<string, Model>();
  let A = 0, B = 0;

  const expected = (f: ContactFilter): string[] => {
    const [lo, hi] = f.q ? [f.q.toLowerCase(), f.q.toLowerCase() + '\u{10FFFF}'] : ['', ''];
    return [...models.values()]
      .filter((m) => !m.merged && (!f.type || m.type === f.type) && (f.tagIds ?? []).every((t) => m.tags.has(t))
        && (!f.q || searchTerms({ name: m.name, email: m.email }).some((t) => t >= lo && t < hi)))
      .sort((a, b) => (a.lastSeenAt !== b.lastSeenAt ? (a.lastSeenAt < b.lastSeenAt ? 1 : -1) : a.id < b.id ? 1 : -1))
      .map((m) => m.id);
  };
  const paged = (f: ContactFilter, limit: number) => pageAll(store, f, limit, 1000);
  const filters = (): [string, ContactFilter][] => [
    ['prefix of several terms', { q: 'ann' }],
    ['whole word', { q: 'stone' }],
    ['email prefix', { q: 'carla.holm' }],
    ['prefix + type', { q: 'ann', type: 'lead' }],
    ['prefix + tag', { q: 'ann', tagIds: [A] }],
    ['prefix + two tags', { q: 'bob', tagIds: [A, B] }],
    ['one tag', { tagIds: [B] }],
  ];
  const checkAll = async (limit: number) => {
    for (const [name, f] of filters()) {
      const want = expected(f);
      expect(want.length, name).toBeGreaterThan(limit);
      expect(await paged(f, limit), name).toEqual(want);
    }
  };

  beforeAll(async () => {
    ({ store, dispose } = await engine.open());
    await store.write(async (tx) => {
      A = (await tx.createTag('alpha', iso(0))).id;
      B = (await tx.createTag('beta', iso(0))).id;
    });
    const rows: ImportContact[] = [];
    for (let i = 0; i < N; i++) {
      const type: ContactType = r() < 0.5 ? 'guest' : 'lead';
      const tags = new Set<number>();
      if (r() < 0.5) tags.add(A);
      if (r() < 0.4) tags.add(B);
      const first = FIRST[Math.floor(r() * FIRST.length)], last = LAST[Math.floor(r() * LAST.length)];
      // few distinct seconds: many contacts share a last_seen_at, so the id tie-break is exercised
      const m: Model = { id: `ct_w${String(i).padStart(5, '0')}`, type, name: `${first} ${last}`, email: `${first}.${last}${i}@example.com`.toLowerCase(), lastSeenAt: iso(Math.floor(r() * 500)), tags, merged: false };
      models.set(m.id, m);
      rows.push({
        id: m.id, siteId: 'default', type, name: m.name, email: m.email, phone: null, timezone: null, locale: null, customerId: null, verified: false,
        note: null, createdAt: iso(0), lastSeenAt: m.lastSeenAt, values: {}, tagIds: [...tags],
      });
    }
    await store.write((tx) => tx.importContacts(rows));
    await store.analyze();
  }, 60_000);
  afterAll(async () => dispose?.());

  it('a prefix pages through exactly the brute-force answer, in list order, each contact once', async () => {
    await checkAll(23);
  }, 60_000);

  it('stays exact after contacts are seen again, renamed and merged', async () => {
    const ids = [...models.keys()];
    const any = () => models.get(ids[Math.floor(r() * ids.length)])!;
    for (let k = 0; k < 200; k++) {
      const m = any();
      m.lastSeenAt = iso(1000 + Math.floor(r() * 20)); // seen again: moves to the top of every list it is in
      await store.write((tx) => tx.updateContact(m.id, { lastSeenAt: m.lastSeenAt }));
    }
    for (let k = 0; k < 60; k++) {
      const m = any();
      m.name = `${FIRST[Math.floor(r() * FIRST.length)]} ${LAST[Math.floor(r() * LAST.length)]}`;
      m.lastSeenAt = iso(2000 + k); // renamed and seen in one change: the new terms must carry the new time
      await store.write((tx) => tx.updateContact(m.id, { name: m.name, lastSeenAt: m.lastSeenAt }));
    }
    for (let k = 0; k < 50; k++) {
      const m = any();
      m.merged = true;
      await store.write((tx) => tx.updateContact(m.id, { mergedInto: ids[0] }));
    }
    await checkAll(17);
  }, 60_000);
});
