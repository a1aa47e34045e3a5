// The contact list answers the same rows in the same order whichever plan the store picks: a selective
// filter driving through its ids, a walk of the contacts' recency index, or a walk of a common tag's
// recency index (contact_tags.last_seen_at, kept equal to the contact's by triggers). Checked page by
// page through cursors against a brute-force answer computed here, before and after the data moves,
// and after migrating a database that predates the tag walk.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../../server-stub/scripts/seed.js';
import { createSqliteStore } from '../../server-stub/src/storage/sqlite-store.js';
import type { ContactFilter, ImportContact, Store } from '../../server-stub/src/storage/store.js';
import type { ContactType } from '../../server-stub/src/domain/contact-type.js';
import { pageAll } from './helpers/list-paging.js';

type Model = { id: string; type: ContactType; name: string; lastSeenAt: string; plan: string; tags: Set<number>; merged: boolean };

const N = 12_000; // two tags on more than 5,000 contacts each: neither is "selective", so the tag walk runs
const NAMES = ['Anna Berg', 'Annika Holm', 'Bob Stone', 'Carla Mendes', 'Dario Fo', 'Eve Moss'];
const dir = mkdtempSync(join(tmpdir(), 'chative-plans-'));
const file = join(dir, 'chative.sqlite');
const r = rng(11);
const models = new Map<string, Model>();
let store: Store;
let A: number, B: number, C: number;

const iso = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();

function expected(f: ContactFilter): string[] {
  const term = f.q?.toLowerCase();
  return [...models.values()]
    .filter((m) => !m.merged && (!f.type || m.type === f.type) && (f.tagIds ?? []).every((t) => m.tags.has(t))
      && (f.values ?? []).every((v) => v.key === 'plan' && m.plan === v.value)
      && (!term || m.name.toLowerCase().split(' ').some((w) => w.startsWith(term)) || m.name.toLowerCase().startsWith(term)))
    .sort((a, b) => (a.lastSeenAt !== b.lastSeenAt ? (a.lastSeenAt < b.lastSeenAt ? 1 : -1) : a.id < b.id ? 1 : -1))
    .map((m) => m.id);
}

const paged = (f: ContactFilter, limit: number) => pageAll(store, f, limit);

const filters = (): [string, ContactFilter][] => [
  ['common tag', { tagIds: [A] }],
  ['two common tags', { tagIds: [A, B] }],
  ['two common tags, other order', { tagIds: [B, A] }],
  ['common and rare tag', { tagIds: [A, C] }],
  ['type + two tags', { type: 'lead', tagIds: [A, B] }],
  ['tag + field value', { tagIds: [B], values: [{ key: 'plan', value: 'pro' }] }],
  ['two tags + search', { tagIds: [A, B], q: 'ann' }],
  ['no filter', {}],
];

async function checkAll(limit: number) {
  for (const [name, f] of filters()) {
    const want = expected(f);
    expect(want.length, name).toBeGreaterThan(0);
    expect(await paged(f, limit), name).toEqual(want);
    const counts = await store.read((db) => db.countContacts(f));
    expect(counts.guest + counts.lead + counts.customer, name).toBe(want.length);
  }
}

beforeAll(async () => {
  store = createSqliteStore(file);
  await store.write(async (tx) => {
    A = (await tx.createTag('alpha', iso(0))).id;
    B = (await tx.createTag('beta', iso(0))).id;
    C = (await tx.createTag('gamma', iso(0))).id;
    await tx.createField({ key: 'plan', name: 'Plan', type: 'text', createdAt: iso(0) });
  });
  const rows: ImportContact[] = [];
  for (let i = 0; i < N; i++) {
    const roll = r();
    const type: ContactType = roll < 0.5 ? 'guest' : roll < 0.85 ? 'lead' : 'customer';
    const tags = new Set<number>();
    if (r() < 0.6) tags.add(A);
    if (r() < 0.5) tags.add(B);
    if (r() < 0.03) tags.add(C);
    // few distinct seconds: many contacts share a last_seen_at, so the id tie-break is exercised
    const m: Model = { id: `ct_p${String(i).padStart(6, '0')}`, type, name: NAMES[Math.floor(r() * NAMES.length)], lastSeenAt: iso(Math.floor(r() * 3000)), plan: ['free', 'pro', 'team'][Math.floor(r() * 3)], tags, merged: false };
    models.set(m.id, m);
    rows.push({
      id: m.id, siteId: 'default', type, name: m.name, email: null, phone: null, timezone: null, locale: null,
      customerId: type === 'customer' ? `cus-${i}` : null, verified: type === 'customer', note: null,
      createdAt: iso(0), lastSeenAt: m.lastSeenAt, values: { plan: m.plan }, tagIds: [...tags],
    });
  }
  await store.write((tx) => tx.importContacts(rows));
  await store.analyze();
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('contact list plans', () => {
  it('every filter pages through exactly the brute-force answer, in list order', async () => {
    await checkAll(50);
  }, 60_000);

  it('stays exact after contacts are seen again, retagged and merged', async () => {
    const ids = [...models.keys()];
    for (let k = 0; k < 600; k++) {
      const m = models.get(ids[Math.floor(r() * ids.length)])!;
      m.lastSeenAt = iso(3000 + Math.floor(r() * 50)); // seen again: moves to the top of every list it is in
      await store.write((tx) => tx.updateContact(m.id, { lastSeenAt: m.lastSeenAt }));
    }
    for (let k = 0; k < 300; k++) {
      const m = models.get(ids[Math.floor(r() * ids.length)])!;
      const t = [A, B, C][Math.floor(r() * 3)];
      if (m.tags.has(t)) { m.tags.delete(t); await store.write((tx) => tx.detachTag(m.id, t)); } else { m.tags.add(t); await store.write((tx) => tx.attachTag(m.id, t)); }
    }
    for (let k = 0; k < 100; k++) {
      const m = models.get(ids[Math.floor(r() * ids.length)])!;
      m.merged = true;
      await store.write((tx) => tx.updateContact(m.id, { mergedInto: ids[0] }));
    }
    await checkAll(37);
  }, 60_000);

  it('a database from before the tag walk is migrated: copies backfilled, triggers in place, same answers', async () => {
    await store.close();
    // turn the file back into schema version 4: no copy column, no triggers, the old index (nor later ones: 6 other details, 8 token proofs, 9 the idempotency age index, then the team, the schedule, webhooks, segments and jobs, rules, issue 13's tables and the import leases)
    const db = new Database(file);
    db.exec(`
      ALTER TABLE contacts DROP COLUMN other_details;
      DROP INDEX contacts_customer;
      DROP INDEX processed_events_age;
      DROP TABLE segments;
      DROP TABLE jobs;
      DROP TABLE job_items;
      DROP TABLE invites; DROP TABLE agent_sessions; DROP TABLE api_tokens; DROP TABLE activity; DROP TABLE conversation_reads;
      DROP TABLE team_founded; DROP TABLE setup_tokens; DROP TABLE agents;
      DROP INDEX conversations_view;
      ALTER TABLE conversations DROP COLUMN status; ALTER TABLE conversations DROP COLUMN assignee_id;
      ALTER TABLE messages DROP COLUMN agent_id; ALTER TABLE messages DROP COLUMN agent_name;
      DROP TABLE schedule_runs; DROP TABLE webhook_deliveries; DROP TABLE webhooks;
      DROP TABLE rule_runs; DROP TABLE rule_inactive_marks; DROP TABLE rules_version; DROP TABLE rules;
      DROP TABLE erased_contacts; DROP TABLE import_changes; DROP TABLE imports; DROP TABLE retention_runs; DROP TABLE import_leases;
      DROP INDEX contact_values_number; DROP INDEX contacts_name_lc; DROP INDEX contact_values_folded; ALTER TABLE contact_values DROP COLUMN value_lc;
      ALTER TABLE tokens DROP COLUMN proved_customer_id;
      ALTER TABLE tokens DROP COLUMN claimed_customer_id;
      DROP TRIGGER contact_tags_fill_seen;
      DROP TRIGGER contacts_seen_to_tags;
      DROP INDEX contact_tags_recent;
      ALTER TABLE contact_tags DROP COLUMN last_seen_at;
      CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id, contact_id);
      PRAGMA user_version = 4;
    `);
    db.close();
    store = createSqliteStore(file);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM contact_tags WHERE last_seen_at IS NULL').get()).toEqual({ n: 0 });
    expect((check.prepare("SELECT count(*) AS n FROM contact_tags ct JOIN contacts c ON c.id = ct.contact_id WHERE ct.last_seen_at != c.last_seen_at").get() as { n: number }).n).toBe(0);
    check.close();
    await checkAll(50);
    // the triggers work on the migrated file too
    const m = [...models.values()].find((x) => !x.merged && x.tags.has(A) && x.tags.has(B))!;
    m.lastSeenAt = iso(9999);
    await store.write((tx) => tx.updateContact(m.id, { lastSeenAt: m.lastSeenAt }));
    expect((await store.read((db) => db.listContacts({ tagIds: [A, B], limit: 1 })))[0].id).toBe(m.id);
  }, 60_000);
});
