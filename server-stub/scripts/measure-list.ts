// Times the agent contact-list queries over HTTP-in-process against a seeded store; prints median ms per query.
// Usage: `npx tsx server-stub/scripts/measure-list.ts [contacts=100000]` (seeds a temp database first).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from '../src/app.js';
import { createSqliteStore } from '../src/storage/sqlite-store.js';
import type { Store } from '../src/storage/store.js';
import { seed } from './seed.js';

export const LIST_QUERIES: [string, string][] = [
  ['first page (no filter)', '/v1/contacts?limit=50'],
  ['type=lead', '/v1/contacts?type=lead&limit=50'],
  ['tag (common)', '/v1/contacts?tag=tag-0&limit=50'],
  ['tag (rare)', '/v1/contacts?tag=tag-9&limit=50'],
  ['two tags', '/v1/contacts?tag=tag-0&tag=tag-1&limit=50'],
  ['field.plan=pro', '/v1/contacts?field.plan=pro&limit=50'],
  ['type+tag+field', '/v1/contacts?type=customer&tag=tag-1&field.plan=enterprise&limit=50'],
  ['rare tag + rare field', '/v1/contacts?tag=tag-9&field.seats=7&field.country=JP&limit=50'],
  ['search q=grace', '/v1/contacts?q=grace&limit=50'],
  ['search q=ada.love (email)', '/v1/contacts?q=ada.love&limit=50'],
  ['search + type', '/v1/contacts?q=alan&type=customer&limit=50'],
  ['search last name q=hop', '/v1/contacts?q=hop&limit=50'],
  ['tag list with counts', '/v1/tags'],
  ['custom fields with counts', '/v1/custom-fields'],
  ['counts (no filter)', '/v1/contacts/counts'],
  ['counts (tag)', '/v1/contacts/counts?tag=tag-3'],
];

/** Median latency (ms) of each query, plus a page-20 deep-cursor walk. */
export async function measureList(store: Store, runs = 7): Promise<{ name: string; ms: number; items: number }[]> {
  const app = await createApp({ store, agentToken: 'measure-token-measure', rateLimit: 0, distDir: '/nonexistent' });
  const get = (p: string) => app.request(p, { headers: { authorization: 'Bearer measure-token-measure' } });
  const out: { name: string; ms: number; items: number }[] = [];
  for (const [name, path] of LIST_QUERIES) {
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const res = await get(path);
      const body = (await res.json()) as { items?: unknown[] };
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      items = body.items?.length ?? 0;
    }
    times.sort((a, b) => a - b);
    out.push({ name, ms: times[Math.floor(times.length / 2)], items });
  }
  // a deep page: follow the cursor 20 times
  let cursor: string | null = null;
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) {
    const res = await get(`/v1/contacts?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    cursor = ((await res.json()) as { nextCursor: string | null }).nextCursor;
  }
  out.push({ name: 'cursor page 20 (avg per page)', ms: (performance.now() - t0) / 20, items: 50 });
  app.services.limiter.stop();
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'chative-measure-'));
  const store = createSqliteStore(join(dir, 'chative.sqlite'));
  const s = await seed(store, { contacts: n });
  console.log(`seeded ${n} contacts in ${Math.round(s.ms)} ms`);
  for (const r of await measureList(store)) console.log(`${r.name.padEnd(32)} ${r.ms.toFixed(2).padStart(8)} ms  (${r.items} items)`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
