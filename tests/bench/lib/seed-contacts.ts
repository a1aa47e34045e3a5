// Bulk-seeds contacts straight into the server's SQLite file (server stopped), in one transaction
// with the secondary indexes dropped and rebuilt: 1M contacts in about a minute instead of hours.
import Database from 'better-sqlite3';
import { searchTerms } from '../../../server-stub/src/domain/search-terms';
import { randomBytes } from 'node:crypto';

export const TAGS = ['vip', 'newsletter', 'trial', 'churn-risk', 'enterprise', 'beta', 'partner', 'support', 'billing', 'onboarding'];
const TAG_P = [0.05, 0.3, 0.15, 0.08, 0.04, 0.1, 0.02, 0.2, 0.12, 0.25];
export const FIELDS = [
  { key: 'plan', name: 'Plan', type: 'text' },
  { key: 'seats', name: 'Seats', type: 'number' },
  { key: 'renewal', name: 'Renewal', type: 'date' },
  { key: 'marketing', name: 'Marketing OK', type: 'boolean' },
  { key: 'company', name: 'Company', type: 'text' },
] as const;
export const PLANS = ['free', 'starter', 'pro', 'enterprise'];
export const FIRST = ['anna', 'ben', 'chloe', 'david', 'emma', 'felix', 'grace', 'hugo', 'iris', 'jonas', 'kate', 'leo', 'mia', 'noah', 'olga', 'paul', 'quinn', 'rosa', 'sam', 'tina'];
export const LAST = ['smith', 'jones', 'meyer', 'garcia', 'rossi', 'dubois', 'kim', 'novak', 'silva', 'berg', 'ward', 'lopez', 'fischer', 'moreau', 'costa', 'larsen', 'young', 'khan', 'ito', 'walsh'];
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka'];

// The server's seeder owns the PRNG, so both seed the same kind of population.
import { rng as createRandom } from '../../../server-stub/scripts/seed';
export { createRandom };

// contact_terms is what `q=` searches: without it every search would answer an empty page, fast and wrong.
const SEEDED_TABLES = ['contacts', 'contact_tags', 'contact_values', 'contact_terms'];

/** Adds contacts number `from` .. `to`-1 to the database file; answers the seconds it took. */
export function seedContacts(file: string, from: number, to: number): number {
  const t0 = Date.now();
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144'); // 256 MB page cache while seeding
  const iso = new Date().toISOString();

  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${SEEDED_TABLES.map(() => '?').join(',')})`).all(...SEEDED_TABLES) as { name: string; sql: string }[];
  db.transaction(() => {
    for (const f of FIELDS) db.prepare('INSERT OR IGNORE INTO custom_fields (key, name, type, created_at) VALUES (?, ?, ?, ?)').run(f.key, f.name, f.type, iso);
    for (const t of TAGS) db.prepare('INSERT OR IGNORE INTO tags (name, name_lc, created_at) VALUES (?, ?, ?)').run(t, t, iso);
  })();
  const tagId = new Map((db.prepare('SELECT id, name_lc FROM tags').all() as { id: number; name_lc: string }[]).map((r) => [r.name_lc, r.id]));

  const insContact = db.prepare(`INSERT INTO contacts (id, site_id, type, name, email, phone, timezone, locale, customer_id, verified, created_at, last_seen_at, name_lc, email_lc, customer_id_lc)
    VALUES (?, 'default', ?, ?, ?, ?, 'Europe/Berlin', 'en', ?, ?, ?, ?, ?, ?, ?)`);
  // last_seen_at is the list-order copy the tag walk reads (schema 5); given here, the fill trigger skips
  const insTag = db.prepare('INSERT INTO contact_tags (contact_id, tag_id, last_seen_at) VALUES (?, ?, ?)');
  const insValue = db.prepare('INSERT INTO contact_values (contact_id, key, value, value_lc) VALUES (?, ?, ?, ?)');
  const insTerm = db.prepare('INSERT OR IGNORE INTO contact_terms (term, contact_id) VALUES (?, ?)');
  db.transaction(() => {
    for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
    generateContacts(from, to, (name) => tagId.get(name)!, (c) => {
      insContact.run(c.id, c.type, c.name, c.email, c.phone, c.customerId, c.verified, c.createdAt, c.lastSeenAt, c.name?.toLowerCase() ?? null, c.email, c.customerId);
      for (const term of c.terms) insTerm.run(term, c.id);
      for (const t of c.tagIds) insTag.run(c.id, t, c.lastSeenAt);
      for (const [k, v] of c.values) insValue.run(c.id, k, v, v.toLowerCase());
    });
    for (const ix of indexes) db.exec(ix.sql);
  })();
  db.close();
  return (Date.now() - t0) / 1000;
}

export type SeedContact = {
  id: string; type: string; name: string | null; email: string | null; phone: string | null; customerId: string | null; verified: number;
  createdAt: string; lastSeenAt: string; terms: string[]; tagIds: number[]; values: [string, string][];
};

/** The seeded population, contact by contact, the same for every engine (seeded PRNG per range). */
export function generateContacts(from: number, to: number, tagIdOf: (name: string) => number, each: (c: SeedContact) => void): void {
  const rnd = createRandom(from + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const now = Date.now();
  const year = 365 * 86_400_000;
  // Random ids as the server makes them, in sorted order: the id-keyed b-trees then grow
  // at their right edge instead of splitting pages all over (several times faster at 1M).
  const ids = Array.from({ length: to - from }, () => 'ct_' + randomBytes(12).toString('base64url')).sort();
  for (let k = from; k < to; k++) {
    const id = ids[k - from];
    const r = rnd();
    const type = r < 0.5 ? 'guest' : r < 0.9 ? 'lead' : 'customer';
    const created = now - Math.floor(rnd() * year);
    const seen = created + Math.floor(rnd() * (now - created));
    const first = pick(FIRST), last = pick(LAST);
    const named = type !== 'guest';
    const name = named ? `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}` : null;
    const email = named ? `${first}.${last}${k}@example.com` : null;
    const phone = named && rnd() < 0.3 ? `+4915${String(10_000_000 + k).slice(-8)}` : null;
    const customerId = type === 'customer' ? `cus_${k}` : null;
    const terms = searchTerms({ name, email, phone, customerId });
    const tagIds: number[] = [];
    for (let t = 0; t < TAGS.length; t++) if (rnd() < TAG_P[t]) tagIds.push(tagIdOf(TAGS[t]));
    const values: [string, string][] = [];
    if (named || rnd() < 0.3) values.push(['plan', pick(PLANS)]);
    if (named) {
      values.push(['seats', String(1 + Math.floor(rnd() * 200))]);
      values.push(['renewal', new Date(now + Math.floor(rnd() * year)).toISOString().slice(0, 10)]);
      values.push(['marketing', rnd() < 0.5 ? 'true' : 'false']);
      values.push(['company', pick(COMPANIES)]);
    }
    each({ id, type, name, email, phone, customerId, verified: type === 'customer' ? 1 : 0, createdAt: new Date(created).toISOString(), lastSeenAt: new Date(seen).toISOString(), terms, tagIds, values });
  }
}
