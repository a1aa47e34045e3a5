// Bulk-seeds the same population as seed-contacts.ts into a PostgreSQL database (server stopped): 5,000 contacts a
// statement per table (arrays unnested), secondary indexes and the fill trigger off while loading, then rebuilt + ANALYZE.
import type postgres from 'postgres';
import { FIELDS, TAGS, generateContacts, type SeedContact } from './seed-contacts';

const SEEDED_TABLES = ['contacts', 'contact_tags', 'contact_values', 'contact_terms'];
const CHUNK = 5000;

/** Adds contacts number `from` .. `to`-1; answers the seconds it took. */
export async function seedContactsPg(sql: postgres.Sql, from: number, to: number): Promise<number> {
  const t0 = Date.now();
  const iso = new Date().toISOString();
  for (const f of FIELDS) await sql`INSERT INTO custom_fields (key, name, type, created_at) VALUES (${f.key}, ${f.name}, ${f.type}, ${iso}) ON CONFLICT DO NOTHING`;
  for (const t of TAGS) await sql`INSERT INTO tags (name, name_lc, created_at) VALUES (${t}, ${t}, ${iso}) ON CONFLICT DO NOTHING`;
  const tagId = new Map((await sql`SELECT id, name_lc FROM tags`).map((r) => [r.name_lc as string, r.id as number]));
  // indexes that back no constraint can go while loading (primary keys and UNIQUE stay)
  const indexes = await sql`SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relname = ANY(${SEEDED_TABLES}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`;
  for (const ix of indexes) await sql.unsafe(`DROP INDEX "${ix.name}"`);
  await sql`ALTER TABLE contact_tags DISABLE TRIGGER contact_tags_fill_seen`;
  // contact_terms carries the same copy (the seed gives it: the fill trigger would look each contact up)
  await sql`ALTER TABLE contact_terms DISABLE TRIGGER contact_terms_fill_seen`;
  let batch: SeedContact[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    const col = <K extends keyof SeedContact>(k: K) => rows.map((r) => r[k]);
    await sql`INSERT INTO contacts (id, site_id, type, name, email, phone, timezone, locale, customer_id, verified, created_at, last_seen_at, name_lc, email_lc, customer_id_lc)
      SELECT id, 'default', type, name, email, phone, 'Europe/Berlin', 'en', cid, v, ca, ls, lower(name), email, cid
      FROM unnest(${col('id')}::text[], ${col('type')}::text[], ${col('name') as string[]}::text[], ${col('email') as string[]}::text[], ${col('phone') as string[]}::text[],
                  ${col('customerId') as string[]}::text[], ${col('verified')}::int[], ${col('createdAt')}::text[], ${col('lastSeenAt')}::text[])
        AS u(id, type, name, email, phone, cid, v, ca, ls)`;
    const flat = <T>(f: (r: SeedContact) => T[]) => { const ids: string[] = []; const xs: T[] = []; for (const r of rows) for (const x of f(r)) { ids.push(r.id); xs.push(x); } return [ids, xs] as const; };
    const [tIds, tags] = flat((r) => r.tagIds.map((t) => [t, r.lastSeenAt] as const));
    if (tIds.length) await sql`INSERT INTO contact_tags (contact_id, tag_id, last_seen_at) SELECT * FROM unnest(${tIds}::text[], ${tags.map((t) => t[0])}::bigint[], ${tags.map((t) => t[1])}::text[])`;
    const [vIds, vals] = flat((r) => r.values);
    if (vIds.length) await sql`INSERT INTO contact_values (contact_id, key, value) SELECT * FROM unnest(${vIds}::text[], ${vals.map((v) => v[0])}::text[], ${vals.map((v) => v[1])}::text[])`;
    const [sIds, terms] = flat((r) => r.terms.map((t) => [t, r.lastSeenAt] as const));
    if (sIds.length) await sql`INSERT INTO contact_terms (term, contact_id, last_seen_at) SELECT * FROM unnest(${terms.map((t) => t[0])}::text[], ${sIds}::text[], ${terms.map((t) => t[1])}::text[]) ON CONFLICT DO NOTHING`;
  };
  // chunk by chunk (the PRNG is seeded per chunk: the same distribution as the SQLite seed, without 1M rows in memory)
  for (let k = from; k < to; k += CHUNK) {
    generateContacts(k, Math.min(k + CHUNK, to), (name) => tagId.get(name)!, (c) => void batch.push(c));
    await flush();
  }
  await sql`ALTER TABLE contact_tags ENABLE TRIGGER contact_tags_fill_seen`;
  await sql`ALTER TABLE contact_terms ENABLE TRIGGER contact_terms_fill_seen`;
  for (const ix of indexes) await sql.unsafe(ix.def as string);
  await sql`ANALYZE`;
  return (Date.now() - t0) / 1000;
}
