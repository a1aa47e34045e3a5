// Contact-list queries at 100k seeded contacts stay fast (indexes, selective-filter driving, cursor pages).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { measureList } from '../../server-stub/scripts/measure-list.js';
import { seed } from '../../server-stub/scripts/seed.js';
import { createSqliteStore } from '../../server-stub/src/storage/sqlite-store.js';
import type { Store } from '../../server-stub/src/storage/store.js';

const dir = mkdtempSync(join(tmpdir(), 'chative-speed-'));
let store: Store;
beforeAll(async () => {
  store = createSqliteStore(join(dir, 'chative.sqlite'));
  await seed(store, { contacts: 100_000, tags: 10, fields: 5 });
}, 180_000);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('every list/count query answers in under 150 ms (median, on a shared CI machine) at 100k contacts', async () => {
  const results = await measureList(store, 5);
  console.log('list latency at 100k contacts (median ms):\n' + results.map((r) => `  ${r.name.padEnd(32)} ${r.ms.toFixed(1)}`).join('\n'));
  for (const r of results) expect(r.ms, r.name).toBeLessThan(150);
  expect(results.find((r) => r.name === 'first page (no filter)')!.items).toBe(50);
}, 120_000);

it('filters return exactly the matching contacts (spot check against the store)', async () => {
  const page = await store.read(async (r) => r.listContacts({ tagIds: [(await r.getTagByKey('tag-9'))!.id], values: [{ key: 'plan', value: 'pro' }], limit: 1000 }));
  expect(page.length).toBeGreaterThan(0);
  for (const c of page) {
    expect(c.tags).toContain('tag-9');
    expect(c.custom.plan).toBe('pro');
  }
  const sorted = [...page].sort((a, b) => (a.lastSeenAt < b.lastSeenAt ? 1 : a.lastSeenAt > b.lastSeenAt ? -1 : a.id < b.id ? 1 : -1));
  expect(page.map((c) => c.id)).toEqual(sorted.map((c) => c.id));
});
