// Seeds a store with N realistic contacts, tags and custom fields (deterministic), for benchmarks and list-speed tests.
// Usage as a module: `await seed(store, { contacts: 100_000, tags: 10, fields: 5 })`;
// as a script: `npx tsx server-stub/scripts/seed.ts DATA_DIR 100000` (writes DATA_DIR/chative.sqlite).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FieldType } from '../src/domain/custom-fields.js';
import { createSqliteStore } from '../src/storage/sqlite-store.js';
import type { ImportContact, Store } from '../src/storage/store.js';

export type SeedOptions = { contacts: number; tags?: number; fields?: number; seed?: number; batch?: number };
export type SeedResult = { tagNames: string[]; fields: { key: string; type: FieldType }[]; contacts: number; ms: number };

const FIELD_PLAN: { key: string; name: string; type: FieldType; values: (r: () => number) => string }[] = [
  { key: 'plan', name: 'Plan', type: 'text', values: (r) => ['free', 'starter', 'pro', 'enterprise'][Math.floor(r() * 4)] },
  { key: 'seats', name: 'Seats', type: 'number', values: (r) => String(1 + Math.floor(r() * 50)) },
  { key: 'renewal', name: 'Renewal', type: 'date', values: (r) => new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 730) * 86_400_000).toISOString().slice(0, 10) },
  { key: 'newsletter', name: 'Newsletter', type: 'boolean', values: (r) => (r() < 0.5 ? 'true' : 'false') },
  { key: 'country', name: 'Country', type: 'text', values: (r) => ['FR', 'DE', 'US', 'GB', 'ES', 'IT', 'NL', 'BR', 'JP', 'IN'][Math.floor(r() * 10)] },
];
const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Tim', 'Edsger', 'Frances', 'John', 'Hedy', 'Donald'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'Berners-Lee', 'Dijkstra', 'Allen', 'McCarthy', 'Lamarr', 'Knuth'];

/** mulberry32: a tiny deterministic PRNG so every run seeds the same data. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills the store: 60% guests, 30% leads, 10% customers; 0-3 tags each (skewed); each field set on ~70%. */
export async function seed(store: Store, opts: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const r = rng(opts.seed ?? 42);
  const now = Date.now();
  const tagNames = Array.from({ length: opts.tags ?? 10 }, (_, i) => `tag-${i}`);
  const fields = FIELD_PLAN.slice(0, opts.fields ?? 5);
  const tagIds = await store.write(async (tx) => {
    const ids: number[] = [];
    for (const name of tagNames) ids.push(((await tx.getTagByKey(name)) ?? (await tx.createTag(name, new Date(now).toISOString()))).id);
    for (const f of fields) if (!(await tx.getField(f.key))) await tx.createField({ key: f.key, name: f.name, type: f.type, createdAt: new Date(now).toISOString() });
    return ids;
  });
  const batch = opts.batch ?? 20_000;
  for (let start = 0; start < opts.contacts; start += batch) {
    const rows: ImportContact[] = [];
    for (let i = start; i < Math.min(opts.contacts, start + batch); i++) {
      const roll = r();
      const type = roll < 0.6 ? 'guest' : roll < 0.9 ? 'lead' : 'customer';
      const first = FIRST[Math.floor(r() * FIRST.length)];
      const last = LAST[Math.floor(r() * LAST.length)];
      const known = type !== 'guest';
      const seen = now - Math.floor(r() * 365 * 86_400_000);
      const values: Record<string, string> = {};
      for (const f of fields) if (r() < 0.7) values[f.key] = f.values(r);
      const tags = new Set<number>();
      const nTags = Math.floor(r() * r() * 4);
      // skewed: low tag numbers are common, high ones rare (selective filters)
      for (let k = 0; k < nTags; k++) tags.add(tagIds[Math.floor(r() * r() * tagIds.length)]);
      rows.push({
        id: `ct_seed${String(i).padStart(8, '0')}`,
        siteId: 'default',
        type,
        name: known ? `${first} ${last}` : null,
        email: known ? `${first}.${last}.${i}@example.com`.toLowerCase() : null,
        phone: known && r() < 0.3 ? `+3361${String(i).padStart(7, '0')}` : null,
        timezone: 'Europe/Paris',
        locale: 'en',
        customerId: type === 'customer' ? `cust-${i}` : null,
        verified: type === 'customer',
        note: null,
        createdAt: new Date(seen - 86_400_000).toISOString(),
        lastSeenAt: new Date(seen).toISOString(),
        values,
        tagIds: [...tags],
      });
    }
    await store.write((tx) => tx.importContacts(rows));
  }
  await store.analyze();
  return { tagNames, fields: fields.map((f) => ({ key: f.key, type: f.type })), contacts: opts.contacts, ms: performance.now() - t0 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] ?? './data';
  const n = Number(process.argv[3] ?? 100_000);
  const store = createSqliteStore(join(dir, 'chative.sqlite'));
  const res = await seed(store, { contacts: n });
  await store.close();
  console.log(`seeded ${res.contacts} contacts, ${res.tagNames.length} tags, ${res.fields.length} fields in ${Math.round(res.ms)} ms into ${dir}`);
}
